"""Shipping labels (ใบปะหน้าพัสดุ): 100 × 150 mm for thermal printers, or four to an A4 sheet.

A label is built in two steps: `label_for(order)` reads everything it shows into a plain
`Label` (no database access after that), and `draw_label()` puts one on a page inside a
fixed 100 × 148.5 mm box, so the same drawing fits a 100 × 150 roll and a quarter of A4
(105 × 148.5 mm, the usual 4-up label sheet). Every block has a fixed height budget: long
Thai names and addresses wrap at syllables (paper/linebreak.py) and, past their last line,
end in "…" instead of running into the next block or off the label.

What a courier needs most is largest: the recipient, the postcode and whether to collect
money. COD is white on black ("เก็บเงินปลายทาง ฿1,070.00") so it cannot be missed; a
non-COD parcel says "ไม่เก็บเงินปลายทาง" in a box, so a blank is never mistaken for either.
"""

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import segno
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf.enums import TextDirection

from talad.errors import NotFound, TaladError
from talad.orders.models import Order, OrderLine, PaymentMethod, PaymentStatus
from talad.paper import ThaiPDF
from talad.paper.pdf import QR_QUIET_MODULES, _runs
from talad.shipping.registry import carriers_for
from talad.shops.models import Shop
from talad.thai_dates import be_date

MAX_PRINT_ORDERS = 1000  # per PDF: a busy morning, still well under a minute to draw
LAYOUTS = ("label", "a4")

LABEL_W, LABEL_H = 100.0, 150.0
BOX_H = 148.5  # a quarter of A4 is 148.5 mm high; the 100 × 150 label keeps 1.5 mm spare
A4_W, A4_H = 210.0, 297.0
PAD = 3.0
INNER = LABEL_W - 2 * PAD
ELLIPSIS = "…"
LINE = 1.25  # line height as a multiple of the font size: enough for Thai marks, compact
PT = 25.4 / 72  # millimetres per point
WRAP_CHARS = 160  # more than one label line can hold at the smallest size used
# Bands of the label, in mm from the top of its box.
SENDER_TOP = PAD
RECIPIENT_TOP = 20.5
COD_TOP, COD_H = 70.0, 17.0
BARCODE_TOP, BARCODE_H = 90.0, 15.0
INFO_TOP = 114.0
POSTCODE_W, POSTCODE_H = 34.0, 12.0
ADDRESS_SIZES = (11.0, 10.0, 9.0, 8.0)
QR_SIZE = 24.0
ITEM_PT, ITEM_LINE = 8.0, 1.4
BANGKOK_NAMES = ("กรุงเทพ", "กทม", "bangkok")


@dataclass(frozen=True)
class LabelItem:
    sku: str
    name: str
    quantity: int


@dataclass(frozen=True)
class Label:
    order_number: str
    ordered_on: datetime
    sender_name: str
    sender_address: str
    sender_phone: str
    recipient_name: str
    recipient_phone: str
    recipient_address: str  # everything but the postcode, which is printed on its own
    postcode: str
    cod_amount: Decimal | None  # None: the carrier collects nothing
    barcode: str  # the tracking number, or the order number before there is one
    tracking_number: str
    carrier_name: str
    items: tuple[LabelItem, ...]

    @property
    def piece_count(self) -> int:
        return sum(item.quantity for item in self.items)


# --- Reading orders ------------------------------------------------------------------------


def parse_order_ids(raw: str | Sequence) -> list[int]:
    """ "1,2,3" (or a list of such strings) as ids in the order given, each once.

    Refuses an empty list, anything that is not a positive id, and more than
    MAX_PRINT_ORDERS ids (one PDF must stay printable and quick)."""
    parts = [raw] if isinstance(raw, str) else list(raw)
    tokens = [t.strip() for part in parts for t in str(part).split(",") if t.strip()]
    if not tokens:
        raise TaladError(_("เลือกออเดอร์ก่อน"), fields={"order_ids": "required"})
    if len(tokens) > MAX_PRINT_ORDERS:
        raise TaladError(
            _("พิมพ์ได้ครั้งละไม่เกิน %(n)s ออเดอร์") % {"n": f"{MAX_PRINT_ORDERS:,}"},
            fields={"order_ids": "too_many"},
        )
    ids: dict[int, None] = {}
    for token in tokens:
        # Length first: int() of a 20,000-digit token raises ValueError (it was a 500).
        digits = token.isascii() and token.isdigit() and len(token) <= 19
        if not digits or not 0 < int(token) < 2**63:
            raise TaladError(_("เลขออเดอร์ไม่ถูกต้อง"), fields={"order_ids": "invalid"})
        ids[int(token)] = None
    return list(ids)


def orders_to_print(*, shop: Shop, order_ids: Sequence[int]) -> list[Order]:
    """The shop's orders with their lines, in the order of `order_ids`.

    One id that is not this shop's order refuses the whole batch (404): printing another
    shop's customer on a label must be impossible, and a silently shorter batch would be
    missed on a busy morning."""
    lines = OrderLine.objects.for_shop(shop).select_related("variant__product").order_by("id")
    found = {
        order.pk: order
        for order in Order.objects.for_shop(shop)
        .filter(pk__in=list(order_ids))
        .prefetch_related(Prefetch("lines", queryset=lines))
    }
    if len(found) != len(set(order_ids)):
        raise NotFound(_("ไม่พบออเดอร์"))
    return [found[pk] for pk in order_ids]


def thai_address(order) -> str:
    """The address line and area as a Thai envelope writes them, without the postcode:
    Bangkok's แขวง/เขต, elsewhere ต./อ./จ. (a part that already has its prefix keeps it)."""
    bangkok = any(name in order.province.casefold() for name in BANGKOK_NAMES)
    parts = [
        order.address_line.strip(),
        _prefixed(order.subdistrict, "แขวง" if bangkok else "ต.", ("แขวง", "ต.", "ตำบล")),
        _prefixed(order.district, "เขต" if bangkok else "อ.", ("เขต", "อ.", "อำเภอ")),
        order.province.strip() if bangkok else _prefixed(order.province, "จ.", ("จ.", "จังหวัด")),
    ]
    return " ".join(p for p in parts if p)


def _prefixed(value: str, prefix: str, known: tuple[str, ...]) -> str:
    value = value.strip()
    if not value or value.startswith(known):
        return value
    return f"{prefix}{value}"


def cod_amount(order: Order) -> Decimal | None:
    """What the carrier collects: the order total on an unpaid COD order, else nothing."""
    if order.payment_method == PaymentMethod.COD and order.payment_status in (
        PaymentStatus.UNPAID,
        PaymentStatus.COD_PENDING,
    ):
        return order.total
    return None


def label_for(order: Order, *, shop: Shop, carrier_names: dict[str, str] | None = None) -> Label:
    lines = list(order.lines.all())
    names = carrier_names or {}
    return Label(
        order_number=order.number,
        ordered_on=order.created_at or timezone.now(),
        sender_name=shop.name,
        sender_address=" ".join(shop.address.split()),
        sender_phone=getattr(shop, "phone", "") or "",
        recipient_name=order.customer_name,
        recipient_phone=printed_phone(order.customer_phone),
        recipient_address=thai_address(order),
        postcode=order.postcode,
        cod_amount=cod_amount(order),
        barcode=order.tracking_number if _code128_safe(order.tracking_number) else order.number,
        tracking_number=order.tracking_number,
        carrier_name=names.get(order.carrier, order.carrier),
        items=tuple(LabelItem(li.sku, li.name, li.quantity) for li in lines),
    )


def printed_phone(digits: str) -> str:
    """0812345678 → 081-234-5678, 021234567 → 02-123-4567 (how people read them aloud)."""
    if len(digits) == 10 and digits.isdigit():
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 9 and digits.isdigit():
        return f"{digits[:2]}-{digits[2:5]}-{digits[5:]}"
    return digits


def _code128_safe(text: str) -> bool:
    return bool(text) and all(32 <= ord(ch) < 127 for ch in text)


def labels_for(*, shop: Shop, orders: Sequence[Order]) -> list[Label]:
    # A label is read by a Thai courier and the buyer: carriers by their Thai names, whatever
    # language the seller's session speaks.
    names = {code: carrier.name_th for code, carrier in carriers_for(shop).items()}
    return [label_for(order, shop=shop, carrier_names=names) for order in orders]


# --- Drawing -------------------------------------------------------------------------------


def labels_pdf(labels: Sequence[Label], *, layout: str = "label") -> bytes:
    """One PDF: a 100 × 150 mm page per label, or (`a4`) four labels to an A4 page."""
    if layout not in LAYOUTS:
        raise TaladError(_("รูปแบบการพิมพ์ไม่ถูกต้อง"), fields={"layout": "invalid"})
    if layout == "a4":
        pdf = _document("A4")
        for n, label in enumerate(labels):
            if n % 4 == 0:
                pdf.add_page()
                _cut_lines(pdf)
            column, row = n % 2, (n // 2) % 2
            quarter_w = A4_W / 2
            draw_label(pdf, label, column * quarter_w + (quarter_w - LABEL_W) / 2, row * BOX_H)
    else:
        pdf = _document((LABEL_W, LABEL_H))
        for label in labels:
            pdf.add_page()
            draw_label(pdf, label, 0, 0)
    pdf.set_title(_("ใบปะหน้าพัสดุ"))
    return pdf.to_bytes()


class LabelPDF(ThaiPDF):
    """ThaiPDF minus fpdf2's bidirectional-text pass for text that is plainly left to right.

    fpdf2 runs the Unicode bidi algorithm on every cell once shaping is on; for Thai, Latin
    and digits it always finds one left-to-right run, and on a label (twenty short cells)
    it was a quarter of the drawing time. Text with any right-to-left or explicit
    direction character still takes fpdf2's own path."""

    def _preload_bidirectional_text(self, text, markdown):
        if not self.text_shaping or markdown or not _plainly_ltr(text):
            return super()._preload_bidirectional_text(text, markdown)
        self.text_shaping["paragraph_direction"] = TextDirection.LTR
        self.text_shaping["fragment_direction"] = TextDirection.LTR
        emphasis = (
            "B" in self.font_style,
            "I" in self.font_style,
            self.strikethrough,
            self.underline,
        )
        return tuple(self._preload_font_styles(text, markdown, _initial_emphasis=emphasis))

    def qr(self, data: str, x: float, y: float, size: float, *, error: str = "m") -> None:
        """ThaiPDF.qr with QR mask 0 fixed: segno otherwise scores all eight masks to pick the
        one with the fewest look-alike patterns, a sixth of a label's time; any mask scans."""
        matrix = segno.make_qr(data, error=error, mask=0, boost_error=False).matrix
        module = size / (len(matrix) + 2 * QR_QUIET_MODULES)
        origin_x, origin_y = x + QR_QUIET_MODULES * module, y + QR_QUIET_MODULES * module
        for row, cells in enumerate(matrix):
            bits = "".join("1" if cell else "0" for cell in cells)
            for first, length in _runs(bits):
                self.rect(
                    origin_x + first * module, origin_y + row * module, length * module, module, "F"
                )


# Bidi classes that resolve to left-to-right in a left-to-right paragraph with no R/AL/AN.
_LTR_CLASSES = frozenset({"L", "EN", "ES", "ET", "CS", "NSM", "BN", "WS", "ON"})


def _plainly_ltr(text: str) -> bool:
    return all(unicodedata.bidirectional(ch) in _LTR_CLASSES for ch in text)


def _document(page_format) -> ThaiPDF:
    pdf = LabelPDF(format=page_format)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    return pdf


def _cut_lines(pdf: ThaiPDF) -> None:
    pdf.set_draw_color(170)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=2)
    pdf.line(A4_W / 2, 0, A4_W / 2, A4_H)
    pdf.line(0, BOX_H, A4_W, BOX_H)
    pdf.set_dash_pattern()
    pdf.set_draw_color(0)


def draw_label(pdf: ThaiPDF, label: Label, x: float, y: float) -> None:
    """One label in the 100 × 148.5 mm box whose top left corner is (x, y).

    Blocks from the top, each in a fixed band (the *_TOP constants, mm from the box's top):
    sender, recipient with the postcode boxed, COD, barcode, and the order with its QR."""
    left, right = x + PAD, x + LABEL_W - PAD
    pdf.set_text_color(0)
    pdf.set_fill_color(0)
    pdf.set_draw_color(0)

    # Sender: small, at the top, as carriers print it.
    yy = _text(pdf, left, y + SENDER_TOP, [INNER], f"{_('ผู้ส่ง')}: {label.sender_name}", 9, "B")
    sender = label.sender_address
    if label.sender_phone:
        sender = f"{sender} {_('โทร')} {label.sender_phone}".strip()
    _text(pdf, left, yy + 0.3, [INNER] * 3, sender, 7.5)
    _rule(pdf, left, right, y + RECIPIENT_TOP - 1.5)

    # Recipient: name, phone and the full address large; the postcode larger, boxed in the
    # corner, with the address flowing beside it when it is long.
    yy = _text(pdf, left, y + RECIPIENT_TOP, [INNER], _("ผู้รับ"), 8, "B") + 0.5
    yy = _shrunk_text(
        pdf, left, yy, lambda size: [INNER] * 2, label.recipient_name, (15, 13, 11), "B"
    )
    if label.recipient_phone:
        yy = _text(pdf, left, yy, [INNER], f"{_('โทร')} {label.recipient_phone}", 13, "B")
    bottom = y + COD_TOP - 2.5
    postcode_top = bottom - POSTCODE_H

    def address_rows(size: float) -> list[float]:
        """Full width above the postcode box, narrower beside it, down to the band's end."""
        line_h, rows, row_top = size * PT * LINE, [], yy
        while row_top + line_h <= bottom:
            beside_box = label.postcode and row_top + line_h > postcode_top
            rows.append(INNER - POSTCODE_W - 2 if beside_box else INNER)
            row_top += line_h
        return rows or [INNER]

    _shrunk_text(pdf, left, yy, address_rows, label.recipient_address, ADDRESS_SIZES)
    if label.postcode:
        pdf.set_line_width(0.6)
        pdf.rect(right - POSTCODE_W, postcode_top, POSTCODE_W, POSTCODE_H)
        _text(
            pdf,
            right - POSTCODE_W,
            postcode_top + 0.6,
            [POSTCODE_W],
            label.postcode,
            24,
            "B",
            align="C",
        )
    _rule(pdf, left, right, y + COD_TOP - 1.5)

    # Cash on delivery, white on black; or, boxed, that there is none.
    top = y + COD_TOP
    if label.cod_amount is not None:
        pdf.rect(left, top, INNER, COD_H, style="F")
        pdf.set_text_color(255)
        _text(pdf, left + 2, top + 1.2, [42], _("เก็บเงินปลายทาง"), 13, "B")
        _text(pdf, left + 2, top + 9.5, [42], "COD", 10, "B")
        amount = f"฿{label.cod_amount:,.2f}"
        width = INNER - 48
        size = _fit_size(pdf, amount, width, 26, "B")
        middle = top + (COD_H - size * PT * LINE) / 2
        _text(pdf, right - 2 - width, middle, [width], amount, size, "B", align="R")
        pdf.set_text_color(0)
    else:
        pdf.set_line_width(0.6)
        pdf.rect(left, top, INNER, COD_H)
        _text(pdf, left, top + 3.5, [INNER], _("ไม่เก็บเงินปลายทาง"), 16, "B", align="C")
    _rule(pdf, left, right, y + BARCODE_TOP - 1.5)

    # The barcode a depot's scanner (or our scan-to-pack screen) reads.
    pdf.code128(label.barcode, left, y + BARCODE_TOP, INNER, BARCODE_H)
    if label.tracking_number:
        caption = f"{label.carrier_name}  {label.barcode}".strip()
    else:
        caption = f"{_('เลขที่ออเดอร์')} {label.barcode}"
    _text(pdf, left, y + BARCODE_TOP + BARCODE_H + 0.5, [INNER], caption, 10, "B", align="C")
    _rule(pdf, left, right, y + INFO_TOP - 1.5)

    # The order: a QR of its number, the number, the date and what is in the box.
    top = y + INFO_TOP
    pdf.qr(label.order_number, left - 1.5, top - 1, QR_SIZE)
    column = left + QR_SIZE - 1
    width = right - column
    yy = _text(pdf, column, top, [width], label.order_number, 11, "B")
    when = be_date(label.ordered_on, short=True)
    pieces = _("%(n)s ชิ้น") % {"n": f"{label.piece_count:,}"}
    yy = _text(pdf, column, yy, [width], f"{when} · {pieces}", 8)
    _items(pdf, label, column, yy + 0.5, width, y + BOX_H - PAD)


def _items(pdf: ThaiPDF, label: Label, x: float, y: float, w: float, limit: float) -> None:
    """One line per item, "2 × SKU name" cut to the width; what does not fit is counted."""
    line_h = ITEM_PT * PT * ITEM_LINE
    room = max(int((limit - y) // line_h), 1)
    items = label.items
    shown = items if len(items) <= room else items[: room - 1]
    for item in shown:
        text = f"{item.quantity:,} × {item.sku} {item.name}"
        y = _text(pdf, x, y, [w], text, ITEM_PT, line=ITEM_LINE)
    if len(shown) < len(items):
        rest = items[len(shown) :]
        more = _("และอีก %(n)s รายการ (%(q)s ชิ้น)") % {
            "n": f"{len(rest):,}",
            "q": f"{sum(i.quantity for i in rest):,}",
        }
        _text(pdf, x, y, [w], more, ITEM_PT, "B", line=ITEM_LINE)


def _rule(pdf: ThaiPDF, left: float, right: float, y: float) -> None:
    pdf.set_line_width(0.3)
    pdf.line(left, y, right, y)


def _fit_size(pdf: ThaiPDF, text: str, width: float, size: float, style: str = "") -> float:
    """The largest size up to `size` at which `text` fits `width` on one line."""
    pdf.set_font(style=style, size=size)
    wide = pdf.get_string_width(text)
    return size if wide <= width else max(size * width / wide * 0.97, 6.0)


def _text(
    pdf: ThaiPDF,
    x: float,
    y: float,
    rows: Sequence[float],
    text: str,
    size: float,
    style: str = "",
    *,
    align: str = "L",
    line: float = LINE,
) -> float:
    """`text` from (x, y), one line per entry of `rows` (its width) at most; when the text is
    longer, the last line ends in "…". Returns the y below the last line drawn."""
    pdf.set_font(style=style, size=size)
    lines, _complete = _lines(pdf, rows, text)
    line_h = size * PT * line
    for text_line in lines:
        pdf.set_xy(x, y)
        pdf.cell(rows[0], line_h, text_line, align=align)
        y += line_h
    return y


def _shrunk_text(
    pdf: ThaiPDF,
    x: float,
    y: float,
    rows_at: Callable[[float], Sequence[float]],
    text: str,
    sizes: Sequence[float],
    style: str = "",
) -> float:
    """Like `_text` at the first of `sizes` (largest first) at which all of `text` fits the
    rows `rows_at(size)` gives; at the smallest size, cut with "…" if it still does not."""
    for size in sizes:
        pdf.set_font(style=style, size=size)
        rows = rows_at(size)
        lines, complete = _lines(pdf, rows, text)
        if complete or size == sizes[-1]:
            line_h = size * PT * LINE
            for text_line, width in zip(lines, rows, strict=False):
                pdf.set_xy(x, y)
                pdf.cell(width, line_h, text_line)
                y += line_h
            return y
    return y


def _lines(pdf: ThaiPDF, rows: Sequence[float], text: str) -> tuple[list[str], bool]:
    """`text` (spaces collapsed) broken into at most len(rows) lines of those widths in the
    current font, and whether all of it fit; if not, the last line ends in "…"."""
    text = " ".join(text.split())
    if len(text) <= WRAP_CHARS and pdf.get_string_width(text) <= rows[0]:
        return [text] if text else [], True  # the common case: one short line, no wrapping
    lines: list[str] = []
    start = 0
    for n, width in enumerate(rows):
        if start >= len(text):
            break
        # Wrapping measures every piece: give it only what the remaining lines can hold.
        chunk = text[start : start + WRAP_CHARS * (len(rows) - n)]
        first = pdf.wrap(chunk, width)[0]
        start += len(first)
        if n == len(rows) - 1 and text[start:].strip():
            first = pdf.wrap(chunk, width - pdf.get_string_width(ELLIPSIS))[0]
            lines.append(first.rstrip() + ELLIPSIS)
            return lines, False
        while start < len(text) and text[start] == " ":
            start += 1
        lines.append(first)
    return lines, True


# --- The document a caller asks for ---------------------------------------------------------


def labels_document(*, shop: Shop, order_ids: Sequence[int], layout: str = "label") -> bytes:
    """Labels for the shop's orders `order_ids`, in that order, as one PDF."""
    if layout not in LAYOUTS:
        raise TaladError(_("รูปแบบการพิมพ์ไม่ถูกต้อง"), fields={"layout": "invalid"})
    orders = orders_to_print(shop=shop, order_ids=order_ids)
    return labels_pdf(labels_for(shop=shop, orders=orders), layout=layout)
