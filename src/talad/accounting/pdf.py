"""Tax documents as A4 PDFs: what the seller prints, emails or hands to the buyer.

One page per copy: "ต้นฉบับ" (original, for the buyer) and "สำเนา" (copy, for the seller's
files), or only one of them. Every page carries the legal fields of
docs/design/money.md#thai-tax-document-legal-fields as the document snapshotted them at issue: the title by type, seller name, address, tax ID and
สำนักงานใหญ่/สาขาที่ xxxxx; the buyer's name and address, and tax ID and branch when given;
number, Buddhist Era date, the lines, the net, the VAT shown separately and the total, the
total in Thai words. A credit note (s.86/10) adds the original document's number and date,
its value, the corrected value, the difference, the VAT and the reason. An invoice or tax
invoice whose order is still unpaid carries a PromptPay QR for exactly what is due, when
the shop has set where PromptPay pays to. A receipt says how the customer paid ("ชำระโดย"):
each payment's method, amount, time and reference, or the COD its carrier collected.

The words on the page are Thai constants, not gettext: a Thai tax document is written in
Thai (Revenue Code s.86/4) whatever language the person printing it reads. Amounts are
Decimals formatted with two places; nothing here computes tax, it prints what was issued.

Tables are drawn with a small helper on `ThaiPDF.wrap` and `cell` rather than fpdf2's
`table()`, which measures and shapes every cell twice and costs far more per row.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import translation

from talad import promptpay
from talad.accounting.books import accounting_settings
from talad.accounting.models import Document, DocumentType
from talad.orders.carriers import carrier_name
from talad.orders.models import PaymentMethod, PaymentStatus, Status
from talad.paper import ThaiPDF
from talad.payments.models import PaymentKind
from talad.thai_dates import be_date, be_datetime
from talad.thai_words import baht_text

ZERO = Decimal("0.00")
MARGIN = 15.0
LINE = 1.45  # line height, times the font size in mm
GRID = 0.2  # table rules, mm
SHADE = 238  # table header background (grey level)

COPIES = {"original": "ต้นฉบับ", "copy": "สำเนา"}
BOTH = ("original", "copy")

# Documents that ask to be paid: an unpaid one carries a PromptPay QR.
BILLS = frozenset({DocumentType.INVOICE, DocumentType.TAX_INVOICE})
# Documents that say the money was received: the signature is the receiver's.
RECEIPTS = frozenset(
    {
        DocumentType.RECEIPT,
        DocumentType.RECEIPT_TAX_INVOICE,
        DocumentType.ABBREVIATED_TAX_INVOICE,
    }
)


# The carrier collected the money on delivery (and may have paid it out already).
COD_COLLECTED = frozenset({PaymentStatus.COD_COLLECTED, PaymentStatus.COD_REMITTED})


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    align: str = "L"


LINE_COLUMNS = (
    Column("ลำดับ", 11, "C"),
    Column("รหัสสินค้า", 25),
    Column("รายการ", 62),
    Column("จำนวน", 14, "R"),
    Column("ราคาต่อหน่วย", 23, "R"),
    Column("ส่วนลด", 19, "R"),
    Column("จำนวนเงิน", 26, "R"),
)


@dataclass(frozen=True)
class Bill:
    """The PromptPay QR on an unpaid bill: what it encodes and the amount it asks for."""

    payload: str
    amount: Decimal
    target: str


def document_pdf(document: Document, *, copies: Sequence[str] = BOTH) -> bytes:
    """The document as a PDF, one page (or more, for many lines) per copy in `copies`."""
    pdf, _pages = lay_out(document, copies=copies)
    return pdf.to_bytes()


def lay_out(document: Document, *, copies: Sequence[str] = BOTH) -> tuple[ThaiPDF, list["Page"]]:
    """The drawn PDF, not yet written out, and its copies (where each put what)."""
    if not copies or set(copies) - set(COPIES):
        raise ValueError(f"copies must be some of {sorted(COPIES)}")
    bill = unpaid_bill(document)
    paid = how_paid(document)
    with translation.override("th"):  # the type's label, as the law wants it
        title = str(DocumentType(document.doc_type).label)
        reason = document.get_reason_code_display() if document.reason_code else ""
    pdf = _a4(f"{title} {document.number}")
    lines = list(document.lines.all())
    original = document.original if document.original_id else None
    pages = []
    for copy in copies:
        page = Page(pdf, document, lines, title, COPIES[copy], bill, original, reason)
        page.paid = paid
        page.draw()
        pages.append(page)
    return pdf, pages


def unpaid_bill(document: Document) -> Bill | None:
    """The QR an unpaid invoice or tax invoice carries: for what is still due on it (its total
    less any credit notes), paid to the shop's PromptPay target. None when the document is
    not a bill, its order is paid (or collected by the carrier), or no target is set."""
    if document.doc_type not in BILLS or document.order_id is None:
        return None
    if document.order.payment_status != PaymentStatus.UNPAID:
        return None
    target = accounting_settings(document.shop).promptpay_target
    if not target:
        return None
    credited = (
        Document.objects.for_shop(document.shop_id)
        .filter(original=document)
        .aggregate(total=Sum("total_amount"))["total"]
    )
    due = document.total_amount - (credited or ZERO)
    if due <= 0:
        return None
    try:
        return Bill(payload=promptpay.payload(target, due), amount=due, target=target)
    except ValueError:  # a target saved before it was checked: no QR rather than no PDF
        return None


def how_paid(document: Document) -> list[str]:
    """How the customer paid, in Thai, for a receipt's page: each payment received for its
    order (method, amount, date and time, reference), or the COD the carrier collected on
    delivery. Empty for other documents: a bill is not paid yet."""
    if document.doc_type not in RECEIPTS or document.order_id is None:
        return []
    order = document.order
    lines = []
    with translation.override("th"):
        payments = order.payments.filter(kind=PaymentKind.PAYMENT).order_by("paid_at", "id")
        for p in payments:
            text = f"{p.get_method_display()} {money(p.amount)} บาท เมื่อ {be_datetime(p.paid_at)}"
            lines.append(text + (f" เลขอ้างอิง {p.reference}" if p.reference else ""))
        if order.is_cod and order.payment_status in COD_COLLECTED:
            delivered = order.status_changes.filter(action="deliver").order_by("-id").first()
            text = (
                f"เก็บเงินปลายทาง (COD) {money(order.total)} บาท"
                f" ขนส่ง {carrier_name(order.shop, order.carrier)} เลขพัสดุ {order.tracking_number}"
            )
            lines.append(text + (f" ส่งถึงเมื่อ {be_datetime(delivered.at)}" if delivered else ""))
    return lines


def unpaid_order_qr(order) -> Bill | None:
    """The QR the order page shows an unpaid order, for the seller to send in the chat: the
    order's total, paid to the shop's PromptPay target. None for an order already paid, on
    its way by COD or paid through a marketplace, cancelled, or when no target is set."""
    if order.status != Status.PENDING or order.payment_status != PaymentStatus.UNPAID:
        return None
    if order.payment_method in (PaymentMethod.COD, PaymentMethod.MARKETPLACE) or order.total <= 0:
        return None
    target = accounting_settings(order.shop).promptpay_target
    if not target:
        return None
    try:
        return Bill(
            payload=promptpay.payload(target, order.total), amount=order.total, target=target
        )
    except ValueError:
        return None


def money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def branch_text(code: str) -> str:
    return "สำนักงานใหญ่" if code == "00000" else f"สาขาที่ {code}"


def _a4(title: str) -> ThaiPDF:
    pdf = ThaiPDF(font_size=10)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)  # pages are broken by hand, with the table head repeated
    pdf.set_line_width(GRID)
    pdf.set_title(title)
    pdf.set_author("Talad")
    return pdf


def text_lines(
    pdf: ThaiPDF, w: float, h: float, text: str, *, align: str = "L", fill: bool = False
) -> None:
    """`text` wrapped at Thai syllables into `w`, one `cell` per line from the cursor; the
    cursor ends at the same x, below the last line. Cheaper than `multi_cell`, which
    breaks the (already broken) lines again and binds its signature on every call."""
    for line in pdf.wrap(text, w - 2 * pdf.c_margin) if text else [""]:
        pdf.cell(w, h, line, align=align, fill=fill, new_x="LEFT", new_y="NEXT")


def grid_head(pdf: ThaiPDF, columns: Sequence[Column], *, size: float = 9) -> None:
    """A shaded header row at the cursor; the cursor moves below it, body font restored.

    A title wider than its column wraps onto a second line (all cells as tall as the tallest),
    so a long legal heading such as "มูลค่าสินค้าหรือบริการ" never runs into its neighbour."""
    body = pdf.font_size_pt
    pdf.set_font(style="B", size=size)
    pdf.set_fill_color(SHADE)
    pad, line_h = 1, pdf.font_size * LINE
    titles = [pdf.wrap(column.title, column.width - 2 * pad) for column in columns]
    height = max(7, max(len(lines) for lines in titles) * line_h + 2)
    x, y = pdf.l_margin, pdf.get_y()
    for lines, column in zip(titles, columns, strict=True):
        pdf.rect(x, y, column.width, height, style="DF")
        top = y + (height - len(lines) * line_h) / 2
        for k, text in enumerate(lines):
            pdf.set_xy(x + pad, top + k * line_h)
            pdf.cell(column.width - 2 * pad, line_h, text, align="C")
        x += column.width
    pdf.set_xy(pdf.l_margin, y + height)
    pdf.set_font(style="", size=body)


def grid_row(
    pdf: ThaiPDF,
    columns: Sequence[Column],
    cells: Sequence[str],
    *,
    bottom: float,
    on_break,
    bold: bool = False,
) -> None:
    """One ruled row at the cursor, each cell wrapped at Thai syllables into its column.

    A row that would cross `bottom` calls `on_break()` first (which starts a new page and
    draws the head again). Costs one shaping per word piece and one `cell` per line drawn."""
    pad, line_h = 1.5, pdf.font_size * LINE
    wrapped = [
        pdf.wrap(text, column.width - 2 * pad) if text else [""]
        for text, column in zip(cells, columns, strict=True)
    ]
    height = max(len(lines) for lines in wrapped) * line_h + 1
    if pdf.get_y() + height > bottom:
        on_break()
    if bold:
        pdf.set_font(style="B")
    x, y = pdf.l_margin, pdf.get_y()
    for lines, column in zip(wrapped, columns, strict=True):
        for k, text in enumerate(lines):
            if text:
                pdf.set_xy(x + pad, y + 0.5 + k * line_h)
                pdf.cell(column.width - 2 * pad, line_h, text, align=column.align)
        pdf.rect(x, y, column.width, height)
        x += column.width
    if bold:
        pdf.set_font(style="")
    pdf.set_xy(pdf.l_margin, y + height)


class Page:
    """One copy of a document, drawn from the top of a new page."""

    def __init__(self, pdf, document, lines, title, copy_label, bill, original, reason):
        self.pdf, self.doc, self.lines = pdf, document, lines
        self.title, self.copy_label, self.bill = title, copy_label, bill
        self.original, self.reason = original, reason
        self.width = pdf.w - 2 * MARGIN
        self.bottom = pdf.h - MARGIN
        self.qr_box: tuple[int, float, float, float] | None = None  # page, x, y, size
        self.paid: list[str] = []  # how the customer paid (receipts), see how_paid

    def draw(self) -> None:
        self.pdf.add_page()
        self._head()
        self._parties()
        self._table()
        self._totals()
        self._how_paid()
        self._signatures()
        self._footer()

    # --- Parts, top to bottom ---------------------------------------------------------------

    def _head(self) -> None:
        pdf, doc = self.pdf, self.doc
        right_w = 72.0
        right_x = pdf.w - MARGIN - right_w
        left_w = self.width - right_w - 6
        top = MARGIN
        # Right: original/copy, then the title.
        pdf.set_font(style="B", size=10)
        label_w = pdf.get_string_width(self.copy_label) + 8
        pdf.set_xy(pdf.w - MARGIN - label_w, top)
        pdf.cell(label_w, 6.5, self.copy_label, border=1, align="C")
        pdf.set_xy(right_x, top + 8)
        size = 18.0  # the title is prominent (s.86/4); a long one shrinks rather than breaks
        pdf.set_font(style="B", size=size)
        while size > 13 and pdf.get_string_width(self.title) > right_w - 2:
            size -= 1
            pdf.set_font(size=size)
        text_lines(pdf, right_w, 8, self.title, align="R")
        pdf.set_font(style="", size=9)
        if doc.doc_type == DocumentType.ABBREVIATED_TAX_INVOICE:
            text_lines(pdf, right_w, 4.5, "ราคานี้ได้รวมภาษีมูลค่าเพิ่มแล้ว", align="R")
        elif doc.is_credit_note:
            text_lines(pdf, right_w, 4.5, "ตามมาตรา 86/10 แห่งประมวลรัษฎากร", align="R")
        right_end = pdf.get_y()
        # Left: the seller.
        pdf.set_xy(MARGIN, top)
        pdf.set_font(style="B", size=14)
        text_lines(pdf, left_w, 7, doc.seller_name)
        pdf.set_font(style="", size=10)
        if doc.seller_address:
            text_lines(pdf, left_w, 5, " ".join(doc.seller_address.split()))
        seller_ids = []
        if doc.seller_tax_id:
            seller_ids.append(f"เลขประจำตัวผู้เสียภาษี {doc.seller_tax_id}")
        if doc.vat_rate > 0 or doc.seller_tax_id:
            seller_ids.append(branch_text(doc.seller_branch_code))
        if seller_ids:
            text_lines(pdf, left_w, 5, "   ".join(seller_ids))
        pdf.set_y(max(pdf.get_y(), right_end) + 3)
        pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
        pdf.ln(3)

    def _parties(self) -> None:
        pdf, doc = self.pdf, self.doc
        top = pdf.get_y()
        right_w = 72.0
        left_w = self.width - right_w - 4
        pad = 2.0
        # Left box: the buyer.
        pdf.set_xy(MARGIN + pad, top + pad)
        pdf.set_font(style="", size=9)
        pdf.cell(left_w - 2 * pad, 5, "ลูกค้า / ผู้ซื้อ", new_x="LEFT", new_y="NEXT")
        pdf.set_font(style="B", size=11)
        text_lines(pdf, left_w - 2 * pad, 5.5, doc.buyer_name or "-")
        pdf.set_font(style="", size=10)
        if doc.buyer_address:
            address = " ".join(doc.buyer_address.split())
            text_lines(pdf, left_w - 2 * pad, 5, address)
        if doc.buyer_tax_id:
            ids = f"เลขประจำตัวผู้เสียภาษี {doc.buyer_tax_id}"
            if doc.buyer_branch_code:
                ids += f"   {branch_text(doc.buyer_branch_code)}"
            text_lines(pdf, left_w - 2 * pad, 5, ids)
        left_end = pdf.get_y() + pad
        # Right box: number, date, references.
        facts = [("เลขที่", doc.number), ("วันที่", be_date(doc.issue_date))]
        if self.original is not None:
            facts += [
                ("อ้างอิงเอกสารเลขที่", self.original.number),
                ("ลงวันที่", be_date(self.original.issue_date)),
            ]
        if doc.order_id:
            facts.append(("อ้างอิงออเดอร์", doc.order.number))
        x = pdf.w - MARGIN - right_w
        pdf.set_xy(x + pad, top + pad)
        label_w = 30.0
        for label, value in facts:
            pdf.set_font(style="", size=9)
            pdf.cell(label_w, 5.5, label)
            pdf.set_font(style="B", size=10)
            text_lines(pdf, right_w - label_w - 2 * pad, 5.5, value)
            pdf.set_x(x + pad)
        right_end = pdf.get_y() + pad
        bottom = max(left_end, right_end)
        pdf.rect(MARGIN, top, left_w, bottom - top)
        pdf.rect(x, top, right_w, bottom - top)
        pdf.set_xy(MARGIN, bottom + 4)

    def _table(self) -> None:
        pdf = self.pdf
        pdf.set_font(style="", size=10)
        self._table_head()
        for n, line in enumerate(self.lines, 1):
            cells = [
                str(n),
                line.sku,
                line.description,
                f"{line.quantity:,}",
                money(line.unit_price),
                money(line.discount) if line.discount else "",
                money(line.amount),
            ]
            self._row(cells)
        if self.doc.prices_include_vat and self.doc.vat_rate > 0:
            pdf.set_font(style="", size=8)
            pdf.cell(self.width, 5, "ราคาสินค้ารวมภาษีมูลค่าเพิ่มแล้ว", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def _table_head(self) -> None:
        grid_head(self.pdf, LINE_COLUMNS)

    def _row(self, cells: list[str]) -> None:
        grid_row(self.pdf, LINE_COLUMNS, cells, bottom=self.bottom - 10, on_break=self._continue)

    def _continue(self) -> None:
        """A new page for the rest of the lines, headed so it is not taken for another document."""
        pdf = self.pdf
        pdf.set_font(style="", size=8)
        pdf.set_xy(MARGIN, pdf.get_y() + 0.5)
        pdf.cell(self.width, 4, "มีต่อหน้าถัดไป", align="R")
        self._next_page()
        pdf.set_font(style="B", size=11)
        pdf.set_xy(MARGIN, MARGIN)
        pdf.cell(
            self.width,
            6,
            f"{self.title} {self.doc.number} ({self.copy_label}) - ต่อ",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
        self._table_head()

    def _totals(self) -> None:
        pdf, doc = self.pdf, self.doc
        rows = self._total_rows()
        needed = len(rows) * 6.5 + 12 + (44 if self.bill else 0)
        if self.doc.is_credit_note:
            needed += 12
        if pdf.get_y() + needed > self.bottom - 30:
            self._next_page()
        top = pdf.get_y()
        # Right: the figures.
        label_w, value_w = 62.0, 30.0
        x = pdf.w - MARGIN - label_w - value_w
        for n, (label, value) in enumerate(rows):
            last = n == len(rows) - 1
            pdf.set_xy(x, top + n * 6.5)
            pdf.set_font(style="B" if last else "", size=11 if last else 10)
            pdf.set_fill_color(SHADE)
            pdf.cell(label_w, 6.5, label, border=1, align="R", fill=last)
            pdf.cell(value_w, 6.5, money(value), border=1, align="R", fill=last)
        right_end = top + len(rows) * 6.5
        # Left: the total in words, the reason of a credit note, the QR of a bill.
        left_w = x - MARGIN - 5
        pdf.set_xy(MARGIN, top)
        pdf.set_font(style="", size=9)
        pdf.cell(left_w, 5, "จำนวนเงินรวมทั้งสิ้น (ตัวอักษร)", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(style="B", size=11)
        pdf.set_fill_color(SHADE)
        text_lines(pdf, left_w, 6.5, f"({baht_text(doc.total_amount)})", fill=True)
        if doc.is_credit_note:
            pdf.ln(1)
            pdf.set_font(style="", size=9)
            pdf.cell(left_w, 5, "เหตุผลการลดหนี้", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(style="", size=10)
            reason = self.reason + (f": {doc.reason_text}" if doc.reason_text else "")
            text_lines(pdf, left_w, 5, reason)
        if self.bill:
            self._qr(left_w)
        pdf.set_y(max(pdf.get_y(), right_end) + 4)

    def _how_paid(self) -> None:
        """ "ชำระโดย" and one line per payment, below the totals."""
        if not self.paid:
            return
        pdf = self.pdf
        pdf.set_font(style="", size=10)
        wrapped = [pdf.wrap(text, self.width - 8) for text in self.paid]
        if pdf.get_y() + 6 + 5 * sum(len(w) for w in wrapped) > self.bottom - 30:
            self._next_page()
        pdf.set_font(style="B", size=10)
        pdf.cell(self.width, 5.5, "ชำระโดย", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(style="", size=10)
        for text in self.paid:
            pdf.set_x(MARGIN + 4)
            text_lines(pdf, self.width - 4, 5, text)
        pdf.ln(2)

    def _total_rows(self) -> list[tuple[str, Decimal]]:
        doc = self.doc
        rate = f"{doc.vat_rate.normalize():f}"
        if doc.is_credit_note:
            return [
                ("มูลค่าสินค้าตามเอกสารเดิม", doc.original_value),
                ("มูลค่าสินค้าที่ถูกต้อง", doc.corrected_value),
                ("ผลต่าง", doc.net_amount),
                (f"ภาษีมูลค่าเพิ่ม {rate}%", doc.vat_amount),
                ("รวมยอดลดหนี้ทั้งสิ้น", doc.total_amount),
            ]
        rows = [("รวมเป็นเงิน", doc.lines_total)]
        if doc.discount:
            rows.append(("ส่วนลด", doc.discount))
        if doc.vat_rate > 0:
            rows.append(("มูลค่าก่อนภาษี", doc.net_amount))
            rows.append((f"ภาษีมูลค่าเพิ่ม {rate}%", doc.vat_amount))
        rows.append(("ยอดรวมทั้งสิ้น", doc.total_amount))
        return rows

    def _qr(self, width: float) -> None:
        pdf, bill = self.pdf, self.bill
        pdf.ln(2)
        size = 34.0
        top = pdf.get_y()
        pdf.set_fill_color(0)  # modules are black whatever the tables shaded last
        pdf.qr(bill.payload, MARGIN, top, size)
        self.qr_box = (pdf.page, MARGIN, top, size)
        pdf.set_xy(MARGIN + size + 2, top + 5)
        pdf.set_font(style="B", size=11)
        text_w = width - size - 2
        text_lines(pdf, text_w, 5.5, "สแกนชำระด้วยพร้อมเพย์")
        pdf.set_font(style="", size=10)
        text_lines(pdf, text_w, 5, f"ยอดชำระ {money(bill.amount)} บาท")
        text_lines(pdf, text_w, 5, f"พร้อมเพย์ {bill.target}")
        pdf.set_xy(MARGIN, top + size)

    def _signatures(self) -> None:
        pdf, doc = self.pdf, self.doc
        if doc.is_credit_note:
            left, right = "ผู้รับเอกสาร", "ผู้มีอำนาจลงนาม"
        elif doc.doc_type in RECEIPTS:
            left, right = "ผู้จ่ายเงิน", "ผู้รับเงิน"
        else:
            left, right = "ผู้รับสินค้า/ผู้รับบริการ", "ผู้มีอำนาจลงนาม"
        top = max(pdf.get_y() + 4, self.bottom - 30)
        if top + 24 > self.bottom - 6:
            self._next_page()
            top = self.bottom - 30
        box_w = (self.width - 10) / 2
        for n, label in enumerate((left, right)):
            x = MARGIN + n * (box_w + 10)
            pdf.rect(x, top, box_w, 24)
            pdf.set_font(style="", size=10)
            pdf.set_xy(x, top + 9)
            pdf.cell(box_w, 5, "ลงชื่อ ..............................................", align="C")
            pdf.set_xy(x, top + 14)
            pdf.cell(box_w, 5, f"({label})", align="C")
            pdf.set_xy(x, top + 19)
            pdf.set_font(style="", size=9)
            pdf.cell(box_w, 4.5, "วันที่ ........../........../..........", align="C")

    def _next_page(self) -> None:
        self._footer()
        self.pdf.add_page()
        self.pdf.set_xy(MARGIN, MARGIN)

    def _footer(self) -> None:
        """The number and copy at the foot of every page, so a loose page finds its document."""
        pdf, doc = self.pdf, self.doc
        pdf.set_font(style="", size=7.5)
        pdf.set_text_color(110)
        pdf.set_xy(MARGIN, self.bottom - 4)
        pdf.cell(
            self.width / 2,
            4,
            f"{doc.number} · ออกเมื่อ {be_datetime(doc.issued_at)}",
        )
        pdf.cell(self.width / 2, 4, f"{self.title} ({self.copy_label})", align="R")
        pdf.set_text_color(0)
