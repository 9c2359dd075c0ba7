"""The books keep themselves: order actions post entries and issue documents in the same
transaction (a failure here rolls the action back), and a new shop gets its chart."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from talad.accounting.autopost import EVENTS
from talad.accounting.books import accounting_settings, seed_chart
from talad.accounting.errors import DocumentAlreadyIssued
from talad.accounting.selectors import open_sales_documents
from talad.accounting.stockpost import post_stock_adjusted, post_stock_received
from talad.inventory.effects import StockAdjusted, StockReceived
from talad.inventory.models import StockMovement
from talad.inventory.signals import stock_changed
from talad.orders.models import Order
from talad.orders.signals import order_action_applied, order_corrected
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


@receiver(stock_changed, sender=StockMovement)
def keep_the_stock_in_the_books(sender, *, shop, change, by, **kwargs) -> None:
    """Receipts, adjustments and counts move the inventory account with the stock value."""
    if isinstance(change, StockReceived):
        post_stock_received(shop, change, by)
    elif isinstance(change, StockAdjusted):
        post_stock_adjusted(shop, change, by)


@receiver(order_corrected, sender=Order)
def refuse_correcting_a_documented_order(sender, *, order, **kwargs) -> None:
    """A tax invoice or receipt already names the order's lines and amounts: the paper trail
    is corrected by a credit note, never by changing the order under it."""
    documents = open_sales_documents(order)
    if documents:
        raise DocumentAlreadyIssued(
            _("ออเดอร์นี้ออกเอกสาร %(d)s แล้ว: แก้ไขด้วยใบลดหนี้แทน")
            % {"d": ", ".join(d.number for d in documents)},
            fields={"order": "documented"},
        )
