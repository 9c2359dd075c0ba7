"""The stock's other half: goods in, counts and adjustments, returns and refunds all reach the
books, so the inventory account always holds what the stock is worth at moving-average cost
(docs/design/stock.md#cost, docs/design/money.md#journal)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from talad.accounting.models import JournalEntry
from talad.accounting.services import Posting, post_journal_entry
from talad.errors import TaladError
from talad.inventory.models import Purchase, StockLevel
from talad.inventory.services import adjust_stock, count_stock, receive_stock
from tests.accounting.factories import BY, act, balance, entries, entry_lines, prepaid_order
from tests.conftest import make_shop, make_variant

pytestmark = pytest.mark.django_db


def last_entry(shop) -> JournalEntry:
    return JournalEntry.objects.for_shop(shop).order_by("-id").first()


def stock_worth(shop) -> Decimal:
    total = Decimal("0.00")
    for level in StockLevel.objects.for_shop(shop).select_related("variant"):
        total += (level.variant.cost * level.on_hand).quantize(Decimal("0.01"))
    return total


def doctor(shop) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("doctor", "--shop", shop.slug, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def shop():
    return make_shop()


@pytest.fixture
def mug(shop):
    return make_variant(shop, "MUG", price="1070.00")


def test_goods_bought_on_credit_are_owed_to_the_named_supplier(shop, mug):
    receive_stock(
        shop=shop,
        sku="MUG",
        quantity=10,
        unit_cost="600.00",
        by=BY,
        supplier="บริษัท เซรามิกไทย จำกัด",
        purchase_reference="IV-6901",
    )

    purchase = Purchase.objects.for_shop(shop).get()
    assert (purchase.supplier.name, purchase.reference, purchase.paid_by, purchase.amount) == (
        "บริษัท เซรามิกไทย จำกัด",
        "IV-6901",
        "credit",
        Decimal("6000.00"),
    )
    entry = last_entry(shop)
    assert entry.source_type == "purchase" and entry.source_id == str(purchase.pk)
    assert entry_lines(entry) == [("inventory", "6000.00", "0.00"), ("ap_trade", "0.00", "6000.00")]
    assert entry.lines.get(role="ap_trade").memo == "บริษัท เซรามิกไทย จำกัด IV-6901"


@pytest.mark.parametrize(("paid_by", "role"), [("cash", "cash"), ("bank", "bank")])
def test_goods_paid_for_at_once_come_out_of_cash_or_the_bank(shop, mug, paid_by, role):
    receive_stock(shop=shop, sku="MUG", quantity=2, unit_cost="45.50", by=BY, paid_by=paid_by)

    assert entry_lines(last_entry(shop)) == [
        ("inventory", "91.00", "0.00"),
        (role, "0.00", "91.00"),
    ]


def test_a_receipt_with_an_unknown_way_of_paying_writes_nothing(shop, mug):
    with pytest.raises(TaladError) as refused:
        receive_stock(shop=shop, sku="MUG", quantity=2, unit_cost="1.00", by=BY, paid_by="ious")

    assert refused.value.fields == {"paid_by": "invalid"}
    assert not Purchase.objects.for_shop(shop).exists()
    assert StockLevel.objects.for_shop(shop).filter(on_hand__gt=0).count() == 0


def test_the_satang_the_moving_average_rounds_away_go_to_the_stock_difference(shop, mug):
    receive_stock(shop=shop, sku="MUG", quantity=1, unit_cost="1.00", by=BY)
    receive_stock(shop=shop, sku="MUG", quantity=170, unit_cost="2.00", by=BY)

    # 171 mugs at an average of 1.9942 are worth 341.01, though 341.00 was paid for them.
    assert entry_lines(last_entry(shop)) == [
        ("inventory", "340.01", "0.00"),
        ("ap_trade", "0.00", "340.00"),
        ("stock_difference", "0.00", "0.01"),
    ]
    assert balance(shop, "inventory") == stock_worth(shop) == Decimal("341.01")


def test_a_shelf_count_short_of_the_books_writes_the_loss_off_at_average_cost(shop, mug):
    receive_stock(shop=shop, sku="MUG", quantity=10, unit_cost="600.00", by=BY)

    count_stock(shop=shop, sku="MUG", counted=8, by=BY)

    entry = last_entry(shop)
    assert entry.source_type == "stock_adjustment"
    assert entry_lines(entry) == [
        ("stock_difference", "1200.00", "0.00"),
        ("inventory", "0.00", "1200.00"),
    ]


def test_units_found_on_the_shelf_are_a_gain_at_average_cost(shop, mug):
    receive_stock(shop=shop, sku="MUG", quantity=10, unit_cost="600.00", by=BY)

    adjust_stock(shop=shop, sku="MUG", quantity_delta=3, reason="เจอในโกดัง", by=BY)

    assert entry_lines(last_entry(shop)) == [
        ("inventory", "1800.00", "0.00"),
        ("stock_difference", "0.00", "1800.00"),
    ]


def test_a_count_that_matches_the_shelf_posts_nothing(shop, mug):
    receive_stock(shop=shop, sku="MUG", quantity=10, unit_cost="600.00", by=BY)
    before = JournalEntry.objects.for_shop(shop).count()

    count_stock(shop=shop, sku="MUG", counted=10, by=BY)

    assert JournalEntry.objects.for_shop(shop).count() == before


def test_a_sellable_return_re_enters_the_average_at_the_cost_it_left_at(shop, mug):
    receive_stock(shop=shop, sku="MUG", quantity=2, unit_cost="600.00", by=BY)
    order = prepaid_order(shop, mug)
    for action in ("pay", "pack", "ship", "deliver"):
        order = act(order, action)
    receive_stock(shop=shop, sku="MUG", quantity=1, unit_cost="900.00", by=BY)  # dearer now

    order = act(order, "receive_return", lines=[{"sku": "MUG", "condition": "sellable"}])

    assert entry_lines(entries(order)[-1]) == [
        ("inventory", "600.00", "0.00"),
        ("cogs", "0.00", "600.00"),
    ]
    mug.refresh_from_db()
    assert mug.cost == Decimal("700.0000")  # (600 + 900 + 600) / 3
    assert balance(shop, "inventory") == stock_worth(shop) == Decimal("2100.00")


def test_a_busy_stock_day_leaves_the_inventory_account_at_the_stock_value(shop):
    cup = make_variant(shop, "CUP", price="99.00")
    for quantity, cost in ((7, "10.01"), (13, "9.99"), (170, "10.37")):
        receive_stock(shop=shop, sku="CUP", quantity=quantity, unit_cost=cost, by=BY)
    shipped = []
    for quantity in (3, 5, 11):
        order = prepaid_order(shop, cup, quantity)
        for action in ("pay", "pack", "ship", "deliver"):
            order = act(order, action)
        shipped.append(order)
    act(shipped[0], "receive_return", lines=[{"sku": "CUP", "condition": "sellable"}])
    act(shipped[1], "receive_return", lines=[{"sku": "CUP", "condition": "damaged"}])
    receive_stock(shop=shop, sku="CUP", quantity=9, unit_cost="11.11", by=BY, paid_by="cash")
    count_stock(shop=shop, sku="CUP", counted=170, by=BY)
    adjust_stock(shop=shop, sku="CUP", quantity_delta=-4, reason="แตก", by=BY)

    assert balance(shop, "inventory") == stock_worth(shop) > 0
    assert doctor(shop)[0] == 0
    assert balance(shop, "damaged_goods") > 0  # the damaged cups' cost, out of COGS


def test_doctor_says_when_the_inventory_account_and_the_stock_disagree(shop, mug):
    receive_stock(shop=shop, sku="MUG", quantity=10, unit_cost="600.00", by=BY)
    post_journal_entry(
        shop=shop,
        description="บันทึกผิดบัญชี",
        postings=[
            Posting(role="inventory", debit=Decimal("5.00")),
            Posting(role="cash", credit=Decimal("5.00")),
        ],
        source_type="manual",
        by=BY,
    )

    code, report = doctor(shop)

    assert code == 1
    assert (
        "inventory account 114101 is 6005.00 but the stock is worth 6000.00 at moving-average "
        "cost (difference +5.00)"
    ) in report
