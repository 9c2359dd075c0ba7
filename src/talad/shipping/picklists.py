"""The warehouse's other paper: the pick list for a batch and a packing slip per order.

- Pick list (ใบหยิบสินค้า): what to take off the shelves for a batch of orders, one row per
  SKU with the quantity summed over the orders, sorted by SKU (shelves are usually labelled
  that way). Bundles are expanded into their components with inventory's own arithmetic
  (`stock_needs`), because a set is picked as its parts.
- Packing slip (ใบรายการสินค้า): one A4 page per order that goes into the box: the lines as
  sold, with a set's contents under it, the totals, and whether the courier collects money.
  Its Code 128 barcode is the order number, which the scan-to-pack screen reads.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from talad.catalog.models import BundleComponent, Variant
from talad.inventory.services import stock_needs
from talad.orders.models import Order
from talad.paper import ThaiPDF
from talad.shipping.labels import cod_amount, orders_to_print, printed_phone, thai_address
from talad.shops.models import Shop
from talad.thai_dates import be_date, be_datetime

A4_MARGIN = 15.0
ORDER_NUMBERS_SHOWN = 100  # on the pick list; a longer batch is counted, not listed


@dataclass(frozen=True)
class PickRow:
    sku: str
    name: str
    barcode: str
    quantity: int


@dataclass(frozen=True)
class PickList:
    rows: tuple[PickRow, ...]
    order_numbers: tuple[str, ...]
    bundles: tuple[tuple[str, int], ...]  # (bundle SKU, units sold) that were expanded

    @property
    def units(self) -> int:
        return sum(row.quantity for row in self.rows)


def pick_list(*, shop: Shop, orders: Sequence[Order]) -> PickList:
    """SKUs to pick for `orders` (their lines prefetched), summed and sorted by SKU."""
    sold = [(line.variant, line.quantity) for order in orders for line in order.lines.all()]
    needs = stock_needs(shop, sold)
    variants = Variant.objects.for_shop(shop).select_related("product").filter(pk__in=list(needs))
    rows = sorted(
        (PickRow(v.sku, v.display_name, v.barcode, needs[v.pk]) for v in variants),
        key=lambda row: row.sku,
    )
    bundles: dict[str, int] = {}
    for variant, quantity in sold:
        if variant.is_bundle:
            bundles[variant.sku] = bundles.get(variant.sku, 0) + quantity
    return PickList(
        rows=tuple(rows),
        order_numbers=tuple(order.number for order in orders),
        bundles=tuple(sorted(bundles.items())),
    )


def pick_list_pdf(pick: PickList, *, shop: Shop) -> bytes:
    pdf = _a4(_("ใบหยิบสินค้า"))
    pdf.add_page()
    pdf.set_font(style="B", size=18)
    pdf.paragraph(_("ใบหยิบสินค้า"))
    pdf.set_font(style="", size=10)
    pdf.paragraph(
        _("%(shop)s · พิมพ์เมื่อ %(when)s") % {"shop": shop.name, "when": be_datetime(timezone.now())}
    )
    pdf.set_font(style="B", size=12)
    pdf.paragraph(
        _("%(orders)s ออเดอร์ · %(skus)s รายการ · รวม %(units)s ชิ้น")
        % {
            "orders": f"{len(pick.order_numbers):,}",
            "skus": f"{len(pick.rows):,}",
            "units": f"{pick.units:,}",
        }
    )
    numbers = ", ".join(pick.order_numbers[:ORDER_NUMBERS_SHOWN])
    if len(pick.order_numbers) > ORDER_NUMBERS_SHOWN:
        numbers += " " + _("และอีก %(n)s ออเดอร์") % {
            "n": f"{len(pick.order_numbers) - ORDER_NUMBERS_SHOWN:,}"
        }
    pdf.set_font(style="", size=8)
    pdf.paragraph(numbers)
    pdf.ln(2)
    pdf.set_font(style="", size=11)
    with pdf.table(
        col_widths=(8, 32, 70, 34, 16, 20),
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "RIGHT", "CENTER"),
        line_height=pdf.font_size * 1.5,
        padding=(1, 1.5),
        v_align="MIDDLE",
    ) as table:
        head = table.row()
        for title in ("#", _("รหัสสินค้า (SKU)"), _("สินค้า"), _("บาร์โค้ด"), _("จำนวน"), _("หยิบแล้ว")):
            head.cell(title)
        for n, row in enumerate(pick.rows, 1):
            cells = table.row()
            cells.cell(str(n))
            cells.cell(row.sku)
            cells.cell(row.name)
            cells.cell(row.barcode)
            cells.cell(f"{row.quantity:,}")
            cells.cell("")  # the picker ticks this box
    if pick.bundles:
        pdf.ln(3)
        pdf.set_font(style="", size=9)
        sets = ", ".join(f"{sku} × {quantity:,}" for sku, quantity in pick.bundles)
        pdf.paragraph(_("สินค้าเซ็ตแยกเป็นสินค้าย่อยแล้ว: %(sets)s") % {"sets": sets})
    return pdf.to_bytes()


def packing_slips_pdf(*, shop: Shop, orders: Sequence[Order]) -> bytes:
    """One page per order, in the order given."""
    contents = _bundle_contents(shop, orders)
    pdf = _a4(_("ใบรายการสินค้า"))
    for order in orders:
        pdf.add_page()
        _packing_slip(pdf, shop, order, contents)
    return pdf.to_bytes()


def _bundle_contents(shop: Shop, orders: Sequence[Order]) -> dict[int, str]:
    """ "A × 2, B × 1" per bundle variant id among the orders' lines."""
    ids = {line.variant_id for o in orders for line in o.lines.all() if line.variant.is_bundle}
    if not ids:
        return {}
    parts: dict[int, list[str]] = {}
    components = (
        BundleComponent.objects.for_shop(shop)
        .filter(bundle_id__in=ids)
        .select_related("component")
        .order_by("component__sku")
    )
    for c in components:
        parts.setdefault(c.bundle_id, []).append(f"{c.component.sku} × {c.quantity}")
    return {bundle: ", ".join(items) for bundle, items in parts.items()}


def _packing_slip(pdf: ThaiPDF, shop: Shop, order: Order, contents: dict[int, str]) -> None:
    width = pdf.w - 2 * A4_MARGIN
    right_w = 70.0
    top = pdf.t_margin
    # The order number as Code 128, top right: scan-to-pack reads it.
    pdf.code128(order.number, pdf.w - A4_MARGIN - right_w, top, right_w, 12)
    pdf.set_xy(pdf.w - A4_MARGIN - right_w, top + 12.5)
    pdf.set_font(style="B", size=11)
    pdf.cell(right_w, 5, order.number, align="C")

    pdf.set_xy(A4_MARGIN, top)
    left_w = width - right_w - 5
    pdf.set_font(style="B", size=18)
    pdf.multi_cell(left_w, text=_("ใบรายการสินค้า"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(style="B", size=11)
    pdf.multi_cell(left_w, text=shop.name, new_x="LMARGIN", new_y="NEXT")
    if shop.address:
        pdf.set_font(style="", size=9)
        pdf.multi_cell(left_w, text=" ".join(shop.address.split()), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + 20) + 3)

    pdf.set_font(style="", size=10)
    facts = [
        (_("เลขที่ออเดอร์"), order.number),
        (_("วันที่"), be_date(order.created_at or timezone.now())),
        (_("ช่องทางการขาย"), str(order.get_channel_display())),
    ]
    if order.external_id:
        facts.append((_("เลขออเดอร์จากช่องทาง"), order.external_id))
    if order.tracking_number:
        facts.append((_("เลขพัสดุ"), order.tracking_number))
    pdf.paragraph("   ".join(f"{k}: {v}" for k, v in facts))
    pdf.ln(1)
    pdf.set_font(style="B", size=12)
    recipient = f"{_('ผู้รับ')}: {order.customer_name}"
    if order.customer_phone:
        recipient += f"  {_('โทร')} {printed_phone(order.customer_phone)}"
    pdf.paragraph(recipient)
    pdf.set_font(style="", size=11)
    pdf.paragraph(f"{thai_address(order)} {order.postcode}".strip())
    pdf.ln(3)

    pdf.set_font(style="", size=10)
    with pdf.table(
        col_widths=(8, 30, 77, 15, 25, 25),
        text_align=("RIGHT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
        line_height=pdf.font_size * 1.5,
        padding=(1, 1.5),
        v_align="MIDDLE",
    ) as table:
        head = table.row()
        for title in (
            "#",
            _("รหัสสินค้า (SKU)"),
            _("รายการ"),
            _("จำนวน"),
            _("ราคาต่อหน่วย"),
            _("จำนวนเงิน"),
        ):
            head.cell(title)
        for n, line in enumerate(order.lines.all(), 1):
            name = line.name
            if line.variant_id in contents:
                name += "\n" + _("ประกอบด้วย: %(items)s") % {"items": contents[line.variant_id]}
            cells = table.row()
            cells.cell(str(n))
            cells.cell(line.sku)
            cells.cell(name)
            cells.cell(f"{line.quantity:,}")
            cells.cell(f"{line.unit_price:,.2f}")
            cells.cell(f"{line.line_total:,.2f}")

    pdf.ln(2)
    sums = [(_("รวมเป็นเงิน"), order.subtotal)]
    if order.discount:
        sums.append((_("ส่วนลด"), -order.discount))
    if order.shipping_fee:
        sums.append((_("ค่าส่ง"), order.shipping_fee))
    sums.append((_("ยอดรวม"), order.total))
    for n, (title, amount) in enumerate(sums):
        last = n == len(sums) - 1
        pdf.set_font(style="B" if last else "", size=12 if last else 10)
        pdf.set_x(pdf.w - A4_MARGIN - 80)
        pdf.cell(50, pdf.font_size * 1.6, title, align="R")
        pdf.cell(
            30, pdf.font_size * 1.6, f"฿{amount:,.2f}", align="R", new_x="LMARGIN", new_y="NEXT"
        )

    pdf.ln(3)
    collect = cod_amount(order)
    pdf.set_font(style="B", size=14)
    if collect is not None:
        pdf.paragraph(_("เก็บเงินปลายทาง ฿%(amount)s") % {"amount": f"{collect:,.2f}"})
    else:
        pdf.paragraph(
            f"{_('ไม่เก็บเงินปลายทาง')} · {order.get_payment_status_display()}"
            f" ({order.get_payment_method_display()})"
        )
    if order.note.strip():
        pdf.set_font(style="", size=10)
        pdf.paragraph(f"{_('หมายเหตุ')}: {order.note.strip()}")
    pdf.ln(6)
    pdf.set_font(style="", size=10)
    pdf.paragraph(_("ตรวจนับโดย ____________________   วันที่ ______________"))


def _a4(title: str) -> ThaiPDF:
    pdf = ThaiPDF(font_size=11)
    pdf.set_margins(A4_MARGIN, A4_MARGIN, A4_MARGIN)
    pdf.set_auto_page_break(True, margin=A4_MARGIN)
    pdf.set_title(title)
    return pdf


def pick_list_document(*, shop: Shop, order_ids: Sequence[int]) -> bytes:
    orders = orders_to_print(shop=shop, order_ids=order_ids)
    return pick_list_pdf(pick_list(shop=shop, orders=orders), shop=shop)


def packing_slips_document(*, shop: Shop, order_ids: Sequence[int]) -> bytes:
    return packing_slips_pdf(shop=shop, orders=orders_to_print(shop=shop, order_ids=order_ids))
