"""Reads for orders: one order, the order desk list, counts per status."""

import re
from datetime import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from talad.errors import NotFound
from talad.orders.contacts import phone_digits_for_search
from talad.orders.models import Order, Status
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
    if re.fullmatch(r"\d{1,9}", q):
        condition |= Q(number=f"SO-{int(q):06d}")
    condition |= Q(tracking_number=re.sub(r"\s+", "", q).upper())
    if not re.search(r"\d", q) and (not re.fullmatch(r"[A-Za-z0-9\-_]+", q) or len(q) >= 2):
        condition |= Q(customer_name__icontains=q)
    return condition


def order_counts(*, shop: Shop) -> dict[str, int]:
    """Orders per status, every status present (zero when none)."""
    counts = dict.fromkeys(Status.values, 0)
    rows = Order.objects.for_shop(shop).order_by().values_list("status").annotate(n=Count("id"))
    counts.update(dict(rows))
    return counts
