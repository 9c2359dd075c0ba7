"""What the accountant takes away at month end: the trial balance for any period, the ledger
of one account, the monthly VAT sales report (รายงานภาษีขาย) as xlsx and PDF, and the
journal as CSV or xlsx.

The VAT sales report lists the month's tax invoices (full, receipt/tax invoice and
abbreviated) and credit notes, in the order they were issued, with the columns of the
Revenue Department's form: date, number, buyer, buyer's tax ID, branch, value, VAT and total.
Credit notes are negative, so the totals are the month's output VAT. Receipts and invoices
are not tax invoices and are left out.

Headings in the files are Thai constants like the documents' own (they are the shop's
records for the Revenue Department); dates in the files are Gregorian, as PEAK and
spreadsheets expect, and Buddhist Era on the PDF.
"""

import calendar
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from talad.accounting import selectors
from talad.accounting.models import (
    TAX_INVOICES,
    Account,
    Document,
    DocumentType,
    JournalLine,
)
from talad.accounting.pdf import MARGIN, Column, branch_text, grid_head, grid_row, money
from talad.errors import NotFound, TaladError
from talad.paper import ThaiPDF
from talad.shops.models import Shop
from talad.thai_dates import BE_OFFSET, THAI_MONTHS, be_datetime, be_year

ZERO = Decimal("0.00")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# --- Periods ---------------------------------------------------------------------------------


def parse_month(text: str | None, field_name: str = "month") -> tuple[int, int]:
    """ "2026-11" → (2026, 11); anything else is refused beside the field."""
    found = _MONTH.match((text or "").strip())
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1900:
        raise TaladError(
            _("เดือนต้องอยู่ในรูปแบบ YYYY-MM (ปี ค.ศ.) เช่น 2026-11"),
            fields={field_name: "invalid"},
        )
    return int(found[1]), int(found[2])


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def be_month(year: int, month: int) -> str:
    return f"{THAI_MONTHS[month - 1]} {year + BE_OFFSET}"


# --- The VAT sales report --------------------------------------------------------------------

VAT_SALES_TITLE = "รายงานภาษีขาย"
VAT_SALES_HEADERS = (
    "ลำดับ",
    "วันที่",
    "เลขที่ใบกำกับภาษี",
    "ชื่อผู้ซื้อสินค้า/ผู้รับบริการ",
    "เลขประจำตัวผู้เสียภาษีของผู้ซื้อ",
    "สถานประกอบการ",
    "มูลค่าสินค้าหรือบริการ",
    "จำนวนเงินภาษีมูลค่าเพิ่ม",
    "จำนวนเงินรวม",
)
VAT_SALES_HEADER_ROW = 5  # in the xlsx: title, month, seller, a blank row, then the headings
REPORTED_TYPES = TAX_INVOICES | {DocumentType.CREDIT_NOTE}


@dataclass(frozen=True)
class VatSalesRow:
    document_id: int
    doc_type: str
    date: date
    number: str
    buyer: str
    buyer_tax_id: str
    branch_code: str
    net: Decimal  # credit notes negative
    vat: Decimal
    total: Decimal
    original_number: str = ""

    @property
    def branch(self) -> str:
        return branch_text(self.branch_code) if self.buyer_tax_id and self.branch_code else ""


@dataclass(frozen=True)
class VatSalesReport:
    shop: Shop
    year: int
    month: int
    rows: list[VatSalesRow] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return sum((r.net for r in self.rows), ZERO)

    @property
    def vat(self) -> Decimal:
        return sum((r.vat for r in self.rows), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((r.total for r in self.rows), ZERO)

    @property
    def month_label(self) -> str:
        return be_month(self.year, self.month)

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def vat_sales_report(*, shop: Shop, year: int, month: int) -> VatSalesReport:
    """The month's tax invoices and credit notes, by issue date then number order."""
    first, last = month_bounds(year, month)
    documents = (
        Document.objects.for_shop(shop)
        .filter(doc_type__in=REPORTED_TYPES, issue_date__gte=first, issue_date__lte=last)
        .select_related("original")
        .order_by("issue_date", "id")
    )
    rows = []
    for d in documents:
        sign = -1 if d.is_credit_note else 1
        rows.append(
            VatSalesRow(
                document_id=d.pk,
                doc_type=d.doc_type,
                date=d.issue_date,
                number=d.number,
                buyer=d.buyer_name,
                buyer_tax_id=d.buyer_tax_id,
                branch_code=d.buyer_branch_code,
                net=sign * d.net_amount,
                vat=sign * d.vat_amount,
                total=sign * d.total_amount,
                original_number=d.original.number if d.original_id else "",
            )
        )
    return VatSalesReport(shop=shop, year=year, month=month, rows=rows)


def _seller_line(shop: Shop) -> str:
    parts = [f"ชื่อผู้ประกอบการ {shop.name}"]
    if shop.tax_id:
        parts.append(f"เลขประจำตัวผู้เสียภาษี {shop.tax_id}")
    parts.append(branch_text(shop.branch_code))
    return "   ".join(parts)


def vat_sales_xlsx(report: VatSalesReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = report.period
    bold = Font(bold=True)
    sheet.append([VAT_SALES_TITLE])
    sheet.append([f"เดือนภาษี {report.month_label}"])
    sheet.append([_seller_line(report.shop)])
    sheet.append([])
    sheet.append(list(VAT_SALES_HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet[VAT_SALES_HEADER_ROW]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for n, row in enumerate(report.rows, 1):
        buyer = row.buyer
        if row.original_number:
            buyer = f"{buyer} (ลดหนี้ {row.original_number})".strip()
        sheet.append(
            [
                n,
                row.date,
                row.number,
                buyer,
                row.buyer_tax_id,
                row.branch,
                row.net,
                row.vat,
                row.total,
            ]
        )
    sheet.append(["", "", "", "รวม", "", "", report.net, report.vat, report.total])
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = bold
    for r in range(VAT_SALES_HEADER_ROW + 1, last + 1):
        sheet.cell(r, 2).number_format = DATE_FORMAT
        for c in (7, 8, 9):
            sheet.cell(r, c).number_format = MONEY_FORMAT
    for letter, width in zip("ABCDEFGHI", (7, 12, 22, 36, 18, 16, 16, 16, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(VAT_SALES_HEADER_ROW + 1, 1)
    return _save(book)


VAT_SALES_COLUMNS = (
    Column("ลำดับ", 12, "C"),
    Column("วันที่", 22, "C"),
    Column("เลขที่ใบกำกับภาษี", 36),
    Column("ชื่อผู้ซื้อสินค้า/ผู้รับบริการ", 60),
    Column("เลขประจำตัวผู้เสียภาษี", 31, "C"),
    Column("สถานประกอบการ", 26, "C"),
    Column("มูลค่าสินค้าหรือบริการ", 35, "R"),
    Column("ภาษีมูลค่าเพิ่ม", 25, "R"),
    Column("จำนวนเงินรวม", 25, "R"),
)


def vat_sales_pdf(report: VatSalesReport) -> bytes:
    """The report on A4 landscape, the headings repeated on every page."""
    pdf = ThaiPDF(orientation="landscape", font_size=9)
    pdf.set_margins(MARGIN - 5, MARGIN, MARGIN - 5)
    pdf.set_auto_page_break(False)
    pdf.set_line_width(0.2)
    pdf.set_title(f"{VAT_SALES_TITLE} {report.month_label}")
    bottom = pdf.h - MARGIN - 6
    pages = [0]

    def head() -> None:
        pdf.add_page()
        pages[0] += 1
        pdf.set_xy(pdf.l_margin, MARGIN)
        pdf.set_font(style="B", size=16)
        pdf.cell(0, 8, VAT_SALES_TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(style="", size=10)
        pdf.cell(0, 6, f"เดือนภาษี {report.month_label}", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, _seller_line(report.shop), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(style="", size=8)
        pdf.cell(
            0,
            5,
            f"หน้า {pages[0]} · พิมพ์เมื่อ {be_datetime(timezone.now())}",
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font(style="", size=9)
        grid_head(pdf, VAT_SALES_COLUMNS, size=8.5)

    head()
    for n, row in enumerate(report.rows, 1):
        buyer = row.buyer or "-"
        if row.original_number:
            buyer += f" (ลดหนี้ {row.original_number})"
        cells = [
            str(n),
            f"{row.date.day:02d}/{row.date.month:02d}/{be_year(row.date)}",
            row.number,
            buyer,
            row.buyer_tax_id,
            row.branch,
            money(row.net),
            money(row.vat),
            money(row.total),
        ]
        grid_row(pdf, VAT_SALES_COLUMNS, cells, bottom=bottom, on_break=head)
    totals = ["", "", "", "รวม", "", "", money(report.net), money(report.vat), money(report.total)]
    grid_row(pdf, VAT_SALES_COLUMNS, totals, bottom=bottom, on_break=head, bold=True)
    if not report.rows:
        pdf.ln(2)
        pdf.cell(0, 6, "ไม่มีใบกำกับภาษีหรือใบลดหนี้ในเดือนนี้")
    return pdf.to_bytes()


# --- Trial balance and ledger ----------------------------------------------------------------


@dataclass(frozen=True)
class TrialBalance:
    date_from: date | None
    date_to: date | None
    rows: list[selectors.TrialBalanceRow]

    @property
    def debit(self) -> Decimal:
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((r.credit for r in self.rows), ZERO)

    @property
    def closing_debit(self) -> Decimal:
        return sum((r.closing for r in self.rows if r.closing > 0), ZERO)

    @property
    def closing_credit(self) -> Decimal:
        return -sum((r.closing for r in self.rows if r.closing < 0), ZERO)

    @property
    def balanced(self) -> bool:
        return self.debit == self.credit and self.closing_debit == self.closing_credit


def trial_balance(
    *, shop: Shop, date_from: date | None = None, date_to: date | None = None
) -> TrialBalance:
    check_period(date_from, date_to)
    rows = selectors.trial_balance(shop=shop, date_from=date_from, date_to=date_to)
    return TrialBalance(date_from=date_from, date_to=date_to, rows=rows)


@dataclass(frozen=True)
class LedgerRow:
    date: date
    entry_id: int
    description: str
    document_id: int | None
    document_number: str
    order_id: int | None
    debit: Decimal
    credit: Decimal
    balance: Decimal  # running, debit positive
    memo: str


@dataclass(frozen=True)
class Ledger:
    account: Account
    date_from: date | None
    date_to: date | None
    opening: Decimal
    rows: list[LedgerRow]

    @property
    def debit(self) -> Decimal:
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((r.credit for r in self.rows), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def ledger(
    *, shop: Shop, account_id: int, date_from: date | None = None, date_to: date | None = None
) -> Ledger:
    """One account's lines in the period with a running balance (debit positive)."""
    check_period(date_from, date_to)
    account = Account.objects.for_shop(shop).filter(pk=account_id).first()
    if account is None:
        raise NotFound(_("ไม่พบบัญชี"))
    lines = JournalLine.objects.for_shop(shop).filter(account=account)
    opening = ZERO
    if date_from:
        before = lines.filter(entry__date__lt=date_from)
        opening = sum((line.debit - line.credit for line in before.only("debit", "credit")), ZERO)
        lines = lines.filter(entry__date__gte=date_from)
    if date_to:
        lines = lines.filter(entry__date__lte=date_to)
    balance = opening
    rows = []
    for line in lines.select_related("entry", "entry__document").order_by(
        "entry__date", "entry_id", "id"
    ):
        balance += line.debit - line.credit
        entry = line.entry
        rows.append(
            LedgerRow(
                date=entry.date,
                entry_id=entry.pk,
                description=entry.description,
                document_id=entry.document_id,
                document_number=entry.document.number if entry.document_id else "",
                order_id=entry.order_id,
                debit=line.debit,
                credit=line.credit,
                balance=balance,
                memo=line.memo,
            )
        )
    return Ledger(account, date_from, date_to, opening, rows)


def check_period(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise TaladError(_("วันเริ่มต้องไม่หลังวันสิ้นสุด"), fields={"date_from": "after_date_to"})


# --- The journal as a file -------------------------------------------------------------------

JOURNAL_HEADERS = (
    "วันที่",
    "เลขที่รายการ",
    "คำอธิบาย",
    "ที่มา",
    "เลขที่เอกสาร",
    "เลขที่ออเดอร์",
    "รหัสบัญชี",
    "ชื่อบัญชี",
    "เดบิต",
    "เครดิต",
    "หมายเหตุ",
)


def journal_rows(
    *, shop: Shop, date_from: date | None = None, date_to: date | None = None
) -> Iterator[list]:
    """One row per journal line, entries in date then posting order."""
    check_period(date_from, date_to)
    lines = JournalLine.objects.for_shop(shop)
    if date_from:
        lines = lines.filter(entry__date__gte=date_from)
    if date_to:
        lines = lines.filter(entry__date__lte=date_to)
    lines = lines.select_related("entry", "entry__document", "entry__order", "account").order_by(
        "entry__date", "entry_id", "id"
    )
    with translation.override("th"):
        for line in lines.iterator(chunk_size=2000):
            entry = line.entry
            yield [
                entry.date,
                f"JE-{entry.pk}",
                entry.description,
                str(entry.get_source_type_display()),
                entry.document.number if entry.document_id else "",
                entry.order.number if entry.order_id else "",
                line.account.code,
                line.account.name,
                line.debit,
                line.credit,
                line.memo,
            ]


def journal_csv(*, shop: Shop, date_from: date | None = None, date_to: date | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Thai as Thai; ISO dates, plain amounts."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(JOURNAL_HEADERS)
    for row in journal_rows(shop=shop, date_from=date_from, date_to=date_to):
        row[0] = row[0].isoformat()
        row[8], row[9] = f"{row[8]:.2f}", f"{row[9]:.2f}"
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def journal_xlsx(
    *, shop: Shop, date_from: date | None = None, date_to: date | None = None
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("journal")
    sheet.append([_cell(sheet, h, Font(bold=True)) for h in JOURNAL_HEADERS])
    for row in journal_rows(shop=shop, date_from=date_from, date_to=date_to):
        row[0] = _cell(sheet, row[0], number_format=DATE_FORMAT)
        row[8] = _cell(sheet, row[8], number_format=MONEY_FORMAT)
        row[9] = _cell(sheet, row[9], number_format=MONEY_FORMAT)
        sheet.append(row)
    return _save(book)


def _cell(sheet, value, font=None, number_format=None):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    return cell


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
