"""Reads for the dashboard: today's sales per channel and the last 30 days, per day and channel."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from talad.dates import local_day_start
from talad.orders.models import Order, Status
from talad.shops.models import Shop

NOT_SALES = (Status.CANCELLED,)


@dataclass(frozen=True)
class ChannelDay:
    day: date
    channel: str
    orders: int
    sales: Decimal


def sales_by_day_and_channel(
    *, shop: Shop, days: int = 30, today: date | None = None
) -> list[ChannelDay]:
    """Orders and sales (cancelled excluded) per local day and channel, oldest first."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    rows = (
        Order.objects.for_shop(shop)
        .filter(
            created_at__gte=local_day_start(first),
            created_at__lt=local_day_start(today, next_day=True),
        )
        .exclude(status__in=NOT_SALES)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day", "channel")
        .annotate(orders=Count("id"), sales=Sum("total"))
    )
    return sorted(
        (ChannelDay(r["day"], r["channel"], r["orders"], r["sales"] or Decimal("0")) for r in rows),
        key=lambda r: (r.day, r.channel),
    )


def today_by_channel(rows: list[ChannelDay], today: date | None = None) -> list[ChannelDay]:
    today = today or timezone.localdate()
    return [r for r in rows if r.day == today]
