"""Shipping records the parcel that `ship` handed to a carrier, and follows it, in the same
transaction as the order's own step (a refusal here rolls the whole action back)."""

from django.dispatch import receiver

from talad.orders.models import Order
from talad.orders.signals import order_action_applied
from talad.shipping import services


@receiver(order_action_applied, sender=Order)
def record_shipment(sender, *, order, action, effects, **kwargs) -> None:
    if action == "ship":
        services.record_shipment(order=order, shipped=effects)
    elif action in services.ORDER_STEPS:
        services.follow_order(order=order, action=action, effects=effects)
