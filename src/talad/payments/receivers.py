"""Payments record the money that `pay` brought in, in the same transaction."""

from django.dispatch import receiver

from talad.orders.effects import Paid
from talad.orders.models import Order
from talad.orders.signals import order_action_applied
from talad.payments.models import Payment
from talad.payments.slips import clean_slip


@receiver(order_action_applied, sender=Order)
def record_payment(sender, *, order, action, effects, by, **kwargs) -> None:
    if action != "pay":
        return
    paid: Paid = effects
    Payment.objects.create(
        shop_id=order.shop_id,
        order=order,
        amount=paid.amount,
        method=paid.method,
        reference=paid.reference,
        paid_at=paid.paid_at,
        # Checked and re-encoded here, so a bad file refuses the payment and nothing is kept.
        slip=clean_slip(paid.slip) if paid.slip else "",
        user_id=by.user_id,
        actor=by.label[:80],
    )
