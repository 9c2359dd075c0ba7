"""An unpaid order's page shows a PromptPay QR for exactly its total, to send in the chat; a
receipt says how the customer paid (the transfer and its reference, or the COD collected)."""

import base64
import io
import os
import re
from decimal import Decimal

import pytest
import segno
from PIL import Image

from talad import promptpay
from talad.accounting.books import update_accounting_settings
from talad.accounting.models import Document, DocumentType
from talad.paper import poppler_available
from talad.thai_dates import be_date
from tests.accounting.factories import BY, act, cod_order, documents, goods, prepaid_order, vat_shop
from tests.accounting.test_pdf import text_of
from tests.orders.test_views import signed_in

pytestmark = pytest.mark.django_db
PROMPTPAY = "0812345678"


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def mug(shop):
    return goods(shop, "MUG", price="1070.25")


def qr_block(html: str) -> tuple[str, str]:
    """The payload the page says it encoded, and the PNG it shows."""
    found = re.search(r'<img src="data:image/png;base64,([^"]+)"[^>]*data-payload="([^"]+)"', html)
    return found.group(2), found.group(1)


def modules(png_base64: str, n: int, scale: int = 8, border: int = 4) -> list[list[bool]]:
    image = Image.open(io.BytesIO(base64.b64decode(png_base64))).convert("L")
    at = lambda i: (border + i) * scale + scale // 2  # noqa: E731
    return [[image.getpixel((at(c), at(r))) < 128 for c in range(n)] for r in range(n)]


def test_an_unpaid_orders_page_shows_a_promptpay_qr_for_its_exact_total(shop, mug):
    update_accounting_settings(shop=shop, changes={"promptpay_target": PROMPTPAY}, by=BY)
    order = prepaid_order(shop, mug, 2)  # 2,140.50
    html = signed_in(shop).get(f"/orders/{order.pk}/").content.decode()

    payload, png = qr_block(html)
    assert payload == promptpay.payload(PROMPTPAY, Decimal("2140.50"))
    assert "54072140.50" in payload  # the amount the payer's app fills in
    expected = [[bool(m) for m in row] for row in segno.make_qr(payload, error="m").matrix]
    assert modules(png, len(expected)) == expected
    assert 'data-testid="promptpay-amount">฿2,140.50<' in html


def test_no_qr_once_paid_for_cod_or_without_a_promptpay_target(shop, mug):
    order = prepaid_order(shop, mug)
    client = signed_in(shop)
    assert 'data-testid="promptpay"' not in client.get(f"/orders/{order.pk}/").content.decode()
    update_accounting_settings(shop=shop, changes={"promptpay_target": PROMPTPAY}, by=BY)
    assert 'data-testid="promptpay"' in client.get(f"/orders/{order.pk}/").content.decode()
    act(order, "pay")
    assert 'data-testid="promptpay"' not in client.get(f"/orders/{order.pk}/").content.decode()
    cod = cod_order(shop, mug)
    assert 'data-testid="promptpay"' not in client.get(f"/orders/{cod.pk}/").content.decode()
    packer = signed_in(shop, "packer")
    other = prepaid_order(shop, mug)
    assert 'data-testid="promptpay"' not in packer.get(f"/orders/{other.pk}/").content.decode()


# --- Receipts --------------------------------------------------------------------------------


@pytest.fixture
def poppler():
    if not poppler_available():
        if os.environ.get("CI") == "true":
            pytest.fail("poppler-utils (pdftotext, pdftoppm) must be installed in CI")
        pytest.skip("poppler-utils not installed")


def fresh(document):
    return Document.objects.for_shop(document.shop_id).select_related("order").get(pk=document.pk)


def test_a_receipt_says_the_customer_paid_by_transfer_with_its_reference_and_date(
    poppler, shop, mug
):
    order = prepaid_order(shop, mug)
    act(order, "pay", reference="SCB-778899")
    (receipt,) = documents(order)
    assert receipt.doc_type == DocumentType.RECEIPT_TAX_INVOICE

    text = text_of(fresh(receipt), copies=("original",))
    assert "ชำระโดย" in text
    assert "โอนเงิน 1,070.25 บาท" in text
    assert "เลขอ้างอิง SCB-778899" in text
    payment = order.payments.get()
    assert be_date(payment.paid_at, short=True) in text


def test_a_receipt_for_cod_says_the_carrier_collected_it(poppler, shop, mug):
    update_accounting_settings(
        shop=shop, changes={"cod_document_type": DocumentType.RECEIPT_TAX_INVOICE}, by=BY
    )
    order = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship", "deliver"):
        act(order, action)
    (receipt,) = documents(order)
    assert receipt.doc_type == DocumentType.RECEIPT_TAX_INVOICE

    text = text_of(fresh(receipt), copies=("original",))
    assert "ชำระโดย" in text
    assert "เก็บเงินปลายทาง (COD) 1,070.25 บาท" in text
    assert f"เลขพัสดุ TH{order.pk:010d}" in text


def test_a_bill_does_not_claim_a_payment(poppler, shop, mug):
    order = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship", "deliver"):
        act(order, action)
    (invoice,) = documents(order)
    assert invoice.doc_type == DocumentType.TAX_INVOICE
    assert "ชำระโดย" not in text_of(fresh(invoice), copies=("original",))
