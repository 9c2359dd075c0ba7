"""The double-entry journal: post a balanced entry, reverse one, read an order's balances.

A posted entry is never edited: a correction is a new entry that reverses it. Lines name
an account role (mapped to the shop's code by talad.accounting.books) or an account.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talad.accounting.books import accounts_by_role, in_thai
from talad.accounting.errors import UnbalancedEntry
from talad.accounting.models import (
    Account,
    AccountRole,
    Document,
    JournalEntry,
    JournalLine,
    SourceType,
)
from talad.accounting.signals import journal_entry_posted
from talad.errors import Conflict
from talad.orders.models import Order
from talad.shops.actors import Actor
from talad.shops.models import Shop

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Posting:
    """One side of one line: a debit or a credit to a role's account (or a given account)."""

    role: str = ""
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    account: Account | None = None
    memo: str = ""


def debit(role: str, amount: Decimal, memo: str = "") -> Posting:
    return Posting(role=role, debit=amount, memo=memo)


def credit(role: str, amount: Decimal, memo: str = "") -> Posting:
    return Posting(role=role, credit=amount, memo=memo)


def without_zero_lines(postings: list[Posting]) -> list[Posting]:
    """Automatic entries leave out the lines that come to nothing (no VAT, no shipping)."""
    return [p for p in postings if p.debit or p.credit]


@transaction.atomic
def post_journal_entry(
    *,
    shop: Shop,
    description: str,
    postings: list[Posting],
    source_type: str,
    source_id: str = "",
    by: Actor,
    day: date | None = None,
    order: Order | None = None,
    document: Document | None = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Write one entry, or refuse: no lines, a line with both or neither side, a negative or
    fractional-satang amount, or debits that differ from credits."""
    lines = _checked(postings)
    roles = accounts_by_role(shop) if any(p.account is None for p in lines) else {}
    entry = JournalEntry.objects.create(
        shop=shop,
        date=day or timezone.localdate(),
        description=description[:255],
        source_type=source_type,
        source_id=str(source_id)[:40],
        order=order,
        document=document,
        reverses=reverses,
        user_id=by.user_id,
        actor=by.label[:80],
    )
    JournalLine.objects.bulk_create(
        [
            JournalLine(
                shop=shop,
                entry=entry,
                account=p.account or roles[p.role],
                role=p.role,
                debit=p.debit,
                credit=p.credit,
                memo=p.memo[:255],
            )
            for p in lines
        ]
    )
    journal_entry_posted.send(sender=JournalEntry, entry=entry)
    return entry


def _checked(postings: list[Posting]) -> list[Posting]:
    if not postings:
        raise UnbalancedEntry(_("รายการบัญชีต้องมีอย่างน้อยสองบรรทัด"), fields={"lines": "empty"})
    lines = []
    for index, p in enumerate(postings):
        field = f"lines[{index}]"
        dr, cr = _amount(p.debit, field), _amount(p.credit, field)
        if (dr > 0) == (cr > 0):
            raise UnbalancedEntry(
                _("แต่ละบรรทัดต้องเป็นเดบิตหรือเครดิตอย่างใดอย่างหนึ่ง"), fields={field: "one_side"}
            )
        if p.account is None and p.role not in AccountRole.values:
            raise UnbalancedEntry(_("ไม่รู้จักบัญชี"), fields={f"{field}.role": "unknown"})
        lines.append(Posting(role=p.role, debit=dr, credit=cr, account=p.account, memo=p.memo))
    debits = sum((p.debit for p in lines), ZERO)
    credits = sum((p.credit for p in lines), ZERO)
    if debits != credits:
        raise UnbalancedEntry(
            _("เดบิต %(d)s ไม่เท่ากับเครดิต %(c)s") % {"d": debits, "c": credits},
            fields={"lines": "unbalanced"},
            debit=str(debits),
            credit=str(credits),
        )
    return lines


def _amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise UnbalancedEntry(_("จำนวนเงินไม่ถูกต้อง"), fields={field: "invalid_money"}) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise UnbalancedEntry(_("จำนวนเงินไม่ถูกต้อง"), fields={field: "invalid_money"})
    return amount.quantize(CENT)


@transaction.atomic
def reverse_journal_entry(
    *, entry: JournalEntry, by: Actor, description: str = "", day: date | None = None
) -> JournalEntry:
    """A new entry with every line on the other side, linked to the one it reverses."""
    shop = entry.shop
    entry = JournalEntry.objects.for_shop(shop).select_for_update().get(pk=entry.pk)
    if JournalEntry.objects.for_shop(shop).filter(reverses=entry).exists():
        raise Conflict(_("รายการบัญชีนี้ถูกกลับรายการแล้ว"), fields={"entry": "already_reversed"})
    postings = [
        Posting(
            role=line.role,
            debit=line.credit,
            credit=line.debit,
            account=line.account,
            memo=line.memo,
        )
        for line in entry.lines.select_related("account")
    ]
    return post_journal_entry(
        shop=shop,
        description=description
        or in_thai(gettext_lazy("กลับรายการ: %(d)s")) % {"d": entry.description},
        postings=postings,
        source_type=SourceType.REVERSAL,
        source_id=str(entry.pk),
        by=by,
        day=day,
        order=entry.order,
        reverses=entry,
    )


def order_balance(order: Order, role: str) -> Decimal:
    """Debits minus credits that the order's entries put on a role (credit balances are negative)."""
    sums = (
        JournalLine.objects.for_shop(order.shop_id)
        .filter(entry__order=order, role=role)
        .aggregate(d=Sum("debit"), c=Sum("credit"))
    )
    return (sums["d"] or ZERO) - (sums["c"] or ZERO)
