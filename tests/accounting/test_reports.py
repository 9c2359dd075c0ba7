"""Month end: the VAT sales report matches the month's tax invoices and credit notes (credit
notes negative) as JSON, xlsx and PDF; the trial balance balances for any period; an
account's ledger runs from its opening balance; the journal leaves as CSV or xlsx."""

import csv
import io
import os
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from talad.accounting import reports
from talad.accounting.models import Account, DocumentType, JournalLine
from talad.accounting.services import issue_credit_note, issue_document
from talad.errors import TaladError
from talad.paper import pdf_text, poppler_available
from talad.thai_dates import BANGKOK
from tests.accounting.factories import (
    BUYER_TAX_ID,
    BY,
    act,
    cod_order,
    goods,
    prepaid_order,
    vat_shop,
)
from tests.conftest import ApiClient, token_for
from tests.orders.factories import CUSTOMER

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = date(2026, 10, 30), date(2026, 11, 3)


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def mug(shop):
    return goods(shop, "MUG", price="1070.00", cost="600.00", on_hand=500)


@pytest.fixture
def clock(monkeypatch):
    """Set the day documents are issued and entries posted (noon in Bangkok)."""

    def set_day(day: date) -> None:
        moment = datetime.combine(day, time(12, 0), tzinfo=BANGKOK)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_day


def issue(shop, variant, doc_type, quantity=1, **order_fields):
    order = prepaid_order(shop, variant, quantity, **order_fields)
    return issue_document(order=order, doc_type=doc_type, by=BY)


@pytest.fixture
def month_of_documents(shop, mug, clock):
    """October: one tax invoice. November: a tax invoice to a company (its branch 00001),
    a receipt/tax invoice, an abbreviated one, a plain receipt (not a tax invoice), and a
    credit note of ฿107 on the first November invoice."""
    clock(OCTOBER)
    october = issue(shop, mug, DocumentType.TAX_INVOICE)
    clock(NOVEMBER)
    company = {**CUSTOMER, "name": "บริษัท ลูกค้า จำกัด", "tax_id": BUYER_TAX_ID, "branch_code": "00001"}
    invoice = issue(shop, mug, DocumentType.TAX_INVOICE, 2, customer=company)  # 2,140.00
    receipt_tax = issue(shop, mug, DocumentType.RECEIPT_TAX_INVOICE)  # 1,070.00
    abbreviated = issue(shop, mug, DocumentType.ABBREVIATED_TAX_INVOICE)  # 1,070.00
    receipt = issue(shop, mug, DocumentType.RECEIPT)  # 1,070.00, not in the report
    note = issue_credit_note(
        document=invoice, by=BY, reason_code="price_error", amount=Decimal("107.00")
    )
    return {
        "october": october,
        "invoice": invoice,
        "receipt_tax": receipt_tax,
        "abbreviated": abbreviated,
        "receipt": receipt,
        "note": note,
    }


# --- The VAT sales report --------------------------------------------------------------------


def test_the_vat_sales_report_lists_the_months_tax_invoices_and_credit_notes_negative(
    shop, month_of_documents
):
    docs = month_of_documents

    report = reports.vat_sales_report(shop=shop, year=2026, month=11)

    assert [r.number for r in report.rows] == [
        docs["invoice"].number,
        docs["receipt_tax"].number,
        docs["abbreviated"].number,
        docs["note"].number,
    ]
    first, *_middle, credit = report.rows
    assert (first.date, first.buyer, first.buyer_tax_id, first.branch) == (
        NOVEMBER,
        "บริษัท ลูกค้า จำกัด",
        BUYER_TAX_ID,
        "สาขาที่ 00001",
    )
    assert (first.net, first.vat, first.total) == (
        Decimal("2000.00"),
        Decimal("140.00"),
        Decimal("2140.00"),
    )
    assert (credit.net, credit.vat, credit.total) == (
        Decimal("-100.00"),
        Decimal("-7.00"),
        Decimal("-107.00"),
    )
    assert credit.original_number == docs["invoice"].number
    assert report.rows[1].branch == ""  # a buyer without a tax ID has no branch
    assert (report.net, report.vat, report.total) == (
        Decimal("3900.00"),
        Decimal("273.00"),
        Decimal("4173.00"),
    )
    output_vat = sum(
        (
            line.credit - line.debit
            for line in JournalLine.objects.for_shop(shop).filter(
                role="output_vat", entry__date__month=11
            )
        ),
        Decimal("0.00"),
    )
    assert output_vat == report.vat + docs["receipt"].vat_amount  # the receipt's VAT is booked too
    october = reports.vat_sales_report(shop=shop, year=2026, month=10)
    assert [r.number for r in october.rows] == [docs["october"].number]


def test_the_vat_sales_xlsx_opens_with_the_forms_headings_rows_and_totals(shop, month_of_documents):
    report = reports.vat_sales_report(shop=shop, year=2026, month=11)

    book = load_workbook(io.BytesIO(reports.vat_sales_xlsx(report)))
    sheet = book.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]

    header = rows[reports.VAT_SALES_HEADER_ROW - 1]
    assert header == [
        "ลำดับ",
        "วันที่",
        "เลขที่ใบกำกับภาษี",
        "ชื่อผู้ซื้อสินค้า/ผู้รับบริการ",
        "เลขประจำตัวผู้เสียภาษีของผู้ซื้อ",
        "สถานประกอบการ",
        "มูลค่าสินค้าหรือบริการ",
        "จำนวนเงินภาษีมูลค่าเพิ่ม",
        "จำนวนเงินรวม",
    ]
    assert rows[0][0] == "รายงานภาษีขาย"
    assert rows[1][0] == "เดือนภาษี พฤศจิกายน 2569"
    body = rows[reports.VAT_SALES_HEADER_ROW :]
    assert len(body) == 5  # four documents and the totals
    first = body[0]
    assert first[1].date() == NOVEMBER
    assert first[2:6] == [
        month_of_documents["invoice"].number,
        "บริษัท ลูกค้า จำกัด",
        BUYER_TAX_ID,
        "สาขาที่ 00001",
    ]
    assert [Decimal(str(v)) for v in first[6:]] == [
        Decimal("2000"),
        Decimal("140"),
        Decimal("2140"),
    ]
    assert [Decimal(str(v)) for v in body[3][6:]] == [
        Decimal("-100"),
        Decimal("-7"),
        Decimal("-107"),
    ]
    assert body[-1][3] == "รวม"
    assert [Decimal(str(v)) for v in body[-1][6:]] == [
        Decimal("3900"),
        Decimal("273"),
        Decimal("4173"),
    ]
    assert sheet.cell(reports.VAT_SALES_HEADER_ROW + 1, 7).number_format == "#,##0.00"


@pytest.mark.skipif(not poppler_available() and os.environ.get("CI") != "true", reason="poppler")
def test_the_vat_sales_pdf_shows_the_month_seller_rows_and_totals(shop, month_of_documents):
    report = reports.vat_sales_report(shop=shop, year=2026, month=11)

    text = " ".join(pdf_text(reports.vat_sales_pdf(report)).split())

    assert "รายงานภาษีขาย" in text and "เดือนภาษี พฤศจิกายน 2569" in text
    assert f"เลขประจำตัวผู้เสียภาษี {shop.tax_id}" in text
    assert "03/11/2569" in text
    assert month_of_documents["note"].number in text and "-107.00" in text
    assert "3,900.00 273.00 4,173.00" in text


@pytest.mark.skipif(not poppler_available() and os.environ.get("CI") != "true", reason="poppler")
def test_the_vat_sales_pdf_headings_stay_inside_their_columns(shop, month_of_documents):
    """Rendered and measured: "สถานประกอบการ" once ran into a clipped "มูลค่าสินค้าหรือบริการ"."""
    from talad.accounting.pdf import MARGIN
    from tests.shipping.test_labels import words_in_boxes

    report = reports.vat_sales_report(shop=shop, year=2026, month=11)
    words = [w for w in words_in_boxes(reports.vat_sales_pdf(report)) if w["page"] == 1]
    spans, x = [], MARGIN - 5
    for column in reports.VAT_SALES_COLUMNS:
        spans.append((column.title, x, x + column.width))
        x += column.width
    top = min(w["box"][1] for w in words if w["text"] == "ลำดับ")
    titles = [title for title, _a, _b in spans]
    heading = [
        w
        for w in words
        if top - 1 <= w["box"][1] <= top + 12 and any(w["text"] in t for t in titles)
    ]

    placed = set()
    for word in heading:
        x0, _y0, x1, _y1 = word["box"]
        owners = [t for t, a, b in spans if word["text"] in t and a - 0.3 <= x0 and x1 <= b + 0.3]
        assert owners, word
        placed.update(owners)
    assert placed == set(titles)  # every heading printed, none cut
    text = " ".join(pdf_text(reports.vat_sales_pdf(report)).split())
    assert BUYER_TAX_ID in text and "00001" in text  # the company buyer and its branch


def test_the_vat_sales_api_answers_json_xlsx_and_pdf_and_refuses_a_bad_month(
    shop, month_of_documents
):
    api = ApiClient(token_for(shop, "accountant"))

    body = api.get("/api/v1/reports/vat-sales?month=2026-11").json()
    xlsx = api.get("/api/v1/reports/vat-sales?month=2026-11&format=xlsx")
    pdf = api.get("/api/v1/reports/vat-sales?month=2026-11&format=pdf")
    bad = api.get("/api/v1/reports/vat-sales?month=2026-13")

    assert body["totals"] == {"count": 4, "net": "3900.00", "vat": "273.00", "total": "4173.00"}
    assert body["rows"][0]["branch_code"] == "00001" and body["rows"][3]["total"] == "-107.00"
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert 'filename="vat-sales-2026-11.xlsx"' in xlsx["Content-Disposition"]
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"month": "invalid"}
    staff = ApiClient(token_for(shop, "staff"))
    assert staff.get("/api/v1/reports/vat-sales?month=2026-11").status_code == 403


def test_a_month_is_read_as_year_dash_month_only():
    assert reports.parse_month("2026-02") == (2026, 2)
    for bad in ("2026-2", "11/2026", "2569-13", "", None, "2026-00"):
        with pytest.raises(TaladError) as refused:
            reports.parse_month(bad)
        assert refused.value.fields == {"month": "invalid"}


# --- Trial balance and ledger ----------------------------------------------------------------


def test_the_trial_balance_balances_for_any_period(shop, mug, month_of_documents, clock):
    clock(NOVEMBER)
    order = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship", "deliver"):
        act(order, action)  # COD delivered: carrier receivable, sales, output VAT, COGS

    for date_from, date_to in [
        (None, None),
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 11, 4), None),
    ]:
        tb = reports.trial_balance(shop=shop, date_from=date_from, date_to=date_to)
        assert tb.balanced, (date_from, date_to)
        assert tb.debit == tb.credit
        assert tb.closing_debit == tb.closing_credit

    november = reports.trial_balance(shop=shop, date_from=date(2026, 11, 1), date_to=None)
    by_code = {r.account.code: r for r in november.rows}
    assert by_code["213101"].opening == Decimal("-70.00")  # October's output VAT brought forward
    assert by_code["113102"].debit == Decimal("1070.00")  # COD delivered, owed by the carrier
    with pytest.raises(TaladError):
        reports.trial_balance(shop=shop, date_from=date(2026, 11, 2), date_to=date(2026, 11, 1))


def test_an_accounts_ledger_runs_from_the_opening_balance_to_the_closing_one(
    shop, month_of_documents
):
    output_vat = Account.objects.for_shop(shop).get(code="213101")

    ledger = reports.ledger(shop=shop, account_id=output_vat.pk, date_from=date(2026, 11, 1))

    assert ledger.opening == Decimal("-70.00")
    assert [(r.debit, r.credit) for r in ledger.rows] == [
        (Decimal("0.00"), Decimal("140.00")),
        (Decimal("0.00"), Decimal("70.00")),
        (Decimal("0.00"), Decimal("70.00")),
        (Decimal("0.00"), Decimal("70.00")),
        (Decimal("7.00"), Decimal("0.00")),
    ]
    assert [r.balance for r in ledger.rows][-1] == ledger.closing == Decimal("-413.00")
    assert ledger.rows[-1].document_number == month_of_documents["note"].number


# --- The journal as a file -------------------------------------------------------------------


def test_the_journal_exports_every_line_as_csv_with_a_bom_and_as_xlsx(shop, month_of_documents):
    lines = JournalLine.objects.for_shop(shop).filter(entry__date__month=11).count()

    raw = reports.journal_csv(shop=shop, date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))
    november = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}
    book = load_workbook(io.BytesIO(reports.journal_xlsx(shop=shop, **november)))

    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == list(reports.JOURNAL_HEADERS)
    assert len(rows) - 1 == lines
    assert {r[0] for r in rows[1:]} == {"2026-11-03"}
    debit = sum(Decimal(r[8]) for r in rows[1:])
    credit = sum(Decimal(r[9]) for r in rows[1:])
    assert debit == credit > 0
    note_rows = [r for r in rows[1:] if r[4] == month_of_documents["note"].number]
    assert {(r[6], r[8], r[9]) for r in note_rows} >= {("213101", "7.00", "0.00")}
    sheet = book.active
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    assert list(xlsx_rows[0]) == list(reports.JOURNAL_HEADERS)
    assert len(xlsx_rows) - 1 == lines


def test_the_journal_export_api_sends_a_file_to_the_books_roles_only(shop, month_of_documents):
    accountant = ApiClient(token_for(shop, "accountant"))

    csv_file = accountant.get("/api/v1/journal/export?date_from=2026-11-01")
    xlsx = accountant.get("/api/v1/journal/export?format=xlsx")

    assert csv_file.status_code == 200 and csv_file["Content-Type"].startswith("text/csv")
    assert 'filename="journal-2026-11-01.csv"' in csv_file["Content-Disposition"]
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert ApiClient(token_for(shop, "staff")).get("/api/v1/journal/export").status_code == 403
