"""Every write to an order. `transition()` is the only door through which a status changes.

Each function is one business action in one transaction: the status, the stock, the
payment or shipment rows (through `order_action_applied`), and the history commit together
or not at all.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.catalog.models import Variant
from talad.errors import Conflict, NotFound, TaladError
from talad.inventory.services import default_warehouse, reserve_stock
from talad.money import parse_amount
from talad.orders import actions
from talad.orders.contacts import check_buyer_tax_id, check_postcode, normalise_phone
from talad.orders.customers import find_or_create_customer, require_name
from talad.orders.effects import Created
from talad.orders.errors import CodNotCollected, InvalidTransition
from talad.orders.inputs import ACTION_INPUTS, NewOrder, NewOrderLine, Recipient, read
from talad.orders.labels import MARKETPLACE_PAID
from talad.orders.models import (
    MARKETPLACES,
    Order,
    OrderLine,
    PaymentMethod,
    PaymentStatus,
    Status,
    StatusChange,
    StuckLimits,
)
from talad.orders.numbering import next_order_number
from talad.orders.pricing import Totals, line_total, order_totals
from talad.orders.signals import order_action_applied
from talad.orders.state_machine import ACTIONS, allowed_actions
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

# --- Intake ------------------------------------------------------------------------------


def create_order(
    *,
    shop: Shop,
    by: Actor,
    order: NewOrder,
    awaiting_payment: bool = False,
    backorder: bool = False,
) -> tuple[Order, bool]:
    """Open an order and reserve its stock. Returns (order, created).

    A repeated (channel, external_id) returns the order that already has it, unchanged.
    A marketplace order arrives paid by the platform: it goes straight on to `to_pack`,
    unless `awaiting_payment` (an imported marketplace order its buyer has not paid yet
    stays `pending`). `backorder` is the seller's explicit "take it even if stock is short"
    (inventory.services.reserve_stock); without it a shortage refuses the order."""
    require(by, "manage_orders")
    new = order
    external_id = new.external_id.strip()
    if external_id and (existing := _by_external_id(shop, new.channel, external_id)):
        return existing, False
    try:
        with transaction.atomic():
            opened = _open_order(
                shop=shop,
                by=by,
                new=new,
                external_id=external_id,
                awaiting_payment=awaiting_payment,
                backorder=backorder,
            )
    except IntegrityError:
        # Lost a race for the same external id: the winner's order is the answer.
        if external_id and (existing := _by_external_id(shop, new.channel, external_id)):
            return existing, False
        raise
    return opened, True


def _open_order(
    *,
    shop: Shop,
    by: Actor,
    new: NewOrder,
    external_id: str,
    awaiting_payment: bool = False,
    backorder: bool = False,
) -> Order:
    contact = contact_of(new.customer, cod=new.payment_method == PaymentMethod.COD)
    priced, totals = quote_order(
        shop=shop, lines=new.lines, shipping_fee=new.shipping_fee, discount=new.discount
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
        channel=new.channel,
        external_id=external_id,
        customer=buyer,
        customer_name=contact["name"],
        customer_phone=contact["phone"],
        customer_tax_id=contact["tax_id"],
        customer_branch_code=contact["branch_code"],
        **{
            k: contact[k]
            for k in ("address_line", "subdistrict", "district", "province", "postcode")
        },
        status=Status.PENDING,
        status_changed_at=now,
        payment_method=new.payment_method,
        subtotal=totals.subtotal,
        shipping_fee=new.shipping_fee,
        discount=new.discount,
        net_total=totals.net,
        vat_total=totals.vat,
        total=totals.total,
        vat_rate=shop.vat_rate if shop.vat_registered else 0,
        prices_include_vat=shop.prices_include_vat,
        note=new.note,
        tags=sorted({t.strip() for t in new.tags if t.strip()}),
        ship_by=new.ship_by,
    )
    OrderLine.objects.bulk_create([OrderLine(shop=shop, order=order, **p) for p in priced])
    reserve_stock(
        shop=shop,
        lines=[(p["variant"], p["quantity"]) for p in priced],
        reference=f"order:{order.number}",
        by=by,
        warehouse=warehouse,
        backorder=backorder,
    )
    change = _record_change(order, from_status="", action="create", by=by, at=now)
    order_action_applied.send(
        sender=Order, order=order, action="create", effects=Created(), by=by, change=change
    )
    paid_by_platform = (
        new.channel in MARKETPLACES or new.payment_method == PaymentMethod.MARKETPLACE
    )
    if paid_by_platform and not awaiting_payment:
        order = transition(
            order=order,
            action="pay",
            by=by,
            amount=order.total,
            method=PaymentMethod.MARKETPLACE,
            reference=external_id,
            note=MARKETPLACE_PAID,  # stored in Thai, drawn in the reader's language
        )
    return order


def contact_of(customer: Recipient, *, cod: bool) -> dict:
    """The recipient as the order stores it: trimmed, phone normalised, postcode checked."""
    address = customer.address
    tax_id, branch_code = check_buyer_tax_id(customer.tax_id, customer.branch_code)
    contact = {
        "name": require_name(customer.name),
        "phone": normalise_phone(customer.phone, field="customer.phone"),
        "email": _email(customer.email),
        "line_id": customer.line_id.strip(),
        "social_name": customer.social_name.strip(),
        "tax_id": tax_id,
        "branch_code": branch_code,
        "address_line": address.line.strip(),
        "subdistrict": address.subdistrict.strip(),
        "district": address.district.strip(),
        "province": address.province.strip(),
        "postcode": check_postcode(address.postcode, field="customer.address.postcode"),
    }
    if cod and not contact["phone"]:
        raise TaladError(
            _("ออเดอร์เก็บเงินปลายทางต้องมีเบอร์โทรลูกค้า"), fields={"customer.phone": "required_for_cod"}
        )
    return contact


def _email(value: str) -> str:
    email = value.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise TaladError(_("อีเมลไม่ถูกต้อง"), fields={"customer.email": "invalid_email"}) from None
    return email


def quote_order(
    *, shop: Shop, lines: list[NewOrderLine], shipping_fee: Decimal, discount: Decimal
) -> tuple[list[dict], Totals]:
    """The priced lines and the totals an order of these lines would have, VAT included.

    Saving an order and the new-order page's preview both use this, so the preview never
    shows a total that saving would compute differently."""
    priced = _priced_lines(shop, lines)
    totals = order_totals(
        line_totals=[p["line_total"] for p in priced],
        shipping_fee=shipping_fee,
        discount=discount,
        vat_registered=shop.vat_registered,
        vat_rate=shop.vat_rate,
        prices_include_vat=shop.prices_include_vat,
    )
    return priced, totals


def _priced_lines(shop: Shop, lines: list[NewOrderLine]) -> list[dict]:
    """Each line with its variant, a snapshot of SKU and name, and its total; errors name the line."""
    variants = {
        v.sku: v
        for v in Variant.objects.for_shop(shop)
        .select_related("product")
        .filter(sku__in={line.sku for line in lines})
    }
    priced = []
    for index, line in enumerate(lines):
        path = f"lines[{index}]"
        variant = variants.get(line.sku)
        if variant is None or not variant.active:
            raise TaladError(
                _("ไม่พบสินค้า SKU '%(sku)s'") % {"sku": line.sku},
                fields={f"{path}.sku": "unknown_sku"},
            )
        unit_price = variant.price if line.unit_price is None else line.unit_price
        line_discount = line.line_discount or Decimal(0)
        priced.append(
            {
                "variant": variant,
                "sku": variant.sku,
                "name": variant.display_name[:255],
                "quantity": line.quantity,
                "unit_price": unit_price,
                "line_discount": line_discount,
                "line_total": line_total(
                    unit_price=unit_price,
                    quantity=line.quantity,
                    line_discount=line_discount,
                    field=f"{path}.line_discount",
                ),
            }
        )
    return priced


def _by_external_id(shop: Shop, channel: str, external_id: str) -> Order | None:
    return Order.objects.for_shop(shop).filter(channel=channel, external_id=external_id).first()


# --- The one door ------------------------------------------------------------------------


@transaction.atomic
def transition(*, order: Order, action: str, by: Actor, **data) -> Order:
    """Move `order` on by `action` (docs/design/orders.md), with every side effect, or refuse and
    change nothing.

    `data` is the action's input (orders.inputs, e.g. ShipInput: carrier, tracking_number):
    a field the action does not take is refused, not ignored. The order row is locked and
    re-read first, so two people (or a person and a courier webhook) acting on one order at
    once cannot both succeed from the same status."""
    require(by, actions.capability_for(action))
    spec = ACTIONS.get(action)
    if spec is None:
        raise TaladError(_("ไม่รู้จักคำสั่ง '%(a)s'") % {"a": action}, fields={"action": "unknown"})
    order = lock_order(order.shop, order.pk)
    if order.status not in spec.sources:
        raise InvalidTransition(order=order, action=action, allowed=allowed_actions(order.status))
    given = read(ACTION_INPUTS[action], data)
    effects = actions.HANDLERS[action](order, given, by)
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
        note=effects.note,
    )
    order_action_applied.send(
        sender=Order, order=order, action=action, effects=effects, by=by, change=change
    )
    return order


def lock_order(shop: Shop, order_id: int) -> Order:
    """The order row, locked for the rest of the transaction, re-read from the database.

    Every write that depends on an order's state takes this first (actions, line edits, COD
    remittance, packing, issuing documents), so they queue on one row instead of racing.
    Another shop's order is NotFound."""
    order = Order.objects.for_shop(shop).select_for_update(no_key=True).filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("ไม่พบออเดอร์"))
    order.shop = shop  # the caller's shop, not a second read of it
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

    Payment status only (docs/design/orders.md): the order's status does not move, so this is
    not a state-machine action; the order is locked and checked the same way, and audited."""
    require(by, "reconcile_cod")
    amount = parse_amount(amount, "amount")
    fee = parse_amount(fee, "fee")
    vat_on_fee = parse_amount(vat_on_fee, "vat_on_fee")
    order = lock_order(order.shop, order.pk)
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


# --- Money paid back to the customer -----------------------------------------------------


@transaction.atomic
def record_refund(*, order: Order, amount, by: Actor, reference: str = "") -> Order:
    """Money paid back against what the order owes its customer (`refund_owed`, set when a
    paid order is cancelled or returned): the debt falls, and payment_status becomes
    `refunded` when nothing is left, `partially_refunded` until then.

    Payment status only, like record_cod_remittance: the order's status does not move. The
    refund's Payment row and its journal entry are written by payments.refunds."""
    require(by, "refund_customers")
    amount = parse_amount(amount, "amount")
    order = lock_order(order.shop, order.pk)
    if amount <= 0:
        raise TaladError(_("ยอดคืนเงินต้องมากกว่าศูนย์"), fields={"amount": "not_positive"})
    if amount > order.refund_owed:
        raise Conflict(
            _("ออเดอร์ %(o)s ค้างคืนเงินลูกค้า %(d)s บาท") % {"o": order.number, "d": order.refund_owed},
            fields={"amount": "exceeds_refund_owed"},
            refund_owed=f"{order.refund_owed:.2f}",
        )
    before = {"refund_owed": f"{order.refund_owed:.2f}", "payment_status": order.payment_status}
    order.refund_owed -= amount
    order.payment_status = (
        PaymentStatus.REFUNDED if order.refund_owed == 0 else PaymentStatus.PARTIALLY_REFUNDED
    )
    order.save(update_fields=["refund_owed", "payment_status", "updated_at"])
    record_audit(
        shop=order.shop,
        by=by,
        action="order.refunded",
        obj=order,
        before=before,
        after={
            "refund_owed": f"{order.refund_owed:.2f}",
            "payment_status": order.payment_status,
            "amount": f"{amount:.2f}",
            "reference": str(reference)[:100],
        },
    )
    return order


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
