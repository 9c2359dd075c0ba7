"""The new-order product picker: every word counts, and a typed or scanned code comes first."""

import re

from django.test import Client

from talad.catalog.selectors import find_variants
from talad.catalog.services import create_product
from talad.shops.actors import Actor
from talad.shops.services import add_member
from tests.conftest import make_variant


def tshirts(shop):
    return create_product(
        shop=shop,
        name="เสื้อยืดคอกลม",
        by=Actor.system("test"),
        variants=[
            {"sku": "TS-WHT-L", "name": "สีขาว / L", "price": "199.00"},
            {"sku": "TS-WHT-M", "name": "สีขาว / M", "price": "199.00"},
            {"sku": "TS-BLK-L", "name": "สีดำ / L", "price": "199.00"},
        ],
    )


def skus(shop, q):
    return [v.sku for v in find_variants(shop=shop, q=q)]


def test_every_word_of_a_thai_search_must_match_name_option_or_sku(shop):
    tshirts(shop)
    make_variant(shop, "MUG-WHT", name="แก้วขาว")
    assert set(skus(shop, "เสื้อ ขาว")) == {"TS-WHT-L", "TS-WHT-M"}
    assert skus(shop, "ขาว L") == ["TS-WHT-L"]
    assert skus(shop, "  เสื้อยืดคอกลม   สีดำ ") == ["TS-BLK-L"]
    assert skus(shop, "เสื้อ แดง") == []


def test_an_exact_sku_comes_before_skus_that_only_contain_it(shop):
    for sku in ("XTS-1", "TS-10", "TS-1", "TS-100"):
        make_variant(shop, sku)
    assert skus(shop, "ts-1")[0] == "TS-1"
    assert skus(shop, "TS-1") == ["TS-1", "TS-10", "TS-100", "XTS-1"]


def test_a_scanned_barcode_finds_its_variant_first(shop):
    make_variant(shop, "SOAP", barcode="8851234567890")
    make_variant(shop, "B-8851234567890")  # a SKU that happens to contain the digits
    assert skus(shop, "8851234567890") == ["SOAP", "B-8851234567890"]


def test_the_picker_searches_only_the_shops_own_active_variants(shop, other_shop):
    tshirts(other_shop)
    make_variant(shop, "OLD-TEE", name="เสื้อเก่า", active=False)
    assert skus(shop, "เสื้อ") == []


def test_the_picker_page_lists_a_pasted_thai_name_with_stock(shop):
    tshirts(shop)
    add_member(
        shop=shop, email="o@pick.test", role="owner", password="pw-123456", by=Actor.system("t")
    )
    client = Client()
    assert client.login(username="o@pick.test", password="pw-123456")
    html = client.get("/orders/new/products/", {"q": "เสื้อยืดคอกลม สีขาว"}).content.decode()
    assert re.findall(r'data-sku="([^"]+)"', html) == ["TS-WHT-L", "TS-WHT-M"]
    assert "฿199.00" in html
