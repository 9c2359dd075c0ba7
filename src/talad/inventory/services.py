"""Every change to stock. Each function is one business action in one transaction.

The rules that keep a seller from selling what they do not have:
- a reservation is one conditional UPDATE (`reserved + q` only WHERE `on_hand - reserved >= q`),
  never a read in Python followed by a write, so concurrent orders cannot both take the last unit;
- an action on several rows touches them in ascending StockLevel id, one order everywhere,
  so concurrent multi-SKU orders cannot deadlock;
- every change writes its StockMovement rows in the same transaction (ledger = levels).
Bundles act on their components.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from talad.api_types import MAX_QUANTITY
from talad.catalog.models import BundleComponent, Variant
from talad.catalog.selectors import variant_by_sku
from talad.errors import TaladError
from talad.inventory.errors import InsufficientStock, StockRuleBroken
from talad.inventory.models import MovementKind, StockLevel, StockMovement, Warehouse
from talad.inventory.selectors import default_warehouse
from talad.money import parse_amount
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit


@dataclass(frozen=True)
class _Need:
    """How many units of one plain (non-bundle) variant an action touches."""

    variant: Variant
    quantity: int


# --- Manual stock work: receive, adjust, count --------------------------------------------


@transaction.atomic
def receive_stock(
    *,
    shop: Shop,
    sku: str,
    quantity: int,
    unit_cost: Decimal,
    by: Actor,
    reason: str = "",
    warehouse: Warehouse | None = None,
) -> StockLevel:
    """Goods in. Updates the variant's moving-average cost over all its warehouses."""
    require(by, "change_stock")
    _check_quantity(quantity, "quantity")
    unit_cost = parse_amount(unit_cost, "unit_cost")
    warehouse = warehouse or default_warehouse(shop)
    variant = _plain_variant(shop, sku, locked=True)
    held = (
        StockLevel.objects.for_shop(shop).filter(variant=variant).aggregate(n=Sum("on_hand"))["n"]
        or 0
    )
    variant.cost = _moving_average(variant.cost, max(held, 0), unit_cost, quantity)
    Variant.objects.for_shop(shop).filter(pk=variant.pk).update(cost=variant.cost)
    level_id = _level_ids(shop, warehouse, [variant.pk])[variant.pk]
    StockLevel.objects.for_shop(shop).filter(pk=level_id).update(on_hand=F("on_hand") + quantity)
    _write_ledger(
        shop,
        warehouse,
        by,
        MovementKind.RECEIVE,
        [(variant, quantity, 0, 0)],
        reason=reason,
        unit_cost=unit_cost,
    )
    record_audit(
        shop=shop,
        by=by,
        action="stock.receive",
        obj=variant,
        after={
            "quantity": quantity,
            "unit_cost": str(unit_cost),
            "average_cost": str(variant.cost),
        },
    )
    return StockLevel.objects.for_shop(shop).get(pk=level_id)


@transaction.atomic
def adjust_stock(
    *,
    shop: Shop,
    sku: str,
    quantity_delta: int,
    reason: str,
    by: Actor,
    warehouse: Warehouse | None = None,
) -> StockLevel:
    """Add or remove on-hand units for a stated reason (breakage, gift, found stock…)."""
    require(by, "change_stock")
    if (
        not isinstance(quantity_delta, int)
        or isinstance(quantity_delta, bool)
        or quantity_delta == 0
    ):
        raise TaladError(_("จำนวนที่ปรับต้องเป็นจำนวนเต็มที่ไม่ใช่ศูนย์"), fields={"quantity_delta": "invalid"})
    if abs(quantity_delta) > MAX_QUANTITY:
        raise TaladError(_("จำนวนมากเกินไป"), fields={"quantity_delta": "too_large"})
    reason = _required_reason(reason)
    warehouse = warehouse or default_warehouse(shop)
    variant = _plain_variant(shop, sku)
    level_id = _level_ids(shop, warehouse, [variant.pk])[variant.pk]
    rows = StockLevel.objects.for_shop(shop).filter(pk=level_id)
    if quantity_delta < 0:
        # Never below zero on the shelf; never below what open orders hold unless backorder is on.
        keep = F("reserved") if not variant.allow_backorder else 0
        rows = rows.filter(on_hand__gte=keep - quantity_delta)
    if rows.update(on_hand=F("on_hand") + quantity_delta) != 1:
        level = StockLevel.objects.for_shop(shop).get(pk=level_id)
        raise StockRuleBroken(
            _("ลดสต๊อก %(sku)s ได้ไม่เกิน %(max)s ชิ้น (คงเหลือ %(on_hand)s, ติดจอง %(reserved)s)")
            % {
                "sku": sku,
                "max": max(level.available if not variant.allow_backorder else level.on_hand, 0),
                "on_hand": level.on_hand,
                "reserved": level.reserved,
            },
            fields={"quantity_delta": "below_available"},
        )
    _write_ledger(
        shop, warehouse, by, MovementKind.ADJUST, [(variant, quantity_delta, 0, 0)], reason=reason
    )
    level = StockLevel.objects.for_shop(shop).get(pk=level_id)
    record_audit(
        shop=shop,
        by=by,
        action="stock.adjust",
        obj=variant,
        before={"on_hand": level.on_hand - quantity_delta},
        after={"on_hand": level.on_hand, "reason": reason},
    )
    return level


@transaction.atomic
def count_stock(
    *, shop: Shop, sku: str, counted: int, by: Actor, warehouse: Warehouse | None = None
) -> StockLevel:
    """Set on-hand to what was counted on the shelf; the ledger records the difference.

    A count below what open orders have reserved is refused unless backorder is allowed:
    accepting it would silently oversell those orders (docs/decisions/0003).
    """
    require(by, "change_stock")
    _check_quantity(counted, "counted", allow_zero=True)
    warehouse = warehouse or default_warehouse(shop)
    variant = _plain_variant(shop, sku)
    level_id = _level_ids(shop, warehouse, [variant.pk])[variant.pk]
    level = StockLevel.objects.for_shop(shop).select_for_update().get(pk=level_id)
    if counted < level.reserved and not variant.allow_backorder:
        raise StockRuleBroken(
            _("นับได้ %(counted)s ชิ้น น้อยกว่าที่ติดจอง %(reserved)s ชิ้น: ยกเลิกหรือแก้ออเดอร์ก่อน")
            % {"counted": counted, "reserved": level.reserved},
            fields={"counted": "below_reserved"},
        )
    difference = counted - level.on_hand
    StockLevel.objects.for_shop(shop).filter(pk=level_id).update(on_hand=counted)
    _write_ledger(
        shop,
        warehouse,
        by,
        MovementKind.COUNT,
        [(variant, difference, 0, 0)],
        reason=f"นับได้ {counted}",  # kept in the ledger in Thai, whatever the page language
    )
    record_audit(
        shop=shop,
        by=by,
        action="stock.count",
        obj=variant,
        before={"on_hand": level.on_hand},
        after={"on_hand": counted},
    )
    level.on_hand = counted
    return level


# --- Order-driven stock: reserve, release, ship, return -----------------------------------


@transaction.atomic
def reserve_stock(
    *,
    shop: Shop,
    lines: Iterable[tuple[Variant, int]],
    reference: str,
    by: Actor,
    warehouse: Warehouse | None = None,
) -> None:
    """Hold stock for an order. All lines or none: a shortage raises InsufficientStock naming
    every short SKU, and the transaction is rolled back."""
    warehouse = warehouse or default_warehouse(shop)
    needs = _expand(shop, lines)
    level_ids = _level_ids(shop, warehouse, [n.variant.pk for n in needs])
    short = []
    for need in sorted(needs, key=lambda n: level_ids[n.variant.pk]):
        rows = StockLevel.objects.for_shop(shop).filter(pk=level_ids[need.variant.pk])
        if not need.variant.allow_backorder:
            rows = rows.filter(on_hand__gte=F("reserved") + need.quantity)
        if rows.update(reserved=F("reserved") + need.quantity) != 1:
            short.append(need)
    if short:
        raise InsufficientStock(_shortage_report(shop, level_ids, short))
    _write_ledger(
        shop,
        warehouse,
        by,
        MovementKind.RESERVE,
        [(n.variant, 0, n.quantity, 0) for n in needs],
        reference=reference,
    )


@transaction.atomic
def release_reservation(
    *,
    shop: Shop,
    lines: Iterable[tuple[Variant, int]],
    reference: str,
    by: Actor,
    warehouse: Warehouse | None = None,
) -> None:
    """Give reserved stock back to available (an order cancelled or its lines reduced)."""
    warehouse = warehouse or default_warehouse(shop)
    needs = _expand(shop, lines)
    _apply_in_lock_order(shop, warehouse, needs, reserved=-1, on_hand=0, what=_("ยกเลิกจอง"))
    _write_ledger(
        shop,
        warehouse,
        by,
        MovementKind.RELEASE,
        [(n.variant, 0, -n.quantity, 0) for n in needs],
        reference=reference,
    )


@transaction.atomic
def ship_stock(
    *,
    shop: Shop,
    lines: Iterable[tuple[Variant, int]],
    reference: str,
    by: Actor,
    warehouse: Warehouse | None = None,
) -> Decimal:
    """Reserved stock leaves the building: on_hand and reserved both drop.

    Returns the cost of the goods shipped at the moving-average cost, for the journal."""
    warehouse = warehouse or default_warehouse(shop)
    needs = _expand(shop, lines)
    _apply_in_lock_order(shop, warehouse, needs, reserved=-1, on_hand=-1, what=_("จัดส่ง"))
    _write_ledger(
        shop,
        warehouse,
        by,
        MovementKind.SHIP,
        [(n.variant, -n.quantity, -n.quantity, 0) for n in needs],
        reference=reference,
        cost_from_variant=True,
    )
    return sum((n.variant.cost * n.quantity for n in needs), Decimal("0")).quantize(Decimal("0.01"))


@transaction.atomic
def return_stock(
    *,
    shop: Shop,
    lines: Iterable[tuple[Variant, int]],
    condition: str,
    reference: str,
    by: Actor,
    warehouse: Warehouse | None = None,
) -> None:
    """Goods back from a customer: `sellable` to on-hand, `damaged` to the damaged count."""
    if condition not in ("sellable", "damaged"):
        raise TaladError(_("สภาพสินค้าต้องเป็น sellable หรือ damaged"), fields={"condition": "invalid"})
    warehouse = warehouse or default_warehouse(shop)
    needs = _expand(shop, lines)
    column = "on_hand" if condition == "sellable" else "damaged"
    level_ids = _level_ids(shop, warehouse, [n.variant.pk for n in needs])
    for need in sorted(needs, key=lambda n: level_ids[n.variant.pk]):
        StockLevel.objects.for_shop(shop).filter(pk=level_ids[need.variant.pk]).update(
            **{column: F(column) + need.quantity}
        )
    kind = MovementKind.RETURN if condition == "sellable" else MovementKind.DAMAGE
    deltas = [
        (n.variant, n.quantity, 0, 0) if condition == "sellable" else (n.variant, 0, 0, n.quantity)
        for n in needs
    ]
    _write_ledger(shop, warehouse, by, kind, deltas, reference=reference, cost_from_variant=True)


# --- The pieces ----------------------------------------------------------------------------


def _apply_in_lock_order(shop, warehouse, needs, *, reserved: int, on_hand: int, what: str) -> None:
    """Take reserved units away (and on-hand too when shipping), refusing if not reserved."""
    level_ids = _level_ids(shop, warehouse, [n.variant.pk for n in needs])
    for need in sorted(needs, key=lambda n: level_ids[n.variant.pk]):
        q = need.quantity
        rows = StockLevel.objects.for_shop(shop).filter(
            pk=level_ids[need.variant.pk], reserved__gte=q
        )
        changes = {"reserved": F("reserved") + reserved * q}
        if on_hand:
            rows = rows.filter(on_hand__gte=q)
            changes["on_hand"] = F("on_hand") + on_hand * q
        if rows.update(**changes) != 1:
            raise StockRuleBroken(
                _("%(what)s %(sku)s %(q)s ชิ้นไม่ได้: ไม่มีสต๊อกที่จองไว้พอ")
                % {"what": what, "sku": need.variant.sku, "q": q},
                fields={"sku": need.variant.sku},
            )


def _expand(shop: Shop, lines: Iterable[tuple[Variant, int]]) -> list[_Need]:
    """Turn order lines into plain variants and total quantities; bundles become components."""
    totals: dict[int, int] = {}
    variants: dict[int, Variant] = {}
    bundle_ids = []
    for variant, quantity in lines:
        _check_quantity(quantity, "quantity")
        if variant.shop_id != shop.pk:
            raise TaladError(_("ไม่พบ SKU"), fields={"sku": "unknown_sku"})
        if variant.is_bundle:
            bundle_ids.append((variant.pk, quantity))
        else:
            totals[variant.pk] = totals.get(variant.pk, 0) + quantity
            variants[variant.pk] = variant
    if bundle_ids:
        components = (
            BundleComponent.objects.for_shop(shop)
            .select_related("component")
            .filter(bundle_id__in=[b for b, _q in bundle_ids])
        )
        by_bundle: dict[int, list[BundleComponent]] = {}
        for c in components:
            by_bundle.setdefault(c.bundle_id, []).append(c)
        for bundle_id, quantity in bundle_ids:
            for c in by_bundle.get(bundle_id, []):
                totals[c.component_id] = totals.get(c.component_id, 0) + c.quantity * quantity
                variants[c.component_id] = c.component
    return [_Need(variants[pk], q) for pk, q in totals.items()]


def stock_needs(shop: Shop, lines: Iterable[tuple[Variant, int]]) -> dict[int, int]:
    """Units per plain variant that these lines hold or move, bundles expanded (for checks)."""
    return {need.variant.pk: need.quantity for need in _expand(shop, lines)}


def _level_ids(shop: Shop, warehouse: Warehouse, variant_ids: list[int]) -> dict[int, int]:
    """StockLevel id per variant in this warehouse, creating missing rows (race-safe)."""
    found = _existing_level_ids(shop, warehouse, variant_ids)
    missing = [pk for pk in variant_ids if pk not in found]
    if missing:
        StockLevel.objects.bulk_create(
            [StockLevel(shop=shop, warehouse=warehouse, variant_id=pk) for pk in missing],
            ignore_conflicts=True,
        )
        found = _existing_level_ids(shop, warehouse, variant_ids)
    return found


def _existing_level_ids(shop, warehouse, variant_ids) -> dict[int, int]:
    rows = StockLevel.objects.for_shop(shop).filter(warehouse=warehouse, variant_id__in=variant_ids)
    return dict(rows.values_list("variant_id", "pk"))


def _write_ledger(
    shop,
    warehouse,
    by: Actor,
    kind: str,
    deltas,
    *,
    reason: str = "",
    reference: str = "",
    unit_cost: Decimal | None = None,
    cost_from_variant: bool = False,
) -> None:
    StockMovement.objects.bulk_create(
        [
            StockMovement(
                shop=shop,
                warehouse=warehouse,
                variant=variant,
                kind=kind,
                on_hand_delta=on_hand,
                reserved_delta=reserved,
                damaged_delta=damaged,
                unit_cost=variant.cost if cost_from_variant else unit_cost,
                reason=reason[:255],
                reference=reference[:80],
                user_id=by.user_id,
                actor=by.label[:80],
            )
            for variant, on_hand, reserved, damaged in deltas
        ]
    )


def _shortage_report(shop, level_ids, short: list[_Need]) -> list[dict]:
    levels = StockLevel.objects.for_shop(shop).in_bulk([level_ids[n.variant.pk] for n in short])
    return [
        {
            "sku": n.variant.sku,
            "requested": n.quantity,
            "available": max(levels[level_ids[n.variant.pk]].available, 0),
        }
        for n in short
    ]


def _plain_variant(shop: Shop, sku: str, *, locked: bool = False) -> Variant:
    if not isinstance(sku, str) or not sku.strip():
        raise TaladError(_("ต้องระบุรหัสสินค้า (SKU)"), fields={"sku": "required"})
    if locked:
        # FOR NO KEY UPDATE, not FOR UPDATE: it still serialises receipts (the moving average),
        # but does not block the FOR KEY SHARE lock that PostgreSQL's foreign-key check takes
        # when a reservation or shipment writes its ledger row for this variant. FOR UPDATE
        # here deadlocked against them (receipt: variant → level; order: level → variant).
        variant = (
            Variant.objects.for_shop(shop)
            .select_for_update(no_key=True)
            .filter(sku=sku.strip())
            .first()
        )
        if variant is None:
            variant_by_sku(shop=shop, sku=sku)  # raises NotFound naming the SKU
    else:
        variant = variant_by_sku(shop=shop, sku=sku.strip())
    if variant.is_bundle:
        raise TaladError(
            _("%(sku)s เป็นสินค้าเซ็ต: สต๊อกอยู่ที่สินค้าในเซ็ต") % {"sku": sku}, fields={"sku": "is_bundle"}
        )
    return variant


def _check_quantity(value, field: str, *, allow_zero: bool = False) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TaladError(_("จำนวนต้องเป็นจำนวนเต็ม"), fields={field: "not_integer"})
    if value < 0 or (value == 0 and not allow_zero):
        raise TaladError(_("จำนวนต้องมากกว่าศูนย์"), fields={field: "not_positive"})
    if value > MAX_QUANTITY:
        raise TaladError(_("จำนวนมากเกินไป"), fields={field: "too_large"})


def _required_reason(reason) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise TaladError(_("ต้องระบุเหตุผลในการปรับสต๊อก"), fields={"reason": "required"})
    return reason.strip()


def _moving_average(old_cost: Decimal, held: int, unit_cost: Decimal, quantity: int) -> Decimal:
    total = old_cost * held + unit_cost * quantity
    return (total / (held + quantity)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
