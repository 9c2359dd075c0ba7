"""Documents reach PEAK exactly once, whatever PEAK or the network does (a fake PEAK over HTTP)."""

import pytest

from talad.accounting.models import PeakLink, PeakState
from talad.integrations.models import MessageStatus, OutboxMessage, Topic
from tests.accounting.factories import act, documents, goods, prepaid_order, vat_shop
from tests.fakes.peak import FakePeak
from tests.integrations.helpers import connect_peak, no_retry_wait, run_outbox  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def peak():
    with FakePeak() as fake:
        yield fake


def paid_order(shop, sku="MUG"):
    order = prepaid_order(shop, goods(shop, sku))
    act(order, "pay")
    return order


def test_a_paid_order_s_receipt_tax_invoice_arrives_in_peak_once_under_talad_s_number(peak):
    shop = vat_shop()
    connect_peak(shop, peak)
    order = paid_order(shop)
    (document,) = documents(order)

    assert run_outbox() == {"sent": 1}

    rows = peak.rows("receipts")
    assert [r["code"] for r in rows] == [document.number]
    assert rows[0]["isTaxInvoice"] == 1 and rows[0]["taxStatus"] == 1
    assert rows[0]["products"][0]["productCode"] == "MUG"
    assert [c["code"] for c in peak.rows("products")] == ["MUG"]
    assert len(peak.rows("contacts")) == 1
    link = PeakLink.objects.for_shop(shop).get(document=document)
    assert link.status == PeakState.SENT
    assert link.peak_id == rows[0]["id"]
    assert link.link.endswith(f"/documents/{rows[0]['id']}")


@pytest.mark.parametrize("fault", ["drop_after_store", "http_502", "slow", "garbage"])
def test_an_uncertain_outcome_never_makes_a_duplicate(peak, fault, no_retry_wait):
    shop = vat_shop()
    connect_peak(shop, peak, timeout=1.0)
    peak.fail_next("/receipts", fault, delay=2.0)
    order = paid_order(shop)
    (document,) = documents(order)

    outcomes = run_outbox()

    assert peak.count("receipts", document.number) == 1
    assert outcomes.get("retry") == 1 and outcomes.get("sent") == 1
    link = PeakLink.objects.for_shop(shop).get(document=document)
    assert link.status == PeakState.SENT
    assert link.peak_id == peak.rows("receipts")[0]["id"]


def test_an_expired_client_token_is_renewed_and_the_call_made_once_more(peak):
    shop = vat_shop()
    connect_peak(shop, peak)
    paid_order(shop, "MUG")
    run_outbox()
    peak.expire_tokens()
    paid_order(shop, "CUP")

    assert run_outbox() == {"sent": 1}
    assert len(peak.rows("receipts")) == 2
    assert peak.token_requests == 2


def test_a_message_peak_keeps_refusing_is_parked_with_peak_s_message_and_retry_sends_it_once(
    peak, no_retry_wait
):
    from talad.integrations import outbox
    from tests.accounting.factories import BY

    shop = vat_shop()
    connect_peak(shop, peak)
    peak.fail_next("/receipts", "row_error", count=4, message="Invalid account code 410101")
    order = paid_order(shop)
    (document,) = documents(order)

    assert run_outbox() == {"retry": 3, "failed": 1}
    message = OutboxMessage.objects.for_shop(shop).get(topic=Topic.PEAK_DOCUMENT)
    assert message.status == MessageStatus.FAILED
    assert "Invalid account code 410101" in message.last_error
    link = PeakLink.objects.for_shop(shop).get(document=document)
    assert link.status == PeakState.FAILED and "Invalid account code" in link.error
    assert peak.count("receipts", document.number) == 0

    outbox.retry_message(message=message, by=BY)
    assert PeakLink.objects.for_shop(shop).get(document=document).status == PeakState.QUEUED
    assert run_outbox() == {"sent": 1}
    assert peak.count("receipts", document.number) == 1
