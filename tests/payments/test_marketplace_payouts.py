"""A marketplace's income report, matched order by order: what the platform owed is settled to
the satang, its fees are booked with their input VAT, mismatches are listed with their row
and column, and the same report uploaded twice changes nothing."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from talad.accounting.models import JournalEntry, SourceType
from talad.errors import TaladError
from talad.payments.models import MarketplacePayout, PayoutColumnMapping, PayoutRow
from talad.payments.payouts import import_payout
from talad.tabular import FileRejected
from tests.accounting.factories import BY, balance, entry_lines, goods, vat_shop
from tests.conftest import make_shop
from tests.orders.factories import make_order
from tests.shipping.helpers import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = [
    "order_id",
    "order_amount",
    "commission",
    "transaction_fee",
    "service_fee",
    "shipping_subsidy",
    "net_paid",
    "payout_date",
]


def report_line(order_id, amount="1070.00", fees=("53.50", "32.10", "21.40"), subsidy="40.00"):
    net = Decimal(amount) - sum(Decimal(f) for f in fees) + Decimal(subsidy)
    return [order_id, amount, *fees, subsidy, f"{net:.2f}", "05/12/2569"]


def shopee_order(shop, variant, external_id):
    """A Shopee order: paid on the platform, so the platform owes its total."""
    return make_order(shop, variant, channel="shopee", external_id=external_id)


@pytest.fixture
def shop():
    return vat_shop()


@pytest.fixture
def mug(shop):
    return goods(shop, "MUG", price="1070.00")


def upload(shop, rows, *, channel="shopee", **kw):
    return import_payout(shop=shop, by=BY, channel=channel, content=csv_file(rows), **kw)


def payout_entry(order) -> JournalEntry:
    return JournalEntry.objects.for_shop(order.shop).get(
        order=order, source_type=SourceType.MARKETPLACE_PAYOUT
    )


def test_a_payout_settles_what_the_platform_owed_and_books_fees_net_of_vat(shop, mug):
    order = shopee_order(shop, mug, "260717VGBPF7AW")
    assert balance(shop, "ar_marketplace") == Decimal("1070.00")

    result = upload(shop, [HEADER, report_line("260717VGBPF7AW")])

    [row] = result.rows
    assert (row.result, row.order_id) == ("settled", order.pk)
    assert row.vat_on_fees == Decimal("7.00")  # 107.00 of fees include 7% VAT
    entry = payout_entry(order)
    assert entry_lines(entry) == [
        ("bank", "1003.00", "0.00"),
        ("input_vat", "7.00", "0.00"),
        ("platform_fees", "100.00", "0.00"),
        ("ar_marketplace", "0.00", "1070.00"),
        ("shipping_income", "0.00", "40.00"),
    ]
    assert entry.date.isoformat() == "2026-12-05"  # the payout date, read from the BE year
    assert balance(shop, "ar_marketplace") == Decimal("0.00")


def test_fees_written_as_deductions_and_odd_satang_still_balance(shop):
    mug = goods(shop, "MUG", price="333.33")
    order = shopee_order(shop, mug, "SP-ODD")

    upload(shop, [HEADER, ["SP-ODD", "333.33", "-16.67", "-6.67", "(3.34)", "0", "306.65", ""]])

    lines = entry_lines(payout_entry(order))
    assert lines == [
        ("bank", "306.65", "0.00"),
        ("input_vat", "1.75", "0.00"),  # 26.68 × 7/107 = 1.745… → 1.75
        ("platform_fees", "24.93", "0.00"),
        ("ar_marketplace", "0.00", "333.33"),
    ]
    debits = sum(Decimal(d) for _, d, _ in lines)
    credits = sum(Decimal(c) for _, _, c in lines)
    assert debits == credits == Decimal("333.33")


def test_a_shop_outside_vat_books_the_whole_fee_as_its_expense():
    shop = make_shop()
    mug = goods(shop, "MUG", price="500.00")
    order = shopee_order(shop, mug, "SP-NOVAT")

    upload(shop, [HEADER, report_line("SP-NOVAT", "500.00", ("25.00", "10.00", "0"), "0")])

    assert entry_lines(payout_entry(order)) == [
        ("bank", "465.00", "0.00"),
        ("platform_fees", "35.00", "0.00"),
        ("ar_marketplace", "0.00", "500.00"),
    ]


def test_mismatches_are_listed_with_their_row_and_column_and_nothing_of_them_is_booked(shop, mug):
    shopee_order(shop, mug, "SP-1")
    shopee_order(shop, mug, "SP-2")
    shopee_order(shop, mug, "SP-3")
    make_order(shop, mug, channel="lazada", external_id="LZ-9")
    net_off = report_line("SP-2")
    net_off[6] = "999.00"

    result = upload(
        shop,
        [
            HEADER,
            report_line("SP-1", amount="1000.00"),  # the platform says less than it owes
            net_off,  # the net is not amount − fees + subsidy
            report_line("SP-404"),  # no such order
            report_line("LZ-9"),  # a Lazada order on Shopee's report
            report_line("SP-3"),
            report_line("SP-3"),  # the same order twice
        ],
    )

    assert [(r.row_number, r.result, r.column) for r in result.rows] == [
        (2, "amount_mismatch", "order_amount"),
        (3, "amount_mismatch", "net_paid"),
        (4, "unknown_order", "order_id"),
        (5, "unknown_order", "order_id"),
        (6, "settled", ""),
        (7, "already_settled", ""),
    ]
    messages = {r.row_number: r.message for r in result.rows}
    assert "1000.00" in messages[2] and "1070.00" in messages[2]
    assert "999.00" in messages[3] and "1003.00" in messages[3]
    assert "SP-404" in messages[4]
    payouts = JournalEntry.objects.for_shop(shop).filter(source_type=SourceType.MARKETPLACE_PAYOUT)
    assert payouts.count() == 1
    assert balance(shop, "ar_marketplace") == Decimal("3210.00")  # SP-1, SP-2, LZ-9 still owed


def test_the_same_report_uploaded_again_changes_nothing(shop, mug):
    shopee_order(shop, mug, "SP-1")
    rows = [HEADER, report_line("SP-1"), report_line("SP-LATER")]
    first = upload(shop, rows)
    books = list(JournalEntry.objects.for_shop(shop).values_list("pk", flat=True))

    again = upload(shop, rows)

    assert (first.created, again.created) == (True, False)
    assert again.payout.pk == first.payout.pk
    assert [r.result for r in again.rows] == ["settled", "unknown_order"]
    assert list(JournalEntry.objects.for_shop(shop).values_list("pk", flat=True)) == books
    assert MarketplacePayout.objects.for_shop(shop).count() == 1
    assert PayoutRow.objects.for_shop(shop).count() == 2


def test_an_order_imported_after_its_report_is_settled_when_the_report_is_uploaded_again(shop, mug):
    rows = [HEADER, report_line("SP-LATE")]
    upload(shop, rows)
    order = shopee_order(shop, mug, "SP-LATE")

    again = upload(shop, rows)

    assert [r.result for r in again.rows] == ["settled"]
    assert payout_entry(order).source_id.endswith(":2")


def test_a_second_report_paying_the_same_order_is_already_settled(shop, mug):
    shopee_order(shop, mug, "SP-1")
    upload(shop, [HEADER, report_line("SP-1")])

    later = upload(shop, [HEADER, report_line("SP-1"), ["total", "", "", "", "", "", "", ""]])

    assert [r.result for r in later.rows] == ["already_settled"]
    assert balance(shop, "ar_marketplace") == Decimal("0.00")


def test_a_dry_run_shows_the_matching_and_records_nothing(shop, mug):
    shopee_order(shop, mug, "SP-1")

    result = upload(shop, [HEADER, report_line("SP-1")], dry_run=True)

    assert result.payout is None and [r.result for r in result.rows] == ["settled"]
    assert not MarketplacePayout.objects.for_shop(shop).exists()
    assert balance(shop, "ar_marketplace") == Decimal("1070.00")


def test_a_channel_s_own_headers_are_found_and_a_shop_s_own_mapping_is_remembered(shop, mug):
    first = shopee_order(shop, mug, "TT-1")
    first.channel = "tiktok"
    first.save(update_fields=["channel"])
    tiktok = [
        "Order/adjustment ID",
        "Total Revenue",
        "TikTok Shop commission fee",
        "Transaction fee",
        "Total settlement amount",
    ]
    result = import_payout(
        shop=shop,
        by=BY,
        channel="tiktok",
        content=xlsx_file([tiktok, ["TT-1", 1070, -50, -20, 1000]]),
        filename="income.xlsx",
    )
    assert [r.result for r in result.rows] == ["settled"]

    shopee_order(shop, mug, "SP-7")
    own = ["เลขคำสั่งซื้อของฉัน", "ยอด", "สุทธิ"]
    upload(
        shop,
        [own, ["SP-7", "1070.00", "1070.00"]],
        mapping={"external_id": own[0], "order_amount": own[1], "net_paid": own[2]},
    )
    assert (
        PayoutColumnMapping.objects.for_shop(shop).get(channel="shopee").columns["net_paid"]
        == "สุทธิ"
    )
    shopee_order(shop, mug, "SP-8")
    assert [r.result for r in upload(shop, [own, ["SP-8", "1070.00", "1070.00"]]).rows] == [
        "settled"
    ]


def test_a_report_without_the_needed_columns_or_with_a_bad_amount_is_refused_whole(shop, mug):
    shopee_order(shop, mug, "SP-1")

    with pytest.raises(FileRejected) as missing:
        upload(shop, [["order_id", "order_amount"], ["SP-1", "1070.00"]])
    assert "row[1].net_paid" in missing.value.fields

    bad = report_line("SP-1")
    bad[2] = "fifty"
    with pytest.raises(FileRejected) as unreadable:
        upload(shop, [HEADER, report_line("SP-1"), bad])
    assert unreadable.value.fields == {"row[3].commission": "invalid_money"}
    assert not MarketplacePayout.objects.for_shop(shop).exists()
    assert balance(shop, "ar_marketplace") == Decimal("1070.00")


def test_only_marketplaces_have_payouts(shop):
    with pytest.raises(TaladError) as refused:
        upload(shop, [HEADER], channel="line")
    assert refused.value.fields == {"channel": "not_a_marketplace"}


def test_another_shop_s_orders_are_not_settled_by_this_shop_s_report(shop, mug):
    other = vat_shop()
    theirs = shopee_order(other, goods(other, "MUG", price="1070.00"), "SP-1")

    result = upload(shop, [HEADER, report_line("SP-1")])

    assert [r.result for r in result.rows] == ["unknown_order"]
    assert balance(other, "ar_marketplace") == Decimal("1070.00")
    assert (
        not JournalEntry.objects.for_shop(other)
        .filter(order=theirs, source_type=SourceType.MARKETPLACE_PAYOUT)
        .exists()
    )


def test_doctor_is_clean_after_a_payout(shop, mug):
    shopee_order(shop, mug, "SP-1")
    upload(shop, [HEADER, report_line("SP-1")])

    out = io.StringIO()
    try:
        call_command("doctor", "--shop", shop.slug, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    assert code == 0, out.getvalue()


def test_with_peak_connected_each_settled_order_goes_to_peak_as_one_daily_journal(shop, mug):
    from talad.accounting.models import PeakLink, PeakState
    from tests.fakes.peak import FakePeak
    from tests.integrations.helpers import connect_peak, run_outbox

    with FakePeak() as peak:
        connect_peak(shop, peak)
        order = shopee_order(shop, mug, "SP-1")
        rows = [HEADER, report_line("SP-1"), report_line("SP-404")]
        upload(shop, rows)
        upload(shop, rows)  # the same report again: no second journal

        run_outbox()

        [journal] = peak.rows("dailyjournals")
        entry = payout_entry(order)
        codes = {line.role: line.account.code for line in entry.lines.select_related("account")}
        assert journal["issuedDate"] == "20261205"
        assert {(e["accountCode"], e["debit"], e["credit"]) for e in journal["journalEntries"]} == {
            (codes["bank"], 1003.00, 0),
            (codes["platform_fees"], 100.00, 0),
            (codes["input_vat"], 7.00, 0),
            (codes["shipping_income"], 0, 40.00),
            (codes["ar_marketplace"], 0, 1070.00),
        }
        link = PeakLink.objects.for_shop(shop).get(journal_entry=entry)
        assert link.status == PeakState.SENT and link.peak_code == journal["code"]
