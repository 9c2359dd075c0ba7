"""A refund is money out: paying back a cancelled or returned order's customer records a
refund payment, settles what the order owes, and takes the money out of the books
(docs/design/money.md#refunds)."""

from decimal import Decimal

import pytest

from talad.accounting.models import JournalEntry
from talad.errors import Conflict, PermissionDenied
from talad.orders.models import Order
from talad.payments.models import Payment
from talad.payments.refunds import record_refund
from talad.shops.actors import Actor
from tests.accounting.factories import BY, act, entries, entry_lines, goods, prepaid_order
from tests.conftest import ApiClient, make_shop, token_for
from tests.orders.factories import make_order
from tests.orders.test_views import signed_in, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return make_shop()


@pytest.fixture
def cancelled(shop):
    """A ฿1,070 order the customer paid for and then cancelled: the shop owes ฿1,070 back."""
    mug = goods(shop, "MUG", price="1070.00", cost="600.00")
    return act(act(prepaid_order(shop, mug), "pay"), "cancel")


def test_cancelling_a_paid_order_owes_the_customer_until_the_refund_is_paid(shop, cancelled):
    assert cancelled.refund_owed == Decimal("1070.00")
    assert ("refunds_payable", "0.00", "1070.00") in entry_lines(entries(cancelled)[-1])

    refund = record_refund(
        order=cancelled, amount="1070.00", method="transfer", reference="TRF-889", by=BY
    )

    order = Order.objects.for_shop(shop).get(pk=cancelled.pk)
    assert (order.refund_owed, order.payment_status) == (Decimal("0.00"), "refunded")
    assert (refund.kind, refund.amount, refund.method, refund.reference) == (
        "refund",
        Decimal("1070.00"),
        "transfer",
        "TRF-889",
    )
    paid_out = entries(order)[-1]
    assert (paid_out.source_type, paid_out.source_id) == ("refund", str(refund.pk))
    assert entry_lines(paid_out) == [
        ("refunds_payable", "1070.00", "0.00"),
        ("bank", "0.00", "1070.00"),
    ]


def test_a_refund_in_two_parts_leaves_the_order_partly_refunded_in_between(shop, cancelled):
    record_refund(order=cancelled, amount="70.00", method="cash", by=BY)

    order = Order.objects.for_shop(shop).get(pk=cancelled.pk)
    assert (order.refund_owed, order.payment_status) == (Decimal("1000.00"), "partially_refunded")
    assert entry_lines(entries(order)[-1]) == [
        ("refunds_payable", "70.00", "0.00"),
        ("cash", "0.00", "70.00"),
    ]
    record_refund(order=order, amount="1000.00", method="promptpay", by=BY)
    assert Order.objects.for_shop(shop).get(pk=order.pk).payment_status == "refunded"


def test_refunding_more_than_is_owed_is_refused_and_writes_nothing(shop, cancelled):
    before = JournalEntry.objects.for_shop(shop).count()

    with pytest.raises(Conflict) as refused:
        record_refund(order=cancelled, amount="1070.01", method="transfer", by=BY)

    assert refused.value.fields == {"amount": "exceeds_refund_owed"}
    assert not Payment.objects.for_shop(shop).filter(kind="refund").exists()
    assert JournalEntry.objects.for_shop(shop).count() == before
    assert Order.objects.for_shop(shop).get(pk=cancelled.pk).refund_owed == Decimal("1070.00")


def test_the_order_desk_cannot_pay_money_out(shop, cancelled):
    with pytest.raises(PermissionDenied):
        record_refund(
            order=cancelled, amount="10.00", method="transfer", by=Actor(role="staff", label="s")
        )


def test_a_marketplace_refund_comes_out_of_the_platforms_balance(shop):
    mug = goods(shop, "MUG", price="1070.00", cost="600.00")
    order = make_order(shop, mug, payment_method="marketplace", channel="shopee")
    order = act(order, "cancel")  # a marketplace order arrives paid

    record_refund(order=order, amount=order.refund_owed, method="marketplace", by=BY)

    assert entry_lines(entries(order)[-1]) == [
        ("refunds_payable", "1070.00", "0.00"),
        ("ar_marketplace", "0.00", "1070.00"),
    ]


def test_the_api_records_a_refund_and_answers_what_is_still_owed(shop, cancelled):
    api = ApiClient(token_for(shop))
    path = f"/api/v1/orders/{cancelled.pk}/refunds"

    response = api.post(path, {"amount": "1000.00", "method": "transfer", "reference": "TRF-1"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["refund_owed"], body["payment_status"]) == (
        "1000.00",
        "70.00",
        "partially_refunded",
    )
    assert [r["id"] for r in api.get(path).json()] == [body["id"]]
    too_much = api.post(path, {"amount": "70.01", "method": "transfer"})
    assert too_much.status_code == 409
    assert too_much.json()["error"]["fields"] == {"amount": "exceeds_refund_owed"}
    assert api.post(path, {"amount": "1.00", "method": "cheque"}).status_code == 422
    assert api.post(path, {"amount": "1.00", "method": "cash", "by": "x"}).status_code == 422


def test_the_api_keeps_refunds_to_the_money_roles_and_to_the_shop(shop, cancelled):
    staff = ApiClient(token_for(shop, "staff"))
    stranger = ApiClient(token_for(make_shop()))
    body = {"amount": "1.00", "method": "transfer"}

    assert staff.post(f"/api/v1/orders/{cancelled.pk}/refunds", body).status_code == 403
    assert stranger.post(f"/api/v1/orders/{cancelled.pk}/refunds", body).status_code == 404
    assert not Payment.objects.for_shop(shop).filter(kind="refund").exists()


def test_the_owner_pays_the_refund_back_from_the_order_page(shop, cancelled):
    client = signed_in(shop, "owner")
    page = client.get(f"/orders/{cancelled.pk}/")
    assert 'data-testid="refund-form"' in page.content.decode()

    sent = client.post(
        f"/payments/orders/{cancelled.pk}/refund/",
        {"form_token": token_of(page), "amount": "1070.00", "method": "transfer", "reference": ""},
    )

    assert sent.status_code == 302
    assert Order.objects.for_shop(shop).get(pk=cancelled.pk).payment_status == "refunded"
    after = client.get(f"/orders/{cancelled.pk}/").content.decode()
    assert 'data-testid="refund-form"' not in after
    assert (
        signed_in(shop, "staff").post(f"/payments/orders/{cancelled.pk}/refund/").status_code == 403
    )
