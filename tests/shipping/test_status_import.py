"""Carrier status files: the parcel's timeline, and deliver / fail_delivery on its order."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from talad.orders.models import Order, PaymentStatus, Status, StatusChange
from talad.orders.services import transition
from talad.shipping.models import Shipment, ShipmentEvent
from talad.shipping.status_import import import_statuses
from talad.tabular import FileRejected
from tests.conftest import make_variant
from tests.shipping.helpers import SYSTEM, csv_file, shipped_cod, xlsx_file

HEADER = ["tracking", "status", "time", "note"]


def bangkok(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def fresh(order):
    return Order.objects.for_shop(order.shop).get(pk=order.pk)


def parcel(order):
    return Shipment.objects.for_shop(order.shop).get(order=order)


def events(order):
    return list(
        ShipmentEvent.objects.for_shop(order.shop)
        .filter(shipment__order=order)
        .order_by("id")
        .values_list("status", "source", "note")
    )


@pytest.fixture
def shirt(shop):
    return make_variant(shop, "SHIRT", on_hand=20)


def test_delivered_delivers_the_order_at_the_carriers_time(shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000101")
    content = csv_file(
        [
            HEADER,
            ["TH0000000101", "in_transit", "2026-11-20 09:15", "ศูนย์คัดแยกบางนา"],
            ["th 0000000101", "delivered", "20/11/2569 16:40", "เซ็นรับโดยผู้รับ"],
        ]
    )

    report = import_statuses(shop=shop, by=SYSTEM, content=content)

    assert [(r["result"], r["order_action"]) for r in report["rows"]] == [
        ("recorded", ""),
        ("recorded", "deliver"),
    ]
    order = fresh(order)
    assert (order.status, order.payment_status) == (Status.DELIVERED, PaymentStatus.COD_COLLECTED)
    assert parcel(order).status == "delivered"
    assert parcel(order).delivered_at == bangkok(2026, 11, 20, 16, 40)
    # One delivered event, the carrier's: the order's own step did not add a second.
    assert events(order) == [
        ("picked_up", "order", ""),
        ("in_transit", "import", "ศูนย์คัดแยกบางนา"),
        ("delivered", "import", "เซ็นรับโดยผู้รับ"),
    ]
    assert StatusChange.objects.for_shop(shop).filter(order=order, action="deliver").count() == 1


def test_a_return_fails_the_delivery_with_the_reason_read_from_the_note(shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000102")
    content = csv_file([HEADER, ["TH0000000102", "ตีกลับ", "2026-11-21 10:00", "ลูกค้าปฏิเสธรับ"]])

    import_statuses(shop=shop, by=SYSTEM, content=content)

    order = fresh(order)
    assert (order.status, order.failed_delivery_reason) == (Status.RETURNING, "refused")
    assert order.payment_status == PaymentStatus.UNPAID
    assert parcel(order).status == "returning"


def test_a_reason_column_wins_over_the_note(shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000103")
    content = csv_file(
        [
            ["tracking", "status", "time", "note", "reason"],
            ["TH0000000103", "returning", "2026-11-21 10:00", "ลูกค้าปฏิเสธ", "wrong_address"],
        ]
    )

    import_statuses(shop=shop, by=SYSTEM, content=content)

    assert fresh(order).failed_delivery_reason == "wrong_address"


def test_a_failed_attempt_or_a_scan_only_adds_to_the_timeline(shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000104")
    later = timezone.localtime() + timedelta(hours=2)  # after the parcel was handed over
    content = csv_file(
        [
            HEADER,
            ["TH0000000104", "failed", f"{later:%Y-%m-%d %H:%M}", "ไม่มีคนอยู่บ้าน"],
            ["TH0000000104", "in transit", f"{later + timedelta(days=1):%Y-%m-%d %H:%M}", ""],
        ]
    )

    import_statuses(shop=shop, by=SYSTEM, content=content)

    assert fresh(order).status == Status.SHIPPED
    assert parcel(order).status == "in_transit"
    assert [e[0] for e in events(order)] == ["picked_up", "failed", "in_transit"]


def test_a_late_scan_does_not_undo_a_delivery(shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000105")
    transition(order=order, action="deliver", by=SYSTEM, delivered_at=bangkok(2026, 11, 20, 12, 0))
    content = csv_file([HEADER, ["TH0000000105", "in_transit", "2026-11-25 08:00", ""]])

    import_statuses(shop=shop, by=SYSTEM, content=content)

    assert parcel(order).status == "delivered"
    assert fresh(order).status == Status.DELIVERED


def test_bad_rows_are_reported_with_their_row_and_reason_and_change_nothing(shop, shirt):
    returning = shipped_cod(shop, shirt, tracking="TH0000000106")
    transition(order=returning, action="fail_delivery", by=SYSTEM, reason="nobody_home")
    before = events(returning)
    content = csv_file(
        [
            HEADER,
            ["TH0000009999", "delivered", "2026-11-20 10:00", ""],
            ["TH0000000106", "teleported", "2026-11-20 10:00", ""],
            ["TH0000000106", "in_transit", "yesterday-ish", ""],
            ["TH0000000106", "in_transit", "", ""],
            ["", "delivered", "2026-11-20 10:00", ""],
            ["TH0000000106", "delivered", "2026-11-20 10:00", ""],
        ]
    )

    report = import_statuses(shop=shop, by=SYSTEM, content=content)

    assert [(r["row"], r["result"], r["code"]) for r in report["rows"]] == [
        (2, "error", "unknown_tracking"),
        (3, "error", "unknown_status"),
        (4, "error", "invalid_file"),
        (5, "error", "missing_time"),
        (6, "error", "missing_tracking"),
        (7, "error", "wrong_status"),
    ]
    assert "time" in report["rows"][2]["message"]
    assert events(returning) == before
    assert fresh(returning).status == Status.RETURNING


def test_importing_the_same_status_file_twice_changes_nothing_the_second_time(shop, shirt):
    delivered = shipped_cod(shop, shirt, tracking="TH0000000107")
    returned = shipped_cod(shop, shirt, tracking="TH0000000108")
    content = csv_file(
        [
            HEADER,
            ["TH0000000107", "in_transit", "2026-11-20 09:00", ""],
            ["TH0000000107", "delivered", "2026-11-20 15:00", ""],
            ["TH0000000108", "returning", "2026-11-20 15:00", "ไม่มีคนรับ"],
        ]
    )
    import_statuses(shop=shop, by=SYSTEM, content=content)
    snapshot = (
        ShipmentEvent.objects.for_shop(shop).count(),
        StatusChange.objects.for_shop(shop).count(),
        fresh(delivered).status,
        fresh(returned).status,
    )

    again = import_statuses(shop=shop, by=SYSTEM, content=content)

    assert [r["result"] for r in again["rows"]] == ["skipped"] * 3
    assert again["counts"]["skipped"] == 3
    assert (
        ShipmentEvent.objects.for_shop(shop).count(),
        StatusChange.objects.for_shop(shop).count(),
        fresh(delivered).status,
        fresh(returned).status,
    ) == snapshot
    assert snapshot[2:] == (Status.DELIVERED, Status.RETURNING)


def test_the_preview_changes_nothing(shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000109")
    content = csv_file([HEADER, ["TH0000000109", "delivered", "2026-11-20 15:00", ""]])

    report = import_statuses(shop=shop, by=SYSTEM, content=content, dry_run=True)

    assert (report["rows"][0]["result"], report["rows"][0]["order_action"]) == ("ready", "deliver")
    assert fresh(order).status == Status.SHIPPED
    assert [e[0] for e in events(order)] == ["picked_up"]


def test_a_second_delivered_line_for_a_delivered_parcel_only_adds_to_the_timeline(shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000110")
    content = csv_file(
        [
            HEADER,
            ["TH0000000110", "delivered", "2026-11-20 15:00", ""],
            ["TH0000000110", "delivered", "2026-11-20 15:05", "ยืนยันอีกครั้ง"],
        ]
    )

    report = import_statuses(shop=shop, by=SYSTEM, content=content)

    assert [(r["result"], r["order_action"]) for r in report["rows"]] == [
        ("recorded", "deliver"),
        ("recorded", ""),
    ]
    assert StatusChange.objects.for_shop(shop).filter(order=order, action="deliver").count() == 1


def test_an_xlsx_status_file_with_real_dates_is_read(shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000111")
    content = xlsx_file(
        [
            ["Tracking No.", "Status", "Time"],
            ["TH0000000111", "Delivered", datetime(2026, 11, 20, 9)],
        ]
    )

    import_statuses(shop=shop, by=SYSTEM, content=content)

    assert parcel(order).delivered_at == bangkok(2026, 11, 20, 9, 0)


def test_a_status_file_without_a_time_column_is_refused_naming_it(shop):
    with pytest.raises(FileRejected) as refused:
        import_statuses(
            shop=shop, by=SYSTEM, content=csv_file([["tracking", "status"], ["TH1", "delivered"]])
        )

    assert refused.value.fields == {"row[1].time": "missing_column"}
