"""The stock pages, through Django's test client as a signed-in member of the shop."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from talad.catalog.services import create_product
from talad.inventory import views
from talad.inventory.models import StockLevel, StockMovement
from talad.inventory.services import adjust_stock, reserve_stock
from talad.shops.actors import Actor
from talad.shops.services import add_member
from tests.conftest import make_shop, make_variant


def signed_in(shop, role="owner") -> Client:
    email = f"{role}-{shop.slug}@example.com"
    add_member(shop=shop, email=email, role=role, password="pw-123456", by=Actor.system("test"))
    client = Client()
    assert client.login(username=email, password="pw-123456")
    return client


def sku_page(client, sku, **filters):
    return client.get("/stock/sku/", {"sku": sku, **filters})


def token_of(page, action) -> str:
    html = page.content.decode()
    return re.search(rf'name="{action}-form_token" value="([0-9a-f]+)"', html).group(1)


def post_form(client, page, action, sku, **fields):
    data = {f"{action}-form_token": token_of(page, action), f"{action}-sku": sku}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(f"/stock/{action}/", data)


def error_beside(html: str, field: str) -> str:
    match = re.search(rf'data-error-for="{re.escape(field)}">([^<]*)<', html)
    return match.group(1) if match else ""


def level(shop, variant) -> StockLevel:
    return StockLevel.objects.for_shop(shop).get(variant=variant)


def movements(shop, variant):
    return StockMovement.objects.for_shop(shop).filter(variant=variant)


def reserve(shop, variant, quantity):
    reserve_stock(
        shop=shop, lines=[(variant, quantity)], reference="order:TEST", by=Actor.system("test")
    )


def cells(html: str, sku: str) -> tuple[int, int, int]:
    """On hand, reserved and available of a SKU's row on the levels page."""
    row = re.search(rf'<tr data-sku="{re.escape(sku)}".*?</tr>', html, re.S).group(0)
    found = dict(re.findall(r'data-col="(\w+)">(?:<b>)?(-?\d+)', row))
    return int(found["on_hand"]), int(found["reserved"]), int(found["available"])


def test_levels_show_on_hand_reserved_and_available_per_sku(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    make_variant(shop, "CAP", on_hand=4)
    reserve(shop, shirt, 3)
    html = signed_in(shop).get("/stock/").content.decode()
    assert cells(html, "SHIRT") == (10, 3, 7)
    assert cells(html, "CAP") == (4, 0, 4)
    assert "ติดจอง" in html and "พร้อมขาย" in html


def test_low_stock_rows_are_highlighted(shop):
    make_variant(shop, "RUNNING-LOW", on_hand=2, low_stock_threshold=5)
    make_variant(shop, "PLENTY", on_hand=50, low_stock_threshold=5)
    client = signed_in(shop)
    html = client.get("/stock/").content.decode()
    assert 'data-sku="RUNNING-LOW" data-low="yes"' in html
    assert 'data-sku="PLENTY" data-low="no"' in html
    only_low = client.get("/stock/", {"low": "1"}).content.decode()
    assert 'data-sku="RUNNING-LOW"' in only_low and 'data-sku="PLENTY"' not in only_low


def test_levels_search_by_sku_name_or_barcode(shop):
    make_variant(shop, "MUG-WHITE", on_hand=1, barcode="8851234567890")
    make_variant(shop, "PLATE", on_hand=1)
    client = signed_in(shop)

    def listed(q):
        html = client.get("/stock/", {"q": q}).content.decode()
        return set(re.findall(r'<tr data-sku="([^"]+)"', html))

    assert listed("mug") == {"MUG-WHITE"}
    assert listed("8851234567890") == {"MUG-WHITE"}
    assert listed("สินค้า PLATE") == {"PLATE"}  # the product's name


def test_levels_page_by_sku(shop, monkeypatch):
    monkeypatch.setattr(views, "PAGE", 2)
    for sku in ("A-1", "B-1", "C-1"):
        make_variant(shop, sku, on_hand=1)
    client = signed_in(shop)
    first = client.get("/stock/").content.decode()
    assert re.findall(r'<tr data-sku="([^"]+)"', first) == ["A-1", "B-1"]
    second = client.get("/stock/", {"after": "B-1"}).content.decode()
    assert re.findall(r'<tr data-sku="([^"]+)"', second) == ["C-1"]
    assert 'href="?after=B-1"' in first
    more = client.get("/stock/", {"after": "B-1"}, headers={"HX-Request": "true"}).content.decode()
    assert re.findall(r'<tr data-sku="([^"]+)"', more) == ["C-1"] and "<html" not in more


def test_receiving_stock_changes_the_level_and_the_ledger(shop):
    soap = make_variant(shop, "SOAP", on_hand=10, cost="10.00")
    client = signed_in(shop)
    page = sku_page(client, "SOAP")
    response = post_form(client, page, "receive", "SOAP", quantity="10", unit_cost="20.00")
    assert response.status_code == 302 and response["Location"] == "/stock/sku/?sku=SOAP"
    assert level(shop, soap).on_hand == 20
    soap.refresh_from_db()
    assert soap.cost == Decimal("15.0000")  # moving average of 10 @ 10 and 10 @ 20
    after = client.get(response["Location"]).content.decode()
    assert re.search(r'data-kind="receive">.*?\+10.*?฿20\.00', after, re.S)
    assert after.count('data-kind="receive"') == 2


def test_a_receive_form_submitted_twice_writes_one_movement(shop):
    soap = make_variant(shop, "SOAP")
    client = signed_in(shop)
    page = sku_page(client, "SOAP")
    first = post_form(client, page, "receive", "SOAP", quantity="5", unit_cost="12.00")
    second = post_form(client, page, "receive", "SOAP", quantity="5", unit_cost="12.00")
    assert first.status_code == second.status_code == 302
    assert movements(shop, soap).filter(kind="receive").count() == 1
    assert level(shop, soap).on_hand == 5


def test_a_bad_receipt_is_shown_beside_the_field_and_nothing_is_written(shop):
    soap = make_variant(shop, "SOAP", on_hand=3)
    client = signed_in(shop)
    page = sku_page(client, "SOAP")
    response = post_form(client, page, "receive", "SOAP", quantity="0", unit_cost="12.00")
    assert response.status_code == 400
    assert error_beside(response.content.decode(), "receive-quantity")
    response = post_form(client, page, "receive", "SOAP", quantity="2", unit_cost="-1")
    assert "จำนวนเงิน" in error_beside(response.content.decode(), "receive-unit_cost")
    assert level(shop, soap).on_hand == 3
    assert movements(shop, soap).count() == 1


def test_adjusting_below_available_shows_the_rule_and_writes_nothing(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    reserve(shop, shirt, 3)
    client = signed_in(shop)
    page = sku_page(client, "SHIRT")
    response = post_form(client, page, "adjust", "SHIRT", quantity_delta="-3", reason="ชำรุด")
    html = response.content.decode()
    assert response.status_code == 400
    assert "ได้ไม่เกิน 2 ชิ้น" in error_beside(html, "adjust-quantity_delta")
    assert '<details open data-action="adjust">' in html
    assert (level(shop, shirt).on_hand, level(shop, shirt).reserved) == (5, 3)
    assert not movements(shop, shirt).filter(kind="adjust").exists()


def test_adjusting_within_available_writes_the_reason_in_the_ledger(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    client = signed_in(shop)
    page = sku_page(client, "SHIRT")
    response = post_form(client, page, "adjust", "SHIRT", quantity_delta="-2", reason="แมวกัด")
    assert response.status_code == 302
    assert level(shop, shirt).on_hand == 3
    movement = movements(shop, shirt).get(kind="adjust")
    assert (movement.on_hand_delta, movement.reason) == (-2, "แมวกัด")
    assert "แมวกัด" in client.get(response["Location"]).content.decode()


def test_an_adjustment_needs_a_reason(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    client = signed_in(shop)
    page = sku_page(client, "SHIRT")
    response = post_form(client, page, "adjust", "SHIRT", quantity_delta="1", reason="")
    assert response.status_code == 400
    assert error_beside(response.content.decode(), "adjust-reason")
    assert level(shop, shirt).on_hand == 5


def test_counting_sets_on_hand_and_records_the_difference(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=8)
    client = signed_in(shop)
    page = sku_page(client, "SHIRT")
    response = post_form(client, page, "count", "SHIRT", counted="6")
    assert response.status_code == 302
    assert level(shop, shirt).on_hand == 6
    assert movements(shop, shirt).get(kind="count").on_hand_delta == -2


def test_counting_below_reserved_is_refused_beside_the_field(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=8)
    reserve(shop, shirt, 4)
    client = signed_in(shop)
    page = sku_page(client, "SHIRT")
    response = post_form(client, page, "count", "SHIRT", counted="3")
    assert response.status_code == 400
    assert "น้อยกว่าที่ติดจอง 4 ชิ้น" in error_beside(response.content.decode(), "count-counted")
    assert level(shop, shirt).on_hand == 8


def test_the_ledger_filters_by_kind_and_date(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=8)
    adjust_stock(shop=shop, sku="SHIRT", quantity_delta=-1, reason="ชำรุด", by=Actor.system("t"))
    client = signed_in(shop)

    def kinds(**filters):
        html = sku_page(client, "SHIRT", **filters).content.decode()
        return re.findall(r'data-kind="(\w+)"', html)

    assert kinds() == ["adjust", "receive"]
    assert kinds(kind="adjust") == ["adjust"]
    assert kinds(kind="receive") == ["receive"]
    day = timezone.localdate(movements(shop, shirt).latest("id").created_at)
    assert kinds(date_from=day.isoformat(), date_to=day.isoformat()) == ["adjust", "receive"]
    assert kinds(date_to=(day - timedelta(days=1)).isoformat()) == []
    assert kinds(date_from=(day + timedelta(days=1)).isoformat()) == []


def test_the_ledger_pages_by_keyset(shop, monkeypatch):
    monkeypatch.setattr(views, "PAGE", 2)
    shirt = make_variant(shop, "SHIRT", on_hand=8)
    for n in (1, 2):
        adjust_stock(
            shop=shop, sku="SHIRT", quantity_delta=n, reason=f"พบเพิ่ม {n}", by=Actor.system("t")
        )
    client = signed_in(shop)
    first = sku_page(client, "SHIRT").content.decode()
    ids = [int(i) for i in re.findall(r'data-movement="(\d+)"', first)]
    assert len(ids) == 2 and ids == sorted(ids, reverse=True)
    next_url = re.search(r'<tr id="more-ledger"><td colspan="8"><a href="\?([^"]+)"', first).group(
        1
    )
    second = client.get("/stock/sku/?" + next_url.replace("&amp;", "&")).content.decode()
    rest = [int(i) for i in re.findall(r'data-movement="(\d+)"', second)]
    assert rest == [movements(shop, shirt).order_by("id").first().pk]
    assert 'id="more-ledger"' not in second
    more = client.get(
        "/stock/sku/?" + next_url.replace("&amp;", "&"), headers={"HX-Request": "true"}
    )
    html = more.content.decode()
    assert re.findall(r'data-movement="(\d+)"', html) == [str(rest[0])] and "<html" not in html


def test_an_accountant_sees_levels_and_ledger_but_no_stock_forms(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=8)
    client = signed_in(shop, "accountant")
    assert client.get("/stock/").status_code == 200
    page = sku_page(client, "SHIRT")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-kind="receive"' in html
    assert "data-stock-form" not in html and "form_token" not in html
    owner_page = sku_page(signed_in(shop), "SHIRT")
    for action, fields in (
        ("receive", {"quantity": "5", "unit_cost": "1.00"}),
        ("adjust", {"quantity_delta": "-1", "reason": "x"}),
        ("count", {"counted": "0"}),
    ):
        response = post_form(client, owner_page, action, "SHIRT", **fields)
        assert response.status_code == 403
    assert level(shop, shirt).on_hand == 8
    assert movements(shop, shirt).count() == 1


def test_the_owner_sees_all_three_stock_forms(shop):
    make_variant(shop, "SHIRT", on_hand=1)
    html = sku_page(signed_in(shop), "SHIRT").content.decode()
    assert re.findall(r'data-stock-form="(\w+)"', html) == ["receive", "adjust", "count"]


def test_a_packer_cannot_open_the_stock_pages(shop):
    make_variant(shop, "SHIRT", on_hand=1)
    client = signed_in(shop, "packer")
    assert client.get("/stock/").status_code == 403
    assert sku_page(client, "SHIRT").status_code == 403
    response = client.post("/stock/receive/", {"receive-sku": "SHIRT", "receive-quantity": "1"})
    assert response.status_code == 403


def test_another_shops_sku_is_a_404(shop):
    other = make_shop()
    theirs = make_variant(other, "THEIRS", on_hand=3)
    client = signed_in(shop)
    assert sku_page(client, "THEIRS").status_code == 404
    mine = make_variant(shop, "MINE")
    page = sku_page(client, "MINE")
    response = post_form(client, page, "receive", "THEIRS", quantity="5", unit_cost="1.00")
    assert response.status_code == 404
    assert level(other, theirs).on_hand == 3
    assert not movements(shop, mine).exists()
    assert 'data-sku="THEIRS"' not in client.get("/stock/").content.decode()


def test_a_bundle_shows_its_sets_and_no_stock_forms(shop):
    make_variant(shop, "SOAP", on_hand=7)
    create_product(
        shop=shop,
        name="ชุดสบู่",
        by=Actor.system("test"),
        variants=[
            {
                "sku": "SOAP-SET",
                "price": Decimal("99.00"),
                "components": [{"sku": "SOAP", "quantity": 2}],
            }
        ],
    )
    client = signed_in(shop)
    assert cells(client.get("/stock/").content.decode(), "SOAP-SET")[2] == 3
    html = sku_page(client, "SOAP-SET").content.decode()
    assert "data-stock-form" not in html and "SOAP</a> × 2" in html


@pytest.mark.parametrize("path", ["/stock/", "/stock/sku/?sku=X"])
def test_stock_pages_need_a_login(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
