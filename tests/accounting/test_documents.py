"""Documents: the legal fields kept as they were, never changed, numbered without gaps,
credited only as far as they go, and only the kinds a shop may issue."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from talad.accounting.books import update_accounting_settings
from talad.accounting.errors import (
    CreditTooLarge,
    DocumentAlreadyIssued,
    DocumentNotAllowed,
    ImmutableRecord,
)
from talad.accounting.models import (
    Document,
    DocumentLine,
    DocumentSequence,
    DocumentType,
    JournalEntry,
    JournalLine,
)
from talad.accounting.numbering import check_pattern, next_document_number
from talad.accounting.services import issue_credit_note, issue_document
from talad.errors import TaladError
from talad.shops.services import update_shop_profile
from tests.accounting.factories import (
    BUYER_TAX_ID,
    BY,
    SELLER_TAX_ID,
    act,
    cod_order,
    documents,
    entries,
    entry_lines,
    goods,
    prepaid_order,
    vat_shop,
)
from tests.conftest import make_shop
from tests.orders.factories import CUSTOMER

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def mug(shop):
    return goods(shop, "MUG", price="1070.00", cost="600.00")


# --- The legal fields ------------------------------------------------------------------------


def test_a_tax_invoice_keeps_the_seller_and_buyer_as_they_were_when_it_was_issued(shop, mug):
    buyer = {**CUSTOMER, "tax_id": BUYER_TAX_ID, "branch_code": "00001"}
    order = prepaid_order(shop, mug, 2, customer=buyer, shipping_fee="50.00")

    invoice = issue_document(order=order, doc_type=DocumentType.TAX_INVOICE, by=BY)
    update_shop_profile(shop=shop, changes={"name": "ชื่อใหม่", "address": "ที่อยู่ใหม่"}, by=BY)
    invoice = Document.objects.for_shop(shop).get(pk=invoice.pk)

    today = timezone.localdate()
    assert invoice.number == f"INV-{today.year + 543}-{today.month:02d}-00001"
    assert (invoice.seller_name, invoice.seller_tax_id, invoice.seller_branch_code) == (
        shop.name,
        SELLER_TAX_ID,
        "00000",
    )
    assert invoice.seller_address.startswith("99/1 ถ.พหลโยธิน")
    assert (invoice.buyer_name, invoice.buyer_tax_id, invoice.buyer_branch_code) == (
        "สมชาย ใจดี",
        BUYER_TAX_ID,
        "00001",
    )
    assert invoice.buyer_address == "99/1 ม.4 คลองหนึ่ง คลองหลวง ปทุมธานี 12120"
    assert [
        (li.kind, li.description, li.quantity, li.unit_price, li.amount)
        for li in invoice.lines.all()
    ] == [
        ("goods", "สินค้า MUG", 2, Decimal("1070.00"), Decimal("2140.00")),
        ("shipping", "ค่าจัดส่ง", 1, Decimal("50.00"), Decimal("50.00")),
    ]
    # 2,190 with VAT: VAT = 2190 × 7 / 107 = 143.27 (half up), net 2,046.73
    assert (invoice.net_amount, invoice.vat_amount, invoice.total_amount) == (
        Decimal("2046.73"),
        Decimal("143.27"),
        Decimal("2190.00"),
    )


def test_shipping_is_booked_as_shipping_income_in_proportion(shop, mug):
    order = act(
        prepaid_order(shop, goods(shop, "TEA", price="1000.00"), shipping_fee="70.00"), "pay"
    )

    [sale] = entries(order)
    # net 1,000.00 shared 1,000 : 70 → shipping 65.42, goods 934.58
    assert entry_lines(sale) == [
        ("bank", "1070.00", "0.00"),
        ("output_vat", "0.00", "70.00"),
        ("sales", "0.00", "934.58"),
        ("shipping_income", "0.00", "65.42"),
    ]


# --- Never changed ---------------------------------------------------------------------------


def test_issued_documents_and_posted_entries_never_change(shop, mug):
    order = act(prepaid_order(shop, mug), "pay")
    [document] = documents(order)
    [entry] = entries(order)
    line = document.lines.first()
    journal_line = entry.lines.first()

    for row in (document, line, entry, journal_line):
        with pytest.raises(ImmutableRecord):
            row.save()
        with pytest.raises(ImmutableRecord):
            row.delete()
    for model in (Document, DocumentLine, JournalEntry, JournalLine):
        with pytest.raises(ImmutableRecord):
            model.objects.for_shop(shop).update(shop=shop)
        with pytest.raises(ImmutableRecord):
            model.objects.for_shop(shop).delete()
        with pytest.raises(ImmutableRecord):
            model.unscoped.all().update(shop=shop)

    assert Document.objects.for_shop(shop).get().total_amount == Decimal("1070.00")


# --- Numbering -------------------------------------------------------------------------------


def test_numbers_use_the_buddhist_era_and_restart_every_month(shop):
    pattern = "INV-{be_year}-{month:02d}-{seq:05d}"

    def number(day):
        return next_document_number(shop=shop, doc_type="tax_invoice", pattern=pattern, day=day)[0]

    assert number(date(2026, 11, 1)) == "INV-2569-11-00001"
    assert number(date(2026, 11, 30)) == "INV-2569-11-00002"
    assert number(date(2026, 12, 1)) == "INV-2569-12-00001"
    assert number(date(2026, 11, 15)) == "INV-2569-11-00003"


def test_a_pattern_without_a_month_numbers_through_the_year(shop):
    def number(day):
        return next_document_number(
            shop=shop, doc_type="receipt", pattern="R{be_yy}/{seq:04d}", day=day
        )[0]

    assert [number(date(2026, 1, 5)), number(date(2026, 12, 5)), number(date(2027, 1, 1))] == [
        "R69/0001",
        "R69/0002",
        "R70/0001",
    ]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("INV-{be_year}", "missing_seq"),
        ("INV-{seq}-{colour}", "invalid_pattern"),
        ("INV-{seq.real}", "invalid_pattern"),
        ("INV-{seq", "invalid_pattern"),
        ("X" * 41 + "{seq}", "too_long"),
    ],
)
def test_a_numbering_pattern_must_be_usable(pattern, problem):
    with pytest.raises(TaladError) as refused:
        check_pattern(pattern, "number_patterns.tax_invoice")

    assert refused.value.fields == {"number_patterns.tax_invoice": problem}


def test_a_shop_can_choose_its_own_pattern(shop, mug):
    update_accounting_settings(
        shop=shop, changes={"number_patterns": {"receipt_tax_invoice": "RC{year}-{seq:06d}"}}, by=BY
    )

    order = act(prepaid_order(shop, mug), "pay")

    assert documents(order)[0].number == f"RC{timezone.localdate().year}-000001"


def test_a_rolled_back_issue_gives_its_number_back(shop, mug):
    order = prepaid_order(shop, mug)

    with pytest.raises(RuntimeError), transaction.atomic():
        issue_document(order=order, doc_type=DocumentType.TAX_INVOICE, by=BY)
        raise RuntimeError("the rest of the work failed")
    invoice = issue_document(order=order, doc_type=DocumentType.TAX_INVOICE, by=BY)

    assert invoice.sequence == 1
    assert DocumentSequence.objects.for_shop(shop).get(doc_type="tax_invoice").last_number == 1


# --- One sale, one document ------------------------------------------------------------------


def test_an_order_gets_one_sales_document_until_a_credit_note_takes_it_back(shop, mug):
    order = act(prepaid_order(shop, mug), "pay")

    with pytest.raises(DocumentAlreadyIssued):
        issue_document(order=order, doc_type=DocumentType.TAX_INVOICE, by=BY)

    [receipt] = documents(order)
    issue_credit_note(document=receipt, by=BY, reason_code="price_error", amount="1070.00")
    again = issue_document(order=order, doc_type=DocumentType.TAX_INVOICE, by=BY)
    assert again.doc_type == "tax_invoice"


# --- Credit notes ----------------------------------------------------------------------------


def test_cancelling_an_order_after_its_tax_invoice_issues_a_credit_note(shop, mug):
    order = act(prepaid_order(shop, mug), "pay")

    order = act(order, "cancel", reason="สินค้าหมด")

    receipt, credit_note = documents(order)
    assert credit_note.doc_type == DocumentType.CREDIT_NOTE
    assert credit_note.number.startswith("CN-")
    assert credit_note.original == receipt
    assert (credit_note.original_value, credit_note.corrected_value) == (
        Decimal("1000.00"),
        Decimal("0.00"),
    )
    assert (credit_note.net_amount, credit_note.vat_amount, credit_note.total_amount) == (
        Decimal("1000.00"),
        Decimal("70.00"),
        Decimal("1070.00"),
    )
    assert (credit_note.reason_code, credit_note.reason_text) == ("advance_refunded", "สินค้าหมด")
    assert credit_note.buyer_name == receipt.buyer_name
    assert entry_lines(entries(order)[-1]) == [
        ("output_vat", "70.00", "0.00"),
        ("sales_returns", "1000.00", "0.00"),
        ("refunds_payable", "0.00", "1070.00"),
    ]
    with pytest.raises(CreditTooLarge):
        issue_credit_note(document=receipt, by=BY, reason_code="price_error", amount="0.01")


def test_cancelling_an_unpaid_order_with_a_tax_invoice_credits_the_receivable(shop, mug):
    order = prepaid_order(shop, mug)
    issue_document(order=order, doc_type=DocumentType.TAX_INVOICE, by=BY)

    order = act(order, "cancel")

    assert entry_lines(entries(order)[-1])[-1] == ("ar_trade", "0.00", "1070.00")


def test_credit_notes_take_some_lines_then_an_amount_and_never_more_than_is_left(shop, mug):
    order = act(prepaid_order(shop, mug, 3), "pay")  # 3 × 1,070 = 3,210: net 3,000, VAT 210
    [receipt] = documents(order)
    line = receipt.lines.get()

    one_mug = issue_credit_note(
        document=receipt,
        by=BY,
        reason_code="defective_or_short",
        lines=[{"line_id": line.pk, "quantity": 1}],
    )
    with pytest.raises(CreditTooLarge) as too_many:
        issue_credit_note(
            document=receipt,
            by=BY,
            reason_code="goods_returned",
            lines=[{"line_id": line.pk, "quantity": 3}],
        )
    with pytest.raises(CreditTooLarge) as too_much:
        issue_credit_note(document=receipt, by=BY, reason_code="price_error", amount="2140.01")
    discount = issue_credit_note(
        document=receipt, by=BY, reason_code="other", reason_text="ส่วนลดพิเศษ", amount="99.00"
    )
    rest = issue_credit_note(document=receipt, by=BY, reason_code="price_error", amount="2041.00")

    assert too_many.value.fields == {"lines[0].quantity": "exceeds_remaining"}
    assert too_much.value.fields == {"amount": "exceeds_remaining"}
    assert (one_mug.net_amount, one_mug.vat_amount, one_mug.corrected_value) == (
        Decimal("1000.00"),
        Decimal("70.00"),
        Decimal("2000.00"),
    )
    assert one_mug.lines.get().original_line == line
    assert (discount.net_amount, discount.vat_amount) == (Decimal("92.52"), Decimal("6.48"))
    # The last credit takes exactly what is left, so the VAT comes back to the satang.
    notes = [one_mug, discount, rest]
    assert sum(n.vat_amount for n in notes) == receipt.vat_amount
    assert sum(n.net_amount for n in notes) == receipt.net_amount
    assert rest.corrected_value == Decimal("0.00")


def test_a_credit_note_needs_a_reason_from_the_law(shop, mug):
    order = act(prepaid_order(shop, mug), "pay")
    [receipt] = documents(order)

    with pytest.raises(TaladError) as unknown:
        issue_credit_note(document=receipt, by=BY, reason_code="felt_like_it", amount="10.00")
    with pytest.raises(TaladError) as unexplained:
        issue_credit_note(document=receipt, by=BY, reason_code="other", amount="10.00")

    assert unknown.value.fields == {"reason_code": "unknown"}
    assert unexplained.value.fields == {"reason_text": "required"}


# --- Who may issue what ----------------------------------------------------------------------


def test_a_shop_not_registered_for_vat_issues_receipts_and_invoices_only():
    shop = make_shop(address="12 ตลาดนัด")
    mug = goods(shop, "MUG", price="1070.00")

    paid = act(prepaid_order(shop, mug), "pay")
    cod = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship", "deliver"):
        cod = act(cod, action)

    [receipt] = documents(paid)
    [invoice] = documents(cod)
    assert (receipt.doc_type, invoice.doc_type) == ("receipt", "invoice")
    assert (receipt.vat_amount, receipt.net_amount, receipt.vat_rate) == (0, 1070, 0)
    assert entry_lines(entries(paid)[0]) == [
        ("bank", "1070.00", "0.00"),
        ("sales", "0.00", "1070.00"),
    ]
    for doc_type in ("tax_invoice", "receipt_tax_invoice", "abbreviated_tax_invoice"):
        with pytest.raises(DocumentNotAllowed) as refused:
            issue_document(order=prepaid_order(shop, mug), doc_type=doc_type, by=BY)
        assert refused.value.fields == {"type": "needs_vat_registration"}
    with pytest.raises(DocumentNotAllowed):
        issue_credit_note(document=receipt, by=BY, reason_code="price_error", amount="10.00")


def test_a_shop_not_registered_for_vat_reverses_a_cancelled_sale_in_the_journal():
    shop = make_shop()
    order = act(prepaid_order(shop, goods(shop, "MUG", price="500.00")), "pay")

    order = act(order, "cancel")

    assert [d.doc_type for d in documents(order)] == ["receipt"]
    assert entry_lines(entries(order)[-1]) == [
        ("sales_returns", "500.00", "0.00"),
        ("refunds_payable", "0.00", "500.00"),
    ]


def test_a_vat_shop_without_its_tax_id_keeps_selling_and_holds_the_money_as_a_deposit():
    shop = make_shop(vat_registered=True)
    mug = goods(shop, "MUG", price="1070.00")

    order = act(prepaid_order(shop, mug), "pay")

    assert documents(order) == []
    assert entry_lines(entries(order)[0]) == [
        ("bank", "1070.00", "0.00"),
        ("customer_deposit", "0.00", "1070.00"),
    ]
    with pytest.raises(DocumentNotAllowed) as refused:
        issue_document(order=order, doc_type="tax_invoice", by=BY)
    assert refused.value.fields == {"shop.tax_id": "required"}


def test_with_manual_issuing_the_money_waits_as_a_deposit_until_the_document(shop, mug):
    update_accounting_settings(shop=shop, changes={"prepaid_issue": "manual"}, by=BY)
    order = act(prepaid_order(shop, mug), "pay")

    invoice = issue_document(order=order, doc_type="tax_invoice", by=BY)

    paid, sale = entries(order)
    assert entry_lines(paid) == [
        ("bank", "1070.00", "0.00"),
        ("customer_deposit", "0.00", "1070.00"),
    ]
    assert sale.document == invoice
    assert entry_lines(sale)[0] == ("customer_deposit", "1070.00", "0.00")


def test_cancelling_before_any_document_gives_the_deposit_back(shop, mug):
    update_accounting_settings(shop=shop, changes={"prepaid_issue": "manual"}, by=BY)
    order = act(act(prepaid_order(shop, mug), "pay"), "cancel")

    assert entry_lines(entries(order)[-1]) == [
        ("customer_deposit", "1070.00", "0.00"),
        ("refunds_payable", "0.00", "1070.00"),
    ]


def test_a_marketplace_order_is_owed_by_the_platform(shop, mug):
    order = prepaid_order(shop, mug, channel="shopee", external_id="SP-1")

    [sale] = entries(order)
    assert entry_lines(sale)[0] == ("ar_marketplace", "1070.00", "0.00")


def test_closed_orders_get_no_new_document(shop, mug):
    order = act(prepaid_order(shop, mug), "cancel")

    with pytest.raises(TaladError) as refused:
        issue_document(order=order, doc_type="tax_invoice", by=BY)

    assert refused.value.fields == {"order": "closed"}
