"""Fifty documents of one type issued at the same moment get numbers 1..50: no gap, no repeat.

Real threads, each with its own database connection, released together by a barrier. On
PostgreSQL this proves the row lock on the sequence row held to commit; on SQLite (one writer
at a time) that issuers queue instead of failing.
"""

import pytest
from django.db import transaction

from talad.accounting.books import update_accounting_settings
from talad.accounting.checks import accounting_violations
from talad.accounting.models import Document
from talad.accounting.services import issue_document
from talad.orders.services import transition
from tests.accounting.factories import BY, goods, prepaid_order, vat_shop
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)

ISSUERS = 50


def test_fifty_concurrent_issues_of_one_type_are_numbered_1_to_50():
    shop = vat_shop()
    update_accounting_settings(shop=shop, changes={"prepaid_issue": "manual"}, by=BY)
    mug = goods(shop, "MUG", price="1070.00", on_hand=ISSUERS)
    orders = [prepaid_order(shop, mug) for _ in range(ISSUERS)]

    def issue(i, barrier):
        return issue_document(order=orders[i], doc_type="tax_invoice", by=BY).number

    outcomes = run_at_once(ISSUERS, issue)

    assert [o.error for o in outcomes if not o.ok] == []
    sequences = sorted(
        Document.objects.for_shop(shop)
        .filter(doc_type="tax_invoice")
        .values_list("sequence", flat=True)
    )
    numbers = {o.result for o in outcomes}
    assert sequences == list(range(1, ISSUERS + 1))
    assert len(numbers) == ISSUERS
    assert all(number.startswith("INV-") for number in numbers)
    assert accounting_violations(shop) == []


def test_a_failed_issue_in_a_race_leaves_no_hole():
    """Half the issuers roll back after taking a number: the other half still get 1..25."""
    shop = vat_shop()
    mug = goods(shop, "MUG", price="1070.00", on_hand=ISSUERS)
    orders = [prepaid_order(shop, mug) for _ in range(ISSUERS)]

    def pay(i, barrier):
        with transaction.atomic():
            order = transition(
                order=orders[i], action="pay", by=BY, amount="1070.00", method="transfer"
            )
            if i % 2:
                raise RuntimeError("the rest of this payment failed")
            return order.number

    outcomes = run_at_once(ISSUERS, pay)

    assert sum(o.ok for o in outcomes) == ISSUERS // 2
    assert all(isinstance(o.error, RuntimeError) for o in outcomes if not o.ok)
    sequences = sorted(Document.objects.for_shop(shop).values_list("sequence", flat=True))
    assert sequences == list(range(1, ISSUERS // 2 + 1))
    assert accounting_violations(shop) == []
