"""What enters the order domain is a type, and what an action did travels as one
(orders.inputs, orders.effects): a field no action takes is refused, a limit is the same in
the API and the services, and the books read the cost of goods off a typed `Shipped`."""

from decimal import Decimal

import pytest

from talad.accounting.journal import order_balance
from talad.accounting.models import AccountRole
from talad.api_types import MAX_QUANTITY
from talad.errors import TaladError
from talad.inventory.models import StockMovement
from talad.orders import actions, effects
from talad.orders.inputs import ACTION_INPUTS, NewOrder, read
from talad.orders.models import Order, Status
from talad.orders.services import create_order, transition
from talad.orders.signals import order_action_applied
from talad.orders.state_machine import ACTIONS
from talad.shops.actors import Actor
from tests.conftest import make_variant
from tests.orders.factories import CUSTOMER, PATH_TO, make_order

BY = Actor.system("test")

EFFECTS_OF = {
    "pay": effects.Paid,
    "confirm_cod": effects.CodConfirmed,
    "pack": effects.Packed,
    "ship": effects.Shipped,
    "deliver": effects.Delivered,
    "fail_delivery": effects.DeliveryFailed,
    "cancel": effects.Cancelled,
    "receive_return": effects.Returned,
}


@pytest.fixture
def tee(shop):
    return make_variant(shop, "TEE-M", on_hand=50, price="250.00", cost="90.00")


@pytest.fixture
def heard():
    """Every (action, effects) that order_action_applied carries during the test."""
    seen = []

    def listen(sender, *, action, effects, **kwargs):
        seen.append((action, effects))

    order_action_applied.connect(listen, sender=Order, weak=False)
    yield seen
    order_action_applied.disconnect(listen, sender=Order)


def test_every_action_has_one_input_type_and_one_handler():
    assert set(ACTION_INPUTS) == set(ACTIONS) == set(actions.HANDLERS) == set(EFFECTS_OF)


@pytest.mark.parametrize("status", ["delivered", "cancelled", "returned"])
def test_each_action_announces_its_own_effects_type(shop, tee, heard, status):
    from tests.orders.factories import order_in_status

    order_in_status(shop, tee, status)

    assert heard[0] == ("create", effects.Created())
    walked = [a for a, _ in PATH_TO[status]]
    assert [a for a, _ in heard[1:]] == walked
    for action, carried in heard[1:]:
        assert type(carried) is EFFECTS_OF[action], action


def test_ship_carries_the_cost_of_goods_that_the_books_post(shop, tee, heard):
    order = make_order(shop, tee, 3)
    transition(order=order, action="confirm_cod", by=BY)
    transition(order=order, action="pack", by=BY)
    transition(order=order, action="ship", by=BY, carrier="flash", tracking_number="TH77")

    (shipped,) = [e for a, e in heard if a == "ship"]
    assert shipped.cost_of_goods == Decimal("270.00")  # 3 × ฿90 moving average
    assert shipped.cod_amount == order.total
    assert order_balance(order, AccountRole.COGS) == shipped.cost_of_goods


def test_an_action_given_a_field_it_does_not_take_is_refused_and_changes_nothing(shop, tee):
    order = make_order(shop, tee, 2, payment_method="cod")
    transition(order=order, action="confirm_cod", by=BY)
    history = order.status_changes.count()

    with pytest.raises(TaladError) as refused:
        transition(order=order, action="ship", by=BY, carrier="flash", tracking_numbr="TH1")

    assert refused.value.fields == {
        "tracking_numbr": "unknown_field",
        "tracking_number": "required",
    }
    order.refresh_from_db()
    assert order.status == Status.TO_PACK
    assert order.status_changes.count() == history
    assert not StockMovement.objects.for_shop(shop).filter(kind="ship").exists()


def test_packing_over_the_api_with_a_tracking_number_is_refused_not_ignored(api, shop, tee):
    order = make_order(shop, tee, 1, payment_method="cod")
    transition(order=order, action="confirm_cod", by=BY)

    response = api.post(f"/api/v1/orders/{order.pk}/actions/pack", {"tracking_number": "TH0001"})

    assert response.status_code == 400, response.json()
    assert response.json()["error"]["fields"] == {"tracking_number": "unknown_field"}
    order.refresh_from_db()
    assert order.status == Status.TO_PACK


def test_a_misspelt_line_field_is_named_by_the_domain_as_by_the_api(shop, tee, api):
    body = {
        "channel": "line",
        "customer": CUSTOMER,
        "lines": [{"sku": tee.sku, "quantity": 1, "discount": "5"}],
        "payment_method": "transfer",
    }

    with pytest.raises(TaladError) as refused:
        read(NewOrder, body)
    over_http = api.post("/api/v1/orders", body)

    assert refused.value.fields == {"lines[0].discount": "unknown_field"}
    assert over_http.status_code == 422
    assert over_http.json()["error"]["fields"] == {"lines[0].discount": "unknown_field"}
    assert not Order.objects.for_shop(shop).exists()


@pytest.mark.parametrize("quantity", [0, MAX_QUANTITY + 1])
def test_the_quantity_limit_is_the_same_for_the_api_and_the_services(shop, tee, api, quantity):
    body = {
        "channel": "line",
        "customer": CUSTOMER,
        "lines": [{"sku": tee.sku, "quantity": quantity}],
        "payment_method": "transfer",
    }

    with pytest.raises(TaladError) as refused:
        read(NewOrder, body)
    over_http = api.post("/api/v1/orders", body)

    assert refused.value.fields == {"lines[0].quantity": "invalid"}
    assert refused.value.message == "ข้อมูลไม่ถูกต้อง: จำนวน (รายการที่ 1)"  # the page's words
    assert over_http.status_code == 422
    assert "lines[0].quantity" in over_http.json()["error"]["fields"]


def test_the_largest_quantity_passes_the_shape_and_meets_the_stock_rule(shop, tee):
    new = read(
        NewOrder,
        {
            "channel": "line",
            "customer": CUSTOMER,
            "lines": [{"sku": tee.sku, "quantity": MAX_QUANTITY}],
            "payment_method": "transfer",
        },
    )

    with pytest.raises(TaladError) as refused:
        create_order(shop=shop, by=BY, order=new)

    assert refused.value.code == "insufficient_stock"


def test_the_openapi_states_the_limits_the_domain_enforces(api):
    schemas = api.get("/api/v1/openapi.json").json()["components"]["schemas"]

    line = schemas["NewOrderLine"]["properties"]
    order = schemas["NewOrder"]["properties"]
    assert line["quantity"]["maximum"] == MAX_QUANTITY
    assert order["lines"]["maxItems"] == 200
    assert schemas["NewOrder"].get("additionalProperties") is False
