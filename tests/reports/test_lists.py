"""The lists a seller checks at the end of a month: sales per product and per channel for a
period (cancelled orders left out), as a table, a chart and an xlsx; and the returns list."""

import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from talad.orders.inputs import NewOrder
from talad.orders.models import Order
from talad.orders.services import create_order, transition
from talad.reports.returns import returns_page
from talad.reports.sales import sales_by_channel, sales_by_product
from talad.shops.actors import Actor
from tests.conftest import make_shop, make_variant
from tests.orders.factories import CUSTOMER, make_order, order_in_status
from tests.orders.test_views import signed_in

pytestmark = pytest.mark.django_db
BY = Actor.system("test")
NOVEMBER = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}


def placed_on(order, day: date, hour: int = 12):
    """The order as if it were placed at `hour`:00 Bangkok time on `day`."""
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    Order.objects.for_shop(order.shop_id).filter(pk=order.pk).update(created_at=moment)
    return order


@pytest.fixture
def november(shop):
    """LINE: 2 mugs (500) and 1 mug + 1 shirt (350); Facebook: 3 shirts (300);
    a cancelled LINE order of 4 mugs; one order on 1 December just after midnight."""
    mug = make_variant(shop, "MUG", on_hand=50, price="250.00")
    shirt = make_variant(shop, "SHIRT", on_hand=50, price="100.00")
    placed_on(make_order(shop, mug, 2, channel="line"), date(2026, 11, 1), hour=0)
    placed_on(_two_lines(shop, mug, shirt), date(2026, 11, 15))
    placed_on(make_order(shop, shirt, 3, channel="facebook"), date(2026, 11, 30), hour=23)
    cancelled = placed_on(make_order(shop, mug, 4, channel="line"), date(2026, 11, 20))
    transition(order=cancelled, action="cancel", by=BY, reason="ลูกค้าเปลี่ยนใจ")
    placed_on(make_order(shop, mug, 1, channel="facebook"), date(2026, 12, 1), hour=0)
    return shop


def _two_lines(shop, *variants):
    order, _created = create_order(
        shop=shop,
        by=BY,
        order=NewOrder(
            channel="line",
            customer=CUSTOMER,
            lines=[{"sku": v.sku, "quantity": 1} for v in variants],
            payment_method="transfer",
        ),
    )
    return order


def test_sales_per_product_and_channel_count_the_bangkok_days_and_leave_cancelled_out(november):
    products = {p.sku: p for p in sales_by_product(shop=november, **NOVEMBER)}
    assert (products["MUG"].quantity, products["MUG"].orders, products["MUG"].sales) == (
        3,
        2,
        Decimal("750.00"),
    )
    assert (products["SHIRT"].quantity, products["SHIRT"].sales) == (4, Decimal("400.00"))
    channels = {c.channel: (c.orders, c.sales) for c in sales_by_channel(shop=november, **NOVEMBER)}
    assert channels == {"line": (2, Decimal("850.00")), "facebook": (1, Decimal("300.00"))}


def test_the_sales_page_shows_the_tables_and_charts_for_the_period(november):
    page = signed_in(november).get(
        "/reports/sales/", {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="sales-total">฿1,150.00<' in html
    assert (
        '<tr data-channel="line"><td>LINE</td><td class="num orders">2</td><td class="num sales">฿850.00</td>'
        in html
    )
    assert '<tr data-sku="MUG">' in html
    assert html.count("<svg") == 2 and "<script" not in html.split("<main")[-1]


def test_the_sales_xlsx_holds_the_same_figures(november):
    response = signed_in(november).get(
        "/reports/sales/export/", {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    products = book["ตามสินค้า"]
    rows = [tuple(c.value for c in row) for row in products.iter_rows(min_row=5)]
    assert rows[0] == ("MUG", "สินค้า MUG", 3, 2, 750)
    assert rows[-1][0] == "รวม" and rows[-1][2] == 7 and rows[-1][4] == 1150
    channels = [tuple(c.value for c in r) for r in book["ตามช่องทาง"].iter_rows(min_row=5)]
    assert channels[0] == ("LINE", 2, 850) and channels[-1] == ("รวม", 3, 1150)


def test_a_period_that_ends_before_it_starts_is_a_field_error_not_a_crash(shop):
    page = signed_in(shop).get(
        "/reports/sales/", {"date_from": "2026-12-01", "date_to": "2026-11-01"}
    )
    assert page.status_code == 400
    assert "วันเริ่มต้องไม่หลังวันสิ้นสุด" in page.content.decode()
    assert signed_in(shop).get("/reports/sales/", {"date_from": "1900-01-01"}).status_code == 400


def test_a_packer_sees_no_sales(shop):
    assert signed_in(shop, "packer").get("/reports/sales/").status_code == 403


# --- Returns ---------------------------------------------------------------------------------


def test_the_returns_list_says_why_each_parcel_came_back_and_in_what_condition(shop):
    mug = make_variant(shop, "MUG", on_hand=20, price="250.00")
    coming = order_in_status(shop, mug, "returning")
    back = order_in_status(shop, mug, "shipped")
    transition(
        order=back, action="fail_delivery", by=BY, reason="wrong_address", note="ไม่มีบ้านเลขที่นี้"
    )
    transition(
        order=back, action="receive_return", by=BY, lines=[{"sku": "MUG", "condition": "damaged"}]
    )
    sent_back = order_in_status(shop, mug, "delivered", quantity=2)
    transition(order=sent_back, action="receive_return", by=BY, note="ลูกค้าได้สีผิด")
    order_in_status(shop, mug, "delivered")  # kept: not a return

    rows = {r.order.number: r for r in returns_page(shop=shop)}
    assert set(rows) == {coming.number, back.number, sent_back.number}
    assert (rows[coming.number].reason, rows[coming.number].came_back) == ("refused", [])
    assert rows[back.number].reason == "wrong_address"
    assert rows[back.number].notes == ["ไม่มีบ้านเลขที่นี้"]
    assert [(b.sku, b.quantity, b.condition) for b in rows[back.number].came_back] == [
        ("MUG", 1, "damaged")
    ]
    assert rows[sent_back.number].reason == "" and rows[sent_back.number].notes == ["ลูกค้าได้สีผิด"]
    assert [(b.quantity, b.condition) for b in rows[sent_back.number].came_back] == [
        (2, "sellable")
    ]

    html = signed_in(shop).get("/reports/returns/", {"status": "returned"}).content.decode()
    assert coming.number not in html and back.number in html
    assert "ที่อยู่ผิด" in html and "MUG × 1 (ชำรุด)" in html
    assert "ลูกค้าส่งคืนหลังได้รับสินค้า" in html and "MUG × 2 (ขายได้ กลับเข้าสต๊อก)" in html


def test_the_returns_list_shows_only_this_shops_returns(shop):
    mine = order_in_status(shop, make_variant(shop, "MUG", on_hand=5), "returning")
    other = make_shop()
    order_in_status(other, make_variant(other, "CAP", on_hand=5), "returning")
    assert [r.order.pk for r in returns_page(shop=shop)] == [mine.pk]
    html = signed_in(shop).get("/reports/returns/").content.decode()
    assert html.count("data-order=") == 1
