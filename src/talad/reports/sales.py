"""Sales for any period, per product and per channel, summed by the database.

A period is a range of local (Asia/Bangkok) days, both ends included; an order belongs to the
day it was placed. Sales are what the dashboard counts: every order but a cancelled one
(reports.selectors.NOT_SALES). Per product is the lines' own totals (after line discounts,
before the order's discount and shipping fee); per channel is the orders' totals."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Sum

from talad.dates import local_day_start
from talad.orders.models import Order, OrderLine
from talad.reports.selectors import NOT_SALES
from talad.shops.models import Shop

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ProductSales:
    sku: str
    name: str
    quantity: int
    orders: int
    sales: Decimal


@dataclass(frozen=True)
class ChannelSales:
    channel: str
    orders: int
    sales: Decimal


def _placed_in(prefix: str, date_from: date, date_to: date) -> dict:
    return {
        f"{prefix}created_at__gte": local_day_start(date_from),
        f"{prefix}created_at__lt": local_day_start(date_to, next_day=True),
    }


def sales_by_product(*, shop: Shop, date_from: date, date_to: date) -> list[ProductSales]:
    """Units, orders and baht per SKU, the best seller first."""
    rows = (
        OrderLine.objects.for_shop(shop)
        .filter(order__shop=shop, **_placed_in("order__", date_from, date_to))
        .exclude(order__status__in=NOT_SALES)
        .order_by()
        .values("sku")
        .annotate(
            name=Max("name"),
            quantity=Sum("quantity"),
            orders=Count("order_id", distinct=True),
            sales=Sum("line_total"),
        )
    )
    found = [
        ProductSales(r["sku"], r["name"], r["quantity"], r["orders"], r["sales"] or ZERO)
        for r in rows
    ]
    return sorted(found, key=lambda r: (-r.sales, -r.quantity, r.sku))


def sales_by_channel(*, shop: Shop, date_from: date, date_to: date) -> list[ChannelSales]:
    """Orders and baht per channel, the biggest first."""
    rows = (
        Order.objects.for_shop(shop)
        .filter(**_placed_in("", date_from, date_to))
        .exclude(status__in=NOT_SALES)
        .order_by()
        .values("channel")
        .annotate(orders=Count("id"), sales=Sum("total"))
    )
    found = [ChannelSales(r["channel"], r["orders"], r["sales"] or ZERO) for r in rows]
    return sorted(found, key=lambda r: (-r.sales, r.channel))
