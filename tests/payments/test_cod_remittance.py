"""A carrier's COD statement, matched parcel by parcel: every result, the summary, a saved
column mapping, and the same statement uploaded twice."""

from decimal import Decimal

import pytest
from django.apps import apps

from talad.errors import TaladError
from talad.orders.errors import CodNotCollected
from talad.orders.models import Order, PaymentStatus
from talad.orders.services import record_cod_remittance, transition
from talad.payments.models import CodColumnMapping, CodStatement, CodStatementRow
from talad.payments.selectors import summarise
from talad.payments.services import import_statement
from talad.shops.actors import Actor
from talad.shops.models import AuditEntry
from talad.tabular import FileRejected
from tests.conftest import make_variant
from tests.shipping.helpers import SYSTEM, csv_file, delivered_cod, shipped_cod, xlsx_file

HEADER = ["tracking", "cod_amount", "fee", "vat_on_fee", "net_amount", "transfer_date"]


def line(tracking, cod="100.00", fee="3.00", vat="0.21", net=None, day="25/11/2569"):
    net = net or f"{Decimal(cod) - Decimal(fee) - Decimal(vat):.2f}"
    return [tracking, cod, fee, vat, net, day]


def payment_status(order):
    return Order.objects.for_shop(order.shop).get(pk=order.pk).payment_status


@pytest.fixture
def parcels(shop):
    """Flash parcels in every state a statement can meet."""
    shirt = make_variant(shop, "SHIRT", on_hand=50, price="100.00")
    paid_before = delivered_cod(shop, shirt, tracking="TH0000000405")
    import_statement(
        shop=shop,
        by=SYSTEM,
        carrier="flash",
        content=csv_file([HEADER, line("TH0000000405")]),
        statement_number="FL-2569-11-01",
    )
    return {
        "collected": delivered_cod(shop, shirt, tracking="TH0000000401"),
        "short": delivered_cod(shop, shirt, tracking="TH0000000402"),
        "bad_net": delivered_cod(shop, shirt, tracking="TH0000000403"),
        "on_the_way": shipped_cod(shop, shirt, tracking="TH0000000404"),
        "paid_before": paid_before,
        "kex": delivered_cod(shop, shirt, carrier="kex", tracking="KEX0000000406"),
    }


def test_each_row_gets_its_result_and_only_matched_rows_are_paid_out(shop, parcels):
    content = csv_file(
        [
            HEADER,
            line("TH0000000401"),
            line("TH0000000402", cod="90.00"),
            line("TH0000000403", net="50.00"),
            line("TH0000000404"),
            line("TH0000000405"),
            line("TH0000009999"),
            line("KEX0000000406"),  # a KEX parcel on Flash's statement
            line("TH0000000401"),  # the same parcel twice
        ]
    )

    result = import_statement(shop=shop, by=SYSTEM, carrier="flash", content=content)

    assert [(r.row_number, r.result) for r in result.rows] == [
        (2, "matched"),
        (3, "amount_mismatch"),
        (4, "amount_mismatch"),
        (5, "not_delivered"),
        (6, "already_remitted"),
        (7, "unknown_tracking"),
        (8, "unknown_tracking"),
        (9, "already_remitted"),
    ]
    messages = {r.row_number: r.message for r in result.rows}
    assert "90.00" in messages[3] and "100.00" in messages[3]
    assert parcels["kex"].number in messages[8]
    assert payment_status(parcels["collected"]) == PaymentStatus.COD_REMITTED
    for name in ("short", "bad_net", "kex"):
        assert payment_status(parcels[name]) == PaymentStatus.COD_COLLECTED, name
    assert payment_status(parcels["on_the_way"]) == PaymentStatus.COD_PENDING


def test_the_summary_counts_rows_per_result_and_totals_the_money(shop, parcels):
    content = csv_file([HEADER, line("TH0000000401"), line("TH0000000402", cod="90.00")])

    result = import_statement(shop=shop, by=SYSTEM, carrier="flash", content=content)
    summary = summarise(result.rows)

    assert summary["counts"] == {
        "matched": 1,
        "amount_mismatch": 1,
        "unknown_tracking": 0,
        "already_remitted": 0,
        "not_delivered": 0,
        "accepted": 0,
        "disputed": 0,
    }
    assert summary["totals"] == {
        "cod_amount": "190.00",
        "fee": "6.00",
        "vat_on_fee": "0.42",
        "net_amount": "183.58",
    }
    assert summary["matched_totals"]["net_amount"] == "96.79"


def test_a_matched_row_is_audited_on_the_order(shop, parcels):
    import_statement(
        shop=shop,
        by=SYSTEM,
        carrier="flash",
        content=csv_file([HEADER, line("TH0000000401")]),
        statement_number="FL-77",
    )

    entry = AuditEntry.objects.get(
        shop=shop, action="order.cod_remitted", object_id=str(parcels["collected"].pk)
    )
    assert entry.before == {"payment_status": "cod_collected"}
    assert entry.after["net"] == "96.79"
    assert entry.after["reference"] == "FL-77"


@pytest.mark.skipif(not apps.is_installed("talad.accounting"), reason="no books to post to")
def test_a_matched_row_posts_the_remittance_to_the_books(shop, parcels):
    from talad.accounting.models import JournalEntry

    import_statement(
        shop=shop, by=SYSTEM, carrier="flash", content=csv_file([HEADER, line("TH0000000401")])
    )

    assert (
        JournalEntry.objects.for_shop(shop)
        .filter(order=parcels["collected"], source_type="cod_remittance")
        .exists()
    )


def test_the_same_statement_twice_is_one_statement_and_changes_nothing(shop, parcels):
    content = csv_file([HEADER, line("TH0000000401"), line("TH0000000404")])
    first = import_statement(shop=shop, by=SYSTEM, carrier="flash", content=content)
    audits = AuditEntry.objects.filter(shop=shop).count()

    again = import_statement(shop=shop, by=SYSTEM, carrier="flash", content=content)

    assert (first.created, again.created) == (True, False)
    assert again.statement.pk == first.statement.pk
    assert CodStatement.objects.for_shop(shop).count() == 2  # this one and the fixture's
    assert [r.result for r in again.rows] == ["matched", "not_delivered"]
    assert AuditEntry.objects.filter(shop=shop).count() == audits


def test_uploading_it_again_after_the_parcel_was_delivered_settles_that_row(shop, parcels):
    content = csv_file([HEADER, line("TH0000000401"), line("TH0000000404")])
    first = import_statement(shop=shop, by=SYSTEM, carrier="flash", content=content)
    transition(order=parcels["on_the_way"], action="deliver", by=SYSTEM)

    again = import_statement(shop=shop, by=SYSTEM, carrier="flash", content=content)

    assert again.statement.pk == first.statement.pk
    assert [r.result for r in again.rows] == ["matched", "matched"]
    assert payment_status(parcels["on_the_way"]) == PaymentStatus.COD_REMITTED
    stored = CodStatementRow.objects.for_shop(shop).filter(statement=first.statement)
    assert sorted(stored.values_list("result", flat=True)) == ["matched", "matched"]


def test_a_dry_run_shows_the_matching_and_keeps_nothing(shop, parcels):
    statements = CodStatement.objects.for_shop(shop).count()

    result = import_statement(
        shop=shop,
        by=SYSTEM,
        carrier="flash",
        content=csv_file([HEADER, line("TH0000000401")]),
        dry_run=True,
    )

    assert (result.statement, [r.result for r in result.rows]) == (None, ["matched"])
    assert CodStatement.objects.for_shop(shop).count() == statements
    assert payment_status(parcels["collected"]) == PaymentStatus.COD_COLLECTED


def test_a_carriers_own_layout_is_mapped_once_and_remembered(shop, parcels):
    layout = [
        ["Statement No.", "AWB", "COD (THB)", "ค่าบริการ", "VAT 7%", "ยอดโอนสุทธิ", "Paid on"],
        ["KX-1", "KEX0000000406", "฿100.00", "3.00", "0.21", "96.79", "2026-11-25"],
    ]
    mapping = {
        "tracking": "AWB",
        "cod_amount": "COD (THB)",
        "fee": "ค่าบริการ",
        "vat_on_fee": "VAT 7%",
        "net_amount": "ยอดโอนสุทธิ",
        "transfer_date": "Paid on",
        "statement_number": "Statement No.",
    }

    first = import_statement(
        shop=shop, by=SYSTEM, carrier="kex", content=xlsx_file(layout), mapping=mapping
    )

    assert [r.result for r in first.rows] == ["matched"]
    assert first.statement.reference == "KX-1"
    assert str(first.rows[0].transfer_date) == "2026-11-25"
    assert CodColumnMapping.objects.for_shop(shop).get(carrier="kex").columns == mapping
    # Next month's statement, same layout, no mapping sent: the saved one is used.
    layout[1][1] = "KEX0000000499"
    second = import_statement(shop=shop, by=SYSTEM, carrier="kex", content=xlsx_file(layout))
    assert [r.result for r in second.rows] == ["unknown_tracking"]


def test_a_mapping_naming_a_column_the_file_lacks_is_refused_naming_it(shop, parcels):
    with pytest.raises(FileRejected) as refused:
        import_statement(
            shop=shop,
            by=SYSTEM,
            carrier="flash",
            content=csv_file([HEADER, line("TH0000000401")]),
            mapping={"fee": "Service charge"},
        )

    assert refused.value.fields["mapping.fee"] == "not_in_file"
    assert refused.value.extra["column"] == "Service charge"
    assert not CodColumnMapping.objects.for_shop(shop).exists()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (line("TH0000000401", cod="abc", net="0"), "row[2].cod_amount"),
        (line("TH0000000401", cod="-100.00", net="0"), "row[2].cod_amount"),
        (line("TH0000000401", fee="1.234", net="0"), "row[2].fee"),
        (line("TH0000000401", day="31/02/2026"), "row[2].transfer_date"),
        (["TH0000000401", "", "3", "0.21", "96.79", ""], "row[2].cod_amount"),
    ],
)
def test_an_unreadable_amount_or_date_refuses_the_statement_naming_row_and_column(
    shop, parcels, bad, field
):
    statements = CodStatement.objects.for_shop(shop).count()

    with pytest.raises(FileRejected) as refused:
        import_statement(shop=shop, by=SYSTEM, carrier="flash", content=csv_file([HEADER, bad]))

    assert field in refused.value.fields
    assert CodStatement.objects.for_shop(shop).count() == statements
    assert payment_status(parcels["collected"]) == PaymentStatus.COD_COLLECTED


def test_an_unknown_carrier_or_mapping_field_is_refused(shop, parcels):
    content = csv_file([HEADER, line("TH0000000401")])

    with pytest.raises(TaladError) as carrier:
        import_statement(shop=shop, by=SYSTEM, carrier="pigeon", content=content)
    with pytest.raises(TaladError) as field:
        import_statement(
            shop=shop, by=SYSTEM, carrier="flash", content=content, mapping={"colour": "x"}
        )

    assert carrier.value.fields == {"carrier": "unknown_carrier"}
    assert field.value.fields == {"mapping.colour": "unknown_field"}


def test_the_remittance_service_refuses_an_order_the_carrier_has_not_collected(shop, parcels):
    with pytest.raises(CodNotCollected):
        record_cod_remittance(order=parcels["on_the_way"], by=SYSTEM, amount="100.00")
    with pytest.raises(CodNotCollected) as twice:
        record_cod_remittance(order=parcels["paid_before"], by=SYSTEM, amount="100.00")

    assert twice.value.extra["payment_status"] == PaymentStatus.COD_REMITTED
    assert payment_status(parcels["on_the_way"]) == PaymentStatus.COD_PENDING


def test_a_packer_cannot_reconcile_cod(shop, parcels):
    from talad.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_statement(
            shop=shop,
            by=Actor(role="packer"),
            carrier="flash",
            content=csv_file([HEADER, line("TH0000000401")]),
        )
