"""Reads for accounting: documents, what is left of them to credit, the journal, the trial balance."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from talad.accounting.models import (
    SALES_DOCUMENTS,
    Account,
    Document,
    DocumentType,
    JournalEntry,
    JournalLine,
)
from talad.errors import NotFound
from talad.orders.models import Order
from talad.shops.models import Shop

ZERO = Decimal("0.00")


# --- Documents ------------------------------------------------------------------------------


def document_detail(*, shop: Shop, document_id: int) -> Document:
    document = (
        Document.objects.for_shop(shop)
        .select_related("order", "original", "peak")
        .prefetch_related("lines", "journal_entries", "credit_notes")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("ไม่พบเอกสาร"))
    return document


def documents_page(
    *,
    shop: Shop,
    doc_type: str | None = None,
    order_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    before_id: int | None = None,
    limit: int = 50,
    q: str | None = None,
) -> list[Document]:
    """Newest first, keyset on id; `q` finds a number or a buyer's name or tax ID."""
    qs = Document.objects.for_shop(shop).select_related("order", "original", "peak").order_by("-id")
    if q and q.strip():
        q = q.strip()
        qs = qs.filter(
            Q(number__icontains=q) | Q(buyer_name__icontains=q) | Q(buyer_tax_id__startswith=q)
        )
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if order_id:
        qs = qs.filter(order_id=order_id)
    if date_from:
        qs = qs.filter(issue_date__gte=date_from)
    if date_to:
        qs = qs.filter(issue_date__lte=date_to)
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(qs.prefetch_related("lines")[:limit])


@dataclass(frozen=True)
class Credited:
    """What the credit notes on a document have taken off it so far."""

    basis: Decimal
    net: Decimal
    vat: Decimal


def credited(document: Document) -> Credited:
    sums = (
        Document.objects.for_shop(document.shop_id)
        .filter(original=document)
        .aggregate(net=Sum("net_amount"), vat=Sum("vat_amount"), total=Sum("total_amount"))
    )
    net, vat, total = sums["net"] or ZERO, sums["vat"] or ZERO, sums["total"] or ZERO
    return Credited(basis=total if document.prices_include_vat else net, net=net, vat=vat)


def remaining_basis(document: Document) -> Decimal:
    """What a credit note may still take off the document, in its price basis."""
    return document.basis_amount - credited(document).basis


def open_sales_documents(order: Order) -> list[Document]:
    """The order's sales documents that credit notes have not fully cancelled, oldest first."""
    documents = Document.objects.for_shop(order.shop_id).filter(
        order=order, doc_type__in=SALES_DOCUMENTS
    )
    return [d for d in documents.order_by("id") if remaining_basis(d) > 0]


def order_documents(
    *, shop: Shop, order_id: int
) -> tuple[Order, list[Document], list[JournalEntry]]:
    order = Order.objects.for_shop(shop).filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("ไม่พบออเดอร์"))
    documents = list(
        Document.objects.for_shop(shop)
        .filter(order=order)
        .select_related("original", "peak")
        .prefetch_related("lines")
        .order_by("id")
    )
    entries = list(
        JournalEntry.objects.for_shop(shop)
        .filter(order=order)
        .prefetch_related("lines__account")
        .order_by("id")
    )
    return order, documents, entries


# --- The journal -----------------------------------------------------------------------------


def journal_page(
    *,
    shop: Shop,
    date_from: date | None = None,
    date_to: date | None = None,
    order_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[JournalEntry]:
    """Newest first, keyset on id, with the lines and their accounts."""
    qs = JournalEntry.objects.for_shop(shop).order_by("-id")
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if order_id:
        qs = qs.filter(order_id=order_id)
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(qs.select_related("order", "document").prefetch_related("lines__account")[:limit])


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    opening: Decimal  # debit balance before the period (credit balances are negative)
    debit: Decimal
    credit: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def trial_balance(
    *, shop: Shop, date_from: date | None = None, date_to: date | None = None
) -> list[TrialBalanceRow]:
    """Each account with its opening balance, the period's debits and credits and its closing
    balance, in code order. Accounts with nothing on them are left out."""
    lines = JournalLine.objects.for_shop(shop)
    if date_to:
        lines = lines.filter(entry__date__lte=date_to)
    sums = lines.order_by().values("account_id")
    if date_from:
        before = Q(entry__date__lt=date_from)
        sums = sums.annotate(
            open_d=Sum("debit", filter=before),
            open_c=Sum("credit", filter=before),
            d=Sum("debit", filter=~before),
            c=Sum("credit", filter=~before),
        )
    else:
        sums = sums.annotate(d=Sum("debit"), c=Sum("credit"))
    accounts = Account.objects.for_shop(shop).in_bulk([row["account_id"] for row in sums])
    rows = [
        TrialBalanceRow(
            account=accounts[row["account_id"]],
            opening=(row.get("open_d") or ZERO) - (row.get("open_c") or ZERO),
            debit=row["d"] or ZERO,
            credit=row["c"] or ZERO,
        )
        for row in sums
    ]
    return sorted(rows, key=lambda r: r.account.code)


def document_type_label(doc_type: str) -> str:
    return str(DocumentType(doc_type).label)
