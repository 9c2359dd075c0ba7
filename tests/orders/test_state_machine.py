"""Every (status, action) pair of docs/design/orders.md: legal ones do all their side effects,
illegal ones are refused and change nothing."""

import pytest

from talad.inventory.models import StockLevel, StockMovement
from talad.orders.errors import InvalidTransition
from talad.orders.models import Order, PaymentStatus, Status, StatusChange
from talad.orders.services import transition
from talad.orders.state_machine import ACTIONS
from talad.payments.models import Payment
from talad.shipping.models import Shipment
from tests.conftest import make_variant
from tests.orders.factories import order_in_status

QUANTITY = 2
DATA = {
    "pay": {"method": "transfer", "reference": "KBANK-123"},
    "confirm_cod": {},
    "pack": {},
    "ship": {"carrier": "kex", "tracking_number": "kex 1234 5678 90"},
    "deliver": {},
    "fail_delivery": {"reason": "refused"},
    "cancel": {"reason": "ลูกค้าขอยกเลิก"},
    "receive_return": {"lines": [{"sku": "SHIRT", "condition": "sellable"}]},
}
PAIRS = [(status, action) for status in Status.values for action in ACTIONS]


def snapshot(shop, order):
    order = Order.objects.for_shop(shop).get(pk=order.pk)
    level = StockLevel.objects.for_shop(shop).get(variant__sku="SHIRT")
    return {
        "status": order.status,
        "payment_status": order.payment_status,
        "refund_owed": order.refund_owed,
        "on_hand": level.on_hand,
        "reserved": level.reserved,
        "history": StatusChange.objects.for_shop(shop).filter(order=order).count(),
        "ledger": StockMovement.objects.for_shop(shop).count(),
        "payments": Payment.objects.for_shop(shop).filter(order=order).count(),
        "shipments": Shipment.objects.for_shop(shop).filter(order=order).count(),
    }


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_status_and_action(shop, owner, status, action):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    order = order_in_status(shop, shirt, status, QUANTITY)
    before = snapshot(shop, order)
    data = dict(DATA[action], amount=order.total) if action == "pay" else DATA[action]
    spec = ACTIONS[action]

    if status not in spec.sources:
        with pytest.raises(InvalidTransition) as refused:
            transition(order=order, action=action, by=owner, **data)
        assert refused.value.extra["status"] == status
        assert action not in refused.value.extra["allowed_actions"]
        assert snapshot(shop, order) == before
        return

    moved = transition(order=order, action=action, by=owner, **data)
    after = snapshot(shop, order)
    assert moved.status == after["status"] == spec.target
    last = StatusChange.objects.for_shop(shop).filter(order=order).latest("id")
    assert (last.from_status, last.to_status, last.action) == (status, spec.target, action)
    assert after["history"] == before["history"] + 1
    EFFECTS[action](before, after, order)


def _paid(before, after, order):
    assert after["payment_status"] == PaymentStatus.PAID
    assert after["payments"] == 1
    assert Payment.unscoped.get(order=order).amount == order.total
    assert (after["on_hand"], after["reserved"]) == (before["on_hand"], before["reserved"])


def _cod_confirmed(before, after, order):
    assert after["payment_status"] == PaymentStatus.COD_PENDING
    assert after["reserved"] == before["reserved"]


def _packed(before, after, order):
    assert (after["on_hand"], after["reserved"], after["ledger"]) == (
        before["on_hand"],
        before["reserved"],
        before["ledger"],
    )


def _shipped(before, after, order):
    assert after["on_hand"] == before["on_hand"] - QUANTITY
    assert after["reserved"] == before["reserved"] - QUANTITY
    shipment = Shipment.unscoped.get(order=order)
    assert (shipment.carrier, shipment.tracking_number) == ("kex", "KEX1234567890")
    assert Order.unscoped.get(pk=order.pk).holds_reservation is False


def _delivered(before, after, order):
    assert after["payment_status"] == PaymentStatus.COD_COLLECTED  # the factory ships as COD
    assert Shipment.unscoped.get(order=order).status == "delivered"


def _failed(before, after, order):
    assert after["payment_status"] == PaymentStatus.UNPAID  # nothing was collected
    assert Order.unscoped.get(pk=order.pk).failed_delivery_reason == "refused"
    assert (after["on_hand"], after["reserved"]) == (before["on_hand"], before["reserved"])


def _cancelled(before, after, order):
    assert after["reserved"] == before["reserved"] - QUANTITY
    assert after["on_hand"] == before["on_hand"]
    paid = before["payment_status"] == PaymentStatus.PAID
    assert after["refund_owed"] == (order.total if paid else 0)
    assert Order.unscoped.get(pk=order.pk).cancel_reason == "ลูกค้าขอยกเลิก"


def _returned(before, after, order):
    assert after["on_hand"] == before["on_hand"] + QUANTITY
    assert after["reserved"] == before["reserved"]
    collected = before["payment_status"] == PaymentStatus.COD_COLLECTED
    assert after["refund_owed"] == (order.total if collected else 0)


EFFECTS = {
    "pay": _paid,
    "confirm_cod": _cod_confirmed,
    "pack": _packed,
    "ship": _shipped,
    "deliver": _delivered,
    "fail_delivery": _failed,
    "cancel": _cancelled,
    "receive_return": _returned,
}


def test_every_action_has_its_side_effects_checked():
    assert set(EFFECTS) == set(ACTIONS)
