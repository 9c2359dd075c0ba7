"""Reads for the catalog."""

from django.db.models import Q
from django.utils.translation import gettext as _

from talad.catalog.models import Product, Variant
from talad.errors import NotFound
from talad.shops.models import Shop


def product_by_id(*, shop: Shop, product_id: int) -> Product:
    product = (
        Product.objects.for_shop(shop)
        .prefetch_related("variants__components__component")
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise NotFound(_("ไม่พบสินค้า"))
    return product


def products_page(
    *,
    shop: Shop,
    after_id: int | None,
    limit: int,
    q: str | None = None,
    active: bool | None = None,
) -> list[Product]:
    """Keyset page of products, newest first (ids only go up).

    `q` finds a product by its name, or by a variant's SKU, option name or exact barcode."""
    qs = (
        Product.objects.for_shop(shop)
        .prefetch_related("variants__components__component")
        .order_by("-pk")
    )
    if q and q.strip():
        q = q.strip()
        variants = Variant.objects.for_shop(shop).filter(
            Q(sku__icontains=q) | Q(name__icontains=q) | Q(barcode=q)
        )
        qs = qs.filter(Q(name__icontains=q) | Q(pk__in=variants.values("product_id")))
    if active is not None:
        qs = qs.filter(active=active)
    if after_id is not None:
        qs = qs.filter(pk__lt=after_id)
    return list(qs[:limit])


def variant_by_sku(*, shop: Shop, sku: str) -> Variant:
    variant = Variant.objects.for_shop(shop).select_related("product").filter(sku=sku).first()
    if variant is None:
        raise NotFound(_("ไม่พบ SKU '%(sku)s'") % {"sku": sku}, fields={"sku": "unknown_sku"})
    return variant
