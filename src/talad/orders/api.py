"""/api/v1/orders — intake (idempotent), reads, the state machine's actions, stuck orders."""

from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Header, Router, Schema
from ninja import Status as Respond
from pydantic import Field, StrictInt, create_model

from talad.api_types import (
    Limit,
    Moment,
    Money,
    MoneyText,
    ObjectIn,
    Page,
    Sku,
    error_responses,
)
from talad.errors import TaladError
from talad.orders import actions, corrections, inputs, selectors, services, stuck
from talad.orders.models import Channel, Order, PaymentMethod, PaymentStatus, Status
from talad.orders.state_machine import ACTIONS, allowed_actions
from talad.pagination import DEFAULT_LIMIT, decode_cursor, next_cursor
from talad.shops.idempotency import body_fingerprint, run_once
from talad.shops.permissions import require

router = Router(tags=["orders"])

# A row id as the database can hold it: a bigger number reached SQLite as an OverflowError (500).
OrderId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]


# A new order's body is the domain's own type: its fields and limits live in orders.inputs.
OrderIn = inputs.NewOrder
LinesIn = inputs.NewLines


class ReturnLineIn(ObjectIn):
    sku: Sku
    condition: inputs.Condition


class ActionIn(ObjectIn):
    """The data an action needs (see docs/design/orders.md#actions): pay → amount, method;
    ship → carrier, tracking_number; cancel and fail_delivery → reason; receive_return → lines."""

    amount: Money | None = None
    method: PaymentMethod | None = None
    reference: inputs.Reference | None = None
    paid_at: Moment | None = None
    carrier: inputs.CarrierCode | None = None
    tracking_number: inputs.TrackingNumber | None = None
    weight_grams: inputs.Grams | None = None
    shipping_cost: Money | None = None
    reason: inputs.Reason | None = None
    note: inputs.Note | None = None
    lines: list[ReturnLineIn] | None = Field(None, max_length=inputs.MAX_LINES)


class BulkIn(ObjectIn):
    order_ids: list[OrderId] = Field(min_length=1, max_length=500)
    action: str = Field(max_length=30)
    data: ActionIn = ActionIn()


class AddressOut(Schema):
    line: str
    subdistrict: str
    district: str
    province: str
    postcode: str


class CustomerOut(Schema):
    name: str
    phone: str
    customer_id: int | None
    address: AddressOut


class OrderLineOut(Schema):
    sku: str
    name: str
    quantity: int
    unit_price: MoneyText
    line_discount: MoneyText
    line_total: MoneyText


class OrderShipmentOut(Schema):
    carrier: str
    tracking_number: str
    status: str
    cod_amount: MoneyText
    tracking_url: str


class StatusChangeOut(Schema):
    from_status: str = Field(alias="from", description='"" for the order\'s first status')
    to: str
    action: str
    at: datetime
    by: str
    note: str


class OrderSummaryOut(Schema):
    """An order in a list: no lines, shipments or history (GET /orders/{id} has them)."""

    id: int
    number: str
    channel: Channel
    external_id: str
    status: Status
    payment_status: PaymentStatus
    payment_method: PaymentMethod
    customer: CustomerOut
    subtotal: MoneyText
    shipping_fee: MoneyText
    discount: MoneyText
    net_total: MoneyText
    vat_total: MoneyText
    total: MoneyText
    refund_owed: MoneyText
    carrier: str
    tracking_number: str
    note: str
    tags: list[str]
    ship_by: datetime | None
    created_at: datetime
    status_changed_at: datetime
    allowed_actions: list[str]


class OrderOut(OrderSummaryOut):
    lines: list[OrderLineOut]
    shipments: list[OrderShipmentOut]
    history: list[StatusChangeOut]


class OrderPage(Page):
    items: list[OrderSummaryOut]


# Every status is present, zero when the shop has no order in it.
OrderCountsOut = create_model(
    "OrderCountsOut", __base__=Schema, **{status: (int, ...) for status in Status.values}
)


class StuckOrderOut(Schema):
    id: int
    number: str
    status: Status
    hours_in_status: float
    limit_hours: float | None
    reason_code: str = Field(description="past_ship_by, cod_not_remitted or over_age")
    reason: str
    ship_by: datetime | None


class StuckOut(Schema):
    orders: list[StuckOrderOut]
    age_buckets: dict[str, dict[str, int]] = Field(
        description="open orders per status, then per time in status (<1 day, 1–3, 3–7, >7 days)"
    )


class BulkErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, str] = Field(None, description="absent for an order that was not found")


class BulkResultOut(Schema):
    order_id: int
    number: str | None
    ok: bool
    status: Status = Field(None, description="the order's new status, when ok")
    error: BulkErrorOut = Field(None, description="why not, when not ok")


class BulkOut(Schema):
    results: list[BulkResultOut]
    succeeded: int
    failed: int


def order_out(order: Order, *, detail: bool = True) -> dict:
    """The order as the API shows it; money as strings with two decimals."""
    out = {
        "id": order.pk,
        "number": order.number,
        "channel": order.channel,
        "external_id": order.external_id,
        "status": order.status,
        "payment_status": order.payment_status,
        "payment_method": order.payment_method,
        "customer": {
            "name": order.customer_name,
            "phone": order.customer_phone,
            "customer_id": order.customer_id,
            "address": {
                "line": order.address_line,
                "subdistrict": order.subdistrict,
                "district": order.district,
                "province": order.province,
                "postcode": order.postcode,
            },
        },
        "subtotal": f"{order.subtotal:.2f}",
        "shipping_fee": f"{order.shipping_fee:.2f}",
        "discount": f"{order.discount:.2f}",
        "net_total": f"{order.net_total:.2f}",
        "vat_total": f"{order.vat_total:.2f}",
        "total": f"{order.total:.2f}",
        "refund_owed": f"{order.refund_owed:.2f}",
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "note": order.note,
        "tags": order.tags,
        "ship_by": order.ship_by,
        "created_at": order.created_at,
        "status_changed_at": order.status_changed_at,
        "allowed_actions": allowed_actions(order.status),
    }
    if detail:
        out["lines"] = [
            {
                "sku": li.sku,
                "name": li.name,
                "quantity": li.quantity,
                "unit_price": f"{li.unit_price:.2f}",
                "line_discount": f"{li.line_discount:.2f}",
                "line_total": f"{li.line_total:.2f}",
            }
            for li in order.lines.all()
        ]
        out["shipments"] = [
            {
                "carrier": s.carrier,
                "tracking_number": s.tracking_number,
                "status": s.status,
                "cod_amount": f"{s.cod_amount:.2f}",
                "tracking_url": s.tracking_url,
            }
            for s in order.shipments.all()
        ]
        out["history"] = [
            {
                "from": c.from_status,
                "to": c.to_status,
                "action": c.action,
                "at": c.at,
                "by": c.actor,
                "note": c.note,
            }
            for c in order.status_changes.all()
        ]
    return out


@router.post(
    "",
    response={200: OrderOut, 201: OrderOut, **error_responses(403, 409, 413)},
    by_alias=True,
    operation_id="createOrder",
    summary="Create an order (idempotent)",
)
def create_order(
    request, payload: OrderIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    def produce():
        order, created = services.create_order(shop=request.shop, by=request.actor, order=payload)
        return (201 if created else 200), order_out(
            selectors.order_detail(shop=request.shop, order_id=order.pk)
        )

    status, body = run_once(
        shop=request.shop,
        key=idempotency_key,
        fingerprint=body_fingerprint(request.body),
        produce=produce,
    )
    return Respond(status, body)


@router.get(
    "",
    response={200: OrderPage, **error_responses(403)},
    operation_id="listOrders",
    summary="The order desk list (keyset pagination)",
)
def list_orders(
    request,
    status: Status | None = None,
    channel: Channel | None = None,
    payment_status: PaymentStatus | None = None,
    created_from: Moment | None = None,
    created_to: Moment | None = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    require(request.actor, "view_orders")
    rows = selectors.orders_page(
        shop=request.shop,
        status=status,
        channel=channel,
        payment_status=payment_status,
        created_from=created_from,
        created_to=created_to,
        q=(q or "")[:100],
        before_id=decode_cursor(cursor),
        limit=limit,
    )
    return {
        "items": [order_out(o, detail=False) for o in rows],
        "next_cursor": next_cursor(rows, limit),
    }


@router.get(
    "/counts",
    response={200: OrderCountsOut, **error_responses(403)},
    operation_id="countOrdersByStatus",
    summary="Orders per status",
)
def counts(request):
    require(request.actor, "view_orders")
    return selectors.order_counts(shop=request.shop)


@router.get(
    "/stuck",
    response={200: StuckOut, **error_responses(403)},
    operation_id="listStuckOrders",
    summary="Orders past their status's age limit",
)
def stuck_list(request):
    require(request.actor, "view_orders")
    rows = stuck.stuck_orders(shop=request.shop)
    return {
        "orders": [
            {
                "id": s.order.pk,
                "number": s.order.number,
                "status": s.status,
                "hours_in_status": round(s.time_in_status.total_seconds() / 3600, 1),
                "limit_hours": None
                if s.limit is None
                else round(s.limit.total_seconds() / 3600, 1),
                "reason_code": s.reason_code,
                "reason": s.reason,
                "ship_by": s.order.ship_by,
            }
            for s in rows
        ],
        "age_buckets": stuck.age_buckets(shop=request.shop),
    }


@router.post(
    "/bulk-actions",
    response={200: BulkOut, **error_responses(403, 413)},
    exclude_unset=True,
    operation_id="bulkOrderAction",
    summary="One action on many orders, each on its own",
)
def bulk_actions(request, payload: BulkIn):
    # Refused as a whole, not once per order: the action is unknown or the role may not do it.
    _known_action(payload.action)
    require(request.actor, actions.capability_for(payload.action))
    data = payload.data.model_dump(exclude_none=True)
    results = services.bulk_transition(
        shop=request.shop,
        order_ids=payload.order_ids,
        action=payload.action,
        by=request.actor,
        data=data,
    )
    return {
        "results": results,
        "succeeded": sum(r["ok"] for r in results),
        "failed": sum(not r["ok"] for r in results),
    }


@router.get(
    "/{int:order_id}",
    response={200: OrderOut, **error_responses(403, 404)},
    by_alias=True,
    operation_id="getOrder",
    summary="One order with its lines, shipments and history",
)
def get_order(request, order_id: int):
    require(request.actor, "view_orders")
    return order_out(selectors.order_detail(shop=request.shop, order_id=order_id))


@router.put(
    "/{int:order_id}/lines",
    response={200: OrderOut, **error_responses(403, 404, 409, 413)},
    by_alias=True,
    operation_id="replaceOrderLines",
    summary="Replace the lines of a pending / to_pack order",
)
def edit_lines(request, order_id: int, payload: LinesIn):
    order = selectors.order_detail(shop=request.shop, order_id=order_id)
    corrections.replace_lines(order=order, lines=payload.lines, by=request.actor)
    return order_out(selectors.order_detail(shop=request.shop, order_id=order_id))


@router.patch(
    "/{int:order_id}",
    response={200: OrderOut, **error_responses(403, 404, 409, 413)},
    by_alias=True,
    operation_id="correctOrder",
    summary="Correct an order before it is packed (the fields of creation, each optional)",
)
def correct_order(request, order_id: int, payload: inputs.OrderCorrection):
    order = selectors.order_detail(shop=request.shop, order_id=order_id)
    corrections.correct_order(order=order, changes=payload, by=request.actor)
    return order_out(selectors.order_detail(shop=request.shop, order_id=order_id))


@router.post(
    "/{int:order_id}/actions/{action}",
    response={200: OrderOut, **error_responses(403, 404, 409, 413)},
    by_alias=True,
    operation_id="applyOrderAction",
    summary="Move the order on (docs/design/orders.md)",
)
def apply_action(request, order_id: int, action: str, payload: ActionIn | None = None):
    _known_action(action)
    order = selectors.order_detail(shop=request.shop, order_id=order_id)
    data = payload.model_dump(exclude_none=True) if payload else {}
    services.transition(order=order, action=action, by=request.actor, **data)
    return order_out(selectors.order_detail(shop=request.shop, order_id=order_id))


def _known_action(action: str) -> None:
    if action not in ACTIONS:
        raise TaladError(
            _("ไม่รู้จักคำสั่ง '%(a)s'") % {"a": action},
            fields={"action": "unknown"},
            known=sorted(ACTIONS),
        )
