"""Reads for order intake."""

from talad.catalog.models import Variant
from talad.channels.chat_order import CatalogueItem
from talad.shops.models import Shop

# Smart paste reads the whole catalogue on every paste; beyond this many variants a shop's
# chat is matched against the first ones only (by id) and the picker finds the rest.
MAX_PASTE_CATALOGUE = 5_000


def paste_catalogue(*, shop: Shop) -> tuple[CatalogueItem, ...]:
    """The shop's sellable variants, as smart paste matches chat words against them."""
    rows = (
        Variant.objects.for_shop(shop)
        .filter(active=True, product__active=True)
        .order_by("pk")
        .values_list("sku", "product__name", "name")[:MAX_PASTE_CATALOGUE]
    )
    return tuple(
        CatalogueItem(sku=sku, product=product, option=option) for sku, product, option in rows
    )
