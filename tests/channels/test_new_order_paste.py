"""The new-order page reads the whole chat: the seller pastes it, the customer fields fill,
the products it asks for are offered as lines to confirm, and the payment method is set."""

import re
from decimal import Decimal

from talad.catalog.services import create_product
from talad.shops.actors import Actor
from tests.orders.test_views import signed_in

CHAT = (
    "เอาเสื้อสีขาวไซส์ L 2 ตัวค่ะ\n"
    "สมชาย ใจดี 0812345678\n99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120\n"
    "เก็บเงินปลายทางนะคะ"
)


def shirts(shop):
    return create_product(
        shop=shop,
        name="เสื้อยืดคอกลม",
        by=Actor.system("test"),
        variants=[
            {"sku": f"TS-{code}-{size}", "name": f"{colour} {size}", "price": Decimal("199")}
            for code, colour in (("WH", "ขาว"), ("BK", "ดำ"))
            for size in ("M", "L")
        ],
    )


def pasted(shop, text=CHAT) -> str:
    return signed_in(shop).post("/orders/new/parse/", {"chat_text": text}).content.decode()


def test_pasting_an_order_chat_offers_the_shops_product_as_a_line_to_confirm(shop):
    shirts(shop)
    html = pasted(shop)
    proposed = re.search(r'<ul data-testid="proposed-lines">(.*?)</ul>', html, re.S).group(1)
    assert 'data-sku="TS-WH-L"' in proposed and "× 2" in proposed
    assert "/orders/new/line/?sku=TS-WH-L&amp;qty=2" in proposed
    assert 'id="proposed-lines" hx-swap-oob="true"' in html


def test_the_address_field_keeps_only_the_address(shop):
    shirts(shop)
    html = pasted(shop)
    assert re.search(r'name="address_line"[^>]*value="99/1 ม.4"', html)
    assert re.search(r'name="name"[^>]*value="สมชาย ใจดี"', html)


def test_cod_in_the_chat_sets_the_payment_method(shop):
    html = pasted(shop)
    payment = re.search(r'<div id="payment-method" hx-swap-oob="true">(.*?)</div>', html, re.S)
    assert re.search(r'<option value="cod" selected>', payment.group(1))


def test_a_chat_that_says_nothing_about_paying_leaves_the_payment_method_alone(shop):
    html = pasted(shop, CHAT.replace("เก็บเงินปลายทางนะคะ", ""))
    assert 'id="payment-method"' not in html


def test_a_landline_beside_the_mobile_is_shown_not_lost(shop):
    html = pasted(shop, CHAT.replace("0812345678", "02-123-4567 / 081-234-5678"))
    assert re.search(r'name="phone"[^>]*value="0812345678"', html)
    assert re.search(r'data-testid="other-phones">[^<]*021234567', html)


def test_the_proposed_line_arrives_with_its_count(shop):
    shirts(shop)
    html = signed_in(shop).get("/orders/new/line/", {"sku": "TS-WH-L", "qty": "2"}).content
    assert re.search(r'name="line_qty" value="2"', html.decode())


def test_a_count_that_is_no_number_adds_one(shop):
    shirts(shop)
    html = signed_in(shop).get("/orders/new/line/", {"sku": "TS-WH-L", "qty": "-5"}).content
    assert re.search(r'name="line_qty" value="1"', html.decode())


def test_another_shops_products_are_never_proposed(shop, other_shop):
    shirts(other_shop)
    assert 'data-testid="proposed-lines"' not in pasted(shop)
