"""Payments record the money that `pay` brought in, in the same transaction."""

from django.dispatch import receiver

from talad.orders.models import Order
from talad.orders.signals import order_action_applied
from talad.payments.models import Payment


@receiver(order_action_applied, sender=Order)
def record_payment(sender, *, order, action, data, by, **kwargs) -> None:
    if action != "pay":
        return
    Payment.objects.create(
        shop_id=order.shop_id,
        order=order,
        amount=data["amount"],
        method=data["method"],
        reference=data["reference"],
        paid_at=data["paid_at"],
        slip=data.get("slip") or "",
        user_id=by.user_id,
        actor=by.label[:80],
    )
