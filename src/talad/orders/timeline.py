"""An order's story: every status change and every audit entry, oldest first."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from talad.orders.labels import history_note
from talad.orders.models import Order, Status
from talad.shops.models import AuditEntry

# What the seller reads for each recorded action code (codes stay in the database).
TITLES = {
    "create": _("สร้างออเดอร์"),
    "pay": _("ยืนยันการชำระเงิน"),
    "confirm_cod": _("ยืนยันออเดอร์เก็บเงินปลายทาง"),
    "pack": _("แพ็คสินค้า"),
    "ship": _("จัดส่ง"),
    "deliver": _("ลูกค้าได้รับแล้ว"),
    "fail_delivery": _("จัดส่งไม่สำเร็จ"),
    "cancel": _("ยกเลิกออเดอร์"),
    "receive_return": _("รับสินค้าตีกลับ"),
    "order.edit_lines": _("แก้ไขรายการสินค้า"),
    "order.cod_remitted": _("ได้รับเงิน COD แล้ว"),
}


@dataclass(frozen=True)
class Moment:
    at: datetime
    title: str
    by: str
    note: str
    status: str = ""

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status in Status.values else self.status


def timeline(order: Order) -> list[Moment]:
    moments = [
        Moment(
            c.at,
            TITLES.get(c.action, c.action),
            c.actor,
            history_note(shop=order.shop, action=c.action, note=c.note),
            c.to_status,
        )
        for c in order.status_changes.order_by("id")
    ]
    audits = AuditEntry.objects.filter(
        shop_id=order.shop_id, object_type="order", object_id=str(order.pk)
    )
    moments += [
        Moment(a.at, TITLES.get(a.action, a.action), _who(a), _summary(a))
        for a in audits.select_related("user")
    ]
    return sorted(moments, key=lambda m: m.at)


def _who(entry: AuditEntry) -> str:
    if entry.user:
        return entry.user.get_username()
    return f"token:{entry.token.prefix}" if entry.token_id else ""


def _summary(entry: AuditEntry) -> str:
    after = entry.after or {}
    return ", ".join(f"{k}: {v}" for k, v in after.items())[:300]
