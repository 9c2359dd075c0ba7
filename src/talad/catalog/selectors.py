"""Reads for the catalog."""

from django.db.models import Case, IntegerField, Q, Value, When
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

    Each word of `q` is in the product's name or in a variant's SKU or option name, or is a
    variant's exact barcode."""
    qs = (
        Product.objects.for_shop(shop)
        .prefetch_related("variants__components__component")
        .order_by("-pk")
    )
    for word in search_words(q):  # every word in the product's name or one of its variants
        variants = Variant.objects.for_shop(shop).filter(
            Q(sku__icontains=word) | Q(name__icontains=word) | Q(barcode=word)
        )
        qs = qs.filter(Q(name__icontains=word) | Q(pk__in=variants.values("product_id")))
    if active is not None:
        qs = qs.filter(active=active)
    if after_id is not None:
        qs = qs.filter(pk__lt=after_id)
    return list(qs[:limit])


def search_words(q: str | None) -> list[str]:
    """What a seller typed, as the words every match must contain ("เสื้อ ขาว" → two)."""
    return (q or "").split()[:8]


def variant_matches(words: list[str], *, via: str = "") -> Q:
    """Every word in the product name, the option name or the SKU, or exactly the barcode.

    `via` is the path to the variant from the queried model ("" for Variant itself)."""
    condition = Q()
    for word in words:
        condition &= (
            Q(**{f"{via}sku__icontains": word})
            | Q(**{f"{via}name__icontains": word})
            | Q(**{f"{via}product__name__icontains": word})
            | Q(**{f"{via}barcode": word})
        )
    return condition


def find_variants(*, shop: Shop, q: str | None, limit: int = 15) -> list[Variant]:
    """The new-order picker's results: active variants matching every word of `q`.

    An exact SKU comes first, then an exact barcode, then SKUs that start with what was
    typed, then the rest by SKU: a seller who types or scans a code wants that one item."""
    words = search_words(q)
    if not words:
        return []
    whole = " ".join(words)
    rank = Case(
        When(sku__iexact=whole, then=Value(0)),
        When(barcode=whole, then=Value(1)),
        When(sku__istartswith=whole, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return list(
        Variant.objects.for_shop(shop)
        .select_related("product")
        .filter(active=True)
        .filter(variant_matches(words))
        .annotate(rank=rank)
        .order_by("rank", "sku")[:limit]
    )


def variant_by_sku(*, shop: Shop, sku: str) -> Variant:
    variant = Variant.objects.for_shop(shop).select_related("product").filter(sku=sku).first()
    if variant is None:
        raise NotFound(_("ไม่พบ SKU '%(sku)s'") % {"sku": sku}, fields={"sku": "unknown_sku"})
    return variant
