"""An order's story: every status change and every audit entry, oldest first."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from talad.orders.labels import history_note
from talad.orders.models import Order, PaymentMethod, PaymentStatus, Status
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
    "order.correct": _("แก้ไขออเดอร์"),
    "order.cod_remitted": _("ได้รับเงิน COD แล้ว"),
    "order.refunded": _("คืนเงินลูกค้า"),
}

# The audit row's keys as the seller's pages name them.
FIELD_LABELS = {
    "customer_name": _("ชื่อผู้รับ"),
    "customer_phone": _("เบอร์โทร"),
    "customer_tax_id": _("เลขประจำตัวผู้เสียภาษี"),
    "customer_branch_code": _("สาขา"),
    "address_line": _("ที่อยู่"),
    "subdistrict": _("แขวง / ตำบล"),
    "district": _("เขต / อำเภอ"),
    "province": _("จังหวัด"),
    "postcode": _("รหัสไปรษณีย์"),
    "subtotal": _("ยอดสินค้า"),
    "shipping_fee": _("ค่าส่ง"),
    "discount": _("ส่วนลด"),
    "net_total": _("มูลค่าก่อนภาษี"),
    "vat_total": _("ภาษีมูลค่าเพิ่ม"),
    "total": _("ยอดรวมทั้งสิ้น"),
    "payment_method": _("วิธีชำระเงิน"),
    "payment_status": _("สถานะการชำระ"),
    "note": _("หมายเหตุ"),
    "tags": _("แท็ก"),
    "ship_by": _("กำหนดส่ง"),
    "lines": _("รายการสินค้า"),
    "amount": _("ยอดเงิน"),
    "fee": _("ค่าธรรมเนียม"),
    "vat_on_fee": _("VAT ค่าธรรมเนียม"),
    "net": _("ยอดสุทธิ"),
    "reference": _("เลขอ้างอิง"),
    "method": _("วิธีชำระเงิน"),
    "refund_owed": _("ยอดคืนเงินค้าง"),
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
    """What changed, in the page's words: `ค่าส่ง: 40.00 · รายการสินค้า: TEE-M × 2`. A key with
    a `before` shows only when it changed; codes are shown by their labels."""
    before, after = entry.before or {}, entry.after or {}
    parts = [
        f"{FIELD_LABELS.get(key, key)}: {_shown(key, value)}"
        for key, value in after.items()
        if not before or before.get(key) != value
    ]
    return " · ".join(parts)[:300]


def _shown(key: str, value) -> str:
    if key == "lines" and isinstance(value, list):
        return ", ".join(f"{line.get('sku')} × {line.get('quantity')}" for line in value)
    if key in ("payment_method", "method") and value in PaymentMethod.values:
        return str(PaymentMethod(value).label)
    if key == "payment_status" and value in PaymentStatus.values:
        return str(PaymentStatus(value).label)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "-" if value in (None, "") else str(value)
