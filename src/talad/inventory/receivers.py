"""Inventory's reactions to events from apps below it."""

from django.dispatch import receiver

from talad.inventory.models import Warehouse
from talad.inventory.selectors import DEFAULT_WAREHOUSE_NAME
from talad.shops.signals import shop_created


@receiver(shop_created)
def create_default_warehouse(sender, *, shop, **kwargs) -> None:
    Warehouse.objects.create(shop=shop, name=DEFAULT_WAREHOUSE_NAME, code="main", is_default=True)
