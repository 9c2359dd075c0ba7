"""Invariants of stock that `talad doctor` proves (docs/design/stock.md#the-ledger)."""

from django.db.models import Sum

from talad.inventory.models import BACKORDER_REASON, MovementKind, StockLevel, StockMovement


def stock_violations(shop=None) -> list[str]:
    """Every way the ledger and the levels disagree, and every oversold level, in words."""
    levels = StockLevel.unscoped.select_related("variant", "warehouse", "shop")
    movements = StockMovement.unscoped.values("variant_id", "warehouse_id").annotate(
        on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta"), damaged=Sum("damaged_delta")
    )
    if shop is not None:
        levels = levels.filter(shop=shop)
        movements = movements.filter(shop=shop)
    ledger = {(m["variant_id"], m["warehouse_id"]): m for m in movements}
    # Levels an explicit backorder reserved past their stock (inventory.services.reserve_stock).
    backorders = StockMovement.unscoped.filter(
        kind=MovementKind.RESERVE, reason__startswith=BACKORDER_REASON
    )
    if shop is not None:
        backorders = backorders.filter(shop=shop)
    backordered = set(backorders.values_list("variant_id", "warehouse_id"))
    problems = []
    for level in levels:
        where = f"{level.shop.slug}: SKU {level.variant.sku} @ {level.warehouse.code}"
        sums = ledger.pop((level.variant_id, level.warehouse_id), None) or {}
        for column in ("on_hand", "reserved", "damaged"):
            expected = sums.get(column) or 0
            actual = getattr(level, column)
            if expected != actual:
                problems.append(f"{where}: {column} is {actual} but the ledger sums to {expected}")
        if (
            level.available < 0
            and not level.variant.allow_backorder
            and (level.variant_id, level.warehouse_id) not in backordered
        ):
            problems.append(
                f"{where}: available is {level.available} (on_hand {level.on_hand}, "
                f"reserved {level.reserved}) and backorder is off"
            )
    for (variant_id, warehouse_id), sums in ledger.items():
        if any(sums[c] for c in ("on_hand", "reserved", "damaged")):
            problems.append(
                f"variant #{variant_id} @ warehouse #{warehouse_id}: ledger has movements but no stock level"
            )
    return problems
