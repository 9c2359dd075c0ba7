"""Every write to an order. `transition()` is the only door through which a status changes.

Each function is one business action in one transaction: the status, the stock, the
payment or shipment rows (through `order_action_applied`), and the history commit together
or not at all.
"""

from collections import Counter
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.catalog.models import Variant
from talad.dates import checked_moment
from talad.errors import NotFound, TaladError
from talad.inventory.services import default_warehouse, release_reservation, reserve_stock
from talad.money import parse_amount
from talad.orders import actions
from talad.orders.contacts import check_postcode, normalise_phone
from talad.orders.customers import find_or_create_customer, require_name
from talad.orders.errors import CodNotCollected, InvalidTransition
from talad.orders.models import (
    MARKETPLACES,
    Channel,
    Order,
    OrderLine,
    PaymentMethod,
    PaymentStatus,
    Status,
    StatusChange,
    StuckLimits,
)
from talad.orders.numbering import next_order_number
from talad.orders.pricing import line_total, order_totals
from talad.orders.signals import order_action_applied
from talad.orders.state_machine import ACTIONS, allowed_actions
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

MAX_LINES = 200


# --- Intake ------------------------------------------------------------------------------


def create_order(
    *,
    shop: Shop,
    by: Actor,
    channel: str,
    customer: dict,
    lines: list[dict],
    payment_method: str,
    shipping_fee=0,
    discount=0,
    note: str = "",
    tags: list[str] | None = None,
    external_id: str = "",
    ship_by: datetime | None = None,
) -> tuple[Order, bool]:
    """Open an order and reserve its stock. Returns (order, created).

    A repeated (channel, external_id) returns the order that already has it, unchanged.
    A marketplace order arrives paid by the platform: it goes straight on to `to_pack`."""
    require(by, "manage_orders")
    external_id = (external_id or "").strip()
    if external_id and (existing := _by_external_id(shop, channel, external_id)):
        return existing, False
    try:
        with transaction.atomic():
            order = _open_order(
                shop=shop,
                by=by,
                channel=channel,
                customer=customer,
                lines=lines,
                payment_method=payment_method,
                shipping_fee=shipping_fee,
                discount=discount,
                note=note,
                tags=tags or [],
                external_id=external_id,
                ship_by=ship_by,
            )
    except IntegrityError:
        # Lost a race for the same external id: the winner's order is the answer.
        if external_id and (existing := _by_external_id(shop, channel, external_id)):
            return existing, False
        raise
    return order, True


def _open_order(
    *,
    shop,
    by,
    channel,
    customer,
    lines,
    payment_method,
    shipping_fee,
    discount,
    note,
    tags,
    external_id,
    ship_by,
) -> Order:
    if channel not in Channel.values:
        raise TaladError(
            _("ไม่รู้จักช่องทางการขาย '%(c)s'") % {"c": channel}, fields={"channel": "invalid"}
        )
    if payment_method not in PaymentMethod.values:
        raise TaladError(_("ไม่รู้จักวิธีชำระเงิน"), fields={"payment_method": "invalid"})
    ship_by = checked_moment(ship_by, "ship_by") if ship_by else None
    contact = _contact(customer, cod=payment_method == PaymentMethod.COD)
    priced = _priced_lines(shop, lines)
    shipping_fee = parse_amount(shipping_fee or 0, "shipping_fee")
    discount = parse_amount(discount or 0, "discount")
    totals = order_totals(
        line_totals=[p["line_total"] for p in priced],
        shipping_fee=shipping_fee,
        discount=discount,
        vat_registered=shop.vat_registered,
        vat_rate=shop.vat_rate,
        prices_include_vat=shop.prices_include_vat,
    )
    buyer = find_or_create_customer(
        shop=shop, name=contact["name"], phone=contact["phone"], profile=contact
    )
    # Looked up before the order number is taken: from there to commit, every order of the
    # shop waits for this one (numbering.py), so reads that can happen earlier do.
    warehouse = default_warehouse(shop)
    now = timezone.now()
    order = Order.objects.create(
        shop=shop,
        number=next_order_number(shop),
        channel=channel,
        external_id=external_id,
        customer=buyer,
        customer_name=contact["name"],
        customer_phone=contact["phone"],
        customer_tax_id=contact.get("tax_id", ""),
        customer_branch_code=contact.get("branch_code", ""),
        **{
            k: contact.get(k, "")
            for k in ("address_line", "subdistrict", "district", "province", "postcode")
        },
        status=Status.PENDING,
        status_changed_at=now,
        payment_method=payment_method,
        subtotal=totals.subtotal,
        shipping_fee=shipping_fee,
        discount=discount,
        net_total=totals.net,
        vat_total=totals.vat,
        total=totals.total,
        vat_rate=shop.vat_rate if shop.vat_registered else 0,
        prices_include_vat=shop.prices_include_vat,
        note=(note or "")[:5000],
        tags=_tags(tags),
        ship_by=ship_by,
    )
    OrderLine.objects.bulk_create([OrderLine(shop=shop, order=order, **p) for p in priced])
    reserve_stock(
        shop=shop,
        lines=[(p["variant"], p["quantity"]) for p in priced],
        reference=f"order:{order.number}",
        by=by,
        warehouse=warehouse,
    )
    change = _record_change(order, from_status="", action="create", by=by, at=now)
    order_action_applied.send(
        sender=Order, order=order, action="create", data={}, by=by, change=change
    )
    if channel in MARKETPLACES or payment_method == PaymentMethod.MARKETPLACE:
        order = transition(
            order=order,
            action="pay",
            by=by,
            amount=order.total,
            method=PaymentMethod.MARKETPLACE,
            reference=external_id,
            note=_("ชำระผ่านแพลตฟอร์ม"),
        )
    return order


def _contact(customer: dict, *, cod: bool) -> dict:
    if not isinstance(customer, dict):
        raise TaladError(_("ต้องระบุข้อมูลลูกค้า"), fields={"customer": "required"})
    address = customer.get("address") or {}
    contact = {
        "name": require_name(customer.get("name")),
        "phone": normalise_phone(customer.get("phone"), field="customer.phone"),
        "email": _email(customer.get("email")),
        "line_id": (customer.get("line_id") or "").strip(),
        "social_name": (customer.get("social_name") or "").strip(),
        "tax_id": (customer.get("tax_id") or "").strip(),
        "branch_code": (customer.get("branch_code") or "").strip(),
        "address_line": (address.get("line") or "").strip()[:255],
        "subdistrict": (address.get("subdistrict") or "").strip()[:100],
        "district": (address.get("district") or "").strip()[:100],
        "province": (address.get("province") or "").strip()[:100],
        "postcode": check_postcode(address.get("postcode"), field="customer.address.postcode"),
    }
    if cod and not contact["phone"]:
        raise TaladError(
            _("ออเดอร์เก็บเงินปลายทางต้องมีเบอร์โทรลูกค้า"), fields={"customer.phone": "required_for_cod"}
        )
    return contact


def _email(value) -> str:
    email = (value or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise TaladError(_("อีเมลไม่ถูกต้อง"), fields={"customer.email": "invalid_email"}) from None
    return email


def _priced_lines(shop: Shop, lines: list[dict]) -> list[dict]:
    """Each line with its variant, a snapshot of SKU and name, and its total; errors name the line."""
    if not lines:
        raise TaladError(_("ออเดอร์ต้องมีสินค้าอย่างน้อยหนึ่งรายการ"), fields={"lines": "required"})
    if len(lines) > MAX_LINES:
        raise TaladError(_("สินค้าในออเดอร์มากเกินไป"), fields={"lines": "too_many"})
    skus = {line.get("sku") for line in lines if isinstance(line, dict)}
    variants = {
        v.sku: v
        for v in Variant.objects.for_shop(shop).select_related("product").filter(sku__in=skus)
    }
    priced = []
    for index, line in enumerate(lines):
        path = f"lines[{index}]"
        variant = variants.get(line.get("sku"))
        if variant is None or not variant.active:
            raise TaladError(
                _("ไม่พบสินค้า SKU '%(sku)s'") % {"sku": line.get("sku")},
                fields={f"{path}.sku": "unknown_sku"},
            )
        quantity = line.get("quantity")
        if (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not 1 <= quantity <= 100_000
        ):
            raise TaladError(_("จำนวนต้องเป็นจำนวนเต็มตั้งแต่ 1"), fields={f"{path}.quantity": "invalid"})
        price = line.get("unit_price")
        unit_price = variant.price if price is None else parse_amount(price, f"{path}.unit_price")
        line_discount = parse_amount(line.get("line_discount") or 0, f"{path}.line_discount")
        priced.append(
            {
                "variant": variant,
                "sku": variant.sku,
                "name": variant.display_name[:255],
                "quantity": quantity,
                "unit_price": unit_price,
                "line_discount": line_discount,
                "line_total": line_total(
                    unit_price=unit_price,
                    quantity=quantity,
                    line_discount=line_discount,
                    field=f"{path}.line_discount",
                ),
            }
        )
    return priced


def _tags(tags) -> list[str]:
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
        raise TaladError(_("แท็กต้องเป็นรายการข้อความ"), fields={"tags": "invalid"})
    return sorted({t.strip()[:40] for t in tags if t.strip()})[:20]


def _by_external_id(shop: Shop, channel: str, external_id: str) -> Order | None:
    return Order.objects.for_shop(shop).filter(channel=channel, external_id=external_id).first()


# --- The one door ------------------------------------------------------------------------


@transaction.atomic
def transition(*, order: Order, action: str, by: Actor, **data) -> Order:
    """Move `order` on by `action` (DESIGN.md §4), with every side effect, or refuse and change nothing.

    The order row is locked and re-read first, so two people (or a person and a courier
    webhook) acting on one order at once cannot both succeed from the same status."""
    require(by, actions.CAPABILITY.get(action, "manage_orders"))
    spec = ACTIONS.get(action)
    if spec is None:
        raise TaladError(_("ไม่รู้จักคำสั่ง '%(a)s'") % {"a": action}, fields={"action": "unknown"})
    order = _locked(order.shop, order.pk)
    if order.status not in spec.sources:
        raise InvalidTransition(order=order, action=action, allowed=allowed_actions(order.status))
    missing = [name for name in spec.required if data.get(name) in (None, "")]
    if missing:
        raise TaladError(
            _("ข้อมูลไม่ครบ: %(f)s") % {"f": ", ".join(missing)},
            fields={m: "required" for m in missing},
        )
    effects = actions.HANDLERS[action](order, data, by)
    from_status = order.status
    order.status = spec.target
    order.status_changed_at = timezone.now()
    order.save()
    change = _record_change(
        order,
        from_status=from_status,
        action=action,
        by=by,
        at=order.status_changed_at,
        note=effects.get("note", ""),
    )
    order_action_applied.send(
        sender=Order, order=order, action=action, data=effects, by=by, change=change
    )
    return order


def _locked(shop: Shop, order_id: int) -> Order:
    order = Order.objects.for_shop(shop).select_for_update(no_key=True).filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("ไม่พบออเดอร์"))
    return order


def _record_change(
    order: Order, *, from_status: str, action: str, by: Actor, at, note: str = ""
) -> StatusChange:
    return StatusChange.objects.create(
        shop_id=order.shop_id,
        order=order,
        from_status=from_status,
        to_status=order.status,
        action=action,
        at=at,
        user_id=by.user_id,
        actor=by.label[:80],
        note=str(note)[:500],
    )


# --- Money the carrier pays out -----------------------------------------------------------


@transaction.atomic
def record_cod_remittance(
    *, order: Order, by: Actor, amount, fee=0, vat_on_fee=0, reference: str = ""
) -> Order:
    """The carrier paid the seller an order's COD: payment_status `cod_collected` → `cod_remitted`.

    Payment status only (DESIGN.md §4): the order's status does not move, so this is not a
    state-machine action; the order is locked and checked the same way, and audited."""
    require(by, "reconcile_cod")
    amount = parse_amount(amount, "amount")
    fee = parse_amount(fee, "fee")
    vat_on_fee = parse_amount(vat_on_fee, "vat_on_fee")
    order = _locked(order.shop, order.pk)
    if order.payment_status != PaymentStatus.COD_COLLECTED:
        raise CodNotCollected(order=order)
    order.payment_status = PaymentStatus.COD_REMITTED
    order.save(update_fields=["payment_status", "updated_at"])
    record_audit(
        shop=order.shop,
        by=by,
        action="order.cod_remitted",
        obj=order,
        before={"payment_status": PaymentStatus.COD_COLLECTED},
        after={
            "payment_status": PaymentStatus.COD_REMITTED,
            "amount": f"{amount:.2f}",
            "fee": f"{fee:.2f}",
            "vat_on_fee": f"{vat_on_fee:.2f}",
            "net": f"{amount - fee - vat_on_fee:.2f}",
            "reference": str(reference)[:100],
        },
    )
    return order


# --- Changing an open order --------------------------------------------------------------


@transaction.atomic
def edit_order_lines(*, order: Order, lines: list[dict], by: Actor) -> Order:
    """Replace the lines of a `pending` or `to_pack` order; reservations follow, all or nothing."""
    require(by, "manage_orders")
    order = _locked(order.shop, order.pk)
    if order.status not in (Status.PENDING, Status.TO_PACK):
        raise InvalidTransition(
            order=order, action="edit_lines", allowed=allowed_actions(order.status)
        )
    shop = order.shop
    old = list(order.lines.select_related("variant"))
    priced = _priced_lines(shop, lines)
    totals = order_totals(
        line_totals=[p["line_total"] for p in priced],
        shipping_fee=order.shipping_fee,
        discount=order.discount,
        vat_registered=shop.vat_registered,
        vat_rate=shop.vat_rate,
        prices_include_vat=shop.prices_include_vat,
    )
    if order.payment_status == PaymentStatus.PAID and totals.total != order.total:
        raise TaladError(
            _("ออเดอร์ชำระเงินแล้ว: แก้รายการได้เมื่อยอดรวมเท่าเดิมเท่านั้น"),
            fields={"lines": "paid_total_changed"},
        )
    _move_reservations(order, old, priced, by)
    before = [
        {"sku": line.sku, "quantity": line.quantity, "unit_price": str(line.unit_price)}
        for line in old
    ]
    order.lines.all().delete()
    OrderLine.objects.bulk_create([OrderLine(shop=shop, order=order, **p) for p in priced])
    order.subtotal, order.net_total, order.vat_total, order.total = (
        totals.subtotal,
        totals.net,
        totals.vat,
        totals.total,
    )
    order.save()
    record_audit(
        shop=shop,
        by=by,
        action="order.edit_lines",
        obj=order,
        before={"lines": before},
        after={
            "lines": [
                {"sku": p["sku"], "quantity": p["quantity"], "unit_price": str(p["unit_price"])}
                for p in priced
            ]
        },
    )
    return order


def _move_reservations(order: Order, old: list[OrderLine], new: list[dict], by: Actor) -> None:
    """Reserve what the new lines need more of and release what they need less of."""
    before = Counter()
    after = Counter()
    variants = {}
    for line in old:
        before[line.variant_id] += line.quantity
        variants[line.variant_id] = line.variant
    for p in new:
        after[p["variant"].pk] += p["quantity"]
        variants[p["variant"].pk] = p["variant"]
    more = [(variants[v], after[v] - before[v]) for v in variants if after[v] > before[v]]
    less = [(variants[v], before[v] - after[v]) for v in variants if before[v] > after[v]]
    reference = f"order:{order.number}"
    if less:
        release_reservation(shop=order.shop, lines=less, reference=reference, by=by)
    if more:
        reserve_stock(shop=order.shop, lines=more, reference=reference, by=by)


# --- Many orders at once -----------------------------------------------------------------


def bulk_transition(
    *, shop: Shop, order_ids: list[int], action: str, by: Actor, data: dict | None = None
) -> list[dict]:
    """Apply one action to many orders, each in its own transaction; report each one."""
    results = []
    orders = {
        o.pk: o
        for o in Order.objects.for_shop(shop).filter(pk__in=order_ids).select_related("shop")
    }
    for order_id in dict.fromkeys(order_ids):
        order = orders.get(order_id)
        if order is None:
            results.append(
                {
                    "order_id": order_id,
                    "number": None,
                    "ok": False,
                    "error": {"code": "not_found", "message": _("ไม่พบออเดอร์")},
                }
            )
            continue
        try:
            moved = transition(order=order, action=action, by=by, **(data or {}))
        except TaladError as exc:
            results.append(
                {
                    "order_id": order_id,
                    "number": order.number,
                    "ok": False,
                    "error": {"code": exc.code, "message": exc.message, "fields": exc.fields},
                }
            )
        else:
            results.append(
                {"order_id": order_id, "number": moved.number, "ok": True, "status": moved.status}
            )
    return results


STUCK_FIELDS = (
    "pending_hours",
    "to_pack_hours",
    "to_ship_hours",
    "shipped_hours",
    "returning_hours",
    "cod_unremitted_hours",
)


@transaction.atomic
def set_stuck_limits(*, shop: Shop, hours: dict[str, int], by: Actor) -> StuckLimits:
    """How long an order may stay in each status before the monitor calls it stuck."""
    require(by, "manage_settings")
    limits = StuckLimits.objects.for_shop(shop).select_for_update().first() or StuckLimits(
        shop=shop
    )
    before = {f: getattr(limits, f) for f in STUCK_FIELDS}
    for field in STUCK_FIELDS:
        if field in hours:
            value = hours[field]
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 24 * 365:
                raise TaladError(_("ต้องเป็นจำนวนชั่วโมงตั้งแต่ 1 ถึง 8760"), fields={field: "invalid"})
            setattr(limits, field, value)
    limits.save()
    record_audit(
        shop=shop,
        by=by,
        action="stuck_limits.update",
        obj=limits,
        before=before,
        after={f: getattr(limits, f) for f in STUCK_FIELDS},
    )
    return limits
