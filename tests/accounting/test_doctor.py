"""`talad doctor` proves the books: every entry balances and so does the ledger, every
document has its entry, and every numbering sequence runs 1..last without a hole."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from talad.accounting.models import DocumentSequence, JournalLine
from talad.accounting.services import post_cod_remittance
from tests.accounting.factories import (
    BY,
    act,
    cod_order,
    documents,
    entries,
    goods,
    prepaid_order,
    vat_shop,
)

pytestmark = pytest.mark.django_db


def doctor(shop) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("doctor", "--shop", shop.slug, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def busy_shop():
    """A VAT shop after a day of prepaid, COD, cancelled and returned orders."""
    shop = vat_shop()
    mug = goods(shop, "MUG", price="1070.00", cost="600.00")
    act(act(act(act(prepaid_order(shop, mug), "pay"), "pack"), "ship"), "deliver")
    act(act(prepaid_order(shop, mug), "pay"), "cancel")
    cod = cod_order(shop, mug)
    for action in ("confirm_cod", "pack", "ship", "deliver"):
        cod = act(cod, action)
    post_cod_remittance(
        shop=shop, order=cod, amount="1070.00", fee="32.10", vat_on_fee="2.25", by=BY
    )
    returned = prepaid_order(shop, mug)
    for action in ("pay", "pack", "ship", "deliver", "receive_return"):
        returned = act(returned, action)
    return shop


def test_doctor_finds_the_books_of_a_busy_day_in_order(busy_shop):
    code, report = doctor(busy_shop)

    assert code == 0, report
    assert "the journal balances; every document is posted and numbered without gaps" in report


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_doctor_catches_an_entry_changed_behind_the_journals_back(busy_shop):
    sale = JournalLine.objects.for_shop(busy_shop).filter(role="bank", debit__gt=0)
    line = sale.order_by("id").first()
    _sql("UPDATE accounting_journalline SET debit = debit + 1 WHERE id = %s", [line.pk])

    code, report = doctor(busy_shop)

    assert code == 1
    assert f"entry {line.entry_id} does not balance: debit 1071.00 ≠ credit 1070.00" in report
    assert "the ledger does not balance" in report


def test_doctor_catches_a_document_without_its_entry_and_a_hole_in_the_numbers(busy_shop):
    order = act(prepaid_order(busy_shop, goods(busy_shop, "TEA")), "pay")
    [receipt] = documents(order)
    [entry] = entries(order)
    _sql("UPDATE accounting_journalentry SET document_id = NULL WHERE id = %s", [entry.pk])
    sequence = DocumentSequence.objects.for_shop(busy_shop).get(doc_type="tax_invoice")
    DocumentSequence.objects.for_shop(busy_shop).filter(pk=sequence.pk).update(
        last_number=sequence.last_number + 1
    )

    code, report = doctor(busy_shop)

    assert code == 1
    assert f"document {receipt.number} has no journal entry" in report
    assert (
        f"tax_invoice numbers of {sequence.period} are not 1..{sequence.last_number + 1}" in report
    )
    assert f"missing [{sequence.last_number + 1}]" in report
