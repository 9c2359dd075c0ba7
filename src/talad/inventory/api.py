"""/api/v1/stock — levels, receive / adjust / count, and the ledger."""

from datetime import datetime

from ninja import Router, Schema
from pydantic import Field

from talad.api_types import (
    Count,
    Limit,
    Money,
    MoneyText,
    ObjectIn,
    Page,
    Quantity,
    Sku,
    error_responses,
)
from talad.catalog.selectors import variant_by_sku
from talad.inventory import selectors, services
from talad.inventory.models import MovementKind, PaidBy
from talad.pagination import DEFAULT_LIMIT, decode_cursor, next_cursor
from talad.shops.permissions import require

router = Router(tags=["stock"])


class StockRowOut(Schema):
    sku: str
    warehouse: str
    on_hand: int
    reserved: int
    available: int
    is_bundle: bool


class ReceiveIn(ObjectIn):
    sku: Sku
    quantity: Quantity
    unit_cost: Money
    reason: str = Field("", max_length=255)
    # The purchase (optional): how it was paid (on credit: owed to the supplier), who sold
    # it, and the supplier's delivery note or tax invoice number.
    paid_by: PaidBy = PaidBy.CREDIT
    supplier: str = Field("", max_length=200)
    purchase_reference: str = Field("", max_length=100)


class AdjustIn(ObjectIn):
    sku: Sku
    quantity_delta: int = Field(strict=True, ge=-1_000_000, le=1_000_000)
    reason: str = Field(min_length=1, max_length=255)


class CountIn(ObjectIn):
    sku: Sku
    counted: Count


class MovementOut(Schema):
    id: int
    sku: str
    warehouse: str
    kind: str
    on_hand_delta: int
    reserved_delta: int
    damaged_delta: int
    unit_cost: MoneyText | None
    reason: str
    reference: str
    actor: str
    created_at: datetime


class MovementPage(Page):
    items: list[MovementOut]


def _level_out(shop, sku: str) -> list[dict]:
    return [row.__dict__ for row in selectors.stock_rows(shop=shop, sku=sku)]


@router.get(
    "",
    response={200: list[StockRowOut], **error_responses(403, 404)},
    operation_id="listStockLevels",
    summary="Stock per SKU and warehouse (`?sku=` for one)",
)
def stock_levels(request, sku: str | None = None):
    require(request.actor, "view_stock")
    return _level_out(request.shop, sku)


@router.post(
    "/receive",
    response={200: list[StockRowOut], **error_responses(403, 404, 413)},
    operation_id="receiveStock",
    summary="Goods in, at a unit cost",
)
def receive(request, payload: ReceiveIn):
    services.receive_stock(shop=request.shop, by=request.actor, **payload.model_dump())
    return _level_out(request.shop, payload.sku)


@router.post(
    "/adjust",
    response={200: list[StockRowOut], **error_responses(403, 404, 409, 413)},
    operation_id="adjustStock",
    summary="Add or take away units, with a reason",
)
def adjust(request, payload: AdjustIn):
    services.adjust_stock(shop=request.shop, by=request.actor, **payload.model_dump())
    return _level_out(request.shop, payload.sku)


@router.post(
    "/count",
    response={200: list[StockRowOut], **error_responses(403, 404, 409, 413)},
    operation_id="countStock",
    summary="Set on hand to what was counted",
)
def count(request, payload: CountIn):
    services.count_stock(shop=request.shop, by=request.actor, **payload.model_dump())
    return _level_out(request.shop, payload.sku)


@router.get(
    "/movements",
    response={200: MovementPage, **error_responses(403, 404)},
    operation_id="listStockMovements",
    summary="The stock ledger, newest first (keyset pagination)",
)
def movements(
    request,
    sku: str | None = None,
    kind: MovementKind | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    require(request.actor, "view_stock")
    if sku is not None:
        variant_by_sku(shop=request.shop, sku=sku)  # an unknown SKU is a 404, as in /stock
    rows = selectors.movements_page(
        shop=request.shop, sku=sku, kind=kind, before_id=decode_cursor(cursor), limit=limit
    )
    items = [
        {
            "id": m.pk,
            "sku": m.variant.sku,
            "warehouse": m.warehouse.code,
            "kind": m.kind,
            "on_hand_delta": m.on_hand_delta,
            "reserved_delta": m.reserved_delta,
            "damaged_delta": m.damaged_delta,
            "unit_cost": None if m.unit_cost is None else f"{m.unit_cost:.2f}",
            "reason": m.reason,
            "reference": m.reference,
            "actor": m.actor,
            "created_at": m.created_at,
        }
        for m in rows
    ]
    return {"items": items, "next_cursor": next_cursor(rows, limit)}
