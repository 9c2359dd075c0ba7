"""Shipping records the parcel that `ship` handed to a carrier, in the same transaction."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from talad.errors import Conflict, TaladError
from talad.orders.models import Order
from talad.orders.signals import order_action_applied
from talad.shipping.carriers import CARRIERS, normalise_tracking
from talad.shipping.models import Shipment, ShipmentStatus


@receiver(order_action_applied, sender=Order)
def record_shipment(sender, *, order, action, data, **kwargs) -> None:
    if action == "ship":
        _create_shipment(order, data)
    elif action in ("deliver", "fail_delivery", "receive_return"):
        status = {
            "deliver": ShipmentStatus.DELIVERED,
            "fail_delivery": ShipmentStatus.RETURNING,
            "receive_return": ShipmentStatus.RETURNED,
        }[action]
        Shipment.objects.for_shop(order.shop).filter(order=order, active=True).update(status=status)


def _create_shipment(order: Order, data: dict) -> Shipment:
    carrier = data["carrier"]
    if carrier not in CARRIERS:
        raise TaladError(
            _("ไม่รู้จักขนส่ง '%(c)s'") % {"c": carrier},
            fields={"carrier": "unknown_carrier"},
            known=sorted(CARRIERS),
        )
    tracking = normalise_tracking(data["tracking_number"])
    if not tracking or len(tracking) > 60:
        raise TaladError(_("เลขพัสดุไม่ถูกต้อง"), fields={"tracking_number": "invalid"})
    taken = (
        Shipment.objects.for_shop(order.shop)
        .filter(carrier=carrier, tracking_number=tracking, active=True)
        .select_related("order")
        .first()
    )
    if taken:
        raise Conflict(
            _("เลขพัสดุ %(t)s ถูกใช้แล้วกับออเดอร์ %(o)s") % {"t": tracking, "o": taken.order.number},
            fields={"tracking_number": "duplicate"},
            order_number=taken.order.number,
        )
    return Shipment.objects.create(
        shop_id=order.shop_id,
        order=order,
        carrier=carrier,
        tracking_number=tracking,
        cod_amount=data["cod_amount"],
        weight_grams=data.get("weight_grams") or 0,
        shipping_cost=data.get("shipping_cost") or 0,
    )
