"""Tax documents on paper: every type shows its title, the seller's tax ID and branch, the
Buddhist Era date, the VAT apart from the total and the total in Thai words; a credit note
names what it corrects; an unpaid bill carries a PromptPay QR that asks for exactly what is due."""

import os
from decimal import Decimal

import pytest
import segno
from django.utils import timezone, translation
from PIL import Image

from talad import promptpay
from talad.accounting.books import update_accounting_settings
from talad.accounting.models import Document, DocumentType
from talad.accounting.pdf import document_pdf, lay_out, unpaid_bill
from talad.accounting.services import issue_credit_note, issue_document
from talad.catalog.services import create_product
from talad.errors import TaladError
from talad.inventory.services import receive_stock
from talad.orders.inputs import NewOrder
from talad.orders.services import create_order
from talad.paper import pdf_text, poppler_available, render_png
from talad.shops.services import update_shop_profile
from talad.thai_dates import be_date
from talad.thai_words import baht_text
from tests.accounting.factories import (
    BUYER_TAX_ID,
    BY,
    SELLER_TAX_ID,
    act,
    cod_order,
    goods,
    prepaid_order,
    vat_shop,
)
from tests.conftest import ApiClient, make_shop, token_for
from tests.e2e.conftest import SCREENSHOT_DIR, SCREENSHOTS
from tests.orders.factories import CUSTOMER
from tests.paper.test_pdf import read_qr

pytestmark = pytest.mark.django_db

SALES_TYPES = [t for t in DocumentType.values if t != DocumentType.CREDIT_NOTE]
TITLES = {
    "tax_invoice": "ใบกำกับภาษี",
    "receipt_tax_invoice": "ใบเสร็จรับเงิน/ใบกำกับภาษี",
    "abbreviated_tax_invoice": "ใบกำกับภาษีอย่างย่อ",
    "receipt": "ใบเสร็จรับเงิน",
    "invoice": "ใบแจ้งหนี้",
    "credit_note": "ใบลดหนี้",
}
PROMPTPAY = "0812345678"


@pytest.fixture(autouse=True)
def poppler():
    if not poppler_available():
        if os.environ.get("CI") == "true":
            pytest.fail("poppler-utils (pdftotext, pdftoppm) must be installed in CI")
        pytest.skip("poppler-utils not installed")


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def mug(shop):
    return goods(shop, "MUG", price="1070.00", cost="600.00")


def fresh(document: Document) -> Document:
    return (
        Document.objects.for_shop(document.shop_id)
        .select_related("shop", "order", "original")
        .get(pk=document.pk)
    )


def issued(shop, variant, doc_type, quantity=1, **order_fields) -> Document:
    order = prepaid_order(shop, variant, quantity, **order_fields)
    return fresh(issue_document(order=order, doc_type=doc_type, by=BY))


def order_of(shop, lines, *, customer=CUSTOMER, **extra):
    order, _created = create_order(
        shop=shop,
        by=BY,
        order=NewOrder(
            channel="line",
            customer=customer,
            lines=[{"sku": variant.sku, "quantity": quantity} for variant, quantity in lines],
            payment_method=extra.pop("payment_method", "transfer"),
            **extra,
        ),
    )
    return order


def text_of(document: Document, **kwargs) -> str:
    return " ".join(pdf_text(document_pdf(document, **kwargs)).split())


def pages_of(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")


# --- Every type ------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_type", SALES_TYPES)
def test_each_document_shows_its_title_seller_tax_id_be_date_vat_total_and_words(
    shop, mug, doc_type
):
    document = issued(shop, mug, doc_type)

    text = text_of(document)

    today = timezone.localdate()
    assert TITLES[doc_type] in text
    assert f"เลขประจำตัวผู้เสียภาษี {SELLER_TAX_ID}" in text
    assert "สำนักงานใหญ่" in text
    assert document.number in text
    assert be_date(document.issue_date) in text
    assert str(today.year + 543) in text and str(today.year) not in be_date(today)
    assert "ภาษีมูลค่าเพิ่ม 7%" in text
    assert "70.00" in text and "1,000.00" in text and "1,070.00" in text
    assert "หนึ่งพันเจ็ดสิบบาทถ้วน" in text
    assert "สมชาย ใจดี" in text and "คลองหลวง" in text


def test_a_credit_note_shows_the_original_number_values_difference_vat_and_reason(shop, mug):
    invoice = issued(shop, mug, DocumentType.TAX_INVOICE, 2)  # 2,140.00 = 2,000 + 140
    note = issue_credit_note(
        document=invoice,
        by=BY,
        reason_code="defective_or_short",
        reason_text="แก้วบิ่น 1 ใบ",
        amount=Decimal("107.00"),
    )

    text = text_of(fresh(note))

    assert "ใบลดหนี้" in text
    assert note.number in text
    assert f"อ้างอิงเอกสารเลขที่ {invoice.number}" in text
    assert f"ลงวันที่ {be_date(invoice.issue_date)}" in text
    assert "มูลค่าสินค้าตามเอกสารเดิม 2,000.00" in text
    assert "มูลค่าสินค้าที่ถูกต้อง 1,900.00" in text
    assert "ผลต่าง 100.00" in text
    assert "ภาษีมูลค่าเพิ่ม 7% 7.00" in text
    assert "รวมยอดลดหนี้ทั้งสิ้น 107.00" in text
    assert baht_text(Decimal("107.00")) == "หนึ่งร้อยเจ็ดบาทถ้วน"
    assert "หนึ่งร้อยเจ็ดบาทถ้วน" in text
    assert "สินค้าชำรุดเสียหาย" in text and "แก้วบิ่น 1 ใบ" in text
    assert f"เลขประจำตัวผู้เสียภาษี {SELLER_TAX_ID}" in text


def test_the_buyer_tax_id_and_branch_are_printed_when_the_buyer_gave_them(shop, mug):
    buyer = {**CUSTOMER, "name": "บริษัท ตัวอย่าง จำกัด", "tax_id": BUYER_TAX_ID, "branch_code": "00001"}
    with_id = text_of(issued(shop, mug, DocumentType.TAX_INVOICE, customer=buyer))
    without = text_of(issued(shop, mug, DocumentType.TAX_INVOICE))

    assert f"เลขประจำตัวผู้เสียภาษี {BUYER_TAX_ID} สาขาที่ 00001" in with_id
    assert BUYER_TAX_ID not in without and "สาขาที่" not in without


def test_satang_are_read_in_words_on_the_page(shop):
    cup = goods(shop, "CUP", price="21.01")

    text = text_of(issued(shop, cup, DocumentType.RECEIPT_TAX_INVOICE))

    assert "21.01" in text
    assert "ยี่สิบเอ็ดบาทหนึ่งสตางค์" in text


def test_the_original_and_the_copy_are_one_page_each_or_one_alone(shop, mug):
    document = issued(shop, mug, DocumentType.RECEIPT_TAX_INVOICE)

    both = document_pdf(document)
    original = document_pdf(document, copies=("original",))

    assert pages_of(both) == 2 and pages_of(original) == 1
    first, second = pdf_text(both).split("\f")[:2]
    assert "ต้นฉบับ" in first and "สำเนา" not in first
    assert "สำเนา" in second and "ต้นฉบับ" not in second
    assert "สำเนา" not in pdf_text(original)
    with pytest.raises(ValueError):
        document_pdf(document, copies=("draft",))


def test_many_lines_run_onto_a_second_page_with_the_table_head_again(shop):
    variants = [goods(shop, f"SKU-{n:02d}", price="10.70") for n in range(45)]
    order = order_of(shop, [(v, 1) for v in variants])
    document = fresh(issue_document(order=order, doc_type=DocumentType.TAX_INVOICE, by=BY))

    pdf = document_pdf(document, copies=("original",))

    text = pdf_text(pdf)
    pages = text.split("\f")
    assert pages_of(pdf) >= 2
    assert "มีต่อหน้าถัดไป" in pages[0]
    assert f"{document.number} (ต้นฉบับ) - ต่อ" in " ".join(pages[1].split())
    assert "SKU-00" in text and "SKU-44" in text
    assert "481.50" in text  # 45 × 10.70, the total, after the last line


def test_a_non_vat_shop_receipt_shows_no_vat_and_no_branch(db):
    shop = make_shop(address="12 ถนนเจริญราษฎร์ กรุงเทพมหานคร 10120")
    soap = goods(shop, "SOAP", price="45.00")

    text = text_of(issued(shop, soap, DocumentType.RECEIPT))

    assert "ใบเสร็จรับเงิน" in text and "45.00" in text
    assert "ภาษีมูลค่าเพิ่ม" not in text and "มูลค่าก่อนภาษี" not in text
    assert "สี่สิบห้าบาทถ้วน" in text


def test_the_titles_stay_thai_when_the_person_printing_reads_english(shop, mug):
    document = issued(shop, mug, DocumentType.RECEIPT_TAX_INVOICE)
    with translation.override("en"):
        text = text_of(document)

    assert "ใบเสร็จรับเงิน/ใบกำกับภาษี" in text
    assert "Receipt" not in text


# --- The PromptPay QR on an unpaid bill --------------------------------------------------


def set_promptpay(shop, target=PROMPTPAY):
    update_accounting_settings(shop=shop, changes={"promptpay_target": target}, by=BY)


def test_an_unpaid_invoice_carries_a_promptpay_qr_for_exactly_what_is_due(shop, mug, tmp_path):
    set_promptpay(shop, "081-234-5678")
    invoice = issued(shop, mug, DocumentType.TAX_INVOICE, 3)  # 3,210.00
    issue_credit_note(document=invoice, by=BY, reason_code="price_error", amount=Decimal("10.70"))

    bill = unpaid_bill(fresh(invoice))
    pdf, pages = lay_out(fresh(invoice), copies=("original",))

    assert bill.amount == Decimal("3199.30")
    assert bill.payload == promptpay.payload("0812345678", Decimal("3199.30"))
    content = pdf.to_bytes()
    page, x, y, size = pages[0].qr_box
    image = Image.open(render_png(content, tmp_path / "bill.png", page, dpi=300))
    qr = segno.make_qr(bill.payload, error="m", boost_error=False)
    matrix = [[bool(cell) for cell in row] for row in qr.matrix]
    assert read_qr(image.convert("L"), x, y, size, len(matrix), 300) == matrix
    text = " ".join(pdf_text(content).split())
    assert "สแกนชำระด้วยพร้อมเพย์" in text and "ยอดชำระ 3,199.30 บาท" in text


def test_a_paid_order_a_receipt_or_a_shop_without_promptpay_gets_no_qr(shop, mug):
    unset = issued(shop, mug, DocumentType.INVOICE)
    assert unpaid_bill(unset) is None  # no PromptPay target yet

    set_promptpay(shop)
    bill = issued(shop, mug, DocumentType.INVOICE)
    receipt = issued(shop, mug, DocumentType.RECEIPT_TAX_INVOICE)
    assert unpaid_bill(fresh(bill)) is not None
    assert unpaid_bill(receipt) is None
    assert "พร้อมเพย์" not in text_of(receipt)

    act(bill.order, "pay")
    assert unpaid_bill(fresh(bill)) is None
    assert "พร้อมเพย์" not in text_of(fresh(bill))


def test_a_cod_tax_invoice_asks_no_payment_by_qr(shop, mug):
    set_promptpay(shop)
    order = cod_order(shop, mug)
    act(order, "confirm_cod")
    document = fresh(issue_document(order=order, doc_type=DocumentType.TAX_INVOICE, by=BY))

    assert unpaid_bill(document) is None


def test_a_bad_promptpay_target_is_refused_beside_its_field(shop):
    with pytest.raises(TaladError) as refused:
        set_promptpay(shop, "12345")
    assert refused.value.fields == {"promptpay_target": "invalid"}


# --- Pictures for the docs ------------------------------------------------------------------


SHOWCASE = {
    "CM-AR-250": ("กาแฟคั่วกลาง ดอยช้าง อาราบิก้า 250 ก. ชนิดเมล็ด คั่ววันต่อวัน", "289.00"),
    "HN-LY-500": ("น้ำผึ้งดอกลำไยแท้ 500 มล.", "159.00"),
    "SP-KM-01": ("สบู่สมุนไพรขมิ้นชัน", "45.00"),
}


@pytest.mark.skipif(not SCREENSHOTS, reason="set TALAD_SCREENSHOTS=1 to rewrite docs/screenshots")
@pytest.mark.parametrize("doc_type", [*SALES_TYPES, DocumentType.CREDIT_NOTE])
def test_screenshot_of_one_page_of_each_type(doc_type):
    shop = vat_shop()
    update_shop_profile(shop=shop, changes={"name": "ร้านป้าแดงของฝาก"}, by=BY)
    set_promptpay(shop)
    for sku, (name, price) in SHOWCASE.items():
        create_product(
            shop=shop, name=name, by=BY, variants=[{"sku": sku, "price": Decimal(price)}]
        )
        receive_stock(shop=shop, sku=sku, quantity=20, unit_cost=Decimal("40"), by=BY)
    company = {
        **CUSTOMER,
        "name": "บริษัท ตัวอย่างการค้าออนไลน์ จำกัด",
        "tax_id": BUYER_TAX_ID,
        "branch_code": "00000",
    }
    abbreviated = doc_type == DocumentType.ABBREVIATED_TAX_INVOICE
    order, _created = create_order(
        shop=shop,
        by=BY,
        order=NewOrder(
            channel="line",
            customer=CUSTOMER if abbreviated else company,
            lines=[
                {"sku": "CM-AR-250", "quantity": 2},
                {"sku": "HN-LY-500", "quantity": 1},
                {"sku": "SP-KM-01", "quantity": 3, "unit_price": "40.00"},
            ],
            payment_method="transfer",
            shipping_fee=Decimal("50"),
        ),
    )
    base = DocumentType.TAX_INVOICE if doc_type == DocumentType.CREDIT_NOTE else doc_type
    document = issue_document(order=order, doc_type=base, by=BY)
    if doc_type == DocumentType.CREDIT_NOTE:
        line = document.lines.get(sku="HN-LY-500")
        document = issue_credit_note(
            document=document,
            by=BY,
            reason_code="goods_returned",
            reason_text="ลูกค้าส่งคืน ขวดแตกระหว่างขนส่ง",
            lines=[{"line_id": line.pk}],
        )
    path = SCREENSHOT_DIR / f"doc-{doc_type.replace('_', '-')}.png"
    render_png(document_pdf(fresh(document), copies=("original",)), path, dpi=80)
    assert path.exists()


# --- GET /api/v1/documents/{id}/pdf ----------------------------------------------------------


def test_the_api_sends_the_pdf_of_a_document_of_this_shop_only(shop, mug, other_shop):
    document = issued(shop, mug, DocumentType.TAX_INVOICE)
    api = ApiClient(token_for(shop, "staff"))

    both = api.get(f"/api/v1/documents/{document.pk}/pdf")
    copy = api.get(f"/api/v1/documents/{document.pk}/pdf?copy=copy")
    unknown = api.get(f"/api/v1/documents/{document.pk}/pdf?copy=draft")

    assert both.status_code == 200 and both["Content-Type"] == "application/pdf"
    assert both["Content-Disposition"] == f'inline; filename="{document.number}.pdf"'
    assert both["Cache-Control"] == "private, no-store"
    assert pages_of(both.content) == 2 and pages_of(copy.content) == 1
    assert "สำเนา" in pdf_text(copy.content) and "ต้นฉบับ" not in pdf_text(copy.content)
    assert unknown.status_code == 422
    elsewhere = ApiClient(token_for(other_shop)).get(f"/api/v1/documents/{document.pk}/pdf")
    assert elsewhere.status_code == 404
    packer = ApiClient(token_for(shop, "packer")).get(f"/api/v1/documents/{document.pk}/pdf")
    assert packer.status_code == 403


def test_the_promptpay_target_is_part_of_the_accounting_settings_api(shop):
    api = ApiClient(token_for(shop))

    changed = api.patch("/api/v1/accounting/settings", {"promptpay_target": "0812345678"})
    refused = api.patch("/api/v1/accounting/settings", {"promptpay_target": "0812"})

    assert changed.status_code == 200 and changed.json()["promptpay_target"] == "0812345678"
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"promptpay_target": "invalid"}
