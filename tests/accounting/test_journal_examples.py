"""The ฿1,070 examples of docs/design/money.md#journal post exactly those lines, by themselves.

A mug sells for ฿1,070 with VAT (net 1,000.00, VAT 70.00) and cost ฿600 to buy. Every
entry here is posted by the order's own actions (or, for the COD remittance, by the service
shipping calls); no test writes an entry by hand.
"""

from decimal import Decimal

import pytest

from talad.accounting.models import DocumentType, JournalEntry
from talad.accounting.services import issue_document, post_cod_remittance
from talad.errors import Conflict
from tests.accounting.factories import (
    BY,
    act,
    cod_order,
    documents,
    entries,
    entry_lines,
    goods,
    prepaid_order,
    vat_shop,
)

pytestmark = pytest.mark.django_db

SALE = [("output_vat", "0.00", "70.00"), ("sales", "0.00", "1000.00")]
COGS = [("cogs", "600.00", "0.00"), ("inventory", "0.00", "600.00")]
STOCK_BACK = [("inventory", "600.00", "0.00"), ("cogs", "0.00", "600.00")]


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def mug(shop):
    return goods(shop, "MUG", price="1070.00", cost="600.00")


def test_a_prepaid_sale_issues_a_receipt_tax_invoice_and_posts_bank_sales_and_output_vat(shop, mug):
    order = act(prepaid_order(shop, mug), "pay")

    [receipt] = documents(order)
    [entry] = entries(order)
    assert receipt.doc_type == DocumentType.RECEIPT_TAX_INVOICE
    assert (receipt.net_amount, receipt.vat_amount, receipt.total_amount) == (1000, 70, 1070)
    assert entry.document == receipt
    assert entry_lines(entry) == [("bank", "1070.00", "0.00"), *SALE]


def test_a_credit_sale_posts_the_receivable_and_its_payment_clears_it(shop, mug):
    order = prepaid_order(shop, mug)

    invoice = issue_document(order=order, doc_type=DocumentType.TAX_INVOICE, by=BY)
    order = act(order, "pay")

    sale, payment = entries(order)
    assert sale.document == invoice
    assert entry_lines(sale) == [("ar_trade", "1070.00", "0.00"), *SALE]
    assert entry_lines(payment) == [("bank", "1070.00", "0.00"), ("ar_trade", "0.00", "1070.00")]
    assert documents(order) == [invoice]  # paying does not issue a second document


def test_cost_of_goods_is_posted_at_shipment_at_the_moving_average_cost(shop, mug):
    order = act(act(act(prepaid_order(shop, mug), "pay"), "pack"), "ship")

    _sale, cogs = entries(order)
    assert entry_lines(cogs) == COGS
    assert cogs.source_type == "order_action"


def test_cod_delivered_issues_a_tax_invoice_against_the_carrier(shop, mug):
    order = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship"):
        order = act(order, action)
    assert documents(order) == []  # revenue waits for delivery

    order = act(order, "deliver")

    [invoice] = documents(order)
    _cogs, delivered = entries(order)
    assert invoice.doc_type == DocumentType.TAX_INVOICE
    assert entry_lines(delivered) == [("ar_cod_carrier", "1070.00", "0.00"), *SALE]


def test_cod_remitted_posts_bank_the_cod_fee_and_the_input_vat_on_it(shop, mug):
    order = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship", "deliver"):
        order = act(order, action)

    remitted = post_cod_remittance(
        shop=shop, order=order, amount="1070.00", fee="32.10", vat_on_fee="2.25", by=BY
    )

    assert entry_lines(remitted) == [
        ("bank", "1035.65", "0.00"),
        ("cod_fee", "32.10", "0.00"),
        ("input_vat", "2.25", "0.00"),
        ("ar_cod_carrier", "0.00", "1070.00"),
    ]
    assert remitted.source_type == "cod_remittance"


def test_the_carrier_cannot_remit_an_order_twice(shop, mug):
    order = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship", "deliver"):
        order = act(order, action)
    post_cod_remittance(
        shop=shop, order=order, amount="1070.00", fee="32.10", vat_on_fee="2.25", by=BY
    )

    with pytest.raises(Conflict) as refused:
        post_cod_remittance(
            shop=shop, order=order, amount="1070.00", fee="32.10", vat_on_fee="2.25", by=BY
        )

    assert refused.value.fields == {"amount": "not_owed"}


def test_a_return_issues_a_credit_note_and_puts_the_goods_back_at_cost(shop, mug):
    order = prepaid_order(shop, mug)
    for action in ("pay", "pack", "ship", "deliver"):
        order = act(order, action)

    order = act(order, "receive_return", lines=[{"sku": "MUG", "condition": "sellable"}])

    receipt, credit_note = documents(order)
    *_before, credited, stock_back = entries(order)
    assert credit_note.original == receipt
    assert credit_note.reason_code == "goods_returned"
    assert entry_lines(credited) == [
        ("output_vat", "70.00", "0.00"),
        ("sales_returns", "1000.00", "0.00"),
        ("refunds_payable", "0.00", "1070.00"),
    ]
    assert entry_lines(stock_back) == STOCK_BACK


def test_damaged_returns_move_their_cost_from_cost_of_goods_to_damaged_goods(shop, mug):
    order = prepaid_order(shop, mug)
    for action in ("pay", "pack", "ship", "deliver"):
        order = act(order, action)

    order = act(order, "receive_return", lines=[{"sku": "MUG", "condition": "damaged"}])

    assert entry_lines(entries(order)[-1]) == [
        ("damaged_goods", "600.00", "0.00"),
        ("cogs", "0.00", "600.00"),
    ]


def test_a_refused_cod_parcel_books_no_sale_and_puts_the_goods_back(shop, mug):
    order = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship"):
        order = act(order, action)

    order = act(order, "fail_delivery", reason="refused")
    order = act(order, "receive_return")

    cogs, stock_back = entries(order)
    assert documents(order) == []
    assert entry_lines(cogs) == COGS
    assert entry_lines(stock_back) == STOCK_BACK


def test_the_whole_cod_story_leaves_the_carrier_owing_nothing(shop, mug):
    order = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship", "deliver"):
        order = act(order, action)
    post_cod_remittance(
        shop=shop, order=order, amount="1070.00", fee="32.10", vat_on_fee="2.25", by=BY
    )

    net = {}
    for entry in entries(order):
        for role, debit, credit in entry_lines(entry):
            net[role] = net.get(role, Decimal("0")) + Decimal(debit) - Decimal(credit)
    assert {role: str(value) for role, value in net.items()} == {
        "cogs": "600.00",
        "inventory": "-600.00",
        "ar_cod_carrier": "0.00",
        "sales": "-1000.00",
        "output_vat": "-70.00",
        "bank": "1035.65",
        "cod_fee": "32.10",
        "input_vat": "2.25",
    }
    assert [e.source_type for e in entries(order)] == [
        "order_action",  # ship: cost of goods
        "document",  # deliver: the tax invoice
        "cod_remittance",
    ]
    everything = JournalEntry.objects.for_shop(shop).order_by("id")
    assert [e.source_type for e in everything] == [
        "purchase",
        *[e.source_type for e in entries(order)],
    ]
