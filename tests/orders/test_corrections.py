"""A seller corrects an order before it is packed: recipient, lines, amounts, payment method
(orders.corrections, PATCH /api/v1/orders/{id}, the order page's correction form)."""

from decimal import Decimal

import pytest

from talad.errors import TaladError
from talad.inventory.models import StockLevel
from talad.orders.corrections import correct_order
from talad.orders.inputs import OrderCorrection, read
from talad.orders.models import Order, Status
from talad.orders.services import transition
from talad.shops.actors import Actor
from talad.shops.models import AuditEntry
from tests.conftest import ApiClient, make_shop, make_variant, token_for
from tests.orders.factories import CUSTOMER, make_order
from tests.orders.test_views import signed_in, token_of

BY = Actor.system("test")


@pytest.fixture
def tee(shop):
    return make_variant(shop, "TEE-M", on_hand=10, price="250.00")


@pytest.fixture
def cap(shop):
    return make_variant(shop, "CAP", on_hand=3, price="150.00")


def reserved(variant) -> int:
    return StockLevel.objects.for_shop(variant.shop_id).get(variant=variant).reserved


def correct(order, **changes) -> Order:
    return correct_order(order=order, changes=read(OrderCorrection, changes), by=BY)


def test_changing_the_lines_moves_the_reservations_and_the_total_and_is_audited(shop, tee, cap):
    order = make_order(shop, tee, 2)

    corrected = correct(
        order, lines=[{"sku": "TEE-M", "quantity": 1}, {"sku": "CAP", "quantity": 2}]
    )

    assert (reserved(tee), reserved(cap)) == (1, 2)
    assert corrected.total == Decimal("550.00")
    entry = AuditEntry.objects.filter(shop=shop, action="order.correct").get()
    assert [line["quantity"] for line in entry.before["lines"]] == [2]
    assert entry.after["total"] == "550.00"


def test_a_new_address_and_shipping_fee_keep_the_lines_and_reprice_the_total(shop, tee):
    order = make_order(shop, tee, 2)
    new_address = {**CUSTOMER, "name": "สมหญิง ใจงาม", "address": {**CUSTOMER["address"]}}
    new_address["address"]["line"] = "88 ซอยใหม่"

    corrected = correct(order, customer=new_address, shipping_fee="40.00")

    assert (corrected.customer_name, corrected.address_line) == ("สมหญิง ใจงาม", "88 ซอยใหม่")
    assert corrected.total == Decimal("540.00")
    assert [(li.sku, li.quantity) for li in corrected.lines.all()] == [("TEE-M", 2)]
    assert reserved(tee) == 2


def test_more_than_the_stock_is_refused_and_nothing_of_the_correction_is_kept(shop, tee, cap):
    order = make_order(shop, tee, 1)

    with pytest.raises(TaladError) as refused:
        correct(
            order, customer={**CUSTOMER, "name": "คนใหม่"}, lines=[{"sku": "CAP", "quantity": 4}]
        )

    assert refused.value.code == "insufficient_stock"
    order.refresh_from_db()
    assert order.customer_name == CUSTOMER["name"]
    assert (reserved(tee), reserved(cap)) == (1, 0)


def test_a_packed_order_is_refused_with_the_reason(shop, tee):
    order = make_order(shop, tee, 1)
    transition(order=order, action="confirm_cod", by=BY)
    transition(order=order, action="pack", by=BY)

    with pytest.raises(TaladError) as refused:
        correct(order, lines=[{"sku": "TEE-M", "quantity": 3}])

    assert refused.value.code == "not_correctable"
    assert "แพ็คแล้ว" in refused.value.message
    assert reserved(tee) == 1


def test_the_payment_method_changes_only_while_nothing_is_paid_or_confirmed(shop, tee):
    order = make_order(shop, tee, 1, payment_method="transfer")
    assert correct(order, payment_method="cod").payment_method == "cod"

    transition(order=order, action="confirm_cod", by=BY)
    with pytest.raises(TaladError) as refused:
        correct(order, payment_method="transfer")

    assert refused.value.fields == {"payment_method": "already_settled"}


def test_cod_needs_the_recipients_phone_when_the_method_turns_to_cod(shop, tee):
    no_phone = {**CUSTOMER, "phone": ""}
    order = make_order(shop, tee, 1, payment_method="transfer", customer=no_phone)

    with pytest.raises(TaladError) as refused:
        correct(order, payment_method="cod")

    assert refused.value.fields == {"customer.phone": "required_for_cod"}


def test_the_deadline_is_cleared_by_null_and_left_alone_when_not_sent(api, shop, tee):
    order = make_order(shop, tee, 1, ship_by="2026-12-31T17:00:00+07:00")

    kept = api.patch(f"/api/v1/orders/{order.pk}", {"note": "ห่อของขวัญ"})
    cleared = api.patch(f"/api/v1/orders/{order.pk}", {"ship_by": None})

    assert kept.status_code == 200, kept.json()
    assert kept.json()["note"] == "ห่อของขวัญ" and kept.json()["ship_by"] is not None
    assert cleared.json()["ship_by"] is None and cleared.json()["note"] == "ห่อของขวัญ"


def test_patch_corrects_over_the_api_and_refuses_unknown_and_origin_fields(api, shop, tee):
    order = make_order(shop, tee, 2)

    fixed = api.patch(
        f"/api/v1/orders/{order.pk}",
        {"lines": [{"sku": "TEE-M", "quantity": 3}], "discount": "50.00"},
    )
    misspelt = api.patch(f"/api/v1/orders/{order.pk}", {"shiping_fee": "10.00"})
    moved = api.patch(f"/api/v1/orders/{order.pk}", {"channel": "shopee"})

    assert fixed.status_code == 200, fixed.json()
    assert (fixed.json()["total"], fixed.json()["lines"][0]["quantity"]) == ("700.00", 3)
    assert misspelt.status_code == 422
    assert misspelt.json()["error"]["fields"] == {"shiping_fee": "unknown_field"}
    assert moved.status_code == 400
    assert moved.json()["error"]["fields"] == {"channel": "not_editable"}
    assert reserved(tee) == 3


def test_another_shops_order_is_not_found_and_a_packer_may_not_correct(shop, tee):
    order = make_order(shop, tee, 1)
    stranger = ApiClient(token_for(make_shop()))
    packer = ApiClient(token_for(shop, role="packer"))

    assert stranger.patch(f"/api/v1/orders/{order.pk}", {"note": "x"}).status_code == 404
    assert packer.patch(f"/api/v1/orders/{order.pk}", {"note": "x"}).status_code == 403
    order.refresh_from_db()
    assert order.note == ""


def test_the_order_page_correction_form_saves_once_and_returns_to_the_order(shop, tee, cap):
    order = make_order(shop, tee, 2)
    client = signed_in(shop)
    page = client.get(f"/orders/{order.pk}/correct/")
    form = {
        "form_token": token_of(page),
        "name": "สมชาย ใจดี",
        "phone": "0812345678",
        "address_line": "99/1 ม.4",
        "subdistrict": "คลองหนึ่ง",
        "district": "คลองหลวง",
        "province": "ปทุมธานี",
        "postcode": "12120",
        "tax_id": "",
        "branch_code": "",
        "payment_method": "cod",
        "shipping_fee": "0",
        "discount": "0",
        "note": "",
        "line_sku": ["TEE-M", "CAP", ""],
        "line_qty": ["1", "1", ""],
        "line_price": ["", "", ""],
    }

    saved = client.post(f"/orders/{order.pk}/correct/", form)
    again = client.post(f"/orders/{order.pk}/correct/", form)

    assert page.status_code == 200 and "TEE-M" in page.content.decode()
    assert saved.status_code == 302 and saved["Location"] == f"/orders/{order.pk}/"
    assert again.status_code == 302
    assert (reserved(tee), reserved(cap)) == (1, 1)
    assert AuditEntry.objects.filter(shop=shop, action="order.correct").count() == 1
    detail = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'data-testid="correct-order"' in detail


def test_the_correction_form_names_a_bad_line_and_keeps_what_was_typed(shop, tee):
    order = make_order(shop, tee, 2)
    client = signed_in(shop)
    token = token_of(client.get(f"/orders/{order.pk}/correct/"))

    refused = client.post(
        f"/orders/{order.pk}/correct/",
        {
            "form_token": token,
            "name": "สมชาย ใจดี",
            "phone": "0812345678",
            "payment_method": "cod",
            "shipping_fee": "0",
            "discount": "0",
            "line_sku": ["NOPE-1"],
            "line_qty": ["1"],
            "line_price": [""],
        },
    )

    html = refused.content.decode()
    assert refused.status_code == 400
    assert "NOPE-1" in html and "ไม่พบสินค้า" in html
    assert Order.objects.for_shop(shop).get(pk=order.pk).status == Status.PENDING
    assert reserved(tee) == 2


def test_the_buyers_tax_id_added_before_the_document_reaches_the_full_tax_invoice(db):
    from talad.accounting.services import issue_document
    from tests.accounting.factories import BUYER_TAX_ID, goods, vat_shop

    shop = vat_shop()
    api = ApiClient(token_for(shop))
    order = make_order(shop, goods(shop, "MUG", price="1070.00", on_hand=5), 1)
    company = {**CUSTOMER, "name": "บริษัท ลูกค้า จำกัด", "tax_id": BUYER_TAX_ID}
    bad = api.patch(f"/api/v1/orders/{order.pk}", {"customer": {**company, "tax_id": "1" * 13}})
    good = api.patch(
        f"/api/v1/orders/{order.pk}", {"customer": {**company, "branch_code": "00001"}}
    )

    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"customer.tax_id": "invalid_tax_id"}
    assert good.status_code == 200, good.json()
    document = issue_document(order=order, doc_type="tax_invoice", by=BY)
    assert (document.buyer_tax_id, document.buyer_branch_code) == (BUYER_TAX_ID, "00001")
    assert document.buyer_name == "บริษัท ลูกค้า จำกัด"


def test_the_order_history_tells_the_correction_in_the_pages_words(shop, tee):
    order = make_order(shop, tee, 2)
    correct(order, shipping_fee="40.00", lines=[{"sku": "TEE-M", "quantity": 3}])

    html = signed_in(shop).get(f"/orders/{order.pk}/").content.decode()

    assert "แก้ไขออเดอร์" in html
    assert "ค่าส่ง: 40.00" in html and "รายการสินค้า: TEE-M × 3" in html
    assert "shipping_fee" not in html and "customer_name" not in html
