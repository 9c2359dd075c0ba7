"""/api/v1/shipments (tracking lookup, parcel timeline, both imports) and /api/v1/carriers."""

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import File, Router, Schema, UploadedFile
from ninja.decorators import decorate_view
from pydantic import Field, StrictBool

from talad.api_types import Limit, MoneyText, ObjectIn, Page, error_responses
from talad.errors import NotFound
from talad.orders.actions import CAPABILITY
from talad.pagination import DEFAULT_LIMIT, decode_cursor, next_cursor
from talad.shipping import selectors, services
from talad.shipping.carriers import Carrier, suggest_carriers
from talad.shipping.models import Shipment, ShipmentStatus
from talad.shipping.registry import carriers_for
from talad.shipping.status_import import import_statuses
from talad.shipping.tracking_import import import_tracking
from talad.shops.permissions import require
from talad.tabular import read_upload, upload_endpoint

router = Router(tags=["shipments"])
carriers_router = Router(tags=["carriers"])


class ShipmentOut(Schema):
    id: int
    order_id: int
    order_number: str
    order_status: str
    carrier: str
    tracking_number: str
    tracking_url: str
    status: ShipmentStatus
    active: bool
    cod_amount: MoneyText
    weight_grams: int
    shipping_cost: MoneyText
    created_at: datetime
    delivered_at: datetime | None


class ShipmentEventOut(Schema):
    at: datetime
    status: str
    note: str
    source: str


class ShipmentDetailOut(ShipmentOut):
    events: list[ShipmentEventOut] = Field(description="the parcel's timeline, oldest first")


class ShipmentPage(Page):
    items: list[ShipmentOut]


class TrackingRowOut(Schema):
    row: int
    result: str = Field(description="ready (a dry run), shipped, skipped or error")
    order_number: str
    carrier: str
    tracking_number: str
    code: str
    message: str
    order_id: int | None


class TrackingImportOut(Schema):
    dry_run: bool
    rows: list[TrackingRowOut]
    counts: dict[str, int] = Field(description="rows per result")


class StatusRowOut(Schema):
    row: int
    result: str = Field(description="ready (a dry run), recorded, skipped or error")
    tracking_number: str
    status: str
    at: datetime | None
    note: str
    order_number: str
    order_action: str = Field(description='deliver, fail_delivery or "" (the timeline only)')
    code: str
    message: str
    shipment_id: int | None


class StatusImportOut(Schema):
    dry_run: bool
    rows: list[StatusRowOut]
    counts: dict[str, int] = Field(description="rows per result")


def shipment_out(shipment: Shipment, *, events: bool = False) -> dict:
    out = {
        "id": shipment.pk,
        "order_id": shipment.order_id,
        "order_number": shipment.order.number,
        "order_status": shipment.order.status,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url,
        "status": shipment.status,
        "active": shipment.active,
        "cod_amount": f"{shipment.cod_amount:.2f}",
        "weight_grams": shipment.weight_grams,
        "shipping_cost": f"{shipment.shipping_cost:.2f}",
        "created_at": shipment.created_at,
        "delivered_at": shipment.delivered_at,
    }
    if events:
        out["events"] = [
            {"at": e.at, "status": e.status, "note": e.note, "source": e.source}
            for e in sorted(shipment.events.all(), key=lambda e: (e.at, e.pk))
        ]
    return out


@router.get(
    "",
    response={200: ShipmentPage, **error_responses(403)},
    operation_id="listShipments",
    summary="Tracking lookup and the parcel list (keyset pagination)",
)
def list_shipments(
    request,
    tracking: str | None = None,
    carrier: str | None = None,
    status: ShipmentStatus | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    require(request.actor, "view_orders")
    rows = selectors.shipments_page(
        shop=request.shop,
        tracking=(tracking or "")[:100],
        carrier=(carrier or "")[:30],
        status=status,
        before_id=decode_cursor(cursor),
        limit=limit,
    )
    return {"items": [shipment_out(s) for s in rows], "next_cursor": next_cursor(rows, limit)}


@router.get(
    "/{int:shipment_id}",
    response={200: ShipmentDetailOut, **error_responses(403, 404)},
    operation_id="getShipment",
    summary="One parcel with its timeline",
)
def get_shipment(request, shipment_id: int):
    require(request.actor, "view_orders")
    if shipment_id > 2**63 - 1:  # SQLite cannot even compare it (OverflowError)
        raise NotFound(_("ไม่พบพัสดุ"))
    shipment = selectors.shipment_detail(shop=request.shop, shipment_id=shipment_id)
    return shipment_out(shipment, events=True)


@router.post(
    "/tracking-import",
    response={200: TrackingImportOut, **error_responses(403, 413)},
    operation_id="importTracking",
    summary="Tracking numbers from CSV/xlsx: order number or external id, carrier, tracking",
)
@decorate_view(upload_endpoint)
def tracking_import(request, file: UploadedFile = File(...), dry_run: bool = False):
    require(request.actor, CAPABILITY["ship"])
    return import_tracking(
        shop=request.shop,
        by=request.actor,
        content=read_upload(file),
        filename=file.name or "",
        dry_run=dry_run,
    )


@router.post(
    "/status-import",
    response={200: StatusImportOut, **error_responses(403, 413)},
    operation_id="importShipmentStatuses",
    summary="Carrier statuses from CSV/xlsx: tracking, status, time",
)
@decorate_view(upload_endpoint)
def status_import(request, file: UploadedFile = File(...), dry_run: bool = False):
    require(request.actor, "manage_orders")
    return import_statuses(
        shop=request.shop,
        by=request.actor,
        content=read_upload(file),
        filename=file.name or "",
        dry_run=dry_run,
    )


# --- Carriers --------------------------------------------------------------------------


class CarrierOut(Schema):
    code: str
    name_th: str
    name_en: str
    tracking_url: str
    cod_fee_percent: MoneyText
    pattern: str
    active: bool


class CarrierList(Schema):
    items: list[CarrierOut]
    suggested: list[str] = Field(
        None, description="with `?tracking=`: the codes whose pattern fits it; absent without"
    )


def carrier_out(carrier: Carrier) -> dict:
    return {
        "code": carrier.code,
        "name_th": carrier.name_th,
        "name_en": carrier.name_en,
        "tracking_url": carrier.tracking_url,
        "cod_fee_percent": f"{carrier.cod_fee_percent:.2f}",
        "pattern": carrier.pattern,
        "active": carrier.active,
    }


class CarrierIn(ObjectIn):
    name_th: str | None = Field(None, max_length=100)
    name_en: str | None = Field(None, max_length=100)
    tracking_url: str | None = Field(None, max_length=300)
    cod_fee_percent: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    pattern: str | None = Field(None, max_length=200)
    active: StrictBool | None = None


@carriers_router.get(
    "",
    response={200: CarrierList, **error_responses(403)},
    exclude_unset=True,
    operation_id="listCarriers",
    summary="The shop's carriers (`?tracking=` suggests)",
)
def list_carriers(request, tracking: str | None = None):
    require(request.actor, "view_orders")
    registry = carriers_for(request.shop)
    out = {"items": [carrier_out(c) for c in registry.values()]}
    if tracking:
        out["suggested"] = suggest_carriers(tracking[:100], registry)
    return out


@carriers_router.put(
    "/{code}",
    response={200: CarrierOut, **error_responses(403, 413)},
    operation_id="saveCarrier",
    summary="Change a carrier for this shop, or add one",
)
def save_carrier(request, code: str, payload: CarrierIn):
    row = services.save_carrier(
        shop=request.shop, code=code, by=request.actor, **payload.model_dump(exclude_none=True)
    )
    return carrier_out(carriers_for(request.shop)[row.code])
