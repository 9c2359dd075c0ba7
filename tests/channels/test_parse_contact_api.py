"""POST /api/v1/parse-contact: a chat bot or a website checkout sends what the customer
typed and gets the fields back, plus the shop's customer when the phone is known."""

from decimal import Decimal

import pytest

from talad.catalog.services import create_product
from talad.orders.models import Customer
from talad.orders.services import transition
from talad.shops.actors import Actor
from tests.conftest import ApiClient, make_variant, token_for
from tests.orders.factories import make_order

URL = "/api/v1/parse-contact"
CHAT = "สมชาย ใจดี 081-234-5678 99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120"
CUSTOMER = {
    "name": "สมชาย ใจดี",
    "phone": "0812345678",
    "address": {"line": "99/1 ม.4", "subdistrict": "คลองหนึ่ง", "district": "คลองหลวง"},
}


def failed_delivery(shop, variant, reason, *, payment_method="cod", customer=CUSTOMER):
    """An order shipped to the customer and come back for `reason`."""
    by = Actor.system("test")
    order = make_order(shop, variant, payment_method=payment_method, customer=customer)
    if payment_method == "cod":
        order = transition(order=order, action="confirm_cod", by=by)
    else:
        order = transition(order=order, action="pay", by=by, amount=order.total, method="transfer")
    order = transition(order=order, action="pack", by=by)
    order = transition(
        order=order, action="ship", by=by, carrier="flash", tracking_number=f"TH{order.pk:010d}"
    )
    return transition(order=order, action="fail_delivery", by=by, reason=reason)


def test_a_pasted_chat_comes_back_as_name_phone_and_address(api):
    response = api.post(URL, {"text": CHAT})
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "name": "สมชาย ใจดี",
        "phone": "0812345678",
        "other_phones": [],
        "address": {
            "line": "99/1 ม.4",
            "subdistrict": "คลองหนึ่ง",
            "district": "คลองหลวง",
            "province": "ปทุมธานี",
            "postcode": "12120",
        },
        "candidates": [],
        "customer": None,
        "payment_method": None,
        "lines": [],
    }


def test_thai_is_sent_readable_not_escaped(api):
    response = api.post(URL, {"text": CHAT})
    assert "คลองหนึ่ง".encode() in response.content


def test_an_ambiguous_postcode_comes_back_with_the_areas_to_choose_from(api):
    response = api.post(URL, {"text": "แพร 0812345678 8 ม.2 12120"})
    body = response.json()
    assert response.status_code == 200
    assert body["address"] == {
        "line": "8 ม.2",
        "subdistrict": "",
        "district": "คลองหลวง",
        "province": "ปทุมธานี",
        "postcode": "12120",
    }
    assert len(body["candidates"]) == 7
    assert body["candidates"][0] == {
        "subdistrict": "คลองหนึ่ง",
        "district": "คลองหลวง",
        "province": "ปทุมธานี",
        "postcode": "12120",
    }


def test_a_known_phone_brings_up_the_customer_with_their_refused_cod_parcels(shop, api):
    variant = make_variant(shop, on_hand=10)
    failed_delivery(shop, variant, "refused")
    failed_delivery(shop, variant, "refused")
    failed_delivery(shop, variant, "nobody_home")
    make_order(shop, variant, customer=CUSTOMER)

    # The chat spells the phone another way; it is the same customer.
    response = api.post(URL, {"text": CHAT.replace("081-234-5678", "+66 81 234 5678")})

    customer = response.json()["customer"]
    assert customer["name"] == "สมชาย ใจดี"
    assert customer["refused_cod_count"] == 2
    assert customer["id"] == Customer.objects.for_shop(shop).get(phone="0812345678").pk


def test_a_known_customer_who_never_refused_has_a_count_of_zero(shop, api):
    make_order(shop, make_variant(shop, on_hand=5), customer=CUSTOMER)
    customer = api.post(URL, {"text": CHAT}).json()["customer"]
    assert (customer["name"], customer["refused_cod_count"]) == ("สมชาย ใจดี", 0)


def test_another_shops_customer_with_the_same_phone_stays_hidden(shop, other_shop, api):
    failed_delivery(other_shop, make_variant(other_shop, on_hand=5), "refused")
    assert api.post(URL, {"text": CHAT}).json()["customer"] is None


def test_garbage_comes_back_empty_not_as_an_error(api):
    response = api.post(URL, {"text": "asdf ;;; !!! 🙂"})
    assert response.status_code == 200
    assert response.json() == {
        "name": "",
        "phone": "",
        "other_phones": [],
        "address": {"line": "", "subdistrict": "", "district": "", "province": "", "postcode": ""},
        "candidates": [],
        "customer": None,
        "payment_method": None,
        "lines": [],
    }


def shirts(shop, *, active=True):
    """The shop's round-neck tee in white and black, sizes M and L."""
    return create_product(
        shop=shop,
        name="เสื้อยืดคอกลม",
        by=Actor.system("test"),
        active=active,
        variants=[
            {"sku": f"TS-{code}-{size}", "name": f"{colour} {size}", "price": Decimal("199")}
            for code, colour in (("WH", "ขาว"), ("BK", "ดำ"))
            for size in ("M", "L")
        ],
    )


ORDER_CHAT = f"เอาเสื้อสีขาวไซส์ L 2 ตัวค่ะ\n{CHAT}\nเก็บเงินปลายทางนะคะ"


def test_a_chat_with_an_order_comes_back_with_lines_from_the_shop_and_cod(shop, api):
    shirts(shop)
    body = api.post(URL, {"text": ORDER_CHAT}).json()
    assert body["lines"] == [{"sku": "TS-WH-L", "quantity": 2}]
    assert body["payment_method"] == "cod"
    assert body["address"]["line"] == "99/1 ม.4"
    assert body["name"] == "สมชาย ใจดี"


def test_lines_are_proposed_only_from_this_shops_products(shop, other_shop, api):
    shirts(other_shop)
    body = api.post(URL, {"text": ORDER_CHAT}).json()
    assert body["lines"] == []
    assert body["address"]["line"] == "99/1 ม.4"  # the order words still stay out


def test_a_product_no_longer_on_sale_is_not_proposed(shop, api):
    shirts(shop, active=False)
    assert api.post(URL, {"text": ORDER_CHAT}).json()["lines"] == []


def test_a_transfer_and_a_landline_beside_the_mobile(api):
    text = (
        "สมชาย ใจดี 02-123-4567 / 081-234-5678 99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120 โอนแล้ว"
    )
    body = api.post(URL, {"text": text}).json()
    assert (body["phone"], body["other_phones"]) == ("0812345678", ["021234567"])
    assert body["payment_method"] == "transfer"


def test_five_thousand_characters_are_read(api):
    text = CHAT + " " + "ก" * (5_000 - len(CHAT) - 1)
    assert len(text) == 5_000
    assert api.post(URL, {"text": text}).status_code == 200


def test_more_than_five_thousand_characters_are_refused(api):
    response = api.post(URL, {"text": "ก" * 5_001})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert "text" in response.json()["error"]["fields"]


@pytest.mark.parametrize("body", [{}, {"text": None}, {"text": 812345678}, {"text": ["x"]}])
def test_a_body_without_text_is_refused(api, body):
    response = api.post(URL, body)
    assert response.status_code == 422
    assert "text" in response.json()["error"]["fields"]


def test_a_request_without_a_token_is_refused(db):
    response = ApiClient(None).post(URL, {"text": CHAT})
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["owner", "admin", "staff", "packer", "accountant"])
def test_every_role_may_parse_a_chat(shop, role):
    response = ApiClient(token_for(shop, role)).post(URL, {"text": CHAT})
    assert response.status_code == 200
    assert response.json()["phone"] == "0812345678"
