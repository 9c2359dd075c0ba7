"""Reads for stock: levels, available-to-sell, the ledger, low stock."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from talad.catalog.models import Variant
from talad.catalog.selectors import search_words, variant_matches
from talad.errors import NotFound
from talad.inventory.models import StockLevel, StockMovement, Warehouse
from talad.shops.models import Shop


@dataclass(frozen=True)
class StockRow:
    sku: str
    warehouse: str
    on_hand: int
    reserved: int
    available: int
    is_bundle: bool = False


def stock_rows(*, shop: Shop, sku: str | None = None) -> list[StockRow]:
    """One row per SKU and warehouse. A bundle's row is what its components allow."""
    variants = Variant.objects.for_shop(shop).order_by("sku")
    if sku is not None:
        variants = variants.filter(sku=sku)
    variants = list(variants.prefetch_related("components__component"))
    if sku is not None and not variants:
        raise NotFound(_("ไม่พบ SKU '%(sku)s'") % {"sku": sku}, fields={"sku": "unknown_sku"})
    return _rows_for(shop, variants)


def _rows_for(shop: Shop, variants: list[Variant]) -> list[StockRow]:
    plain_ids = {v.pk for v in variants if not v.is_bundle}
    plain_ids |= {c.component_id for v in variants if v.is_bundle for c in v.components.all()}
    levels = (
        StockLevel.objects.for_shop(shop)
        .filter(variant_id__in=plain_ids)
        .select_related("warehouse")
        .order_by("warehouse__code")
    )
    by_variant: dict[int, list[StockLevel]] = {}
    for level in levels:
        by_variant.setdefault(level.variant_id, []).append(level)
    rows = []
    empty = None
    for variant in variants:
        if variant.is_bundle:
            rows.extend(_bundle_rows(variant, by_variant))
        else:
            if variant.pk not in by_variant and empty is None:
                empty = _empty_level(shop)
            levels_of_variant = by_variant.get(variant.pk) or [empty]
            rows.extend(
                StockRow(variant.sku, lv.warehouse.code, lv.on_hand, lv.reserved, lv.available)
                for lv in levels_of_variant
            )
    return rows


@dataclass(frozen=True)
class StockLine:
    """One variant on the stock page: its rows per warehouse, and whether it is running low."""

    variant: Variant
    rows: list[StockRow]
    available_total: int
    low: bool


def stock_page(
    *,
    shop: Shop,
    q: str | None = None,
    low_only: bool = False,
    after_sku: str | None = None,
    limit: int = 50,
) -> list[StockLine]:
    """The stock page, by SKU, keyset-paginated on the SKU (unique in a shop).

    Each word of `q` is in the SKU, the product or option name, or is the exact barcode
    (catalog.selectors.variant_matches). Low means what `low_stock`
    means: an active plain variant whose available over all warehouses is at or below its
    threshold."""
    variants = (
        Variant.objects.for_shop(shop)
        .select_related("product")
        .prefetch_related("components__component")
        .annotate(
            on_hand_total=Coalesce(Sum("stock_levels__on_hand"), Value(0)),
            reserved_total=Coalesce(Sum("stock_levels__reserved"), Value(0)),
        )
        .annotate(available_total=F("on_hand_total") - F("reserved_total"))
        .order_by("sku")
    )
    if words := search_words(q):
        variants = variants.filter(variant_matches(words))
    if low_only:
        variants = variants.filter(
            active=True, is_bundle=False, available_total__lte=F("low_stock_threshold")
        )
    if after_sku:
        variants = variants.filter(sku__gt=after_sku)
    variants = list(variants[:limit])
    rows = _rows_for(shop, variants)
    by_sku: dict[str, list[StockRow]] = {}
    for row in rows:
        by_sku.setdefault(row.sku, []).append(row)
    return [
        StockLine(
            variant=v,
            rows=by_sku.get(v.sku, []),
            available_total=v.available_total,
            low=v.active and not v.is_bundle and v.available_total <= v.low_stock_threshold,
        )
        for v in variants
    ]


# The warehouse every shop starts with. Its name is stored in Thai and drawn in the reader's
# language; a name the seller typed is shown as typed.
DEFAULT_WAREHOUSE_NAME = gettext_noop("คลังหลัก")


def warehouse_label(warehouse: Warehouse) -> str:
    if warehouse.is_default and warehouse.name == DEFAULT_WAREHOUSE_NAME:
        return _(DEFAULT_WAREHOUSE_NAME)
    return warehouse.name or warehouse.code


def warehouse_names(*, shop: Shop) -> dict[str, str]:
    """code → what the stock pages call the warehouse."""
    return {w.code: warehouse_label(w) for w in Warehouse.objects.for_shop(shop).order_by("code")}


def default_warehouse(shop: Shop) -> Warehouse:
    return Warehouse.objects.for_shop(shop).get(is_default=True)


def _empty_level(shop: Shop) -> StockLevel:
    """A variant never stocked still has a row: zero in the default warehouse."""
    return StockLevel(warehouse=default_warehouse(shop))


def _bundle_rows(bundle: Variant, by_variant: dict[int, list[StockLevel]]) -> list[StockRow]:
    per_warehouse: dict[str, tuple[int, int]] = {}
    components = list(bundle.components.all())
    for component in components:
        for lv in by_variant.get(component.component_id, []):
            on_hand, available = per_warehouse.get(lv.warehouse.code, (None, None))
            sets_on_hand = lv.on_hand // component.quantity
            sets_available = max(lv.available, 0) // component.quantity
            per_warehouse[lv.warehouse.code] = (
                sets_on_hand if on_hand is None else min(on_hand, sets_on_hand),
                sets_available if available is None else min(available, sets_available),
            )
    return [
        StockRow(bundle.sku, code, on_hand, 0, available, is_bundle=True)
        for code, (on_hand, available) in sorted(per_warehouse.items())
    ]


def available_to_sell(*, shop: Shop, variant: Variant) -> int:
    """Available over all warehouses (for a bundle: how many complete sets)."""
    return sum(row.available for row in stock_rows(shop=shop, sku=variant.sku))


def movements_page(
    *,
    shop: Shop,
    sku: str | None = None,
    kind: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
) -> list[StockMovement]:
    """The ledger, newest first, keyset-paginated on id; `created_to` is exclusive."""
    qs = StockMovement.objects.for_shop(shop).select_related("variant", "warehouse").order_by("-id")
    if sku is not None:
        qs = qs.filter(variant__sku=sku)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if created_from is not None:
        qs = qs.filter(created_at__gte=created_from)
    if created_to is not None:
        qs = qs.filter(created_at__lt=created_to)
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(qs[:limit])


def low_stock(*, shop: Shop, limit: int | None = None) -> list[Variant]:
    """Active plain variants whose available (all warehouses) is at or below their threshold,
    the emptiest first; `limit` keeps a dashboard from loading them all."""
    rows = (
        Variant.objects.for_shop(shop)
        .filter(active=True, is_bundle=False)
        .annotate(
            on_hand_total=Coalesce(Sum("stock_levels__on_hand"), Value(0)),
            reserved_total=Coalesce(Sum("stock_levels__reserved"), Value(0)),
        )
        .annotate(available_total=F("on_hand_total") - F("reserved_total"))
        .filter(available_total__lte=F("low_stock_threshold"))
        .select_related("product")
        .order_by("available_total", "sku")
    )
    return list(rows[:limit] if limit else rows)
