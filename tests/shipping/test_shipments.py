"""Parcels and cash on delivery through the one door (orders.services.transition)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from talad.errors import Conflict, TaladError
from talad.inventory.models import StockLevel, StockMovement
from talad.orders.customers import known_customer
from talad.orders.models import Order, PaymentStatus, Status
from talad.orders.services import transition
from talad.payments.models import RemittanceResult
from talad.payments.selectors import outstanding_cod
from talad.payments.services import import_statement
from talad.shipping.models import Shipment, ShipmentEvent
from tests.conftest import make_variant
from tests.orders.factories import CUSTOMER, make_order
from tests.shipping.helpers import SYSTEM, cod_ready_to_ship, csv_file, shipped_cod


def level(shop, sku):
    row = StockLevel.objects.for_shop(shop).get(variant__sku=sku)
    return row.on_hand, row.reserved, row.damaged


def fresh(order):
    return Order.objects.for_shop(order.shop).get(pk=order.pk)


def timeline(order):
    return list(
        ShipmentEvent.objects.for_shop(order.shop)
        .filter(shipment__order=order)
        .order_by("id")
        .values_list("status", "source")
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"tracking_number": "TH0000000001"}, "carrier"),
        ({"carrier": "flash"}, "tracking_number"),
        ({"carrier": "flash", "tracking_number": ""}, "tracking_number"),
        ({"carrier": "flash", "tracking_number": "   "}, "tracking_number"),
        ({"carrier": "", "tracking_number": "TH0000000001"}, "carrier"),
    ],
)
def test_shipping_without_a_carrier_or_tracking_number_is_refused_and_ships_nothing(
    shop, data, field
):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = cod_ready_to_ship(shop, shirt, 2)

    with pytest.raises(TaladError) as refused:
        transition(order=order, action="ship", by=SYSTEM, **data)

    assert field in refused.value.fields
    assert fresh(order).status == Status.TO_SHIP
    assert level(shop, "SHIRT") == (5, 2, 0)  # still reserved, nothing left the shelf
    assert not Shipment.objects.for_shop(shop).filter(order=order).exists()


def test_shipping_with_a_carrier_the_shop_does_not_know_is_refused(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = cod_ready_to_ship(shop, shirt)

    with pytest.raises(TaladError) as refused:
        transition(order=order, action="ship", by=SYSTEM, carrier="pigeon", tracking_number="X1")

    assert refused.value.fields == {"carrier": "unknown_carrier"}
    assert "flash" in refused.value.extra["known"]
    assert fresh(order).status == Status.TO_SHIP


def test_a_tracking_number_already_on_another_order_is_refused_naming_that_order(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    first = shipped_cod(shop, shirt, tracking="TH0123456789")
    second = cod_ready_to_ship(shop, shirt)

    with pytest.raises(Conflict) as refused:
        # Typed with spaces and in lower case: it is still the same parcel number.
        transition(
            order=second,
            action="ship",
            by=SYSTEM,
            carrier="flash",
            tracking_number="th 0123 456789",
        )

    assert refused.value.extra["order_number"] == first.number
    assert first.number in refused.value.message
    assert fresh(second).status == Status.TO_SHIP
    assert level(shop, "SHIRT") == (4, 1, 0)


def test_the_same_number_with_another_carrier_is_another_parcel(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    shipped_cod(shop, shirt, tracking="123456789012", carrier="jt")
    other = shipped_cod(shop, shirt, tracking="123456789012", carrier="best")

    assert fresh(other).status == Status.SHIPPED


def test_the_shipment_keeps_the_normalised_number_cod_weight_cost_and_a_tracking_link(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5, price="450.00")
    order = cod_ready_to_ship(shop, shirt, 2)

    transition(
        order=order,
        action="ship",
        by=SYSTEM,
        carrier="kex",
        tracking_number=" kex 1234 5678 90 ",
        weight_grams=850,
        shipping_cost="42.50",
    )

    parcel = Shipment.objects.for_shop(shop).get(order=order)
    assert parcel.tracking_number == "KEX1234567890"
    assert parcel.cod_amount == Decimal("900.00")
    assert (parcel.weight_grams, parcel.shipping_cost) == (850, Decimal("42.50"))
    assert parcel.status == "picked_up"
    assert parcel.tracking_url == "https://th.kex-express.com/th/track/?track=KEX1234567890"
    assert (fresh(order).carrier, fresh(order).tracking_number) == ("kex", "KEX1234567890")


def test_a_prepaid_parcel_has_nothing_to_collect(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = make_order(shop, shirt, payment_method="transfer")
    order = transition(order=order, action="pay", by=SYSTEM, amount=order.total, method="transfer")
    transition(order=order, action="ship", by=SYSTEM, carrier="flash", tracking_number="TH1")

    assert Shipment.objects.for_shop(shop).get(order=order).cod_amount == 0


def test_the_whole_cod_story_from_order_to_the_carriers_payout(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10, price="350.00")
    order = make_order(shop, shirt, 2, payment_method="cod")
    assert level(shop, "SHIRT") == (10, 2, 0)

    order = transition(order=order, action="confirm_cod", by=SYSTEM)
    assert order.payment_status == PaymentStatus.COD_PENDING
    order = transition(order=order, action="pack", by=SYSTEM)
    order = transition(
        order=order, action="ship", by=SYSTEM, carrier="flash", tracking_number="TH7000000001"
    )
    assert level(shop, "SHIRT") == (8, 0, 0)
    assert outstanding_cod(shop=shop)["parcels"] == 0  # not collected yet

    delivered_at = timezone.now() - timedelta(days=3)
    order = transition(order=order, action="deliver", by=SYSTEM, delivered_at=delivered_at)
    assert order.payment_status == PaymentStatus.COD_COLLECTED
    parcel = Shipment.objects.for_shop(shop).get(order=order)
    assert (parcel.status, parcel.delivered_at) == ("delivered", delivered_at)
    owed = outstanding_cod(shop=shop)
    assert owed["total"] == "700.00"
    assert [(i["order_number"], i["age_days"]) for i in owed["items"]] == [(order.number, 3)]

    statement = csv_file(
        [
            ["tracking", "cod_amount", "fee", "vat_on_fee", "net_amount"],
            ["TH7000000001", "700.00", "21.00", "1.47", "677.53"],
        ]
    )
    result = import_statement(shop=shop, by=SYSTEM, carrier="flash", content=statement)

    assert [r.result for r in result.rows] == [RemittanceResult.MATCHED]
    order = fresh(order)
    assert (order.status, order.payment_status) == (Status.DELIVERED, PaymentStatus.COD_REMITTED)
    assert outstanding_cod(shop=shop)["parcels"] == 0
    assert timeline(order) == [("picked_up", "order"), ("delivered", "order")]


def test_the_refusal_story_puts_the_stock_back_and_counts_against_the_phone(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    cap = make_variant(shop, "CAP", on_hand=10)
    order, _created = make_order_with_two_lines(shop, shirt, cap)
    order = transition(order=order, action="confirm_cod", by=SYSTEM)
    order = transition(order=order, action="pack", by=SYSTEM)
    order = transition(
        order=order, action="ship", by=SYSTEM, carrier="kex", tracking_number="KEX0000000001"
    )
    assert (level(shop, "SHIRT"), level(shop, "CAP")) == ((8, 0, 0), (9, 0, 0))

    order = transition(
        order=order, action="fail_delivery", by=SYSTEM, reason="refused", note="ไม่รับสาย"
    )
    assert (order.status, order.payment_status) == (Status.RETURNING, PaymentStatus.UNPAID)
    assert Shipment.objects.for_shop(shop).get(order=order).status == "returning"

    order = transition(
        order=order,
        action="receive_return",
        by=SYSTEM,
        lines=[{"sku": "SHIRT", "condition": "sellable"}, {"sku": "CAP", "condition": "damaged"}],
    )

    assert order.status == Status.RETURNED
    assert level(shop, "SHIRT") == (10, 0, 0)  # both shirts back on the shelf
    assert level(shop, "CAP") == (9, 0, 1)  # the cap is kept apart as damaged
    assert StockMovement.objects.for_shop(shop).filter(kind="return").exists()
    assert Shipment.objects.for_shop(shop).get(order=order).status == "returned"
    assert timeline(order) == [
        ("picked_up", "order"),
        ("returning", "order"),
        ("returned", "order"),
    ]
    assert order.refund_owed == 0  # the customer paid nothing
    assert outstanding_cod(shop=shop)["parcels"] == 0
    # The next order from this phone shows the refusal.
    assert known_customer(shop=shop, phone="0812345678")["refused_cod_count"] == 1


def make_order_with_two_lines(shop, shirt, cap):
    from talad.orders.inputs import NewOrder
    from talad.orders.services import create_order

    return create_order(
        shop=shop,
        by=SYSTEM,
        order=NewOrder(
            channel="facebook",
            customer=CUSTOMER,
            lines=[{"sku": shirt.sku, "quantity": 2}, {"sku": cap.sku, "quantity": 1}],
            payment_method="cod",
        ),
    )


@pytest.mark.parametrize("reason", ["refused", "nobody_home", "wrong_address", "other"])
def test_every_failed_delivery_reason_sends_the_parcel_back(shop, reason):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = shipped_cod(shop, shirt)

    order = transition(order=order, action="fail_delivery", by=SYSTEM, reason=reason)

    assert (order.status, order.failed_delivery_reason) == (Status.RETURNING, reason)
    counted = known_customer(shop=shop, phone="0812345678")["refused_cod_count"]
    assert counted == (1 if reason == "refused" else 0)


def test_another_shops_parcel_numbers_are_not_this_shops_duplicates(shop, other_shop):
    mine = make_variant(shop, "SHIRT", on_hand=5)
    theirs = make_variant(other_shop, "SHIRT", on_hand=5)
    shipped_cod(shop, mine, tracking="TH5555555555")

    order = shipped_cod(other_shop, theirs, tracking="TH5555555555")

    assert fresh(order).status == Status.SHIPPED
