"""The order desk and order page, through Django's test client as a signed-in member."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from talad.inventory.models import StockLevel
from talad.orders.models import Order, Status
from talad.shops.models import Membership
from talad.shops.services import add_member
from tests.conftest import make_shop, make_variant
from tests.orders.factories import CUSTOMER, make_order, order_in_status


def signed_in(shop, role="owner") -> Client:
    email = f"{role}-{shop.slug}@example.com"
    add_member(shop=shop, email=email, role=role, password="pw-123456", by=_system())
    client = Client()
    assert client.login(username=email, password="pw-123456")
    return client


def _system():
    from talad.shops.actors import Actor

    return Actor.system("test")


def token_of(page) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', page.content.decode()).group(1)


def test_the_desk_lists_orders_with_live_counts_per_status(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=20)
    order_in_status(shop, shirt, "pending")
    order_in_status(shop, shirt, "to_pack")
    paid = order_in_status(shop, shirt, "to_pack")
    client = signed_in(shop)
    page = client.get("/orders/")
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'data-tab="to_pack">[^<]*<span class="badge">2<', html)
    assert paid.number in html
    filtered = client.get("/orders/?status=pending").content.decode()
    assert paid.number not in filtered


def test_search_finds_an_order_by_phone_in_any_format(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt)
    client = signed_in(shop)
    assert order.number in client.get("/orders/", {"q": "+66 81 234 5678"}).content.decode()
    assert order.number not in client.get("/orders/", {"q": "0899999999"}).content.decode()


def test_paying_from_the_order_page_moves_it_on_once_even_if_submitted_twice(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt, payment_method="transfer")
    client = signed_in(shop)
    page = client.get(f"/orders/{order.pk}/")
    assert 'data-action="pay"' in page.content.decode()
    form = {
        "form_token": token_of(page),
        "amount": str(order.total),
        "method": "transfer",
        "reference": "SCB-1",
    }
    first = client.post(f"/orders/{order.pk}/action/pay/", form)
    second = client.post(f"/orders/{order.pk}/action/pay/", form)
    assert first.status_code == second.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.TO_PACK
    assert order.payments.count() == 1


def test_a_refused_action_shows_the_error_beside_the_field(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt, payment_method="transfer")
    client = signed_in(shop)
    page = client.get(f"/orders/{order.pk}/")
    response = client.post(
        f"/orders/{order.pk}/action/pay/",
        {"form_token": token_of(page), "amount": "1.00", "method": "transfer"},
    )
    assert response.status_code == 400
    assert "ไม่ตรงกับยอดออเดอร์" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.PENDING


def test_cancelling_from_the_page_gives_the_stock_back(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt, 2)
    client = signed_in(shop)
    page = client.get(f"/orders/{order.pk}/")
    client.post(
        f"/orders/{order.pk}/action/cancel/",
        {"form_token": token_of(page), "reason": "ลูกค้าเปลี่ยนใจ"},
    )
    assert StockLevel.objects.for_shop(shop).get(variant=shirt).reserved == 0
    assert Order.objects.for_shop(shop).get(pk=order.pk).status == Status.CANCELLED


def test_bulk_action_reports_each_order(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    a, b = order_in_status(shop, shirt, "to_pack"), order_in_status(shop, shirt, "to_pack")
    c = order_in_status(shop, shirt, "pending")
    client = signed_in(shop)
    page = client.post("/orders/bulk/", {"action": "pack", "order_ids": [a.pk, b.pk, c.pk]})
    html = page.content.decode()
    assert html.count('data-ok="yes"') == 2 and html.count('data-ok="no"') == 1
    assert c.number in html


def test_another_shops_order_is_a_404(shop):
    other = make_shop()
    theirs = make_order(other, make_variant(other, "X", on_hand=1))
    client = signed_in(shop)
    assert client.get(f"/orders/{theirs.pk}/").status_code == 404
    assert client.post(f"/orders/{theirs.pk}/action/cancel/", {"reason": "x"}).status_code == 404


def test_a_packer_sees_packing_actions_only(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = order_in_status(shop, shirt, "to_pack")
    client = signed_in(shop, "packer")
    html = client.get(f"/orders/{order.pk}/").content.decode()
    assert 'data-action="pack"' in html and 'data-action="cancel"' not in html
    assert client.get("/").status_code == 403  # no dashboard for packers
    assert (
        client.post("/orders/bulk/", {"action": "cancel", "order_ids": [order.pk]}).status_code
        == 403
    )


@pytest.mark.parametrize("path", ["/", "/orders/", "/orders/1/"])
def test_pages_need_a_login(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_dashboard_shows_counts_stuck_orders_and_low_stock(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=3, low_stock_threshold=5)
    order = make_order(shop, shirt)
    Order.objects.for_shop(shop).filter(pk=order.pk).update(
        status_changed_at="2020-01-01T00:00:00Z"
    )
    html = signed_in(shop).get("/").content.decode()
    assert order.number in html  # stuck: pending far longer than 48 hours
    assert "SHIRT" in html  # low stock
    assert 'href="/orders/?status=pending"' in html
    assert "<svg" in html


def test_membership_is_per_user(shop):
    signed_in(shop)
    assert Membership.objects.filter(shop=shop).count() == 2
    assert get_user_model().objects.count() >= 2


def _button_classes(html: str) -> dict[str, str]:
    """action → the class of the button that opens it on the order page."""
    return dict(
        (name, cls)
        for cls, name in re.findall(
            r'<span class="button ([a-z]+)" data-testid="open-([a-z_]+)"', html
        )
    )


def test_the_order_page_makes_the_next_step_primary_and_cancel_red_and_secondary(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    client = signed_in(shop)
    transfer = make_order(shop, shirt, payment_method="transfer")
    assert _button_classes(client.get(f"/orders/{transfer.pk}/").content.decode()) == {
        "pay": "primary",
        "confirm_cod": "secondary",
        "cancel": "danger",
    }
    cod = make_order(shop, shirt)
    buttons = _button_classes(client.get(f"/orders/{cod.pk}/").content.decode())
    assert (buttons["confirm_cod"], buttons["cancel"]) == ("primary", "danger")
    packed = order_in_status(shop, shirt, "to_ship")
    html = client.get(f"/orders/{packed.pk}/").content.decode()
    assert _button_classes(html) == {"ship": "primary", "cancel": "danger"}
    assert re.search(r'class="danger" data-testid="do-cancel">ยกเลิกออเดอร์<', html)


def test_bulk_cancel_without_a_reason_says_so_in_thai_and_cancels_nothing(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt)
    client = signed_in(shop)
    response = client.post(
        "/orders/bulk/", {"action": "cancel", "order_ids": [order.pk], "reason": "  "}, follow=True
    )
    html = response.content.decode()
    assert "กรอกเหตุผลที่ยกเลิกก่อน" in html
    assert "reason" not in re.sub(r"<[^>]+>", " ", html)
    assert Order.objects.for_shop(shop).get(pk=order.pk).status == Status.PENDING


def test_a_desk_search_by_the_end_of_a_phone_lists_the_customer_and_their_orders(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt, customer={**CUSTOMER, "name": "คุณนก", "phone": "0897777777"})
    html = signed_in(shop).get("/orders/", {"q": "7777777"}).content.decode()
    assert re.search(r'data-customer="0897777777"><a href="\?q=0897777777">คุณนก', html)
    assert f'data-order="{order.number}"' in html
    assert f'href="/orders/customers/{order.customer_id}/"' in html
