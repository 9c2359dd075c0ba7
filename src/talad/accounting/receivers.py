"""The books keep themselves: order actions post entries and issue documents in the same
transaction (a failure here rolls the action back), and a new shop gets its chart."""

from django.dispatch import receiver

from talad.accounting.autopost import EVENTS
from talad.accounting.books import accounting_settings, seed_chart
from talad.orders.models import Order
from talad.orders.signals import order_action_applied
from talad.shops.signals import shop_created


@receiver(shop_created)
def open_the_books(sender, *, shop, **kwargs) -> None:
    accounting_settings(shop)
    seed_chart(shop)


@receiver(order_action_applied, sender=Order)
def keep_the_books(sender, *, order, action, effects, by, change, **kwargs) -> None:
    post = EVENTS.get(action)
    if post is not None:
        post(order, effects, by, change)
