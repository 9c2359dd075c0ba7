"""The posting service: only balanced entries with one-sided lines; corrections are reversals."""

from decimal import Decimal

import pytest

from talad.accounting.books import accounts_by_role, update_accounting_settings
from talad.accounting.errors import UnbalancedEntry
from talad.accounting.journal import credit, debit
from talad.accounting.models import Account, JournalEntry, JournalLine
from talad.accounting.services import Posting, post_journal_entry, reverse_journal_entry
from talad.errors import Conflict, PermissionDenied, TaladError
from talad.shops.actors import Actor
from tests.accounting.factories import BY, act, entries, entry_lines, goods, prepaid_order, vat_shop

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def shop():
    return vat_shop()


def post(shop, postings):
    return post_journal_entry(
        shop=shop, description="ทดสอบ", postings=postings, source_type="manual", by=BY
    )


@pytest.mark.parametrize(
    ("postings", "fields"),
    [
        ([], {"lines": "empty"}),
        ([debit("bank", D("100.00")), credit("sales", D("99.99"))], {"lines": "unbalanced"}),
        ([debit("bank", D("100.00"))], {"lines": "unbalanced"}),
        (
            [Posting(role="bank", debit=D("1.00"), credit=D("1.00")), credit("sales", D("0.00"))],
            {"lines[0]": "one_side"},
        ),
        ([debit("bank", D("0.00")), credit("sales", D("0.00"))], {"lines[0]": "one_side"}),
        ([debit("bank", D("-5.00")), credit("sales", D("-5.00"))], {"lines[0]": "invalid_money"}),
        ([debit("bank", D("1.005")), credit("sales", D("1.005"))], {"lines[0]": "invalid_money"}),
        (
            [debit("petty_cash", D("1.00")), credit("sales", D("1.00"))],
            {"lines[0].role": "unknown"},
        ),
    ],
)
def test_the_journal_refuses_an_entry_that_does_not_balance_or_has_a_bad_line(
    shop, postings, fields
):
    with pytest.raises(UnbalancedEntry) as refused:
        post(shop, postings)

    assert refused.value.fields == fields
    assert JournalEntry.objects.for_shop(shop).count() == 0
    assert JournalLine.objects.for_shop(shop).count() == 0


def test_a_balanced_entry_is_posted_to_the_shops_account_codes(shop):
    entry = post(shop, [debit("cash", D("250.00")), credit("sales", D("250.00"))])

    assert [(line.account.code, line.debit, line.credit) for line in entry.lines.all()] == [
        ("111101", D("250.00"), D("0.00")),
        ("410101", D("0.00"), D("250.00")),
    ]


def test_a_reversal_is_a_new_entry_on_the_other_side_linked_to_the_original(shop):
    mug = goods(shop, "MUG", price="1070.00")
    order = act(prepaid_order(shop, mug), "pay")
    [sale] = entries(order)

    reversal = reverse_journal_entry(entry=sale, by=BY)

    assert reversal.reverses == sale and reversal.pk != sale.pk
    assert reversal.order == order and reversal.source_type == "reversal"
    assert entry_lines(reversal) == [
        ("output_vat", "70.00", "0.00"),
        ("sales", "1000.00", "0.00"),
        ("bank", "0.00", "1070.00"),
    ]
    assert entry_lines(JournalEntry.objects.for_shop(shop).get(pk=sale.pk)) == entry_lines(sale)
    with pytest.raises(Conflict):
        reverse_journal_entry(entry=sale, by=BY)


def test_the_account_map_is_editable_and_later_entries_follow_it(shop):
    update_accounting_settings(shop=shop, changes={"account_codes": {"bank": "111202"}}, by=BY)

    entry = post(shop, [debit("bank", D("10.00")), credit("sales", D("10.00"))])

    bank = Account.objects.for_shop(shop).get(code="111202")
    assert entry.lines.get(role="bank").account == bank
    assert bank.kind == "asset"
    assert accounts_by_role(shop)["bank"] == bank


def test_a_role_cannot_point_at_an_account_of_another_kind(shop):
    with pytest.raises(TaladError) as refused:
        update_accounting_settings(shop=shop, changes={"account_codes": {"bank": "410101"}}, by=BY)

    assert refused.value.fields == {"account_codes.bank": "wrong_kind"}


def test_only_the_owner_and_the_accountant_change_the_accounting_settings(shop):
    for role in ("admin", "staff", "packer"):
        with pytest.raises(PermissionDenied):
            update_accounting_settings(
                shop=shop, changes={"cod_issue": "manual"}, by=Actor(role=role)
            )

    books = update_accounting_settings(
        shop=shop, changes={"cod_issue": "manual"}, by=Actor(role="accountant")
    )
    assert books.cod_issue == "manual"
