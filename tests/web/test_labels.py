"""Codes are stored, words are shown: carriers, failed-delivery reasons, warehouses and ledger
references read as the seller's words, in Thai and in an English session."""

import re

import pytest
from django.test import Client
from django.utils import translation

from talad.orders.models import StatusChange
from talad.shops.actors import Actor
from talad.shops.services import add_member
from tests.conftest import make_variant
from tests.orders.factories import make_order, order_in_status


def member(shop, *, english=False) -> Client:
    email = f"owner-{shop.slug}@labels.test"
    add_member(shop=shop, email=email, role="owner", password="pw-123456", by=Actor.system("t"))
    client = Client()
    assert client.login(username=email, password="pw-123456")
    if english:
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def text_of(response) -> str:
    """What a reader sees: the page without its tags (codes in attributes and URLs are fine)."""
    assert response.status_code == 200
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def refused_parcel(shop):
    """An order shipped with Flash that the customer refused (reason code `refused`)."""
    return order_in_status(shop, make_variant(shop, "SHIRT", on_hand=5), "returning")


def test_the_order_page_names_the_carrier_and_the_refusal_in_thai(shop, refused_parcel):
    page = text_of(member(shop).get(f"/orders/{refused_parcel.pk}/"))
    assert "แฟลช เอ็กซ์เพรส" in page
    assert "ลูกค้าปฏิเสธรับ" in page
    assert not re.search(r"\b(flash|refused)\b", page), "a stored code leaked onto the page"


def test_an_english_session_reads_the_same_codes_in_english(shop, refused_parcel):
    page = text_of(member(shop, english=True).get(f"/orders/{refused_parcel.pk}/"))
    assert "Flash Express" in page
    assert "Customer refused" in page
    assert "แฟลช เอ็กซ์เพรส" not in page and "ลูกค้าปฏิเสธรับ" not in page
    # The English label contains the word; the code alone ("refused", "refused: …") does not.
    assert not re.search(r"\bflash\b", page) and not re.search(r"(?<!Customer )refused", page)


def test_a_note_written_during_an_english_session_is_stored_in_thai_and_shown_in_each_language(
    shop,
):
    with translation.override("en"):
        order = make_order(
            shop,
            make_variant(shop, "SOAP", on_hand=3),
            channel="shopee",
            payment_method="marketplace",
            external_id="2612040001",
        )
    paid = StatusChange.objects.for_shop(shop).get(order=order, action="pay")
    assert paid.note == "ชำระผ่านแพลตฟอร์ม"
    client = member(shop)
    assert "ชำระผ่านแพลตฟอร์ม" in text_of(client.get(f"/orders/{order.pk}/"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Paid via marketplace" in text_of(client.get(f"/orders/{order.pk}/"))


def test_stock_pages_name_the_warehouse_and_link_the_order_behind_a_movement(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt, 2)
    client = member(shop)
    levels = text_of(client.get("/stock/", {"q": "SHIRT"}))
    assert "คลังหลัก" in levels and not re.search(r"\bmain\b", levels)

    response = client.get("/stock/sku/", {"sku": "SHIRT"})
    ledger = text_of(response)
    assert f"ออเดอร์ {order.number}" in ledger
    assert "order:" not in ledger and not re.search(r"\bmain\b", ledger)
    assert f'<a href="/orders/{order.pk}/">ออเดอร์ {order.number}</a>' in response.content.decode()


def test_an_english_ledger_links_the_order_too(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt)
    response = member(shop, english=True).get("/stock/sku/", {"sku": "SHIRT"})
    assert f'href="/orders/{order.pk}/"' in response.content.decode()
    page = text_of(response)
    assert "order:" not in page and not re.search(r"\bmain\b", page)


def test_a_reference_to_another_shops_order_number_is_not_a_link(shop, other_shop):
    theirs = make_order(other_shop, make_variant(other_shop, "SHIRT", on_hand=5))
    mine = make_order(shop, make_variant(shop, "SHIRT", on_hand=5))
    assert theirs.number == mine.number  # each shop counts its own orders
    html = member(shop).get("/stock/sku/", {"sku": "SHIRT"}).content.decode()
    assert f'href="/orders/{mine.pk}/"' in html
    assert f'href="/orders/{theirs.pk}/"' not in html
