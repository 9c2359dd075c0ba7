"""Two people settling COD at the same moment: no parcel's money is counted twice.

Real threads, each with its own database connection, released together by a barrier; on
PostgreSQL this exercises the order row lock in record_cod_remittance and the unique keys,
on SQLite the queued write transactions."""

from collections import Counter

import pytest

from talad.orders.models import Order, PaymentStatus
from talad.payments.models import CodStatement, CodStatementRow
from talad.payments.services import import_statement
from talad.shops.models import AuditEntry
from tests.concurrency import run_at_once
from tests.conftest import make_variant
from tests.shipping.helpers import SYSTEM, csv_file, delivered_cod

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ["tracking", "cod_amount", "statement_number"]


@pytest.fixture
def collected(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=30, price="120.00")
    return [delivered_cod(shop, shirt, tracking=f"TH{7000000000 + n}") for n in range(8)]


def test_two_statements_paying_the_same_parcels_at_once_pay_each_parcel_once(shop, collected):
    statements = [
        csv_file([HEADER, *[[o.tracking_number, "120.00", ref] for o in collected]])
        for ref in ("FL-A", "FL-B")
    ]

    outcomes = run_at_once(
        2,
        lambda i, _barrier: import_statement(
            shop=shop, by=SYSTEM, carrier="flash", content=statements[i]
        ),
    )

    assert [o.error for o in outcomes] == [None, None]
    results = Counter(CodStatementRow.objects.for_shop(shop).values_list("order_id", "result"))
    for order in collected:
        assert results[(order.pk, "matched")] == 1, order.number
        assert results[(order.pk, "already_remitted")] == 1, order.number
    paid = Order.objects.for_shop(shop).filter(payment_status=PaymentStatus.COD_REMITTED)
    assert paid.count() == len(collected)
    assert AuditEntry.objects.filter(shop=shop, action="order.cod_remitted").count() == len(
        collected
    )


def test_the_same_file_uploaded_twice_at_once_is_one_statement(shop, collected):
    content = csv_file([HEADER, *[[o.tracking_number, "120.00", "FL-C"] for o in collected]])

    outcomes = run_at_once(
        2,
        lambda _i, _barrier: import_statement(
            shop=shop,
            by=SYSTEM,
            carrier="flash",
            content=content,
            mapping={"tracking": "tracking", "cod_amount": "cod_amount"},
        ),
    )

    assert [o.error for o in outcomes] == [None, None]
    assert sorted(o.result.created for o in outcomes) == [False, True]
    assert CodStatement.objects.for_shop(shop).count() == 1
    assert CodStatementRow.objects.for_shop(shop).filter(result="matched").count() == len(collected)
