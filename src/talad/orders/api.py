"""/api/v1/orders — intake (idempotent), reads, the state machine's actions, stuck orders."""

from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Header, Router
from ninja import Status as Respond
from pydantic import Field, StrictInt

from talad.api_types import Limit, Moment, Money, ObjectIn, Quantity, Sku
from talad.errors import TaladError
from talad.orders import actions, selectors, services, stuck
from talad.orders.models import Channel, Order, PaymentMethod, PaymentStatus, Status
from talad.orders.state_machine import ACTIONS, allowed_actions
from talad.pagination import DEFAULT_LIMIT, decode_cursor, next_cursor
from talad.shops.idempotency import body_fingerprint, run_once
from talad.shops.permissions import require

router = Router(tags=["orders"])

# A row id as the database can hold it: a bigger number reached SQLite as an OverflowError (500).
OrderId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]


class AddressIn(ObjectIn):
    line: str = Field("", max_length=255)
    subdistrict: str = Field("", max_length=100)
    district: str = Field("", max_length=100)
    province: str = Field("", max_length=100)
    postcode: str = Field("", max_length=5)


class CustomerIn(ObjectIn):
    name: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    line_id: str = Field("", max_length=100)
    social_name: str = Field("", max_length=200)
    tax_id: str = Field("", max_length=13)
    branch_code: str = Field("", max_length=5)
    address: AddressIn = AddressIn()


class LineIn(ObjectIn):
    sku: Sku
    quantity: Quantity
    unit_price: Money | None = None
    line_discount: Money | None = None


class OrderIn(ObjectIn):
    channel: Channel
    external_id: str = Field("", max_length=100)
    customer: CustomerIn
    lines: list[LineIn] = Field(min_length=1, max_length=services.MAX_LINES)
    shipping_fee: Money = Decimal("0")
    discount: Money = Decimal("0")
    payment_method: PaymentMethod
    note: str = Field("", max_length=5000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    ship_by: Moment | None = None


class ReturnLineIn(ObjectIn):
    sku: Sku
    condition: Literal["sellable", "damaged"]


class ActionIn(ObjectIn):
    """The data an action needs (see DESIGN.md §4): pay → amount, method; ship → carrier,
    tracking_number; cancel and fail_delivery → reason; receive_return → lines."""

    amount: Money | None = None
    method: PaymentMethod | None = None
    reference: str | None = Field(None, max_length=100)
    paid_at: Moment | None = None
    carrier: str | None = Field(None, max_length=30)
    tracking_number: str | None = Field(None, max_length=60)
    weight_grams: StrictInt | None = Field(None, ge=0, le=1_000_000)
    shipping_cost: Money | None = None
    reason: str | None = Field(None, max_length=255)
    note: str | None = Field(None, max_length=500)
    lines: list[ReturnLineIn] | None = Field(None, max_length=services.MAX_LINES)


class BulkIn(ObjectIn):
    order_ids: list[OrderId] = Field(min_length=1, max_length=500)
    action: str = Field(max_length=30)
    data: ActionIn = ActionIn()


class LinesIn(ObjectIn):
    lines: list[LineIn] = Field(min_length=1, max_length=services.MAX_LINES)


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


@router.post("", response={200: dict, 201: dict}, summary="Create an order (idempotent)")
def create_order(
    request, payload: OrderIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
):
    def produce():
        data = payload.model_dump()
        customer = data.pop("customer")
        order, created = services.create_order(
            shop=request.shop, by=request.actor, customer=customer, **data
        )
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


@router.get("", response=dict, summary="The order desk list (keyset pagination)")
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


@router.get("/counts", response=dict, summary="Orders per status")
def counts(request):
    require(request.actor, "view_orders")
    return selectors.order_counts(shop=request.shop)


@router.get("/stuck", response=dict, summary="Orders past their status's age limit")
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


@router.post("/bulk-actions", response=dict, summary="One action on many orders, each on its own")
def bulk_actions(request, payload: BulkIn):
    # Refused as a whole, not once per order: the action is unknown or the role may not do it.
    _known_action(payload.action)
    require(request.actor, actions.CAPABILITY.get(payload.action, "manage_orders"))
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


@router.get("/{int:order_id}", response=dict)
def get_order(request, order_id: int):
    require(request.actor, "view_orders")
    return order_out(selectors.order_detail(shop=request.shop, order_id=order_id))


@router.put(
    "/{int:order_id}/lines", response=dict, summary="Replace the lines of a pending / to_pack order"
)
def edit_lines(request, order_id: int, payload: LinesIn):
    order = selectors.order_detail(shop=request.shop, order_id=order_id)
    services.edit_order_lines(order=order, lines=payload.model_dump()["lines"], by=request.actor)
    return order_out(selectors.order_detail(shop=request.shop, order_id=order_id))


@router.post(
    "/{int:order_id}/actions/{action}", response=dict, summary="Move the order on (DESIGN.md §4)"
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
