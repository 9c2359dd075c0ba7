"""Invariants of orders that `talad doctor` proves (docs/design/orders.md, docs/design/cli.md)."""

from collections import Counter

from django.db.models import OuterRef, Subquery, Sum

from talad.catalog.models import Variant
from talad.inventory.models import StockLevel
from talad.inventory.services import stock_needs
from talad.orders.models import Order, OrderLine, Status, StatusChange
from talad.orders.state_machine import HOLDS_STOCK
from talad.shops.models import Shop


def order_violations(shop: Shop) -> list[str]:
    return _status_violations(shop) + _reservation_violations(shop)


def _status_violations(shop: Shop) -> list[str]:
    """Every order has a known status, and its history ends in that status."""
    last_change = StatusChange.objects.for_shop(shop).filter(order=OuterRef("pk")).order_by("-id")
    orders = (
        Order.objects.for_shop(shop)
        .annotate(history_ends_in=Subquery(last_change.values("to_status")[:1]))
        .values_list("number", "status", "history_ends_in", "holds_reservation")
    )
    problems = []
    for number, status, history_ends_in, holds in orders.iterator(chunk_size=2000):
        where = f"{shop.slug}: order {number}"
        if status not in Status.values:
            problems.append(f"{where}: unknown status '{status}'")
        if history_ends_in != status:
            problems.append(
                f"{where}: status is '{status}' but its history ends in '{history_ends_in}'"
            )
        if holds and status not in HOLDS_STOCK:
            problems.append(f"{where}: is '{status}' and still holds a stock reservation")
    return problems


def _reservation_violations(shop: Shop) -> list[str]:
    """Reserved stock per variant equals what open orders holding reservations need."""
    held = (
        OrderLine.objects.for_shop(shop)
        .filter(order__holds_reservation=True)
        .select_related("variant")
    )
    needed: Counter[int] = Counter()
    for line in held.iterator(chunk_size=2000):
        needed.update(stock_needs(shop, [(line.variant, line.quantity)]))
    reserved = dict(
        StockLevel.objects.for_shop(shop)
        .order_by()
        .values("variant_id")
        .annotate(n=Sum("reserved"))
        .values_list("variant_id", "n")
    )
    mismatched = [
        (variant_id, needed.get(variant_id, 0), reserved.get(variant_id) or 0)
        for variant_id in set(needed) | set(reserved)
        if needed.get(variant_id, 0) != (reserved.get(variant_id) or 0)
    ]
    skus = dict(
        Variant.objects.for_shop(shop)
        .filter(pk__in=[m[0] for m in mismatched])
        .values_list("pk", "sku")
    )
    return [
        f"{shop.slug}: SKU {skus.get(v, v)}: reserved is {r} but open orders hold {n}"
        for v, n, r in sorted(mismatched, key=lambda m: str(skus.get(m[0])))
    ]
