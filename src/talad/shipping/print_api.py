"""/api/v1/print — the warehouse's paper as PDF: labels, the pick list, packing slips.

`order_ids` is a comma-separated list ("1,2,3"); the PDF follows its order. An id that is not
one of the shop's orders makes the whole request 404, and more than MAX_PRINT_ORDERS ids
is refused (400, `order_ids: too_many`), before anything is drawn.
"""

from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router

from talad.api_types import error_responses, file_responses
from talad.shipping.labels import MAX_PRINT_ORDERS, labels_document, parse_order_ids
from talad.shipping.picklists import packing_slips_document, pick_list_document
from talad.shops.permissions import require

router = Router(tags=["print"])

# Room for MAX_PRINT_ORDERS ids of up to 19 digits and their commas.
OrderIds = Query(..., max_length=MAX_PRINT_ORDERS * 20, description="comma-separated order ids")
PDF_RESPONSE = file_responses("application/pdf")
CAPABILITY = "pack_orders"  # the warehouse's paper: whoever packs may print it


def pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'inline; filename="{name}-{stamp}.pdf"'
    response["Cache-Control"] = "private, no-store"  # customers' names and addresses
    return response


@router.get(
    "/labels",
    response=error_responses(403, 404),
    operation_id="printLabels",
    summary="Shipping labels: 100×150 mm, one per page (layout=label) or four per A4 (layout=a4)",
    openapi_extra=PDF_RESPONSE,
)
def print_labels(
    request,
    order_ids: str = OrderIds,
    layout: Literal["label", "a4"] = Query("label"),
):
    require(request.actor, CAPABILITY)
    content = labels_document(
        shop=request.shop, order_ids=parse_order_ids(order_ids), layout=layout
    )
    return pdf_response(content, "labels")


@router.get(
    "/pick-list",
    response=error_responses(403, 404),
    operation_id="printPickList",
    summary="Pick list: SKUs summed over the orders, bundles expanded, sorted by SKU",
    openapi_extra=PDF_RESPONSE,
)
def print_pick_list(request, order_ids: str = OrderIds):
    require(request.actor, CAPABILITY)
    content = pick_list_document(shop=request.shop, order_ids=parse_order_ids(order_ids))
    return pdf_response(content, "pick-list")


@router.get(
    "/packing-slips",
    response=error_responses(403, 404),
    operation_id="printPackingSlips",
    summary="Packing slips: one A4 page per order",
    openapi_extra=PDF_RESPONSE,
)
def print_packing_slips(request, order_ids: str = OrderIds):
    require(request.actor, CAPABILITY)
    content = packing_slips_document(shop=request.shop, order_ids=parse_order_ids(order_ids))
    return pdf_response(content, "packing-slips")
