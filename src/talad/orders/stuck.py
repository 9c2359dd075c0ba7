"""Stuck orders: every order that has stayed in a status longer than the shop allows.

Limits per status come from the shop's StuckLimits (defaults in
docs/design/orders.md#stuck-orders). A marketplace ship-by deadline, when known, replaces the
age limit for orders not yet shipped.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.orders.models import Order, PaymentStatus, Status, StuckLimits
from talad.orders.state_machine import OPEN
from talad.shops.models import Shop

BEFORE_SHIPPING = (Status.PENDING, Status.TO_PACK, Status.TO_SHIP)
BUCKETS = (
    ("lt_1d", timedelta(days=1)),
    ("1_3d", timedelta(days=3)),
    ("3_7d", timedelta(days=7)),
    ("gt_7d", None),
)


@dataclass(frozen=True)
class StuckOrder:
    order: Order
    status: str
    time_in_status: timedelta
    limit: timedelta | None
    reason_code: str  # past_ship_by, cod_not_remitted or over_age: stable for integrations
    reason: str  # the same in the current language, for people


def limits_for(shop: Shop) -> dict[str, timedelta]:
    settings = StuckLimits.objects.for_shop(shop).first() or StuckLimits(shop=shop)
    return {
        Status.PENDING: timedelta(hours=settings.pending_hours),
        Status.TO_PACK: timedelta(hours=settings.to_pack_hours),
        Status.TO_SHIP: timedelta(hours=settings.to_ship_hours),
        Status.SHIPPED: timedelta(hours=settings.shipped_hours),
        Status.RETURNING: timedelta(hours=settings.returning_hours),
    }


def cod_unremitted_hours(shop: Shop) -> int:
    settings = StuckLimits.objects.for_shop(shop).first() or StuckLimits(shop=shop)
    return settings.cod_unremitted_hours


def stuck_orders(*, shop: Shop, now: datetime | None = None, limit: int = 500) -> list[StuckOrder]:
    """Oldest first. Each entry says how long, against what limit, and why it counts as stuck."""
    now = now or timezone.now()
    limits = limits_for(shop)
    late = Q(status__in=BEFORE_SHIPPING, ship_by__isnull=False, ship_by__lt=now)
    for status, allowed in limits.items():
        by_age = Q(status=status, status_changed_at__lt=now - allowed)
        if status in BEFORE_SHIPPING:
            by_age &= Q(ship_by__isnull=True)
        late |= by_age
    cod_limit = timedelta(hours=cod_unremitted_hours(shop))
    late |= _cod_unremitted(now - cod_limit)
    orders = Order.objects.for_shop(shop).filter(late).order_by("status_changed_at")[:limit]
    return [_explain(order, {**limits, Status.DELIVERED: cod_limit}, now) for order in orders]


def _cod_unremitted(delivered_before: datetime) -> Q:
    """Delivered, the carrier collected the COD, and has not paid it out within the limit."""
    return Q(
        status=Status.DELIVERED,
        payment_status=PaymentStatus.COD_COLLECTED,
        status_changed_at__lt=delivered_before,
    )


def _explain(order: Order, limits: dict, now: datetime) -> StuckOrder:
    age = now - order.status_changed_at
    if order.ship_by and order.status in BEFORE_SHIPPING:
        overdue = now - order.ship_by
        reason = _("เลยกำหนดส่งของ marketplace มาแล้ว %(late)s") % {"late": human_duration(overdue)}
        # The time it was given: from entering the status to the deadline (none if already past).
        allowed = max(order.ship_by - order.status_changed_at, timedelta(0))
        return StuckOrder(order, order.status, age, allowed, "past_ship_by", reason)
    allowed = limits[order.status]
    if order.status == Status.DELIVERED:
        reason = _("ขนส่งเก็บเงิน COD แล้วแต่ยังไม่โอนมา %(days)s วัน") % {"days": age.days}
        return StuckOrder(order, order.status, age, allowed, "cod_not_remitted", reason)
    reason = _("อยู่ในสถานะ %(status)s มาแล้ว %(age)s เกินเกณฑ์ %(limit)s") % {
        "status": order.get_status_display(),
        "age": human_duration(age),
        "limit": human_duration(allowed),
    }
    return StuckOrder(order, order.status, age, allowed, "over_age", reason)


def human_duration(delta: timedelta) -> str:
    """`2 วัน 3 ชม.` or `5 ชม.` in the current language."""
    hours = int(delta.total_seconds() // 3600)
    if hours >= 24:
        return _("%(d)s วัน %(h)s ชม.") % {"d": hours // 24, "h": hours % 24}
    return _("%(h)s ชม.") % {"h": hours}


def age_buckets(*, shop: Shop, now: datetime | None = None) -> dict[str, dict[str, int]]:
    """Open orders per status and time in status: <1 day, 1–3 days, 3–7 days, >7 days."""
    now = now or timezone.now()
    whens = []
    for index, (_name, upper) in enumerate(BUCKETS):
        if upper is not None:
            whens.append(When(status_changed_at__gt=now - upper, then=index))
    bucket = Case(*whens, default=len(BUCKETS) - 1, output_field=IntegerField())
    rows = (
        Order.objects.for_shop(shop)
        .filter(status__in=OPEN)
        .annotate(bucket=bucket)
        .order_by()
        .values_list("status", "bucket")
        .annotate(n=Count("id"))
    )
    result = {status: {name: 0 for name, _u in BUCKETS} for status in sorted(OPEN)}
    for status, index, n in rows:
        result[status][BUCKETS[index][0]] = n
    return result
