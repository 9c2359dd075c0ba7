"""Reads for orders: one order, the order desk list, counts per status."""

import re
from datetime import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from talad.errors import NotFound
from talad.orders.contacts import phone_digits_for_search
from talad.orders.models import Customer, Order, Status
from talad.orders.numbering import number_from_digits
from talad.shops.models import Shop


def order_detail(*, shop: Shop, order_id: int) -> Order:
    order = (
        Order.objects.for_shop(shop)
        .prefetch_related("lines", "status_changes", "shipments")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise NotFound(_("ไม่พบออเดอร์"))
    return order


def orders_page(
    *,
    shop: Shop,
    status: str | None = None,
    channel: str | None = None,
    payment_status: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    q: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Order]:
    """Newest first, keyset on id. `q` is read by its shape so each search can use an index."""
    qs = Order.objects.for_shop(shop).order_by("-id")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if payment_status:
        qs = qs.filter(payment_status=payment_status)
    if created_from:
        qs = qs.filter(created_at__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__lt=created_to)
    if q and q.strip():
        qs = qs.filter(_search(shop, q.strip()))
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(qs[:limit])


def _search(shop: Shop, q: str) -> Q:
    """Order number, phone, external id and tracking number match exactly; names by substring.

    Every branch but the name is an index lookup (docs/performance.md). A name substring
    cannot use a b-tree index and scans the shop's orders, so it is searched only for text
    without digits: names have none, and a number, code or phone in an OR with it would
    otherwise turn an instant lookup into that scan."""
    if phone := phone_digits_for_search(q):
        if len(phone) >= 9:
            return Q(customer_phone=phone)
        # A prefix as a range of digit strings, so the (shop, customer_phone) index serves it:
        # LIKE 'prefix%' can use a b-tree index only under the C collation.
        upper = str(int(phone) + 1).zfill(len(phone))
        return Q(customer_phone__gte=phone, customer_phone__lt=upper)
    condition = Q(number=q.upper()) | Q(external_id=q)
    if number := number_from_digits(shop, q):
        condition |= Q(number=number)
    condition |= Q(tracking_number=re.sub(r"\s+", "", q).upper())
    if fragment := phone_fragment(q):
        # Orders of the customers whose phone has these digits anywhere ("7777777", the end
        # of the number people quote): the shop's customers are scanned, the orders are
        # index lookups on (shop, customer_phone).
        condition |= Q(customer_phone__in=_phones_containing(shop, fragment))
    if not re.search(r"\d", q) and (not re.fullmatch(r"[A-Za-z0-9\-_]+", q) or len(q) >= 2):
        condition |= Q(customer_name__icontains=q)
    return condition


def order_counts(*, shop: Shop) -> dict[str, int]:
    """Orders per status, every status present (zero when none)."""
    counts = dict.fromkeys(Status.values, 0)
    rows = Order.objects.for_shop(shop).order_by().values_list("status").annotate(n=Count("id"))
    counts.update(dict(rows))
    return counts


# A piece of a phone number: 4 to 10 digits (spaces and dashes allowed), anywhere in it.
_PHONE_FRAGMENT = re.compile(r"\d{4,10}")
PHONES_PER_SEARCH = 50


def phone_fragment(text: str) -> str | None:
    digits = re.sub(r"[\s\-()]", "", text or "")
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    return digits if _PHONE_FRAGMENT.fullmatch(digits) else None


def _customers(shop: Shop):
    return Customer.objects.for_shop(shop)


def _phones_containing(shop: Shop, digits: str) -> list[str]:
    rows = _customers(shop).filter(phone__contains=digits).order_by("-id")
    return list(rows.values_list("phone", flat=True)[:PHONES_PER_SEARCH])


def customers_matching(*, shop: Shop, q: str | None, limit: int = 5) -> list[Customer]:
    """The shop's customers a desk search means: digits anywhere in the phone, or (for text
    without digits) the name; newest first, each with how many orders they have."""
    q = (q or "").strip()
    if fragment := phone_fragment(q):
        rows = _customers(shop).filter(phone__contains=fragment)
    elif len(q) >= 2 and not re.search(r"\d", q):
        rows = _customers(shop).filter(name__icontains=q)
    else:
        return []
    return list(rows.annotate(order_count=Count("orders")).order_by("-id")[:limit])
