"""An order's story: every status change and every audit entry, oldest first."""

from dataclasses import dataclass
from datetime import datetime

from talad.orders.models import Order
from talad.shops.models import AuditEntry


@dataclass(frozen=True)
class Moment:
    at: datetime
    title: str
    by: str
    note: str
    status: str = ""


def timeline(order: Order) -> list[Moment]:
    moments = [
        Moment(c.at, c.action, c.actor, c.note, c.to_status)
        for c in order.status_changes.order_by("id")
    ]
    audits = AuditEntry.objects.filter(
        shop_id=order.shop_id, object_type="order", object_id=str(order.pk)
    )
    moments += [Moment(a.at, a.action, _who(a), _summary(a)) for a in audits.select_related("user")]
    return sorted(moments, key=lambda m: m.at)


def _who(entry: AuditEntry) -> str:
    if entry.user:
        return entry.user.get_username()
    return f"token:{entry.token.prefix}" if entry.token_id else ""


def _summary(entry: AuditEntry) -> str:
    after = entry.after or {}
    return ", ".join(f"{k}: {v}" for k, v in after.items())[:300]
