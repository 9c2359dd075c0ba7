"""Documents reach PEAK exactly once, whatever PEAK or the network does (a fake PEAK over HTTP)."""

import pytest

from talad.accounting.models import PeakLink, PeakState
from talad.integrations.models import MessageStatus, OutboxMessage, Topic
from tests.accounting.factories import act, documents, goods, prepaid_order, vat_shop
from tests.fakes.peak import FakePeak
from tests.integrations.helpers import connect_peak, run_outbox

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


def test_a_returning_customer_and_a_known_product_are_created_in_peak_only_once(peak):
    shop = vat_shop()
    connect_peak(shop, peak)
    mug = goods(shop, "MUG")
    for _ in range(3):
        act(prepaid_order(shop, mug), "pay")  # the same customer (phone) three times

    assert run_outbox() == {"sent": 3}
    assert len(peak.rows("receipts")) == 3
    assert len(peak.rows("contacts")) == 1
    assert len(peak.rows("products")) == 1
    assert {r["contactCode"] for r in peak.rows("receipts")} == {peak.rows("contacts")[0]["code"]}


def test_a_cod_order_delivered_goes_to_peak_invoices_and_its_remittance_as_a_daily_journal(peak):
    from talad.accounting.services import post_cod_remittance
    from tests.accounting.factories import BY, cod_order

    shop = vat_shop()
    connect_peak(shop, peak)
    order = cod_order(shop, goods(shop))
    for action in ("confirm_cod", "pack", "ship", "deliver"):
        order = act(order, action)
    entry = post_cod_remittance(
        shop=shop, order=order, amount="1070.00", fee="32.10", vat_on_fee="2.25", by=BY
    )

    assert run_outbox() == {"sent": 2}
    (invoice,) = documents(order)
    assert [r["code"] for r in peak.rows("invoices")] == [invoice.number]
    assert peak.rows("invoices")[0]["isTaxInvoice"] == 1
    (journal,) = peak.rows("dailyjournals")
    lines = {(e["accountCode"], e["debit"], e["credit"]) for e in journal["journalEntries"]}
    codes = {line.role: line.account.code for line in entry.lines.select_related("account")}
    assert lines == {
        (codes["bank"], 1035.65, 0),
        (codes["cod_fee"], 32.10, 0),
        (codes["input_vat"], 2.25, 0),
        (codes["ar_cod_carrier"], 0, 1070.00),
    }
    link = PeakLink.objects.for_shop(shop).get(journal_entry=entry)
    assert link.status == PeakState.SENT and link.peak_code == journal["code"]


def test_a_credit_note_refers_to_its_original_by_peak_s_id(peak):
    from talad.accounting.services import issue_credit_note
    from tests.accounting.factories import BY

    shop = vat_shop()
    connect_peak(shop, peak)
    order = paid_order(shop)
    (receipt,) = documents(order)
    note = issue_credit_note(document=receipt, by=BY, reason_code="price_error", amount="107.00")

    assert run_outbox() == {"sent": 2}
    (stored,) = peak.rows("creditnotes")
    assert stored["transactionId"] == peak.rows("receipts")[0]["id"]
    assert stored["transactions"]["code"] == note.number
    assert stored["transactions"]["remark"] == receipt.number
    assert PeakLink.objects.for_shop(shop).get(document=note).status == PeakState.SENT


def test_a_credit_note_waits_for_its_original_to_reach_peak(peak, no_retry_wait):
    from talad.accounting.services import issue_credit_note
    from talad.integrations import outbox
    from tests.accounting.factories import BY

    shop = vat_shop()
    connect_peak(shop, peak)
    order = paid_order(shop)
    (receipt,) = documents(order)
    note = issue_credit_note(document=receipt, by=BY, reason_code="price_error", amount="107.00")
    note_message = OutboxMessage.objects.for_shop(shop).get(key=str(note.pk))

    assert outbox.deliver(note_message.pk) == "retry"  # the original has not been sent yet
    assert "ส่งต้นฉบับก่อน" in PeakLink.objects.for_shop(shop).get(document=note).error
    assert run_outbox() == {"sent": 2}
    assert len(peak.rows("creditnotes")) == 1


def test_documents_of_a_shop_without_peak_or_of_a_type_it_does_not_send_are_not_queued(peak):
    not_connected = vat_shop()
    paid_order(not_connected)
    picky = vat_shop()
    connect_peak(picky, peak, document_types=["tax_invoice"])
    paid_order(picky)  # issues a receipt/tax invoice: not a type this shop sends

    assert not OutboxMessage.objects.for_shop(not_connected).exists()
    assert not OutboxMessage.objects.for_shop(picky).exists()
    assert not PeakLink.objects.for_shop(picky).exists()


def test_an_action_that_rolls_back_leaves_no_message_for_peak(peak):
    from django.db import transaction

    shop = vat_shop()
    connect_peak(shop, peak)
    order = prepaid_order(shop, goods(shop))
    with pytest.raises(RuntimeError), transaction.atomic():
        act(order, "pay")
        assert OutboxMessage.objects.for_shop(shop).count() == 1  # written with the document
        raise RuntimeError("the seller's request failed after the document was issued")

    assert not OutboxMessage.objects.for_shop(shop).exists()
    assert not PeakLink.objects.for_shop(shop).exists()
    assert documents(order) == []


def test_a_shop_whose_peak_signs_in_base64_connects_and_sends():
    with FakePeak(signature="base64") as base64_peak:
        shop = vat_shop()
        connect_peak(shop, base64_peak, signature="base64")
        order = paid_order(shop)
        (document,) = documents(order)

        assert run_outbox() == {"sent": 1}
        assert base64_peak.count("receipts", document.number) == 1
