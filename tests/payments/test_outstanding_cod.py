"""What the carriers still owe: per carrier, with each parcel's age; over-age COD among stuck orders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from talad.orders.models import Order
from talad.orders.services import set_stuck_limits, transition
from talad.orders.stuck import stuck_orders
from talad.payments.selectors import outstanding_cod
from talad.payments.services import import_statement
from tests.conftest import make_variant
from tests.orders.factories import make_order
from tests.shipping.helpers import SYSTEM, csv_file, delivered_cod, shipped_cod


@pytest.fixture
def shirt(shop):
    return make_variant(shop, "SHIRT", on_hand=50, price="250.00")


def days_ago(n):
    return timezone.now() - timedelta(days=n, hours=1)


def test_outstanding_cod_lists_collected_parcels_per_carrier_oldest_first(shop, shirt):
    old_flash = delivered_cod(shop, shirt, tracking="TH0000000501", delivered_at=days_ago(12))
    new_flash = delivered_cod(shop, shirt, tracking="TH0000000502", delivered_at=days_ago(2))
    kex = delivered_cod(
        shop, shirt, carrier="kex", tracking="KEX0000000503", quantity=2, delivered_at=days_ago(5)
    )
    shipped_cod(shop, shirt, tracking="TH0000000504")  # not collected yet
    remitted = delivered_cod(shop, shirt, tracking="TH0000000505", delivered_at=days_ago(20))
    import_statement(
        shop=shop,
        by=SYSTEM,
        carrier="flash",
        content=csv_file([["tracking", "cod_amount"], ["TH0000000505", "250.00"]]),
    )
    prepaid = make_order(shop, shirt, payment_method="transfer")
    prepaid = transition(
        order=prepaid, action="pay", by=SYSTEM, amount=prepaid.total, method="transfer"
    )
    prepaid = transition(
        order=prepaid, action="ship", by=SYSTEM, carrier="flash", tracking_number="TH506"
    )
    transition(order=prepaid, action="deliver", by=SYSTEM)

    report = outstanding_cod(shop=shop)

    assert [(i["order_number"], i["age_days"]) for i in report["items"]] == [
        (old_flash.number, 12),
        (kex.number, 5),
        (new_flash.number, 2),
    ]
    # The most money owed first; equal amounts by carrier code.
    assert report["carriers"] == [
        {"carrier": "flash", "parcels": 2, "amount": "500.00", "oldest_days": 12},
        {"carrier": "kex", "parcels": 1, "amount": "500.00", "oldest_days": 5},
    ]
    assert (report["total"], report["parcels"]) == ("1000.00", 3)
    assert remitted.number not in {i["order_number"] for i in report["items"]}
    assert outstanding_cod(shop=shop, carrier="kex")["total"] == "500.00"


def test_outstanding_cod_is_per_shop(shop, other_shop, shirt):
    delivered_cod(shop, shirt, tracking="TH0000000511")

    assert outstanding_cod(shop=other_shop)["parcels"] == 0


def test_cod_not_remitted_past_the_limit_is_a_stuck_order_and_leaves_once_paid(shop, shirt):
    late = delivered_cod(shop, shirt, tracking="TH0000000521")
    recent = delivered_cod(shop, shirt, tracking="TH0000000522")
    Order.objects.for_shop(shop).filter(pk=late.pk).update(status_changed_at=days_ago(11))
    Order.objects.for_shop(shop).filter(pk=recent.pk).update(status_changed_at=days_ago(9))

    stuck = stuck_orders(shop=shop)

    assert [(s.order.number, s.status) for s in stuck] == [(late.number, "delivered")]
    assert stuck[0].reason_code == "cod_not_remitted"
    assert "11" in stuck[0].reason  # days since delivery
    assert stuck[0].limit == timedelta(days=10)

    import_statement(
        shop=shop,
        by=SYSTEM,
        carrier="flash",
        content=csv_file([["tracking", "cod_amount"], ["TH0000000521", "250.00"]]),
    )
    assert stuck_orders(shop=shop) == []


def test_the_shop_sets_how_long_the_carrier_may_keep_its_cod(shop, shirt):
    order = delivered_cod(shop, shirt, tracking="TH0000000531")
    Order.objects.for_shop(shop).filter(pk=order.pk).update(status_changed_at=days_ago(3))
    assert stuck_orders(shop=shop) == []

    set_stuck_limits(shop=shop, hours={"cod_unremitted_hours": 48}, by=SYSTEM)

    assert [s.order.pk for s in stuck_orders(shop=shop)] == [order.pk]


def test_a_delivered_prepaid_order_is_never_stuck(shop, shirt):
    order = make_order(shop, shirt, payment_method="transfer")
    order = transition(order=order, action="pay", by=SYSTEM, amount=order.total, method="transfer")
    order = transition(
        order=order, action="ship", by=SYSTEM, carrier="flash", tracking_number="TH9"
    )
    transition(order=order, action="deliver", by=SYSTEM)
    Order.objects.for_shop(shop).filter(pk=order.pk).update(status_changed_at=days_ago(400))

    assert stuck_orders(shop=shop) == []
