"""Bulk tracking numbers from the carrier's file: preview, apply, a per-row report, and a
second import of the same file that changes nothing."""

import pytest

from talad.errors import TaladError
from talad.inventory.models import StockLevel, StockMovement
from talad.orders.models import Order, StatusChange
from talad.orders.signals import order_action_applied
from talad.shipping.models import Shipment
from talad.shipping.tracking_import import import_tracking
from talad.tabular import FileRejected
from tests.conftest import make_variant
from tests.orders.factories import make_order
from tests.shipping.helpers import SYSTEM, cod_ready_to_ship, csv_file, shipped_cod, xlsx_file

HEADER = ["order_number", "carrier", "tracking"]


def state(shop):
    """Everything a tracking import could change."""
    return {
        "orders": sorted(
            Order.objects.for_shop(shop).values_list("number", "status", "tracking_number")
        ),
        "shipments": sorted(
            Shipment.objects.for_shop(shop).values_list(
                "order__number", "carrier", "tracking_number"
            )
        ),
        "history": StatusChange.objects.for_shop(shop).count(),
        "ledger": StockMovement.objects.for_shop(shop).count(),
        "levels": sorted(
            StockLevel.objects.for_shop(shop).values_list("variant__sku", "on_hand", "reserved")
        ),
    }


@pytest.fixture
def desk(shop):
    """A morning's orders: three ready to ship, one waiting for payment, one already sent."""
    shirt = make_variant(shop, "SHIRT", on_hand=20)
    ready = [cod_ready_to_ship(shop, shirt) for _ in range(2)]
    marketplace = make_order(shop, shirt, channel="shopee", external_id="2411SHP0001")
    unpaid = make_order(shop, shirt, payment_method="transfer")
    sent = shipped_cod(shop, shirt, carrier="flash", tracking="TH9999999999")
    return {"ready": ready, "marketplace": marketplace, "unpaid": unpaid, "sent": sent}


def by_row(report):
    return {r["row"]: r for r in report["rows"]}


def test_good_rows_ship_their_orders_and_bad_rows_say_which_row_and_why(shop, desk):
    first, second = desk["ready"]
    content = csv_file(
        [
            ["order_number", "external_id", "carrier", "tracking"],
            [first.number, "", "flash", "th 0000 0000 01"],
            ["", "2411SHP0001", "Shopee Express", "SPXTH0000000001"],
            ["SO-999999", "", "flash", "TH0000000002"],
            [desk["unpaid"].number, "", "flash", "TH0000000003"],
            [second.number, "", "flash", "TH9999999999"],
            [second.number, "", "carrier pigeon", "X1"],
            [second.number, "", "kex", ""],
            ["", "", "kex", "KEX0000000009"],
        ]
    )

    report = import_tracking(shop=shop, by=SYSTEM, content=content)

    rows = by_row(report)
    assert (rows[2]["result"], rows[2]["tracking_number"]) == ("shipped", "TH0000000001")
    assert (rows[3]["result"], rows[3]["carrier"]) == ("shipped", "spx")
    assert {n: rows[n]["code"] for n in range(4, 10)} == {
        4: "unknown_order",
        5: "wrong_status",
        6: "duplicate_tracking",
        7: "unknown_carrier",
        8: "missing_tracking",
        9: "missing_order",
    }
    assert desk["sent"].number in rows[6]["message"]
    assert report["counts"] == {"ready": 0, "shipped": 2, "skipped": 0, "error": 6}
    shipped = Order.objects.for_shop(shop).filter(status="shipped")
    assert set(shipped.values_list("pk", flat=True)) == {
        first.pk,
        desk["marketplace"].pk,
        desk["sent"].pk,
    }
    assert Order.objects.for_shop(shop).get(pk=second.pk).status == "to_ship"


def test_the_preview_checks_every_row_and_changes_nothing(shop, desk):
    first, _second = desk["ready"]
    content = csv_file(
        [HEADER, [first.number, "flash", "TH0000000011"], ["SO-999999", "flash", "TH0000000012"]]
    )
    before = state(shop)

    report = import_tracking(shop=shop, by=SYSTEM, content=content, dry_run=True)

    assert [(r["row"], r["result"]) for r in report["rows"]] == [(2, "ready"), (3, "error")]
    assert report["dry_run"] is True
    assert state(shop) == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(shop, desk):
    first, second = desk["ready"]
    content = csv_file(
        [
            HEADER,
            [first.number, "flash", "TH0000000021"],
            [second.number, "kex", "KEX0000000021"],
            [desk["sent"].number, "flash", "TH9999999999"],  # it left with this parcel already
            ["SO-999999", "flash", "TH0000000022"],
        ]
    )
    import_tracking(shop=shop, by=SYSTEM, content=content)
    after_first = state(shop)

    again = import_tracking(shop=shop, by=SYSTEM, content=content)

    assert state(shop) == after_first
    assert [(r["result"], r["code"]) for r in again["rows"]] == [
        ("skipped", "already_shipped"),
        ("skipped", "already_shipped"),
        ("skipped", "already_shipped"),
        ("error", "unknown_order"),
    ]


def test_an_order_that_left_with_another_parcel_is_not_shipped_again(shop, desk):
    content = csv_file([HEADER, [desk["sent"].number, "flash", "TH1111111111"]])

    report = import_tracking(shop=shop, by=SYSTEM, content=content)

    assert report["rows"][0]["code"] == "wrong_status"
    assert "TH9999999999" in report["rows"][0]["message"]


def test_one_file_cannot_give_one_order_two_parcels_or_one_parcel_two_orders(shop, desk):
    first, second = desk["ready"]
    content = csv_file(
        [
            HEADER,
            [first.number, "flash", "TH0000000031"],
            [first.number, "flash", "TH0000000031"],  # the same line twice: harmless
            [first.number, "flash", "TH0000000032"],
            [second.number, "flash", "TH0000000031"],
        ]
    )

    report = import_tracking(shop=shop, by=SYSTEM, content=content)

    assert [(r["result"], r["code"]) for r in report["rows"]] == [
        ("shipped", ""),
        ("skipped", "repeated_row"),
        ("error", "duplicate_order_in_file"),
        ("error", "duplicate_tracking_in_file"),
    ]
    assert Order.objects.for_shop(shop).get(pk=first.pk).tracking_number == "TH0000000031"


def test_a_row_refused_while_shipping_keeps_nothing_of_that_row_and_the_rest_go_on(shop, desk):
    first, second = desk["ready"]

    def refuse_second(sender, *, order, action, **kwargs):
        if action == "ship" and order.pk == second.pk:
            raise TaladError("the label printer refused", fields={"carrier": "refused"})

    before_second = (
        StockMovement.objects.for_shop(shop).filter(reference=f"order:{second.number}").count()
    )
    order_action_applied.connect(refuse_second, dispatch_uid="refuse_second")
    try:
        report = import_tracking(
            shop=shop,
            by=SYSTEM,
            content=csv_file(
                [HEADER, [first.number, "flash", "TH41"], [second.number, "flash", "TH42"]]
            ),
        )
    finally:
        order_action_applied.disconnect(dispatch_uid="refuse_second")

    assert [r["result"] for r in report["rows"]] == ["shipped", "error"]
    assert report["rows"][1]["message"] == "the label printer refused"
    second = Order.objects.for_shop(shop).get(pk=second.pk)
    assert (second.status, second.tracking_number, second.holds_reservation) == (
        "to_ship",
        "",
        True,
    )
    assert not Shipment.objects.for_shop(shop).filter(order=second).exists()
    assert (
        StockMovement.objects.for_shop(shop).filter(reference=f"order:{second.number}").count()
        == before_second
    )


def test_an_xlsx_file_with_numbers_as_numbers_is_read_like_csv(shop, desk):
    first, second = desk["ready"]
    content = xlsx_file(
        [
            ["Order", "Courier", "Tracking No."],
            [first.number, "J&T Express", 123456789012],
            [second.number, "Kerry", "KEX0000000051"],
        ]
    )

    report = import_tracking(shop=shop, by=SYSTEM, content=content, filename="tracking.xlsx")

    assert [(r["carrier"], r["tracking_number"], r["result"]) for r in report["rows"]] == [
        ("jt", "123456789012", "shipped"),
        ("kex", "KEX0000000051", "shipped"),
    ]


def test_a_thai_csv_from_an_old_system_in_tis_620_is_read(shop, desk):
    first, _second = desk["ready"]
    content = csv_file(
        [["เลขที่ออเดอร์", "ขนส่ง", "เลขพัสดุ"], [first.number, "แฟลช", "TH0000000061"]],
        encoding="cp874",
    )

    report = import_tracking(shop=shop, by=SYSTEM, content=content)

    assert (report["rows"][0]["carrier"], report["rows"][0]["result"]) == ("flash", "shipped")


def test_a_utf8_csv_with_bom_and_semicolons_is_read(shop, desk):
    first, _second = desk["ready"]
    content = b"\xef\xbb\xbf" + csv_file(
        [HEADER, [first.number, "flash", "TH0000000071"]], delimiter=";"
    )

    report = import_tracking(shop=shop, by=SYSTEM, content=content)

    assert report["counts"]["shipped"] == 1


def test_an_external_id_on_two_channels_needs_the_channel_column(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    on_shopee = make_order(shop, shirt, channel="shopee", external_id="A1")
    make_order(shop, shirt, channel="lazada", external_id="A1")

    without = import_tracking(
        shop=shop,
        by=SYSTEM,
        content=csv_file([["external_id", "carrier", "tracking"], ["A1", "spx", "SPXTH1"]]),
        dry_run=True,
    )
    with_channel = import_tracking(
        shop=shop,
        by=SYSTEM,
        content=csv_file(
            [["external_id", "channel", "carrier", "tracking"], ["A1", "shopee", "spx", "SPXTH1"]]
        ),
    )

    assert without["rows"][0]["code"] == "ambiguous_order"
    assert with_channel["rows"][0]["order_number"] == on_shopee.number
    assert with_channel["rows"][0]["result"] == "shipped"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (csv_file([["order_number", "carrier"], ["SO-000001", "flash"]]), "row[1].tracking"),
        (csv_file([["carrier", "tracking"], ["flash", "TH1"]]), "row[1].order_number"),
        (b"", "file"),
        (b"\x00\x01\x02garbage\xff\xfe\x00", "file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "file"),
        (b"PK\x03\x04 not really a zip", "file"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_naming_where(shop, content, field):
    with pytest.raises(FileRejected) as refused:
        import_tracking(shop=shop, by=SYSTEM, content=content)

    assert field in refused.value.fields


def test_a_packer_may_import_tracking_numbers(shop, desk):
    from talad.shops.actors import Actor

    first, _second = desk["ready"]
    report = import_tracking(
        shop=shop,
        by=Actor(role="packer", label="packer"),
        content=csv_file([HEADER, [first.number, "flash", "TH0000000081"]]),
    )

    assert report["counts"]["shipped"] == 1
