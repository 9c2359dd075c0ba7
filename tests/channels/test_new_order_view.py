"""The chat desk's new-order page: paste, pick, save — through the same service as the API."""

import re

from talad.inventory.models import StockLevel
from talad.orders.models import Order
from tests.conftest import make_variant
from tests.orders.factories import make_order
from tests.orders.test_views import signed_in, token_of

PASTED = "สมชาย ใจดี 0812345678 99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120"


def test_pasting_a_chat_message_fills_the_customer_fields(shop):
    client = signed_in(shop)
    html = client.post("/orders/new/parse/", {"chat_text": PASTED}).content.decode()
    for value in ("0812345678", "คลองหนึ่ง", "คลองหลวง", "ปทุมธานี", "12120"):
        assert f'value="{value}"' in html


def test_a_known_phone_brings_up_the_customer_and_their_refused_cod_parcels(shop, owner):
    from talad.orders.services import transition

    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt)
    for action, data in [
        ("confirm_cod", {}),
        ("pack", {}),
        ("ship", {"carrier": "flash", "tracking_number": "TH1"}),
        ("fail_delivery", {"reason": "refused"}),
    ]:
        order = transition(order=order, action=action, by=owner, **data)
    html = signed_in(shop).post("/orders/new/parse/", {"chat_text": PASTED}).content.decode()
    assert 'data-testid="known-customer"' in html
    assert "COD 1" in html


def test_the_product_picker_shows_live_available_stock(shop):
    make_variant(shop, "MUG-RED", on_hand=7)
    html = signed_in(shop).get("/orders/new/products/", {"q": "mug"}).content.decode()
    assert 'data-sku="MUG-RED"' in html and "พร้อมขาย 7" in html


def test_saving_creates_the_order_through_the_service_once(shop):
    make_variant(shop, "SHIRT", on_hand=5, price="250.00")
    client = signed_in(shop)
    page = client.get("/orders/new/")
    form = {
        "form_token": token_of(page),
        "channel": "line",
        "payment_method": "cod",
        "name": "สมชาย ใจดี",
        "phone": "081-234-5678",
        "address_line": "99/1 ม.4",
        "subdistrict": "คลองหนึ่ง",
        "district": "คลองหลวง",
        "province": "ปทุมธานี",
        "postcode": "12120",
        "shipping_fee": "40",
        "discount": "0",
        "line_sku": ["SHIRT"],
        "line_qty": ["2"],
        "line_price": [""],
    }
    first = client.post("/orders/new/", form)
    again = client.post("/orders/new/", form)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    order = Order.objects.for_shop(shop).get()
    assert (order.total, order.customer_phone, order.channel) == (540, "0812345678", "line")
    assert StockLevel.objects.for_shop(shop).get(variant__sku="SHIRT").reserved == 2


def test_saving_again_after_the_back_button_warns_with_the_order_it_already_made(shop):
    make_variant(shop, "SHIRT", on_hand=5, price="250.00")
    client = signed_in(shop)
    form = {
        "form_token": token_of(client.get("/orders/new/")),
        "channel": "facebook",
        "payment_method": "transfer",
        "name": "สมศรี",
        "phone": "0891112222",
        "shipping_fee": "0",
        "discount": "0",
        "line_sku": ["SHIRT"],
        "line_qty": ["1"],
        "line_price": [""],
    }
    first = client.post("/orders/new/", form, follow=True)
    # The back button shows the same filled form, with the same token; the seller saves again.
    again = client.post("/orders/new/", form, follow=True)

    order = Order.objects.for_shop(shop).get()
    first_page, again_page = first.content.decode(), again.content.decode()
    assert "ออเดอร์นี้บันทึกแล้ว" not in first_page
    assert f"ออเดอร์นี้บันทึกแล้ว: {order.number}" in again_page
    assert again.redirect_chain[-1][0] == f"/orders/{order.pk}/"
    assert StockLevel.objects.for_shop(shop).get(variant__sku="SHIRT").reserved == 1


def test_a_shortage_is_shown_on_the_page_and_nothing_is_saved(shop):
    make_variant(shop, "SHIRT", on_hand=1)
    client = signed_in(shop)
    page = client.get("/orders/new/")
    form = {
        "form_token": token_of(page),
        "channel": "line",
        "payment_method": "transfer",
        "name": "นก",
        "phone": "",
        "shipping_fee": "0",
        "discount": "0",
        "line_sku": ["SHIRT"],
        "line_qty": ["3"],
        "line_price": [""],
    }
    response = client.post("/orders/new/", form)
    assert response.status_code == 400
    assert re.search(r'data-testid="line-error">[^<]*SHIRT', response.content.decode())
    assert not Order.objects.for_shop(shop).exists()


def test_totals_update_from_the_lines(shop):
    make_variant(shop, "SHIRT", on_hand=5, price="100.00")
    html = (
        signed_in(shop)
        .post(
            "/orders/new/totals/",
            {"line_sku": ["SHIRT"], "line_qty": ["3"], "line_price": [""], "shipping_fee": "50"},
        )
        .content.decode()
    )
    assert re.search(r'data-testid="grand-total">฿350.00<', html)


def _order_form(client, **changes):
    form = {
        "form_token": token_of(client.get("/orders/new/")),
        "channel": "line",
        "payment_method": "transfer",
        "name": "บริษัท ลูกค้า จำกัด",
        "phone": "0891112222",
        "shipping_fee": "0",
        "discount": "0",
        "line_sku": ["SHIRT"],
        "line_qty": ["1"],
        "line_price": [""],
    }
    return {**form, **changes}


def test_a_buyer_who_asks_for_a_full_tax_invoice_gives_tax_id_and_branch_on_the_page(shop):
    from tests.accounting.factories import BUYER_TAX_ID

    make_variant(shop, "SHIRT", on_hand=5)
    client = signed_in(shop)
    dashed = f"{BUYER_TAX_ID[0]}-{BUYER_TAX_ID[1:5]}-{BUYER_TAX_ID[5:10]}-{BUYER_TAX_ID[10:]}"

    saved = client.post("/orders/new/", _order_form(client, tax_id=dashed, branch_code=""))

    assert saved.status_code == 302
    order = Order.objects.for_shop(shop).get()
    assert (order.customer_tax_id, order.customer_branch_code) == (BUYER_TAX_ID, "00000")
    assert BUYER_TAX_ID in client.get(f"/orders/{order.pk}/").content.decode()


def test_a_wrong_tax_id_is_named_beside_its_field_and_nothing_is_saved(shop):
    make_variant(shop, "SHIRT", on_hand=5)
    client = signed_in(shop)

    refused = client.post("/orders/new/", _order_form(client, tax_id="1234567890123"))

    assert refused.status_code == 400
    assert "เลขประจำตัวผู้เสียภาษีต้องเป็นตัวเลข 13 หลัก" in refused.content.decode()
    assert not Order.objects.for_shop(shop).exists()
