"""/api/v1/imports: marketplace order exports (preview with dry_run, then apply) and the
shop's SKU mappings. The same services as `talad import-orders` and the upload page."""

from typing import Literal

from ninja import File, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view
from pydantic import Field

from talad.api_types import ObjectIn, QueryId, Sku, error_responses
from talad.channels.imports.apply import import_orders
from talad.channels.imports.readers import FORMATS
from talad.channels.imports.skus import forget_sku, map_sku, sku_mappings
from talad.orders.models import Channel
from talad.shops.permissions import require
from talad.tabular import read_upload, upload_endpoint

router = Router(tags=["imports"])

Format = Literal[FORMATS]


class ProblemOut(Schema):
    row: int = Field(description="the spreadsheet's 1-based row (header rows counted); 0: the file")
    column: str = Field(description="the header as the file spells it")
    code: str
    message: str
    external_id: str


class OrderOutcomeOut(Schema):
    external_id: str
    outcome: Literal["created", "updated", "unchanged", "skipped", "error"]
    rows: list[int]
    target: str = Field(description="where the file's status leads: pending … cancelled")
    status: str = Field(description="the Talad order's status after")
    number: str = Field(description='the Talad order number ("" for a dry run\'s new order)')
    actions: list[str] = Field(description="the transitions applied, in order")


class UnmappedOut(Schema):
    channel: str
    marketplace_sku: str
    name: str
    rows: list[int]
    external_ids: list[str]


class OrderImportOut(Schema):
    format: str
    dry_run: bool
    backorder: bool
    rows_read: int
    orders: list[OrderOutcomeOut]
    errors: list[ProblemOut]
    notices: list[ProblemOut] = Field(description="reported, not applied: a status that went back")
    unmapped: list[UnmappedOut] = Field(description="codes to map before their orders can go in")
    counts: dict[str, int]


@router.post(
    "/orders",
    response={200: OrderImportOut, **error_responses(403, 413)},
    operation_id="importMarketplaceOrders",
    summary="A Shopee, Lazada, TikTok Shop or Talad csv export: orders created and moved forward",
)
@decorate_view(upload_endpoint)
def import_marketplace_orders(
    request,
    format: Format,
    file: UploadedFile = File(...),
    dry_run: bool = False,
    backorder: bool = False,
):
    require(request.actor, "manage_orders")
    return import_orders(
        shop=request.shop,
        by=request.actor,
        format=format,
        content=read_upload(file),
        filename=file.name or "",
        dry_run=dry_run,
        backorder=backorder,
    ).as_dict()


class SkuMappingOut(Schema):
    id: int
    channel: str
    marketplace_sku: str
    sku: str


class SkuMappingList(Schema):
    items: list[SkuMappingOut]


class SkuMappingIn(ObjectIn):
    channel: Channel
    marketplace_sku: str = Field(min_length=1, max_length=100)
    sku: Sku


def _mapping_out(mapping) -> dict:
    return {
        "id": mapping.pk,
        "channel": mapping.channel,
        "marketplace_sku": mapping.marketplace_sku,
        "sku": mapping.variant.sku,
    }


@router.get(
    "/sku-mappings",
    response={200: SkuMappingList, **error_responses(403)},
    operation_id="listSkuMappings",
    summary="Which marketplace SKU is which Talad SKU, per channel",
)
def list_sku_mappings(request, channel: Channel | None = None):
    require(request.actor, "manage_orders")
    return {
        "items": [_mapping_out(m) for m in sku_mappings(shop=request.shop, channel=channel or "")]
    }


@router.put(
    "/sku-mappings",
    response={200: SkuMappingOut, **error_responses(403)},
    operation_id="saveSkuMapping",
    summary="Map a marketplace SKU (or item id) to one of the shop's SKUs",
)
def save_sku_mapping(request, payload: SkuMappingIn):
    mapping = map_sku(
        shop=request.shop,
        by=request.actor,
        channel=payload.channel,
        marketplace_sku=payload.marketplace_sku,
        sku=payload.sku,
    )
    return _mapping_out(mapping)


@router.delete(
    "/sku-mappings/{mapping_id}",
    response={204: None, **error_responses(403, 404)},
    operation_id="deleteSkuMapping",
    summary="Forget a mapping",
)
def delete_sku_mapping(request, mapping_id: QueryId):
    forget_sku(shop=request.shop, by=request.actor, mapping_id=mapping_id)
    return Status(204, None)
