"""Scan-to-pack through Django's test client as a signed-in packer: the box fills up scan by
scan on the server, a wrong or extra item is refused and counts nothing, and a complete box
is packed (and shipped when its tracking number is known) through the state machine."""

import pytest
from django.test import Client

from talad.orders.corrections import replace_lines
from talad.orders.inputs import NewOrder
from talad.orders.models import Order, StatusChange
from talad.orders.services import create_order, transition
from talad.shipping.models import Shipment
from talad.shipping.packing import CountsIncomplete, pack_scanned_order
from talad.shops.actors import Actor
from talad.shops.services import add_member
from tests.conftest import make_shop, make_variant
from tests.orders.factories import CUSTOMER, make_order
from tests.shipping.helpers import shipped_cod

SYSTEM = Actor.system("test")
PACK = "/shipping/pack/"


def signed_in(shop, role="packer") -> Client:
    email = f"{role}-{shop.slug}@example.com"
    add_member(shop=shop, email=email, role=role, password="pw-123456", by=SYSTEM)
    client = Client()
    assert client.login(username=email, password="pw-123456")
    return client


def to_pack(shop, lines, payment_method="transfer"):
    order, _created = create_order(
        shop=shop,
        by=SYSTEM,
        order=NewOrder(
            channel="line",
            customer=CUSTOMER,
            lines=[{"sku": v.sku, "quantity": q} for v, q in lines],
            payment_method=payment_method,
        ),
    )
    if payment_method == "cod":
        return transition(order=order, action="confirm_cod", by=SYSTEM)
    return transition(order=order, action="pay", by=SYSTEM, amount=order.total, method="transfer")


def scan(client, order, code):
    return client.post(f"{PACK}{order.pk}/scan/", {"code": code}, headers={"HX-Request": "true"})


def fresh(order) -> Order:
    return Order.objects.for_shop(order.shop).get(pk=order.pk)


def counts(page) -> dict[str, str]:
    """SKU → "scanned/expected" as the panel shows them."""
    import re

    html = page.content.decode()
    return dict(re.findall(r'data-testid="count-([^"]+)">(\d+/\d+)<', html))


@pytest.fixture
def stock(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=20, barcode="8850001000011")
    mug = make_variant(shop, "MUG", on_hand=20)
    soap = make_variant(shop, "SOAP", on_hand=20, barcode="8850001000028")
    gift = make_variant(
        shop,
        "GIFT",
        barcode="8850009999990",
        components=[{"sku": "SHIRT", "quantity": 1}, {"sku": "SOAP", "quantity": 2}],
    )
    return {"shirt": shirt, "mug": mug, "soap": soap, "gift": gift}


def test_scanning_an_order_number_opens_what_goes_in_its_box_with_sets_in_their_parts(shop, stock):
    order = to_pack(shop, [(stock["gift"], 1), (stock["mug"], 2)])
    packer = signed_in(shop)

    page = packer.post(f"{PACK}find/", {"code": f"  {order.number.lower()} "})

    assert page.status_code == 302
    panel = packer.get(page["Location"])
    assert counts(panel) == {"MUG": "0/2", "SHIRT": "0/1", "SOAP": "0/2"}
    assert order.number in panel.content.decode()


def test_each_good_scan_counts_one_by_barcode_or_sku_in_any_case(shop, stock):
    order = to_pack(shop, [(stock["shirt"], 2), (stock["mug"], 1)])
    packer = signed_in(shop)

    first = scan(packer, order, "8850001000011")
    second = scan(packer, order, " shirt ")

    assert counts(first)["SHIRT"] == "1/2"
    assert counts(second) == {"MUG": "0/1", "SHIRT": "2/2"}
    assert "SHIRT ✓ (2/2)" in second.content.decode()
    assert fresh(order).status == "to_pack"


def test_a_wrong_item_is_refused_loudly_and_counts_nothing(shop, stock):
    order = to_pack(shop, [(stock["shirt"], 1), (stock["mug"], 1)])
    packer = signed_in(shop)
    scan(packer, order, "MUG")

    wrong = scan(packer, order, "8850001000028")  # the soap: in the shop, not in this order
    unknown = scan(packer, order, "0000000000000")

    html = wrong.content.decode()
    assert 'class="scan-message refused"' in html and 'role="alert"' in html
    assert 'data-beep="error"' in html
    assert "ผิดรายการ: SOAP สินค้า SOAP ไม่อยู่ในออเดอร์นี้" in html
    assert "ไม่รู้จักรหัส 0000000000000" in unknown.content.decode()
    assert counts(unknown) == {"MUG": "1/1", "SHIRT": "0/1"}
    assert fresh(order).status == "to_pack"


def test_one_more_than_the_order_needs_is_refused(shop, stock):
    order = to_pack(shop, [(stock["shirt"], 1), (stock["mug"], 1)])
    packer = signed_in(shop)
    scan(packer, order, "SHIRT")

    extra = scan(packer, order, "SHIRT")

    assert "เกินจำนวน: SHIRT ออเดอร์นี้ต้องการ 1 ชิ้น" in extra.content.decode()
    assert counts(extra) == {"MUG": "0/1", "SHIRT": "1/1"}


def test_a_sets_own_barcode_checks_one_whole_set(shop, stock):
    order = to_pack(shop, [(stock["gift"], 1)])
    packer = signed_in(shop)
    scan(packer, order, "SOAP")

    whole_set = scan(packer, order, "8850009999990")  # one soap is already in: no room

    assert "เกินจำนวน: SOAP" in whole_set.content.decode()
    scan(packer, order, "SOAP")
    done = scan(packer, order, "SHIRT")
    assert fresh(order).status == "to_ship"
    assert "แพ็คเรียบร้อย" in done.content.decode()


def test_the_last_item_packs_the_order_through_the_state_machine(shop, stock):
    order = to_pack(shop, [(stock["shirt"], 1), (stock["mug"], 1)])
    packer = signed_in(shop)
    scan(packer, order, "SHIRT")

    done = scan(packer, order, "MUG")

    order = fresh(order)
    assert order.status == "to_ship"
    change = StatusChange.objects.for_shop(shop).filter(order=order).latest("id")
    assert (change.action, change.actor) == ("pack", f"packer-{shop.slug}@example.com")
    html = done.content.decode()
    assert f"แพ็คเรียบร้อย {order.number} → รอส่ง" in html
    assert 'id="scan-order"' in html  # ready for the next order
    assert counts(packer.get(f"{PACK}?order={order.pk}")) == {}  # no longer packable


def test_with_a_tracking_number_the_packed_order_ships_at_once(shop, stock):
    order = to_pack(shop, [(stock["shirt"], 1)], payment_method="cod")
    packer = signed_in(shop)
    saved = packer.post(
        f"{PACK}{order.pk}/tracking/",
        {"carrier": "flash", "tracking_number": "th 1234 5678 90"},
        headers={"HX-Request": "true"},
    )
    assert 'data-testid="tracking">TH1234567890<' in saved.content.decode()

    scan(packer, order, "SHIRT")

    order = fresh(order)
    assert order.status == "shipped"
    assert (order.carrier, order.tracking_number) == ("flash", "TH1234567890")
    shipment = Shipment.objects.for_shop(shop).get(order=order)
    assert shipment.cod_amount == order.total
    actions = list(
        StatusChange.objects.for_shop(shop).filter(order=order).values_list("action", flat=True)
    )
    assert actions[-2:] == ["pack", "ship"]


def test_a_tracking_number_already_used_refuses_packing_and_shipping_together(shop, stock):
    earlier = shipped_cod(shop, stock["mug"], carrier="flash", tracking="TH5555555555")
    order = to_pack(shop, [(stock["shirt"], 1)])
    packer = signed_in(shop)
    packer.post(
        f"{PACK}{order.pk}/tracking/", {"carrier": "flash", "tracking_number": "TH5555555555"}
    )

    refused = scan(packer, order, "SHIRT")

    assert fresh(order).status == "to_pack"  # not packed without its parcel either
    html = refused.content.decode()
    assert f"ถูกใช้แล้วกับออเดอร์ {earlier.number}" in html and "scan-message refused" in html
    packer.post(f"{PACK}{order.pk}/tracking/", {"carrier": "flash", "tracking_number": ""})
    packer.post(f"{PACK}{order.pk}/complete/")
    assert fresh(order).status == "to_ship"


def test_the_server_counts_again_before_packing(shop, stock):
    order = to_pack(shop, [(stock["shirt"], 2)])
    packer = signed_in(shop)
    scan(packer, order, "SHIRT")
    session = packer.session
    session[f"talad.pack.{shop.pk}.{order.pk}"] = {"counts": {str(stock["shirt"].pk): 5}}
    session.save()

    forged = packer.post(f"{PACK}{order.pk}/complete/", headers={"HX-Request": "true"})

    assert fresh(order).status == "to_pack"
    assert "ยังสแกนไม่ครบ" in forged.content.decode()
    with pytest.raises(CountsIncomplete):
        pack_scanned_order(order=order, counts={stock["shirt"].pk: 1}, by=SYSTEM)


def test_lines_changed_while_scanning_are_not_packed_unseen(shop, stock):
    order = to_pack(shop, [(stock["shirt"], 1), (stock["mug"], 1)], payment_method="cod")
    scanned = {stock["shirt"].pk: 1, stock["mug"].pk: 1}
    replace_lines(
        order=order,
        lines=[{"sku": "SHIRT", "quantity": 1}, {"sku": "MUG", "quantity": 2}],
        by=SYSTEM,
    )

    with pytest.raises(CountsIncomplete):
        pack_scanned_order(order=order, counts=scanned, by=SYSTEM)
    assert fresh(order).status == "to_pack"


def test_an_order_not_waiting_to_be_packed_is_refused_with_its_status(shop, stock):
    pending = make_order(shop, stock["shirt"], payment_method="transfer")
    shipped = shipped_cod(shop, stock["mug"], tracking="TH7777777777")
    packer = signed_in(shop)

    by_number = packer.post(
        f"{PACK}find/", {"code": pending.number}, headers={"HX-Request": "true"}
    )
    by_tracking = packer.post(f"{PACK}find/", {"code": "th 777 777 7777"})
    missing = packer.post(f"{PACK}find/", {"code": "SO-999999"})

    assert f"ออเดอร์ {pending.number} อยู่ในสถานะ “รอชำระเงิน” จึงแพ็คไม่ได้" in (
        by_number.content.decode()
    )
    assert by_tracking.status_code == 409
    assert f"{shipped.number} อยู่ในสถานะ “จัดส่งแล้ว”" in by_tracking.content.decode()
    assert missing.status_code == 404 and "ไม่พบออเดอร์ SO-999999" in missing.content.decode()


def test_another_shops_order_cannot_be_scanned_or_packed(shop, stock):
    other = make_shop()
    theirs = to_pack(other, [(make_variant(other, "SHIRT", on_hand=5), 1)])
    packer = signed_in(shop)

    found = packer.post(f"{PACK}find/", {"code": theirs.number})
    scanned = scan(packer, theirs, "SHIRT")
    completed = packer.post(f"{PACK}{theirs.pk}/complete/")

    assert found.status_code == 404
    assert scanned.status_code == 404 and completed.status_code == 404
    assert fresh(theirs).status == "to_pack"


def test_a_packer_has_scan_to_pack_in_the_menu_and_an_accountant_cannot_use_it(shop, stock):
    order = to_pack(shop, [(stock["shirt"], 1)])
    packer = signed_in(shop)
    accountant = signed_in(shop, "accountant")

    page = packer.get(PACK).content.decode()

    assert f'href="{PACK}"' in page and "สแกนแพ็คสินค้า" in page
    assert 'id="scan-order"' in page and "autofocus" in page
    assert accountant.get(PACK).status_code == 403
    assert accountant.post(f"{PACK}{order.pk}/scan/", {"code": "SHIRT"}).status_code == 403
    assert f'href="{PACK}"' not in accountant.get("/orders/").content.decode()
    assert fresh(order).status == "to_pack"


def test_pack_screen_needs_a_login(db):
    response = Client().get(PACK)
    assert response.status_code == 302 and "/login/" in response["Location"]
