"""Every change to stock. Each function is one business action in one transaction.

The rules that keep a seller from selling what they do not have:
- a reservation is one conditional UPDATE (`reserved + q` only WHERE `on_hand - reserved >= q`),
  never a read in Python followed by a write, so concurrent orders cannot both take the last unit;
- an action on several rows touches them in ascending StockLevel id, one order everywhere,
  so concurrent multi-SKU orders cannot deadlock;
- every change writes its StockMovement rows in the same transaction (ledger = levels);
- every change of on-hand or cost locks the variant first (FOR NO KEY UPDATE, ascending id)
  and reports what it did to the stock value, so the books follow the stock to the satang
  (manual changes through inventory.signals.stock_changed, order-driven ones as return values).
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
from talad.inventory.effects import StockAdjusted, StockReceived
from talad.inventory.errors import InsufficientStock, StockRuleBroken
from talad.inventory.models import (
    BACKORDER_REASON,
    MovementKind,
    PaidBy,
    Purchase,
    StockLevel,
    StockMovement,
    Supplier,
    Warehouse,
)
from talad.inventory.selectors import default_warehouse
from talad.inventory.signals import stock_changed
from talad.money import parse_amount
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

CENT = Decimal("0.01")


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
    paid_by: str = PaidBy.CREDIT,
    supplier: str = "",
    purchase_reference: str = "",
) -> StockLevel:
    """Goods in, with the purchase they came with: who sold them (optional), their delivery
    note or tax invoice number (optional), and how they were paid — in cash, from the bank,
    or on credit (the default: owed to the supplier until paid). Updates the variant's
    moving-average cost over all its warehouses; the books post the receipt."""
    require(by, "change_stock")
    _check_quantity(quantity, "quantity")
    unit_cost = parse_amount(unit_cost, "unit_cost")
    if paid_by not in PaidBy.values:
        raise TaladError(
            _("ชำระโดยต้องเป็นหนึ่งใน %(a)s") % {"a": ", ".join(PaidBy.values)},
            fields={"paid_by": "invalid"},
        )
    supplier = _text(supplier, "supplier", 200)
    purchase_reference = _text(purchase_reference, "purchase_reference", 100)
    warehouse = warehouse or default_warehouse(shop)
    variant = _plain_variant(shop, sku, locked=True)
    held = max(_held(shop, [variant.pk])[variant.pk], 0)
    value_before = stock_value(variant.cost, held)
    variant.cost = _moving_average(variant.cost, held, unit_cost, quantity)
    Variant.objects.for_shop(shop).filter(pk=variant.pk).update(cost=variant.cost)
    purchase = Purchase.objects.create(
        shop=shop,
        supplier=_supplier(shop, supplier),
        reference=purchase_reference,
        paid_by=paid_by,
        amount=stock_value(unit_cost, quantity),
        user_id=by.user_id,
        actor=by.label[:80],
    )
    level_id = _level_ids(shop, warehouse, [variant.pk])[variant.pk]
    StockLevel.objects.for_shop(shop).filter(pk=level_id).update(on_hand=F("on_hand") + quantity)
    _write_ledger(
        shop,
        warehouse,
        by,
        MovementKind.RECEIVE,
        [(variant, quantity, 0, 0)],
        reason=reason,
        reference=f"purchase:{purchase_reference or purchase.pk}",
        unit_cost=unit_cost,
        purchase=purchase,
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
            "paid_by": paid_by,
            "supplier": supplier,
            "purchase_reference": purchase_reference,
        },
    )
    stock_changed.send(
        sender=StockMovement,
        shop=shop,
        change=StockReceived(
            purchase_id=purchase.pk,
            sku=variant.sku,
            quantity=quantity,
            amount=purchase.amount,
            paid_by=paid_by,
            supplier=supplier,
            reference=purchase_reference,
            value_change=stock_value(variant.cost, held + quantity) - value_before,
        ),
        by=by,
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
    variant = _plain_variant(shop, sku, locked=True)
    held = _held(shop, [variant.pk])[variant.pk]
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
    (movement,) = _write_ledger(
        shop,
        warehouse,
        by,
        MovementKind.ADJUST,
        [(variant, quantity_delta, 0, 0)],
        reason=reason,
        cost_from_variant=True,
    )
    _announce_adjustment(shop, by, movement, held)
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
    variant = _plain_variant(shop, sku, locked=True)
    held = _held(shop, [variant.pk])[variant.pk]
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
    (movement,) = _write_ledger(
        shop,
        warehouse,
        by,
        MovementKind.COUNT,
        [(variant, difference, 0, 0)],
        reason=f"นับได้ {counted}",  # kept in the ledger in Thai, whatever the page language
        cost_from_variant=True,
    )
    if difference:
        _announce_adjustment(shop, by, movement, held)
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
    backorder: bool = False,
) -> None:
    """Hold stock for an order. All lines or none: a shortage raises InsufficientStock naming
    every short SKU, and the transaction is rolled back.

    `backorder=True` is the seller's explicit "take the order anyway" (a marketplace import):
    a short line is reserved past what is available, and its ledger row says so and by how
    many units (BACKORDER_REASON), so `talad doctor` and the stock page can tell a backorder
    from an oversell. Shipping still needs the units on the shelf."""
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
    if short and not backorder:
        raise InsufficientStock(_shortage_report(shop, level_ids, short))
    shortfalls = {}
    if short:
        shortfalls = {s["sku"]: s for s in _shortage_report(shop, level_ids, short)}
        for need in short:  # in the same ascending id order as above
            StockLevel.objects.for_shop(shop).filter(pk=level_ids[need.variant.pk]).update(
                reserved=F("reserved") + need.quantity
            )
    plain = [n for n in needs if n.variant.sku not in shortfalls]
    _write_ledger(
        shop,
        warehouse,
        by,
        MovementKind.RESERVE,
        [(n.variant, 0, n.quantity, 0) for n in plain],
        reference=reference,
    )
    for need in needs:
        if need.variant.sku in shortfalls:
            missing = need.quantity - shortfalls[need.variant.sku]["available"]
            _write_ledger(
                shop,
                warehouse,
                by,
                MovementKind.RESERVE,
                [(need.variant, 0, need.quantity, 0)],
                reason=f"{BACKORDER_REASON} {missing}",
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

    Returns the cost of the goods shipped, for the journal: what the stock value fell by at
    the moving-average cost (variants locked first, then levels)."""
    warehouse = warehouse or default_warehouse(shop)
    needs = _locked_needs(shop, _expand(shop, lines))
    held = _held(shop, [n.variant.pk for n in needs])
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
    return sum(
        (
            stock_value(n.variant.cost, held[n.variant.pk])
            - stock_value(n.variant.cost, held[n.variant.pk] - n.quantity)
            for n in needs
        ),
        Decimal("0.00"),
    )


@transaction.atomic
def return_stock(
    *,
    shop: Shop,
    lines: Iterable[tuple[Variant, int]],
    condition: str,
    reference: str,
    by: Actor,
    warehouse: Warehouse | None = None,
) -> Decimal:
    """Goods back from a customer: `sellable` to on-hand, `damaged` to the damaged count.

    Each unit comes back at the cost it left at (the reference's `ship` movement; the
    current cost if it never shipped). Returns, for the books: for `sellable`, what the stock
    value rose by (the units re-enter the moving average); for `damaged`, what those units
    cost when they left (they are counted but never sold, so they carry no value)."""
    if condition not in ("sellable", "damaged"):
        raise TaladError(_("สภาพสินค้าต้องเป็น sellable หรือ damaged"), fields={"condition": "invalid"})
    warehouse = warehouse or default_warehouse(shop)
    sellable = condition == "sellable"
    needs = _expand(shop, lines)
    if sellable:
        needs = _locked_needs(shop, needs)
    left_at = _shipped_costs(shop, reference)
    costs = {n.variant.pk: left_at.get(n.variant.pk, n.variant.cost) for n in needs}
    value = Decimal("0.00")
    if sellable:
        held = _held(shop, [n.variant.pk for n in needs])
        for need in needs:
            variant, h = need.variant, max(held[need.variant.pk], 0)
            before = stock_value(variant.cost, h)
            variant.cost = _moving_average(variant.cost, h, costs[variant.pk], need.quantity)
            Variant.objects.for_shop(shop).filter(pk=variant.pk).update(cost=variant.cost)
            value += stock_value(variant.cost, h + need.quantity) - before
    else:
        value = sum((stock_value(costs[n.variant.pk], n.quantity) for n in needs), value)
    column = "on_hand" if sellable else "damaged"
    level_ids = _level_ids(shop, warehouse, [n.variant.pk for n in needs])
    for need in sorted(needs, key=lambda n: level_ids[n.variant.pk]):
        StockLevel.objects.for_shop(shop).filter(pk=level_ids[need.variant.pk]).update(
            **{column: F(column) + need.quantity}
        )
    kind = MovementKind.RETURN if sellable else MovementKind.DAMAGE
    deltas = [
        (n.variant, n.quantity, 0, 0) if sellable else (n.variant, 0, 0, n.quantity) for n in needs
    ]
    _write_ledger(shop, warehouse, by, kind, deltas, reference=reference, unit_costs=costs)
    return value


# --- Stock value ---------------------------------------------------------------------------


def stock_value(cost: Decimal, units: int) -> Decimal:
    """What `units` are worth at `cost`, to the satang (half up). The books keep the inventory
    account at the sum of this over a shop's variants (on hand, all warehouses)."""
    return (cost * units).quantize(CENT, ROUND_HALF_UP)


def _held(shop: Shop, variant_ids: list[int]) -> dict[int, int]:
    """Units on hand per variant over all warehouses (0 for a variant never stocked)."""
    rows = (
        StockLevel.objects.for_shop(shop)
        .filter(variant_id__in=variant_ids)
        .order_by()
        .values("variant_id")
        .annotate(n=Sum("on_hand"))
    )
    found = {row["variant_id"]: row["n"] or 0 for row in rows}
    return {pk: found.get(pk, 0) for pk in variant_ids}


def _locked_needs(shop: Shop, needs: list[_Need]) -> list[_Need]:
    """The needs with their variants locked and re-read, in ascending variant id.

    FOR NO KEY UPDATE, as receipts take it (see _plain_variant): a variant's on-hand total
    and cost then cannot move under a change that values them. Order: variant → level."""
    ids = sorted(n.variant.pk for n in needs)
    locked = Variant.objects.for_shop(shop).select_for_update(no_key=True).filter(pk__in=ids)
    fresh = {v.pk: v for v in locked.order_by("pk")}
    return [
        _Need(fresh[n.variant.pk], n.quantity) for n in sorted(needs, key=lambda n: n.variant.pk)
    ]


def _shipped_costs(shop: Shop, reference: str) -> dict[int, Decimal]:
    """The unit cost each variant left at under this reference (its latest `ship` movement)."""
    rows = (
        StockMovement.objects.for_shop(shop)
        .filter(reference=reference[:80], kind=MovementKind.SHIP, unit_cost__isnull=False)
        .order_by("id")
        .values_list("variant_id", "unit_cost")
    )
    return dict(rows)


def _announce_adjustment(shop: Shop, by: Actor, movement: StockMovement, held: int) -> None:
    """Tell the books what an adjustment or a count did to the stock value."""
    variant, delta = movement.variant, movement.on_hand_delta
    stock_changed.send(
        sender=StockMovement,
        shop=shop,
        change=StockAdjusted(
            movement_id=movement.pk,
            kind=movement.kind,
            sku=variant.sku,
            quantity_change=delta,
            value_change=stock_value(variant.cost, held + delta) - stock_value(variant.cost, held),
            reason=movement.reason,
        ),
        by=by,
    )


def _supplier(shop: Shop, name: str) -> Supplier | None:
    """The shop's supplier of this name, made the first time it is named (race-safe)."""
    if not name:
        return None
    Supplier.objects.bulk_create([Supplier(shop=shop, name=name)], ignore_conflicts=True)
    return Supplier.objects.for_shop(shop).get(name=name)


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
    unit_costs: dict[int, Decimal] | None = None,
    purchase: Purchase | None = None,
) -> list[StockMovement]:
    """The ledger rows of one change, stamped with a unit cost: one given, the variant's own
    (`cost_from_variant`), or one per variant (`unit_costs`)."""

    def cost_of(variant):
        if unit_costs is not None:
            return unit_costs[variant.pk]
        return variant.cost if cost_from_variant else unit_cost

    return StockMovement.objects.bulk_create(
        [
            StockMovement(
                shop=shop,
                warehouse=warehouse,
                variant=variant,
                kind=kind,
                on_hand_delta=on_hand,
                reserved_delta=reserved,
                damaged_delta=damaged,
                unit_cost=cost_of(variant),
                reason=reason[:255],
                reference=reference[:80],
                purchase=purchase,
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


def _text(value, field: str, limit: int) -> str:
    """An optional free-text field: trimmed, at most `limit` characters."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TaladError(_("ต้องเป็นข้อความ"), fields={field: "invalid"})
    value = value.strip()
    if len(value) > limit:
        raise TaladError(_("ยาวได้ไม่เกิน %(n)s ตัวอักษร") % {"n": limit}, fields={field: "too_long"})
    return value


def _required_reason(reason) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise TaladError(_("ต้องระบุเหตุผลในการปรับสต๊อก"), fields={"reason": "required"})
    return reason.strip()


def _moving_average(old_cost: Decimal, held: int, unit_cost: Decimal, quantity: int) -> Decimal:
    total = old_cost * held + unit_cost * quantity
    return (total / (held + quantity)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
