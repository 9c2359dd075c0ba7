"""What each action does besides moving the status (DESIGN.md §4, the "side effects" column).

A handler gets the locked order, the caller's data and the actor; it checks the data,
changes stock and the order's own fields, and returns the cleaned data that travels with
`order_action_applied` (payments record the payment, shipping records the shipment).
Handlers run inside transition()'s transaction; call them only through transition().
"""

import re
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from talad.dates import checked_moment
from talad.errors import TaladError
from talad.inventory.services import release_reservation, return_stock, ship_stock
from talad.money import parse_amount
from talad.orders.models import Order, PaymentMethod, PaymentStatus
from talad.orders.state_machine import FAILED_DELIVERY_REASONS
from talad.shops.actors import Actor

# Packers may pack and ship (scan-to-pack); everything else needs the order-desk right.
CAPABILITY = {"pack": "pack_orders", "ship": "pack_orders"}


def normalise_tracking(number: str) -> str:
    """Trimmed, upper case, no inner spaces: `th 0123 4567 89` → `TH0123456789`."""
    return re.sub(r"\s+", "", number or "").upper()


def _lines(order: Order) -> list:
    return list(order.lines.select_related("variant"))


def _reference(order: Order) -> str:
    return f"order:{order.number}"


def pay(order: Order, data: dict, by: Actor) -> dict:
    amount = parse_amount(data["amount"], "amount")
    if amount != order.total:
        raise TaladError(
            _("ยอดชำระ %(paid)s ไม่ตรงกับยอดออเดอร์ %(total)s")
            % {"paid": amount, "total": order.total},
            fields={"amount": "does_not_match_total"},
        )
    method = data["method"]
    if method not in PaymentMethod.values or method == PaymentMethod.COD:
        raise TaladError(_("วิธีชำระเงินไม่ถูกต้อง"), fields={"method": "invalid"})
    order.payment_status = PaymentStatus.PAID
    return {
        "amount": amount,
        "method": method,
        "reference": str(data.get("reference") or "")[:100],
        "paid_at": _moment(data.get("paid_at"), "paid_at"),
        "slip": data.get("slip"),
        "note": data.get("note") or "",
    }


def confirm_cod(order: Order, data: dict, by: Actor) -> dict:
    if not order.customer_phone:
        raise TaladError(
            _("ออเดอร์เก็บเงินปลายทางต้องมีเบอร์โทรลูกค้า"), fields={"customer.phone": "required_for_cod"}
        )
    order.payment_method = PaymentMethod.COD
    order.payment_status = PaymentStatus.COD_PENDING
    return {"note": data.get("note") or ""}


def pack(order: Order, data: dict, by: Actor) -> dict:
    return {"note": data.get("note") or "", "scanned": bool(data.get("scanned"))}


def ship(order: Order, data: dict, by: Actor) -> dict:
    carrier = str(data["carrier"]).strip()
    tracking = normalise_tracking(str(data["tracking_number"]))
    cost = (
        ship_stock(
            shop=order.shop,
            lines=[(li.variant, li.quantity) for li in _lines(order)],
            reference=_reference(order),
            by=by,
        )
        if order.holds_reservation
        else None
    )
    order.holds_reservation = False
    order.carrier, order.tracking_number = carrier, tracking
    cod_amount = order.total if order.payment_status == PaymentStatus.COD_PENDING else 0
    return {
        "carrier": carrier,
        "tracking_number": tracking,
        "cod_amount": cod_amount,
        "cost_of_goods": cost,
        "weight_grams": data.get("weight_grams") or 0,
        "shipping_cost": parse_amount(data.get("shipping_cost") or 0, "shipping_cost"),
        "note": f"{carrier} {tracking}",
    }


def deliver(order: Order, data: dict, by: Actor) -> dict:
    if order.payment_status == PaymentStatus.COD_PENDING:
        order.payment_status = PaymentStatus.COD_COLLECTED
    return {
        "note": data.get("note") or "",
        "delivered_at": _moment(data.get("delivered_at"), "delivered_at"),
    }


def fail_delivery(order: Order, data: dict, by: Actor) -> dict:
    reason = data["reason"]
    if reason not in FAILED_DELIVERY_REASONS:
        raise TaladError(
            _("เหตุผลต้องเป็นหนึ่งใน %(r)s") % {"r": ", ".join(FAILED_DELIVERY_REASONS)},
            fields={"reason": "invalid"},
        )
    order.failed_delivery_reason = reason
    if order.payment_status == PaymentStatus.COD_PENDING:
        order.payment_status = PaymentStatus.UNPAID  # the carrier collected nothing
    return {"reason": reason, "note": f"{reason}: {data.get('note') or ''}".strip(": ")}


def cancel(order: Order, data: dict, by: Actor) -> dict:
    reason = str(data["reason"]).strip()[:255]
    if order.holds_reservation:
        release_reservation(
            shop=order.shop,
            lines=[(li.variant, li.quantity) for li in _lines(order)],
            reference=_reference(order),
            by=by,
        )
        order.holds_reservation = False
    order.cancel_reason = reason
    if order.payment_status == PaymentStatus.PAID:
        order.refund_owed = order.total
    return {"reason": reason, "refund_owed": order.refund_owed, "note": reason}


def receive_return(order: Order, data: dict, by: Actor) -> dict:
    """Each line back as `sellable` (default) or `damaged`: `lines: [{sku, condition}]`."""
    conditions = _return_conditions(data.get("lines") or [])
    lines = _lines(order)
    unknown = set(conditions) - {li.sku for li in lines}
    if unknown:
        raise TaladError(
            _("SKU ไม่อยู่ในออเดอร์: %(s)s") % {"s": ", ".join(sorted(unknown))},
            fields={"lines": "unknown_sku"},
        )
    for condition in ("sellable", "damaged"):
        back = [
            (li.variant, li.quantity)
            for li in lines
            if conditions.get(li.sku, "sellable") == condition
        ]
        if back and not order.holds_reservation:
            return_stock(
                shop=order.shop, lines=back, condition=condition, reference=_reference(order), by=by
            )
    if order.payment_status in (
        PaymentStatus.PAID,
        PaymentStatus.COD_COLLECTED,
        PaymentStatus.COD_REMITTED,
    ):
        order.refund_owed = order.total
    return {"lines": conditions, "refund_owed": order.refund_owed, "note": data.get("note") or ""}


def _return_conditions(items) -> dict[str, str]:
    if not isinstance(items, list):
        raise TaladError(_("lines ต้องเป็นรายการ"), fields={"lines": "invalid"})
    conditions = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or item.get("condition") not in ("sellable", "damaged"):
            raise TaladError(
                _("สภาพสินค้าต้องเป็น sellable หรือ damaged"),
                fields={f"lines[{index}].condition": "invalid"},
            )
        conditions[str(item.get("sku"))] = item["condition"]
    return conditions


def _moment(value, field: str) -> datetime:
    if value in (None, ""):
        return timezone.now()
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        raise TaladError(_("วันเวลาไม่ถูกต้อง"), fields={field: "invalid_datetime"})
    return checked_moment(moment, field)


HANDLERS = {
    "pay": pay,
    "confirm_cod": confirm_cod,
    "pack": pack,
    "ship": ship,
    "deliver": deliver,
    "fail_delivery": fail_delivery,
    "cancel": cancel,
    "receive_return": receive_return,
}
