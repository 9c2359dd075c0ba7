"""The carriers' files on the web, through Django's test client as a signed-in member: a
tracking file is checked row by row, then applied once (a double click ships nothing twice),
and a status file delivers the parcels it names. Bad files are refused on the page."""

import re

import pytest
from django.test import Client

from talad.orders.models import Order, PaymentStatus, Status, StatusChange
from talad.shops.actors import Actor
from talad.shops.services import add_member
from tests.conftest import make_variant
from tests.shipping.helpers import cod_ready_to_ship, csv_file, shipped_cod, upload

SYSTEM = Actor.system("test")
TRACKING = "/shipping/import/tracking/"
STATUS = "/shipping/import/status/"


def signed_in(shop, role="owner") -> Client:
    email = f"{role}-{shop.slug}@example.com"
    add_member(shop=shop, email=email, role=role, password="pw-123456", by=SYSTEM)
    client = Client()
    assert client.login(username=email, password="pw-123456")
    return client


def hidden(page, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', page.content.decode()).group(1)


def rows(page) -> dict[int, str]:
    """Row number → result, as the table shows them."""
    found = re.findall(r'data-row="(\d+)" data-result="(\w+)"', page.content.decode())
    return {int(n): result for n, result in found}


def apply_form(page) -> dict:
    return {"form_token": hidden(page, "form_token"), "upload": hidden(page, "upload")}


def fresh(order) -> Order:
    return Order.objects.for_shop(order.shop).get(pk=order.pk)


@pytest.fixture
def shirt(shop):
    return make_variant(shop, "SHIRT", on_hand=20, price="199.00")


def test_a_tracking_file_is_previewed_then_applied_once_even_when_the_button_is_clicked_twice(
    shop, shirt
):
    first, second = cod_ready_to_ship(shop, shirt), cod_ready_to_ship(shop, shirt)
    content = csv_file(
        [
            ["order_number", "carrier", "tracking"],
            [first.number, "Flash", "th 0000 0007 01"],
            [second.number, "kerry", "KEX000000702"],
        ]
    )
    client = signed_in(shop)

    preview = client.post(TRACKING, {"file": upload(content, "flash.csv")})

    assert preview.status_code == 200
    assert rows(preview) == {2: "ready", 3: "ready"}
    assert "TH000000070" in preview.content.decode()
    assert fresh(first).status == Status.TO_SHIP  # a preview changes nothing

    form = apply_form(preview)
    applied = client.post(f"{TRACKING}apply/", form)
    again = client.post(f"{TRACKING}apply/", form)

    assert applied.status_code == again.status_code == 302
    assert applied["Location"] == again["Location"]
    assert (fresh(first).status, fresh(first).tracking_number) == (Status.SHIPPED, "TH0000000701")
    assert (fresh(second).carrier, fresh(second).tracking_number) == ("kex", "KEX000000702")
    ships = StatusChange.objects.for_shop(shop).filter(action="ship", order__in=[first, second])
    assert ships.count() == 2

    report = client.get(applied["Location"])
    assert rows(report) == {2: "shipped", 3: "shipped"}
    assert 'data-testid="report"' in report.content.decode()

    once_more = client.post(TRACKING, {"file": upload(content, "flash.csv")})
    assert rows(once_more) == {2: "skipped", 3: "skipped"}
    assert 'data-testid="apply"' not in once_more.content.decode()


def test_a_bad_row_is_reported_with_its_number_and_the_good_rows_still_ship(
    shop, other_shop, shirt
):
    good = cod_ready_to_ship(shop, shirt)
    mug = make_variant(other_shop, "MUG", on_hand=5)
    cod_ready_to_ship(other_shop, mug)
    theirs = cod_ready_to_ship(other_shop, mug)  # a number this shop has not reached
    content = csv_file(
        [
            ["เลขที่ออเดอร์", "ขนส่ง", "เลขพัสดุ"],
            [good.number, "flash", "TH0000000711"],
            [theirs.number, "flash", "TH0000000712"],
            [good.number, "pigeon post", "TH0000000713"],
        ]
    )
    client = signed_in(shop)

    preview = client.post(TRACKING, {"file": upload(content)})

    assert rows(preview) == {2: "ready", 3: "error", 4: "error"}
    html = preview.content.decode()
    assert f"ไม่พบออเดอร์ {theirs.number}" in html  # another shop's order does not exist here
    assert "pigeon post" in html

    client.post(f"{TRACKING}apply/", apply_form(preview))

    assert fresh(good).tracking_number == "TH0000000711"
    assert fresh(theirs).status == Status.TO_SHIP


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (csv_file([["order_number", "tracking"], ["SO-1", "TH1"]]), "carrier (แถว 1)"),
        (b"", "ไฟล์ว่าง"),
        (b"\xd0\xcf\x11\xe0 old excel", ".xls"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_on_the_page_naming_what_is_wrong(
    shop, content, words
):
    client = signed_in(shop)

    page = client.post(TRACKING, {"file": upload(content)})

    assert page.status_code == 400
    assert words in page.content.decode()
    assert 'data-testid="file-error"' in page.content.decode()


def test_applying_an_upload_the_session_no_longer_holds_asks_for_the_file_again(shop):
    client = signed_in(shop)

    page = client.post(f"{TRACKING}apply/", {"form_token": "ab" * 16, "upload": "cd" * 16})

    assert page.status_code == 400
    assert "อัปโหลดใหม่" in page.content.decode()


def test_a_status_file_delivers_the_parcels_and_collects_their_cod_once(shop, shirt):
    order = shipped_cod(shop, shirt, tracking="TH0000000721")
    content = csv_file(
        [
            ["tracking", "status", "time", "note"],
            ["TH0000000721", "ส่งสำเร็จ", "2025-11-20 14:05", "เซ็นรับโดยลูกค้า"],
            ["TH0000009999", "delivered", "2025-11-20 15:00", ""],
        ]
    )
    client = signed_in(shop)

    preview = client.post(STATUS, {"file": upload(content)})
    assert rows(preview) == {2: "ready", 3: "error"}
    assert fresh(order).status == Status.SHIPPED

    form = apply_form(preview)
    applied = client.post(f"{STATUS}apply/", form)
    client.post(f"{STATUS}apply/", form)

    delivered = fresh(order)
    assert (delivered.status, delivered.payment_status) == (
        Status.DELIVERED,
        PaymentStatus.COD_COLLECTED,
    )
    assert StatusChange.objects.for_shop(shop).filter(order=order, action="deliver").count() == 1
    assert rows(client.get(applied["Location"])) == {2: "recorded", 3: "error"}
    assert rows(client.post(STATUS, {"file": upload(content)})) == {2: "skipped", 3: "error"}


def test_who_may_import_follows_the_api(shop):
    packer = signed_in(shop, "packer")
    accountant = signed_in(shop, "accountant")

    assert packer.get(TRACKING).status_code == 200  # shipping is the packing bench's job
    assert packer.get(STATUS).status_code == 403
    assert accountant.get(TRACKING).status_code == 403
    assert accountant.get(STATUS).status_code == 403
    assert Client().get(TRACKING).status_code == 302


def test_an_upload_and_its_report_stay_with_the_shop_they_were_made_in(shop, other_shop, shirt):
    order = cod_ready_to_ship(shop, shirt)
    content = csv_file([["order", "carrier", "tracking"], [order.number, "flash", "TH0000000731"]])
    client = signed_in(shop)
    waiting = apply_form(client.post(TRACKING, {"file": upload(content)}))
    email = f"owner-{shop.slug}@example.com"
    add_member(shop=other_shop, email=email, role="owner", password="pw-123456", by=SYSTEM)
    client.post("/shop/switch/", {"shop": other_shop.pk})

    refused = client.post(f"{TRACKING}apply/", waiting)  # the file was checked for the first shop

    assert refused.status_code == 400
    assert fresh(order).status == Status.TO_SHIP
    client.post("/shop/switch/", {"shop": shop.pk})
    location = client.post(f"{TRACKING}apply/", {**waiting, "form_token": "f" * 32})["Location"]
    assert fresh(order).status == Status.SHIPPED
    client.post("/shop/switch/", {"shop": other_shop.pk})
    page = client.get(location)
    assert 'data-testid="report"' not in page.content.decode()
    assert order.number not in page.content.decode()
