"""Applying a marketplace export: the seller's Shopee, Lazada and TikTok orders become Talad
orders once, and each later export moves them only forward (docs/design/marketplaces.md)."""

from decimal import Decimal

import pytest

from talad.accounting.models import JournalEntry, JournalLine
from talad.channels.imports.apply import apply_orders
from talad.channels.imports.rows import ImportedLine, ImportedOrder, ParsedFile
from talad.channels.imports.skus import forget_sku, map_sku
from talad.errors import PermissionDenied, TaladError
from talad.integrations.models import OutboxMessage
from talad.inventory.checks import stock_violations
from talad.inventory.models import BACKORDER_REASON, StockLevel, StockMovement
from talad.orders.models import Order, OrderLine, StatusChange
from talad.payments.models import Payment
from talad.shipping.models import Shipment
from talad.shops.actors import Actor
from talad.shops.models import AuditEntry
from tests.conftest import make_variant

BY = Actor.system("import test")
ADDRESS = {
    "address_line": "99/1 ม.4",
    "subdistrict": "คลองหนึ่ง",
    "district": "คลองหลวง",
    "province": "ปทุมธานี",
    "postcode": "12120",
}


def shopee(
    external_id="260717VGBPF7AW", target="to_pack", *, lines=(("MUG", 2, "150.00"),), row=2, **extra
):
    """One Shopee order as the reader hands it over: rows from `row`, one per line."""
    return ImportedOrder(
        channel=extra.pop("channel", "shopee"),
        external_id=external_id,
        status_text=extra.pop("status_text", target),
        target=target,
        rows=tuple(range(row, row + len(lines))),
        lines=tuple(
            ImportedLine(
                row=row + i,
                marketplace_sku=sku,
                item_id="",
                name=f"สินค้า {sku}",
                quantity=q,
                unit_price=Decimal(p),
            )
            for i, (sku, q, p) in enumerate(lines)
        ),
        recipient_name=extra.pop("recipient_name", "สมชาย ใจดี"),
        phone=extra.pop("phone", "0812345678"),
        shipping_fee=extra.pop("shipping_fee", Decimal("40.00")),
        **{**ADDRESS, **extra},
    )


def apply(shop, *orders, by=BY, **kw):
    return apply_orders(
        shop=shop,
        by=by,
        parsed=ParsedFile(format="shopee", rows_read=len(orders), orders=list(orders)),
        **kw,
    )


def level(shop, variant):
    return StockLevel.objects.for_shop(shop).get(variant=variant)


def snapshot(shop) -> dict:
    """Every row an import can write, as values: equal snapshots mean nothing changed."""
    tables = (
        Order,
        OrderLine,
        StatusChange,
        StockLevel,
        StockMovement,
        Payment,
        Shipment,
        AuditEntry,
        JournalEntry,
        JournalLine,
        OutboxMessage,
    )
    rows = {
        m.__name__: list(m._base_manager.filter(shop=shop).order_by("pk").values()) for m in tables
    }
    return rows


def test_a_paid_shopee_order_becomes_a_to_pack_order_with_its_lines_amounts_and_reserved_stock(
    shop,
):
    mug = make_variant(shop, "MUG", on_hand=5, price="199.00")
    report = apply(shop, shopee())
    assert [(o.outcome, o.status, o.actions) for o in report.orders] == [("created", "to_pack", [])]
    order = Order.objects.for_shop(shop).get(channel="shopee", external_id="260717VGBPF7AW")
    assert (order.status, order.payment_method, order.payment_status) == (
        "to_pack",
        "marketplace",
        "paid",
    )
    assert (order.subtotal, order.shipping_fee, order.total) == (
        Decimal("300.00"),
        Decimal("40.00"),
        Decimal("340.00"),
    )
    assert (order.customer_name, order.customer_phone, order.postcode) == (
        "สมชาย ใจดี",
        "0812345678",
        "12120",
    )
    assert list(order.lines.values_list("sku", "quantity", "unit_price")) == [
        ("MUG", 2, Decimal("150.00"))
    ]
    assert (level(shop, mug).on_hand, level(shop, mug).reserved) == (5, 2)
    reserve = StockMovement.objects.for_shop(shop).get(kind="reserve")
    assert (reserve.reserved_delta, reserve.reference, reserve.reason) == (
        2,
        f"order:{order.number}",
        "",
    )
    payment = Payment.objects.for_shop(shop).get(order=order)
    assert (payment.method, payment.amount) == ("marketplace", Decimal("340.00"))


def test_an_order_its_buyer_has_not_paid_yet_stays_pending_with_its_stock_held(shop):
    mug = make_variant(shop, "MUG", on_hand=5)
    apply(shop, shopee(target="pending", status_text="ยังไม่ชำระ"))
    order = Order.objects.for_shop(shop).get()
    assert (order.status, order.payment_status) == ("pending", "unpaid")
    assert not Payment.objects.for_shop(shop).exists()
    assert level(shop, mug).reserved == 2
    apply(shop, shopee(target="to_pack"))  # the buyer paid: the next export says so
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("to_pack", "paid")


def test_a_shipped_order_with_tracking_is_shipped_and_its_stock_leaves_the_shelf(shop):
    mug = make_variant(shop, "MUG", on_hand=5)
    report = apply(
        shop,
        shopee(target="shipped", carrier_text="Shopee Express", tracking_number="th 2607 1234"),
    )
    assert report.orders[0].actions == ["ship"]
    order = Order.objects.for_shop(shop).get()
    assert (order.status, order.carrier, order.tracking_number) == ("shipped", "spx", "TH26071234")
    assert Shipment.objects.for_shop(shop).get(order=order).carrier == "spx"
    assert (level(shop, mug).on_hand, level(shop, mug).reserved) == (3, 0)
    kinds = list(
        StockMovement.objects.for_shop(shop)
        .filter(reference=f"order:{order.number}")
        .values_list("kind", "on_hand_delta", "reserved_delta")
    )
    assert kinds == [("reserve", 0, 2), ("ship", -2, -2)]


def test_importing_the_same_file_again_changes_nothing(shop):
    make_variant(shop, "MUG", on_hand=9)
    make_variant(shop, "CUP", on_hand=9)
    orders = (
        shopee("A1", "to_pack"),
        shopee(
            "A2",
            "shipped",
            lines=(("CUP", 1, "90.00"), ("MUG", 1, "150.00")),
            row=3,
            carrier_text="Flash Express",
            tracking_number="TH111",
        ),
        shopee("A3", "delivered", row=5, carrier_text="Flash Express", tracking_number="TH222"),
        shopee("A4", "cancelled", row=6),
    )
    first = apply(shop, *orders)
    assert [o.outcome for o in first.orders] == ["created", "created", "created", "skipped"]
    before = snapshot(shop)
    again = apply(shop, *orders)
    assert [o.outcome for o in again.orders] == ["unchanged", "unchanged", "unchanged", "skipped"]
    assert (again.errors, again.notices) == ([], [])
    assert snapshot(shop) == before


def test_a_newer_export_applies_only_what_moved_forward(shop):
    mug = make_variant(shop, "MUG", on_hand=9)
    apply(
        shop,
        shopee("A1", "to_pack"),
        shopee("A2", "to_pack", row=3),
        shopee("A3", "shipped", row=4, carrier_text="flash", tracking_number="TH9"),
    )
    report = apply(
        shop,
        shopee(
            "A1", "shipped", carrier_text="J&T Express", tracking_number="JT0001"
        ),  # a tracking number appeared
        shopee("A2", "to_pack", row=3),  # nothing new
        shopee("A3", "delivered", row=4, carrier_text="flash", tracking_number="TH9"),
    )
    assert [(o.external_id, o.outcome, o.actions, o.status) for o in report.orders] == [
        ("A1", "updated", ["ship"], "shipped"),
        ("A2", "unchanged", [], "to_pack"),
        ("A3", "updated", ["deliver"], "delivered"),
    ]
    assert level(shop, mug).reserved == 2 and level(shop, mug).on_hand == 5


def test_a_status_that_went_backwards_is_reported_and_not_applied(shop):
    make_variant(shop, "MUG", on_hand=9)
    apply(shop, shopee(target="shipped", carrier_text="flash", tracking_number="TH1"))
    before = snapshot(shop)
    report = apply(shop, shopee(target="to_pack", status_text="ที่ต้องจัดส่ง"))
    assert report.orders[0].outcome == "unchanged"
    (notice,) = report.notices
    assert (notice.code, notice.row, notice.column, notice.external_id) == (
        "status_backwards",
        2,
        "สถานะการสั่งซื้อ",
        "260717VGBPF7AW",
    )
    assert snapshot(shop) == before


def test_cancelled_on_the_marketplace_cancels_the_open_order_and_releases_its_stock(shop):
    mug = make_variant(shop, "MUG", on_hand=5)
    apply(shop, shopee())
    report = apply(shop, shopee(target="cancelled", status_text="ยกเลิกแล้ว"))
    assert report.orders[0].actions == ["cancel"]
    order = Order.objects.for_shop(shop).get()
    assert (order.status, order.cancel_reason, order.refund_owed) == (
        "cancelled",
        "shopee: ยกเลิกแล้ว",
        Decimal("340.00"),
    )
    assert level(shop, mug).reserved == 0


def test_a_failed_delivery_on_the_marketplace_sends_the_order_back_returning(shop):
    make_variant(shop, "MUG", on_hand=5)
    apply(shop, shopee(target="shipped", carrier_text="flash", tracking_number="TH1"))
    report = apply(shop, shopee(target="returning", carrier_text="flash", tracking_number="TH1"))
    assert report.orders[0].actions == ["fail_delivery"]
    assert Order.objects.for_shop(shop).get().status == "returning"


def test_a_delivered_order_is_not_cancelled_by_a_file(shop):
    make_variant(shop, "MUG", on_hand=5)
    apply(shop, shopee(target="delivered", carrier_text="flash", tracking_number="TH1"))
    report = apply(shop, shopee(target="cancelled"))
    assert [n.code for n in report.notices] == ["cannot_move"]
    assert Order.objects.for_shop(shop).get().status == "delivered"


def test_an_unknown_sku_refuses_only_its_order_and_is_offered_for_mapping(shop):
    make_variant(shop, "MUG", on_hand=5)
    make_variant(shop, "MUG-BLUE", on_hand=5)
    report = apply(
        shop,
        shopee("A1"),
        shopee("A2", lines=(("MUG", 1, "150.00"), ("SP-MUG-B", 1, "150.00")), row=3),
    )
    assert [o.outcome for o in report.orders] == ["created", "error"]
    (error,) = report.errors
    assert (error.row, error.column, error.code, error.external_id) == (
        4,
        "เลขอ้างอิง SKU (SKU Reference No.)",
        "unmapped_sku",
        "A2",
    )
    assert [(u.marketplace_sku, u.rows, u.external_ids) for u in report.unmapped] == [
        ("SP-MUG-B", [4], ["A2"])
    ]
    assert not Order.objects.for_shop(shop).filter(external_id="A2").exists()
    map_sku(shop=shop, by=BY, channel="shopee", marketplace_sku="SP-MUG-B", sku="MUG-BLUE")
    again = apply(
        shop,
        shopee("A1"),
        shopee("A2", lines=(("MUG", 1, "150.00"), ("SP-MUG-B", 1, "150.00")), row=3),
    )
    assert [o.outcome for o in again.orders] == ["unchanged", "created"]
    order = Order.objects.for_shop(shop).get(external_id="A2")
    assert sorted(order.lines.values_list("sku", flat=True)) == ["MUG", "MUG-BLUE"]


def test_a_mapping_is_per_channel_and_wins_over_the_same_sku(shop):
    make_variant(shop, "MUG", on_hand=5)
    make_variant(shop, "MUG-BIG", on_hand=5)
    map_sku(shop=shop, by=BY, channel="lazada", marketplace_sku="MUG", sku="MUG-BIG")
    apply(shop, shopee("S1"), shopee("L1", channel="lazada", row=3))
    skus = dict(OrderLine.objects.for_shop(shop).values_list("order__external_id", "sku"))
    assert skus == {"S1": "MUG", "L1": "MUG-BIG"}


def test_a_stock_shortage_refuses_the_order_unless_the_seller_takes_it_as_backorder(shop):
    mug = make_variant(shop, "MUG", on_hand=1)
    report = apply(shop, shopee("A1"))
    (error,) = report.errors
    assert (error.code, error.column, report.orders[0].outcome) == (
        "insufficient_stock",
        "จำนวน",
        "error",
    )
    assert "MUG" in error.message
    assert not Order.objects.for_shop(shop).exists()
    assert (
        level(shop, mug).reserved,
        StockMovement.objects.for_shop(shop).filter(kind="reserve").count(),
    ) == (0, 0)

    report = apply(shop, shopee("A1"), backorder=True)
    assert report.orders[0].outcome == "created"
    assert (level(shop, mug).on_hand, level(shop, mug).reserved) == (1, 2)
    reserve = StockMovement.objects.for_shop(shop).get(kind="reserve")
    assert (reserve.reserved_delta, reserve.reason) == (2, f"{BACKORDER_REASON} 1")
    assert stock_violations(shop) == []


def test_a_backordered_order_cannot_ship_what_is_not_on_the_shelf(shop):
    make_variant(shop, "MUG", on_hand=1)
    report = apply(
        shop, shopee(target="shipped", carrier_text="flash", tracking_number="TH1"), backorder=True
    )
    assert report.orders[0].outcome == "error"
    assert report.errors[0].code == "stock_rule"
    assert not Order.objects.for_shop(shop).exists()


def test_an_oversold_level_without_a_backorder_is_still_a_doctor_finding(shop):
    mug = make_variant(shop, "MUG", on_hand=1)
    StockLevel.objects.for_shop(shop).filter(variant=mug).update(reserved=3)
    assert any("backorder is off" in p for p in stock_violations(shop))


def test_shipped_without_a_tracking_number_or_with_an_unknown_carrier_is_refused_whole(shop):
    make_variant(shop, "MUG", on_hand=5)
    report = apply(
        shop,
        shopee("A1", "shipped", carrier_text="flash"),
        shopee("A2", "shipped", row=3, carrier_text="นกพิราบสื่อสาร", tracking_number="X1"),
        shopee("A3", row=4),
    )
    assert [(e.external_id, e.code, e.column) for e in report.errors] == [
        ("A1", "tracking_missing", "*หมายเลขติดตามพัสดุ"),
        ("A2", "unknown_carrier", "ตัวเลือกการจัดส่ง"),
    ]
    assert list(Order.objects.for_shop(shop).values_list("external_id", flat=True)) == ["A3"]
    assert level(shop, StockLevel.objects.for_shop(shop).get().variant).reserved == 2


def test_a_bad_phone_names_its_row_and_column(shop):
    make_variant(shop, "MUG", on_hand=5)
    report = apply(shop, shopee(phone="12"), shopee("A2", row=3, phone="66*****12"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "หมายเลขโทรศัพท์")]
    assert Order.objects.for_shop(shop).get().customer_phone == ""  # a masked phone is no phone


def test_a_wrong_buyer_tax_id_names_its_column(shop):
    make_variant(shop, "MUG", on_hand=5)
    report = apply(shop, shopee(buyer_tax_id="0105556000011"))
    assert [(e.row, e.column, e.external_id) for e in report.errors] == [
        (2, "หมายเลขประจำตัวผู้เสียภาษี", "260717VGBPF7AW")
    ]


def test_a_one_line_address_is_split_by_smart_paste(shop):
    make_variant(shop, "MUG", on_hand=5)
    apply(
        shop,
        shopee(
            address_line="99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี",
            subdistrict="",
            district="",
            province="",
            one_line_address=True,
        ),
    )
    order = Order.objects.for_shop(shop).get()
    assert (order.subdistrict, order.district, order.province, order.postcode) == (
        "คลองหนึ่ง",
        "คลองหลวง",
        "ปทุมธานี",
        "12120",
    )


def test_buyer_tax_id_and_ship_by_reach_the_order(shop):
    from datetime import UTC, datetime

    make_variant(shop, "MUG", on_hand=5)
    ship_by = datetime(2026, 7, 20, 3, 0, tzinfo=UTC)
    apply(shop, shopee(buyer_tax_id="0105556000017", buyer_branch="00000", ship_by=ship_by))
    order = Order.objects.for_shop(shop).get()
    assert (order.customer_tax_id, order.customer_branch_code, order.ship_by) == (
        "0105556000017",
        "00000",
        ship_by,
    )


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(shop):
    make_variant(shop, "MUG", on_hand=1)
    before = snapshot(shop)
    report = apply(
        shop,
        shopee("A1", lines=(("MUG", 1, "150.00"),)),
        shopee("A2", row=3),
        shopee("A3", row=4, lines=(("NOPE", 1, "1.00"),)),
        dry_run=True,
    )
    assert [o.outcome for o in report.orders] == ["created", "error", "error"]
    assert [e.code for e in report.errors] == ["insufficient_stock", "unmapped_sku"]
    assert report.orders[0].number == ""
    assert snapshot(shop) == before


def test_another_shops_products_cannot_be_mapped_and_its_mappings_do_not_apply(shop, other_shop):
    make_variant(other_shop, "THEIRS", on_hand=5)
    make_variant(shop, "MUG", on_hand=5)
    with pytest.raises(TaladError) as refused:
        map_sku(shop=shop, by=BY, channel="shopee", marketplace_sku="X", sku="THEIRS")
    assert refused.value.fields == {"sku": "unknown_sku"}
    theirs = map_sku(shop=other_shop, by=BY, channel="shopee", marketplace_sku="X", sku="THEIRS")
    report = apply(shop, shopee(lines=(("X", 1, "10.00"),)))
    assert report.errors[0].code == "unmapped_sku"
    with pytest.raises(TaladError) as missing:
        forget_sku(shop=shop, by=BY, mapping_id=theirs.pk)
    assert missing.value.code == "not_found"


@pytest.mark.parametrize("role", ["packer", "accountant"])
def test_only_members_who_manage_orders_may_import_or_map(shop, role):
    make_variant(shop, "MUG", on_hand=5)
    member = Actor(role=role, label=role)
    with pytest.raises(PermissionDenied):
        apply(shop, shopee(), by=member)
    with pytest.raises(PermissionDenied):
        map_sku(shop=shop, by=member, channel="shopee", marketplace_sku="X", sku="MUG")
    assert not Order.objects.for_shop(shop).exists()


def test_staff_may_import(shop):
    make_variant(shop, "MUG", on_hand=5)
    assert (
        apply(shop, shopee(), by=Actor(role="staff", label="staff")).orders[0].outcome == "created"
    )
