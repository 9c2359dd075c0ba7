"""Events that travel upward without an import cycle (docs/design/layout.md#the-layering-rule)."""

from django.dispatch import Signal

# Sent inside the transaction that creates a shop; receivers set up their app's rows
# (the inventory app creates the default warehouse).
shop_created = Signal()  # kwargs: shop
