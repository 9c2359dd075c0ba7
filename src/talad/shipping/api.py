"""/api/v1/shipments (tracking lookup, parcel timeline, both imports) and /api/v1/carriers."""

from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import File, Router, Schema, UploadedFile
from ninja.decorators import decorate_view
from pydantic import Field, StrictBool

from talad.api_types import Limit
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


@router.get("", response=dict, summary="Tracking lookup and the parcel list (keyset pagination)")
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


@router.get("/{int:shipment_id}", response=dict, summary="One parcel with its timeline")
def get_shipment(request, shipment_id: int):
    require(request.actor, "view_orders")
    if shipment_id > 2**63 - 1:  # SQLite cannot even compare it (OverflowError)
        raise NotFound(_("ไม่พบพัสดุ"))
    shipment = selectors.shipment_detail(shop=request.shop, shipment_id=shipment_id)
    return shipment_out(shipment, events=True)


@router.post(
    "/tracking-import",
    response=dict,
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
    response=dict,
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


class CarrierIn(Schema):
    name_th: str | None = Field(None, max_length=100)
    name_en: str | None = Field(None, max_length=100)
    tracking_url: str | None = Field(None, max_length=300)
    cod_fee_percent: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    pattern: str | None = Field(None, max_length=200)
    active: StrictBool | None = None


@carriers_router.get("", response=dict, summary="The shop's carriers (`?tracking=` suggests)")
def list_carriers(request, tracking: str | None = None):
    require(request.actor, "view_orders")
    registry = carriers_for(request.shop)
    out = {"items": [carrier_out(c) for c in registry.values()]}
    if tracking:
        out["suggested"] = suggest_carriers(tracking[:100], registry)
    return out


@carriers_router.put("/{code}", response=dict, summary="Change a carrier for this shop, or add one")
def save_carrier(request, code: str, payload: CarrierIn):
    row = services.save_carrier(
        shop=request.shop, code=code, by=request.actor, **payload.model_dump(exclude_none=True)
    )
    return carrier_out(carriers_for(request.shop)[row.code])
