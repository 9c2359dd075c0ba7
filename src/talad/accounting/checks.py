"""Invariants of the books that `talad doctor` proves (docs/design/money.md, docs/design/cli.md)."""

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from talad.accounting.books import account_codes
from talad.accounting.models import (
    Account,
    AccountingSettings,
    AccountRole,
    Document,
    DocumentSequence,
    JournalEntry,
    JournalLine,
)
from talad.catalog.models import Variant
from talad.inventory.models import StockLevel
from talad.inventory.services import stock_value
from talad.shops.models import Shop

ZERO = Decimal("0.00")


def accounting_violations(shop: Shop) -> list[str]:
    return (
        _entry_violations(shop)
        + _document_violations(shop)
        + _numbering_violations(shop)
        + _inventory_violations(shop)
    )


def _entry_violations(shop: Shop) -> list[str]:
    """Every entry has lines, each on one side only, and its debits equal its credits;
    the whole ledger balances."""
    where = f"{shop.slug}: journal"
    problems = []
    entries = (
        JournalEntry.objects.for_shop(shop)
        .annotate(
            d=Sum("lines__debit"),
            c=Sum("lines__credit"),
            n=Count("lines"),
            two_sided=Count("lines", filter=Q(lines__debit__gt=0, lines__credit__gt=0)),
            empty=Count("lines", filter=Q(lines__debit=0, lines__credit=0)),
            negative=Count("lines", filter=Q(lines__debit__lt=0) | Q(lines__credit__lt=0)),
        )
        .filter(Q(n__lt=2) | Q(two_sided__gt=0) | Q(empty__gt=0) | Q(negative__gt=0) | ~Q(d=F("c")))
        .order_by("id")
    )
    for entry in entries.iterator(chunk_size=500):
        if entry.n < 2:
            problems.append(f"{where}: entry {entry.pk} has {entry.n} line(s)")
        if entry.two_sided or entry.empty or entry.negative:
            problems.append(f"{where}: entry {entry.pk} has a line that is not one-sided")
        d, c = entry.d or ZERO, entry.c or ZERO
        if d != c:
            problems.append(
                f"{where}: entry {entry.pk} does not balance: debit {d:.2f} ≠ credit {c:.2f}"
            )
    totals = JournalLine.objects.for_shop(shop).aggregate(d=Sum("debit"), c=Sum("credit"))
    d, c = totals["d"] or ZERO, totals["c"] or ZERO
    if d != c:
        problems.append(f"{where}: the ledger does not balance: debits {d:.2f} ≠ credits {c:.2f}")
    return problems


def _document_violations(shop: Shop) -> list[str]:
    """Every issued document has its journal entry."""
    problems = []
    unposted = (
        Document.objects.for_shop(shop)
        .annotate(entries=Count("journal_entries"))
        .filter(entries=0)
        .values_list("number", flat=True)
        .order_by("id")
    )
    for number in unposted.iterator(chunk_size=2000):
        problems.append(f"{shop.slug}: document {number} has no journal entry")
    return problems


def _numbering_violations(shop: Shop) -> list[str]:
    """Numbers of each type and period run 1..last with no hole and no repeat."""
    used: dict[tuple[str, str], list[int]] = defaultdict(list)
    rows = Document.objects.for_shop(shop).values_list("doc_type", "period", "sequence")
    for doc_type, period, sequence in rows.iterator(chunk_size=5000):
        used[(doc_type, period)].append(sequence)
    problems = []
    last = {(s.doc_type, s.period): s.last_number for s in DocumentSequence.objects.for_shop(shop)}
    for key in sorted(set(used) | set(last)):
        numbers = sorted(used.get(key, []))
        expected = list(range(1, last.get(key, 0) + 1))
        if numbers != expected:
            counts = Counter(numbers)
            missing = sorted(set(expected) - set(counts))
            extra = sorted(n for n, k in counts.items() if k > 1 or not 1 <= n <= len(expected))
            problems.append(
                f"{shop.slug}: {key[0]} numbers of {key[1]} are not 1..{len(expected)}: "
                f"missing {missing[:10]}, unexpected {extra[:10]}"
            )
    return problems


def _inventory_violations(shop: Shop) -> list[str]:
    """The inventory account holds what the stock is worth: the sum over the shop's variants
    of on hand (all warehouses) × moving-average cost, each rounded to the satang
    (docs/design/stock.md#cost). Read only: a shop without books has nothing to compare."""
    books = AccountingSettings.objects.for_shop(shop).first()
    if books is None:
        return []
    code = account_codes(books)[AccountRole.INVENTORY]
    account = Account.objects.for_shop(shop).filter(code=code).first()
    sums = (
        JournalLine.objects.for_shop(shop)
        .filter(account=account)
        .aggregate(d=Sum("debit"), c=Sum("credit"))
    )
    booked = (sums["d"] or ZERO) - (sums["c"] or ZERO)
    held = (
        StockLevel.objects.for_shop(shop)
        .order_by()
        .values("variant_id")
        .annotate(n=Sum("on_hand"))
        .values_list("variant_id", "n")
    )
    costs = dict(Variant.objects.for_shop(shop).values_list("pk", "cost"))
    worth = sum((stock_value(costs[pk], n or 0) for pk, n in held), ZERO)
    if booked == worth:
        return []
    return [
        f"{shop.slug}: inventory account {code} is {booked:.2f} but the stock is worth "
        f"{worth:.2f} at moving-average cost (difference {booked - worth:+.2f})"
    ]
