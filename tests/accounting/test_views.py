"""The accounting screens through Django's test client as a signed-in member: documents and
their PDFs, issuing from the order page, the credit-note flow, settings and the reports."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from talad.accounting.books import accounting_settings
from talad.accounting.models import Document, DocumentType
from talad.accounting.services import issue_credit_note, issue_document
from talad.paper import pdf_text, poppler_available
from tests.accounting.factories import (
    BUYER_TAX_ID,
    BY,
    documents,
    goods,
    prepaid_order,
    vat_shop,
)
from tests.conftest import make_shop
from tests.orders.factories import CUSTOMER
from tests.orders.test_views import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def mug(shop):
    return goods(shop, "MUG", price="1070.00", cost="600.00", on_hand=200)


def issued(shop, variant, doc_type=DocumentType.TAX_INVOICE, quantity=1, **order_fields):
    order = prepaid_order(shop, variant, quantity, **order_fields)
    return issue_document(order=order, doc_type=doc_type, by=BY)


def token_in(page, form_action: str | None = None) -> str:
    html = page.content.decode()
    if form_action:
        html = html[html.index(f'action="{form_action}"') :]
    return re.search(r'name="form_token" value="([0-9a-f]+)"', html).group(1)


def html(page) -> str:
    return page.content.decode()


# --- Documents ------------------------------------------------------------------------------


def test_the_documents_list_finds_documents_by_number_buyer_type_and_month(shop, mug):
    company = {**CUSTOMER, "name": "บริษัท ลูกค้า จำกัด", "tax_id": BUYER_TAX_ID}
    invoice = issued(shop, mug, customer=company)
    receipt = issued(shop, mug, DocumentType.RECEIPT_TAX_INVOICE)
    client = signed_in(shop, "staff")
    month = invoice.issue_date.strftime("%Y-%m")

    everything = html(client.get("/accounting/"))
    by_number = html(client.get("/accounting/", {"q": receipt.number}))
    by_buyer = html(client.get("/accounting/", {"q": "ลูกค้า จำกัด"}))
    by_type = html(client.get("/accounting/", {"type": "receipt_tax_invoice"}))
    this_month = html(client.get("/accounting/", {"month": month}))
    other_month = html(client.get("/accounting/", {"month": "2020-01"}))
    bad_month = client.get("/accounting/", {"month": "13/2020"})

    assert invoice.number in everything and receipt.number in everything
    assert receipt.number in by_number and invoice.number not in by_number
    assert invoice.number in by_buyer and receipt.number not in by_buyer
    assert receipt.number in by_type and invoice.number not in by_type
    assert invoice.number in this_month and receipt.number in this_month
    assert invoice.number not in other_month
    assert bad_month.status_code == 200 and "YYYY-MM" in html(bad_month)
    assert f'href="/accounting/documents/{invoice.pk}/pdf/"' in everything


def test_a_document_page_shows_the_legal_fields_and_downloads_its_pdf(shop, mug):
    invoice = issued(shop, mug, quantity=2)
    client = signed_in(shop, "staff")

    page = client.get(f"/accounting/documents/{invoice.pk}/")
    pdf = client.get(f"/accounting/documents/{invoice.pk}/pdf/")
    original = client.get(f"/accounting/documents/{invoice.pk}/pdf/?copy=original")

    assert page.status_code == 200
    text = html(page)
    assert invoice.number in text and shop.tax_id in text
    assert "2,140.00" in text and "140.00" in text
    assert 'data-testid="credit-note"' in text
    assert "รายการบัญชี" not in text  # staff read documents, not the books
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f'filename="{invoice.number}.pdf"' in pdf["Content-Disposition"]
    assert pdf.content.startswith(b"%PDF") and original.content.startswith(b"%PDF")
    if poppler_available():
        both, alone = pdf_text(pdf.content), pdf_text(original.content)
        assert "ต้นฉบับ" in both and "สำเนา" in both
        assert "ต้นฉบับ" in alone and "สำเนา" not in alone
    books = html(signed_in(shop, "accountant").get(f"/accounting/documents/{invoice.pk}/"))
    assert "รายการบัญชี" in books and "113101" in books


def test_the_order_page_issues_a_document_once_even_if_submitted_twice(shop, mug):
    order = prepaid_order(shop, mug)
    client = signed_in(shop)
    page = client.get(f"/orders/{order.pk}/")
    action = f"/accounting/orders/{order.pk}/issue/"
    assert 'data-testid="issue-document"' in html(page)
    form = {"form_token": token_in(page, action), "type": "tax_invoice"}

    first = client.post(action, form)
    second = client.post(action, form)

    assert first.status_code == second.status_code == 302
    [document] = documents(order)
    assert document.doc_type == "tax_invoice"
    assert first["Location"] == f"/accounting/documents/{document.pk}/"
    after = html(client.get(f"/orders/{order.pk}/"))
    assert document.number in after
    assert f"/accounting/documents/{document.pk}/pdf/" in after
    assert 'data-testid="issue-document"' not in after  # one sales document per order


def test_a_second_sales_document_is_refused_beside_the_type(shop, mug):
    invoice = issued(shop, mug)
    client = signed_in(shop)
    page = client.get(f"/accounting/orders/{invoice.order_id}/issue/")

    refused = client.post(
        f"/accounting/orders/{invoice.order_id}/issue/",
        {"form_token": token_in(page), "type": "receipt_tax_invoice"},
    )

    assert refused.status_code == 400
    body = html(refused)
    assert re.search(
        r'id="id_type".*?</select>\s*<p class="field-error">[^<]*' + invoice.number, body, re.S
    )
    assert len(documents(invoice.order)) == 1


def test_a_vat_shop_without_its_tax_id_is_told_what_to_do_first(db):
    shop = make_shop(vat_registered=True)
    cup = goods(shop, "CUP", price="107.00")
    order = prepaid_order(shop, cup)
    client = signed_in(shop)
    page = client.get(f"/accounting/orders/{order.pk}/issue/")

    refused = client.post(
        f"/accounting/orders/{order.pk}/issue/",
        {"form_token": token_in(page), "type": "tax_invoice"},
    )

    assert refused.status_code == 400
    assert "ใส่เลขประจำตัวผู้เสียภาษีของร้านก่อนออกเอกสาร" in html(refused)
    assert documents(order) == []


def test_a_non_vat_shop_is_offered_receipts_and_invoices_only(db):
    shop = make_shop()
    soap = goods(shop, "SOAP", price="45.00")
    order = prepaid_order(shop, soap)

    page = html(signed_in(shop).get(f"/orders/{order.pk}/"))

    block = page[page.index('id="documents"') :]
    options = re.findall(r'<option value="(\w+)"', block[: block.index("</section>")])
    assert set(options) == {"receipt", "invoice"}


# --- The credit-note flow -------------------------------------------------------------------


def test_a_credit_note_for_chosen_lines_is_issued_once(shop, mug):
    invoice = issued(shop, mug, quantity=3)  # 3,210.00
    line = invoice.lines.get()
    client = signed_in(shop, "staff")
    page = client.get(f"/accounting/documents/{invoice.pk}/credit-note/")
    assert page.status_code == 200
    form = {
        "form_token": token_in(page),
        "mode": "lines",
        f"line_{line.pk}": "1",
        "reason_code": "goods_returned",
        "reason_text": "แก้วแตก 1 ใบ",
    }

    first = client.post(f"/accounting/documents/{invoice.pk}/credit-note/", form)
    second = client.post(f"/accounting/documents/{invoice.pk}/credit-note/", form)

    assert first.status_code == second.status_code == 302
    [note] = Document.objects.for_shop(shop).filter(original=invoice)
    assert first["Location"] == f"/accounting/documents/{note.pk}/"
    assert (note.net_amount, note.vat_amount, note.total_amount) == (
        Decimal("1000.00"),
        Decimal("70.00"),
        Decimal("1070.00"),
    )
    assert note.reason_text == "แก้วแตก 1 ใบ"
    shown = html(client.get(f"/accounting/documents/{note.pk}/"))
    assert invoice.number in shown and "1,000.00" in shown
    original = html(client.get(f"/accounting/documents/{invoice.pk}/"))
    assert note.number in original
    assert re.search(r'data-testid="remaining">฿2,140.00<', original)


def test_a_credit_note_for_an_amount_beyond_what_is_left_is_refused_beside_the_amount(shop, mug):
    invoice = issued(shop, mug)
    client = signed_in(shop)
    url = f"/accounting/documents/{invoice.pk}/credit-note/"
    page = client.get(url)

    too_much = client.post(
        url,
        {
            "form_token": token_in(page),
            "mode": "amount",
            "amount": "2000.00",
            "reason_code": "price_error",
        },
    )
    no_reason = client.post(
        url,
        {"form_token": token_in(page), "mode": "amount", "amount": "10", "reason_code": "other"},
    )
    nothing_chosen = client.post(
        url, {"form_token": token_in(page), "mode": "lines", "reason_code": "price_error"}
    )

    assert too_much.status_code == 400
    assert re.search(
        r'id="id_amount"[^>]*>\s*<p class="field-error">ลดหนี้ได้ไม่เกิน 1070.00', html(too_much)
    )
    assert no_reason.status_code == 400
    assert re.search(
        r'id="id_reason_text".*?</textarea>\s*<p class="field-error">ระบุเหตุผล',
        html(no_reason),
        re.S,
    )
    assert nothing_chosen.status_code == 400 and "เลือกอย่างน้อยหนึ่งรายการ" in html(nothing_chosen)
    assert not Document.objects.for_shop(shop).filter(original=invoice).exists()


def test_a_fully_credited_or_non_tax_document_offers_no_credit_note(shop, mug):
    invoice = issued(shop, mug)
    issue_credit_note(document=invoice, by=BY, reason_code="price_error", amount=Decimal("1070"))
    receipt = issued(shop, mug, DocumentType.RECEIPT)
    client = signed_in(shop)

    for document in (invoice, receipt):
        assert 'data-testid="credit-note"' not in html(
            client.get(f"/accounting/documents/{document.pk}/")
        )
        refused = client.get(f"/accounting/documents/{document.pk}/credit-note/")
        assert refused.status_code == 302
        assert refused["Location"] == f"/accounting/documents/{document.pk}/"


# --- Settings ---------------------------------------------------------------------------------


def settings_form(page) -> dict:
    """The settings form as the page fills it in."""
    body = html(page)
    form = dict(re.findall(r'<input type="text" name="(\w+)" value="([^"]*)"', body))
    for name, options in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        form[name] = chosen.group(1) if chosen else ""
    form["form_token"] = token_in(page)
    return form


def test_settings_change_a_pattern_an_account_code_and_the_promptpay_target(shop):
    client = signed_in(shop, "accountant")
    page = client.get("/accounting/settings/")
    assert page.status_code == 200
    form = settings_form(page)
    assert form["tax_invoice"] == "INV-{be_year}-{month:02d}-{seq:05d}" and form["bank"] == "111201"

    saved = client.post(
        "/accounting/settings/",
        {
            **form,
            "tax_invoice": "TI{be_yy}{month:02d}-{seq:04d}",
            "bank": "111202",
            "promptpay_target": "081-234-5678",
            "cod_issue": "manual",
        },
    )

    assert saved.status_code == 302
    books = accounting_settings(shop)
    assert books.number_patterns == {"tax_invoice": "TI{be_yy}{month:02d}-{seq:04d}"}
    assert books.account_codes == {"bank": "111202"}
    assert books.promptpay_target == "0812345678"
    assert books.cod_issue == "manual"


def test_a_bad_pattern_or_account_code_is_shown_beside_its_field(shop):
    client = signed_in(shop)
    form = settings_form(client.get("/accounting/settings/"))

    refused = client.post(
        "/accounting/settings/", {**form, "receipt": "RE-{be_year}", "sales": "113101"}
    )

    assert refused.status_code == 400
    body = html(refused)
    assert re.search(
        r'name="receipt"[^>]*>\s*<small[^>]*>[^<]*</small>\s*<p class="field-error">รูปแบบเลขที่ต้องมี \{seq\}',
        body,
    )
    assert accounting_settings(shop).number_patterns == {}
    cod = client.post("/accounting/settings/", {**form, "promptpay_target": "12345"})
    assert cod.status_code == 400
    assert re.search(
        r'name="promptpay_target"[^>]*>\s*<p class="field-error">พร้อมเพย์ต้อง', html(cod)
    )


# --- Reports ----------------------------------------------------------------------------------


def test_the_reports_show_a_balanced_trial_balance_a_ledger_vat_sales_and_the_journal(shop, mug):
    invoice = issued(shop, mug, quantity=2)
    issue_credit_note(document=invoice, by=BY, reason_code="price_error", amount=Decimal("107"))
    client = signed_in(shop, "accountant")
    month = invoice.issue_date.strftime("%Y-%m")

    tb = client.get("/accounting/trial-balance/")
    vat = client.get("/accounting/vat-sales/", {"month": month})
    xlsx = client.get("/accounting/vat-sales/", {"month": month, "format": "xlsx"})
    pdf = client.get("/accounting/vat-sales/", {"month": month, "format": "pdf"})
    journal = client.get("/accounting/journal/")
    export = client.get("/accounting/journal/export/", {"format": "csv"})
    from talad.accounting.models import Account

    vat_account = Account.objects.for_shop(shop).get(code="213101")
    ledger = client.get("/accounting/ledger/", {"account": vat_account.pk})

    assert tb.status_code == 200 and 'data-testid="balanced"' in html(tb)
    assert re.search(r'data-testid="total-debit">฿([\d,.]+)<', html(tb)).group(1) == re.search(
        r'data-testid="total-credit">฿([\d,.]+)<', html(tb)
    ).group(1)
    assert re.search(r'data-testid="vat">฿133.00<', html(vat))  # 140 − 7
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(5, 3).value == "เลขที่ใบกำกับภาษี"
    assert pdf["Content-Type"] == "application/pdf"
    assert invoice.number in html(journal)
    assert (
        export["Content-Type"].startswith("text/csv") and invoice.number in export.content.decode()
    )
    assert re.search(r'data-testid="closing">฿-133.00<', html(ledger))
    bad = client.get(
        "/accounting/trial-balance/", {"date_from": "2026-12-01", "date_to": "2026-11-01"}
    )
    assert bad.status_code == 400 and "วันเริ่มต้องไม่หลังวันสิ้นสุด" in html(bad)


# --- Who sees what ----------------------------------------------------------------------------


def test_another_shops_documents_and_orders_are_not_found(shop, mug, other_shop):
    invoice = issued(shop, mug)
    client = signed_in(other_shop)

    for url in (
        f"/accounting/documents/{invoice.pk}/",
        f"/accounting/documents/{invoice.pk}/pdf/",
        f"/accounting/documents/{invoice.pk}/credit-note/",
        f"/accounting/orders/{invoice.order_id}/issue/",
    ):
        assert client.get(url).status_code == 404, url
    assert invoice.number not in html(client.get("/accounting/"))


def test_a_packer_is_refused_and_staff_see_documents_but_not_the_books(shop, mug):
    invoice = issued(shop, mug)
    packer, staff = signed_in(shop, "packer"), signed_in(shop, "staff")
    books = ["/accounting/trial-balance/", "/accounting/ledger/", "/accounting/vat-sales/",
             "/accounting/journal/", "/accounting/journal/export/", "/accounting/settings/"]  # fmt: skip
    documents_pages = ["/accounting/", f"/accounting/documents/{invoice.pk}/",
                       f"/accounting/documents/{invoice.pk}/pdf/",
                       f"/accounting/documents/{invoice.pk}/credit-note/"]  # fmt: skip

    for url in books + documents_pages:
        assert packer.get(url).status_code == 403, url
    for url in books:
        assert staff.get(url).status_code == 403, url
    assert staff.get("/accounting/").status_code == 200
    assert 'href="/accounting/"' not in html(packer.get(f"/orders/{invoice.order_id}/"))
    assert 'id="documents"' not in html(packer.get(f"/orders/{invoice.order_id}/"))
    assert 'href="/accounting/"' in html(staff.get("/orders/"))
    assert signed_in(shop, "admin").get("/accounting/settings/").status_code == 403
    assert signed_in(shop, "admin").get("/accounting/trial-balance/").status_code == 200
