"""What each action does besides moving the status: the "side effects" column of
docs/design/orders.md#actions.

A handler gets the locked order, the action's typed input (orders.inputs: its shape is
already checked) and the actor; it applies the rules that need the order, changes stock and
the order's own fields, and returns the action's effects (orders.effects) that travel with
`order_action_applied` (payments record the payment, shipping records the shipment).
Handlers run inside transition()'s transaction; call them only through transition().
"""

import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.inventory.services import release_reservation, return_stock, ship_stock
from talad.orders.effects import (
    Cancelled,
    CodConfirmed,
    Delivered,
    DeliveryFailed,
    Packed,
    Paid,
    Returned,
    Shipped,
)
from talad.orders.inputs import (
    CancelInput,
    DeliverInput,
    FailDeliveryInput,
    NoteInput,
    PackInput,
    PayInput,
    ReturnInput,
    ShipInput,
)
from talad.orders.models import Order, PaymentMethod, PaymentStatus
from talad.shops.actors import Actor

# Packers may pack and ship (scan-to-pack); everything else needs the order-desk right.
CAPABILITY = {"pack": "pack_orders", "ship": "pack_orders"}


def capability_for(action: str) -> str:
    """The capability a member needs to apply `action` (the order page shows only those)."""
    return CAPABILITY.get(action, "manage_orders")


def normalise_tracking(number: str) -> str:
    """Trimmed, upper case, no inner spaces: `th 0123 4567 89` → `TH0123456789`."""
    return re.sub(r"\s+", "", number or "").upper()


def _lines(order: Order) -> list:
    return list(order.lines.select_related("variant"))


def _reference(order: Order) -> str:
    return f"order:{order.number}"


def pay(order: Order, data: PayInput, by: Actor) -> Paid:
    if data.amount != order.total:
        raise TaladError(
            _("ยอดชำระ %(paid)s ไม่ตรงกับยอดออเดอร์ %(total)s")
            % {"paid": data.amount, "total": order.total},
            fields={"amount": "does_not_match_total"},
        )
    if data.method == PaymentMethod.COD:
        raise TaladError(_("วิธีชำระเงินไม่ถูกต้อง"), fields={"method": "invalid"})
    order.payment_status = PaymentStatus.PAID
    return Paid(
        amount=data.amount,
        method=data.method,
        reference=data.reference.strip(),
        paid_at=data.paid_at or timezone.now(),
        slip=data.slip,
        note=data.note,
    )


def confirm_cod(order: Order, data: NoteInput, by: Actor) -> CodConfirmed:
    if not order.customer_phone:
        raise TaladError(
            _("ออเดอร์เก็บเงินปลายทางต้องมีเบอร์โทรลูกค้า"), fields={"customer.phone": "required_for_cod"}
        )
    order.payment_method = PaymentMethod.COD
    order.payment_status = PaymentStatus.COD_PENDING
    return CodConfirmed(note=data.note)


def pack(order: Order, data: PackInput, by: Actor) -> Packed:
    return Packed(note=data.note, scanned=data.scanned)


def ship(order: Order, data: ShipInput, by: Actor) -> Shipped:
    carrier = data.carrier.strip()
    tracking = normalise_tracking(data.tracking_number)
    if not carrier or not tracking:
        raise TaladError(
            _("ข้อมูลไม่ครบ: %(f)s") % {"f": "carrier, tracking_number"},
            fields={
                k: "required"
                for k, v in (("carrier", carrier), ("tracking_number", tracking))
                if not v
            },
        )
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
    cod_amount = order.total if order.payment_status == PaymentStatus.COD_PENDING else Decimal(0)
    return Shipped(
        carrier=carrier,
        tracking_number=tracking,
        cod_amount=cod_amount,
        cost_of_goods=cost,
        weight_grams=data.weight_grams,
        shipping_cost=data.shipping_cost,
        note=f"{carrier} {tracking}",
    )


def deliver(order: Order, data: DeliverInput, by: Actor) -> Delivered:
    if order.payment_status == PaymentStatus.COD_PENDING:
        order.payment_status = PaymentStatus.COD_COLLECTED
    return Delivered(note=data.note, delivered_at=data.delivered_at or timezone.now())


def fail_delivery(order: Order, data: FailDeliveryInput, by: Actor) -> DeliveryFailed:
    order.failed_delivery_reason = data.reason
    if order.payment_status == PaymentStatus.COD_PENDING:
        order.payment_status = PaymentStatus.UNPAID  # the carrier collected nothing
    return DeliveryFailed(reason=data.reason, note=f"{data.reason}: {data.note}".strip(": "))


def cancel(order: Order, data: CancelInput, by: Actor) -> Cancelled:
    reason = data.reason.strip()
    if not reason:
        raise TaladError(_("กรอกเหตุผลที่ยกเลิกก่อน"), fields={"reason": "required"})
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
    return Cancelled(reason=reason, refund_owed=order.refund_owed, note=reason)


def receive_return(order: Order, data: ReturnInput, by: Actor) -> Returned:
    """Each line back as `sellable` (default) or `damaged`."""
    conditions = {line.sku: line.condition for line in data.lines}
    lines = _lines(order)
    unknown = set(conditions) - {li.sku for li in lines}
    if unknown:
        raise TaladError(
            _("SKU ไม่อยู่ในออเดอร์: %(s)s") % {"s": ", ".join(sorted(unknown))},
            fields={"lines": "unknown_sku"},
        )
    values = {}
    for condition in ("sellable", "damaged"):
        back = [
            (li.variant, li.quantity)
            for li in lines
            if conditions.get(li.sku, "sellable") == condition
        ]
        if back and not order.holds_reservation:
            values[condition] = return_stock(
                shop=order.shop, lines=back, condition=condition, reference=_reference(order), by=by
            )
    if order.payment_status in (
        PaymentStatus.PAID,
        PaymentStatus.COD_COLLECTED,
        PaymentStatus.COD_REMITTED,
    ):
        order.refund_owed = order.total
    return Returned(
        conditions=conditions,
        refund_owed=order.refund_owed,
        note=data.note,
        value_back_on_shelf=values.get("sellable", Decimal(0)),
        cost_of_damaged=values.get("damaged", Decimal(0)),
    )


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
