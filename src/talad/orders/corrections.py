"""Correcting an order before it is packed: the recipient, the lines, the amounts, the payment
method. Sellers fix typos and changed minds every day; once a parcel is packed, or a tax
document names the order, the paper trail decides and a credit note corrects it instead.

One transaction: the order row locked, reservations moved by the difference, totals
recomputed as intake computes them, an audit row with before and after, and
`order_corrected` sent so the apps above can refuse (accounting: a documented order).
"""

from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.inventory.services import release_reservation, reserve_stock
from talad.orders.errors import NotCorrectable
from talad.orders.inputs import NewOrderLine, OrderCorrection, read
from talad.orders.models import Order, OrderLine, PaymentMethod, PaymentStatus, Status
from talad.orders.pricing import order_totals
from talad.orders.services import contact_of, lock_order, quote_order
from talad.orders.signals import order_corrected
from talad.shops.actors import Actor
from talad.shops.permissions import require
from talad.shops.services import record_audit

CORRECTABLE = frozenset({Status.PENDING, Status.TO_PACK})
RECIPIENT_FIELDS = (
    "customer_name",
    "customer_phone",
    "customer_tax_id",
    "customer_branch_code",
    "address_line",
    "subdistrict",
    "district",
    "province",
    "postcode",
)
AMOUNT_FIELDS = ("subtotal", "shipping_fee", "discount", "net_total", "vat_total", "total")


@transaction.atomic
def correct_order(*, order: Order, changes: OrderCorrection, by: Actor) -> Order:
    """Apply `changes` to an order that is not packed yet, all or nothing."""
    require(by, "manage_orders")
    order = lock_order(order.shop, order.pk)
    given = changes.model_fields_set
    _refuse_if_not_correctable(order)
    _refuse_origin_changes(order, changes, given)
    before = _snapshot(order)
    old_lines = list(order.lines.select_related("variant"))
    method = changes.payment_method if "payment_method" in given else order.payment_method
    if method != order.payment_method:
        _change_payment_method(order, method)
    if "customer" in given and changes.customer is not None:
        _set_recipient(order, changes.customer, cod=method == PaymentMethod.COD)
    elif method == PaymentMethod.COD and not order.customer_phone:
        raise TaladError(
            _("ออเดอร์เก็บเงินปลายทางต้องมีเบอร์โทรลูกค้า"), fields={"customer.phone": "required_for_cod"}
        )
    for field in ("shipping_fee", "discount", "note"):
        if field in given and getattr(changes, field) is not None:
            setattr(order, field, getattr(changes, field))
    if "tags" in given and changes.tags is not None:
        order.tags = sorted({t.strip() for t in changes.tags if t.strip()})
    if "ship_by" in given:
        order.ship_by = changes.ship_by  # null clears the deadline
    priced = None
    if "lines" in given and changes.lines is not None:
        priced, totals = quote_order(
            shop=order.shop,
            lines=changes.lines,
            shipping_fee=order.shipping_fee,
            discount=order.discount,
        )
    else:
        totals = order_totals(
            line_totals=[line.line_total for line in old_lines],
            shipping_fee=order.shipping_fee,
            discount=order.discount,
            vat_registered=order.shop.vat_registered,
            vat_rate=order.shop.vat_rate,
            prices_include_vat=order.shop.prices_include_vat,
        )
    if order.payment_status == PaymentStatus.PAID and totals.total != order.total:
        raise TaladError(
            _("ออเดอร์ชำระเงินแล้ว: แก้ได้เมื่อยอดรวมเท่าเดิมเท่านั้น (ยอดเดิม %(t)s)")
            % {"t": f"{order.total:,.2f}"},
            fields={"lines" if priced is not None else "total": "paid_total_changed"},
        )
    if priced is not None:
        _replace_lines(order, old_lines, priced, by)
    order.subtotal, order.net_total, order.vat_total, order.total = (
        totals.subtotal,
        totals.net,
        totals.vat,
        totals.total,
    )
    order.save()
    after = _snapshot(order)
    order_corrected.send(sender=Order, order=order, before=before, after=after, by=by)
    record_audit(
        shop=order.shop, by=by, action="order.correct", obj=order, before=before, after=after
    )
    return order


def replace_lines(*, order: Order, lines: list[NewOrderLine], by: Actor) -> Order:
    """Every line the order should have, nothing else changed (PUT /orders/{id}/lines)."""
    return correct_order(order=order, changes=read(OrderCorrection, {"lines": lines}), by=by)


def _refuse_if_not_correctable(order: Order) -> None:
    if order.status not in CORRECTABLE:
        raise NotCorrectable(
            order=order,
            reason=_("แพ็คแล้ว: แก้ไขออเดอร์ได้จนถึงก่อนแพ็คเท่านั้น")
            if order.status == Status.TO_SHIP
            else _("ออเดอร์อยู่ในสถานะ “%(s)s” จึงแก้ไขไม่ได้") % {"s": order.get_status_display()},
        )


def _refuse_origin_changes(order: Order, changes: OrderCorrection, given: set[str]) -> None:
    for field in ("channel", "external_id"):
        if field in given and getattr(changes, field) not in (None, getattr(order, field)):
            raise TaladError(
                _("ช่องทางการขายและเลขออเดอร์ของช่องทางแก้ไขไม่ได้"), fields={field: "not_editable"}
            )


def _change_payment_method(order: Order, method: str) -> None:
    """Only while nothing was paid or confirmed: after that the payment itself is the record."""
    if order.status != Status.PENDING or order.payment_status != PaymentStatus.UNPAID:
        raise TaladError(
            _("ชำระเงินหรือยืนยันเก็บเงินปลายทางแล้ว จึงเปลี่ยนวิธีชำระเงินไม่ได้"),
            fields={"payment_method": "already_settled"},
        )
    if method == PaymentMethod.MARKETPLACE:
        raise TaladError(
            _("วิธีชำระผ่านแพลตฟอร์มใช้ได้กับออเดอร์จากแพลตฟอร์มเท่านั้น"),
            fields={"payment_method": "invalid"},
        )
    order.payment_method = method


def _set_recipient(order: Order, recipient, *, cod: bool) -> None:
    contact = contact_of(recipient, cod=cod)
    order.customer_name = contact["name"]
    order.customer_phone = contact["phone"]
    order.customer_tax_id = contact["tax_id"]
    order.customer_branch_code = contact["branch_code"]
    for field in ("address_line", "subdistrict", "district", "province", "postcode"):
        setattr(order, field, contact[field])


def _replace_lines(order: Order, old: list[OrderLine], priced: list[dict], by: Actor) -> None:
    _move_reservations(order, old, priced, by)
    order.lines.all().delete()
    OrderLine.objects.bulk_create([OrderLine(shop=order.shop, order=order, **p) for p in priced])


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


def _snapshot(order: Order) -> dict:
    """What the audit row keeps of the order: the recipient, amounts, method and lines."""
    return {
        **{f: getattr(order, f) for f in RECIPIENT_FIELDS},
        **{f: f"{getattr(order, f):.2f}" for f in AMOUNT_FIELDS},
        "payment_method": order.payment_method,
        "note": order.note,
        "tags": list(order.tags),
        "ship_by": order.ship_by.isoformat() if order.ship_by else None,
        "lines": [
            {"sku": line.sku, "quantity": line.quantity, "unit_price": f"{line.unit_price:.2f}"}
            for line in order.lines.all()
        ],
    }
