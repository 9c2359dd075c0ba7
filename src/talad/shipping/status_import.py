"""Carrier status updates from a file (tracking, status, time, note) → the parcel's timeline.

`delivered` delivers a shipped order and `returning` fails its delivery, both through
orders.services.transition(); other statuses only add to the timeline (a failed attempt is
not yet a return, and a parcel back at the shop waits for the seller to check each line).
One transaction per row: the event and the order's step commit together or not at all.
The same tracking + status + time is recorded once, so a re-import is `skipped`.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.orders.actions import normalise_tracking
from talad.orders.models import Order, Status
from talad.orders.services import transition
from talad.orders.state_machine import FAILED_DELIVERY_REASONS
from talad.shipping.models import EventSource, Shipment, ShipmentEvent, ShipmentStatus
from talad.shipping.registry import carriers_for, resolve_carrier
from talad.shipping.services import add_event
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.tabular import FileRejected, cell, cell_datetime, cell_text, chunked, read_table

COLUMNS = {
    "tracking": ("tracking_number", "tracking_no", "awb", "เลขพัสดุ"),
    "status": ("สถานะ", "shipment_status"),
    "time": ("at", "datetime", "date", "timestamp", "เวลา", "วันเวลา", "วันที่"),
    "note": ("remark", "detail", "หมายเหตุ", "รายละเอียด"),
    "carrier": ("courier", "ขนส่ง"),
    "reason": ("เหตุผล",),
}

# What carriers write, in Thai and English, for each parcel status.
STATUS_WORDS = {
    ShipmentStatus.LABEL_CREATED: ("label created", "created", "สร้างรายการ"),
    ShipmentStatus.PICKED_UP: ("picked up", "pickup", "รับพัสดุแล้ว", "เข้ารับพัสดุแล้ว"),
    ShipmentStatus.IN_TRANSIT: ("in transit", "transit", "ระหว่างขนส่ง", "กำลังจัดส่ง"),
    ShipmentStatus.DELIVERED: ("delivered", "success", "ส่งสำเร็จ", "เซ็นรับแล้ว", "จัดส่งสำเร็จ"),
    ShipmentStatus.FAILED: ("failed", "delivery failed", "failed attempt", "ส่งไม่สำเร็จ"),
    ShipmentStatus.RETURNING: ("return", "returning", "return to sender", "ตีกลับ", "กำลังตีกลับ"),
    ShipmentStatus.RETURNED: ("returned", "returned to sender", "ตีกลับแล้ว", "ตีกลับถึงผู้ส่ง"),
}
REASON_WORDS = {
    "refused": ("refused", "reject", "ปฏิเสธ", "ไม่รับ"),
    "nobody_home": ("nobody", "no one", "not home", "ไม่มีคนรับ", "ไม่อยู่", "ติดต่อไม่ได้"),
    "wrong_address": ("wrong address", "address", "ที่อยู่ผิด", "ที่อยู่ไม่ถูกต้อง"),
}


@dataclass
class StatusRow:
    row: int
    result: str  # ready (preview) / recorded / skipped / error
    tracking_number: str = ""
    status: str = ""
    at: datetime | None = None
    note: str = ""
    order_number: str = ""
    order_action: str = ""  # deliver / fail_delivery / "" (timeline only)
    code: str = ""
    message: str = ""
    shipment_id: int | None = None
    reason: str = field(default="", repr=False)


def import_statuses(
    *, shop: Shop, by: Actor, content: bytes, filename: str = "", dry_run: bool = False
) -> dict:
    require(by, "manage_orders")
    table = read_table(content, filename=filename)
    columns = table.columns(COLUMNS)
    missing = [c for c in ("tracking", "status", "time") if c not in columns]
    if missing:
        raise FileRejected(
            _("ไม่พบคอลัมน์ %(c)s (แถว 1)") % {"c": ", ".join(missing)},
            fields={f"row[1].{c}": "missing_column" for c in missing},
            row=1,
            columns=table.headers,
        )
    registry = carriers_for(shop)
    raw = [(n, {f: cell(cells, i) for f, i in columns.items()}) for n, cells in table.rows]
    shipments = _shipments(shop, raw)
    rows = []
    seen: dict[tuple, int] = {}
    for number, values in raw:
        row = StatusRow(row=number, result="ready")
        rows.append(row)
        problem = _plan(row, values, registry, shipments)
        if problem:
            row.result, row.code, row.message = "error", *problem
            continue
        if row.result == "skipped":
            continue
        key = (row.shipment_id, row.status, row.at)
        if key in seen:
            row.result, row.code = "skipped", "repeated_row"
            row.message = _("ซ้ำกับแถว %(r)s") % {"r": seen[key]}
            row.order_action = ""
            continue
        seen[key] = number
        if not dry_run:
            _apply(shop, by, row)
    counts = dict.fromkeys(("ready", "recorded", "skipped", "error"), 0)
    for row in rows:
        counts[row.result] += 1
    return {
        "dry_run": dry_run,
        "rows": [{k: v for k, v in asdict(r).items() if k != "reason"} for r in rows],
        "counts": counts,
    }


def _plan(row: StatusRow, values: dict, registry, shipments) -> tuple[str, str] | None:
    row.tracking_number = normalise_tracking(cell_text(values.get("tracking")))
    if not row.tracking_number:
        return "missing_tracking", _("ไม่มีเลขพัสดุ")
    status = parse_status(cell_text(values.get("status")))
    if status is None:
        return "unknown_status", _("ไม่รู้จักสถานะ '%(s)s'") % {"s": cell_text(values.get("status"))}
    row.status = status
    try:
        row.at = cell_datetime(values.get("time"), row=row.row, column="time")
    except FileRejected as exc:
        return exc.code, exc.message
    if row.at is None:
        return "missing_time", _("ไม่มีวันเวลา")
    row.note = cell_text(values.get("note"))[:500]
    candidates = shipments.get(row.tracking_number, [])
    carrier_text = cell_text(values.get("carrier"))
    if carrier_text:
        carrier = resolve_carrier(registry, carrier_text)
        if carrier is None:
            return "unknown_carrier", _("ไม่รู้จักขนส่ง '%(c)s'") % {"c": carrier_text}
        candidates = [s for s in candidates if s.carrier == carrier.code]
    if not candidates:
        return "unknown_tracking", _("ไม่พบพัสดุเลข %(t)s") % {"t": row.tracking_number}
    if len(candidates) > 1:
        return "ambiguous_tracking", _("เลขพัสดุนี้มีหลายขนส่ง: ใส่คอลัมน์ carrier")
    shipment = candidates[0]
    row.shipment_id, row.order_number = shipment.pk, shipment.order.number
    if (status, row.at) in shipment.recorded:
        row.result, row.code, row.message = "skipped", "already_recorded", _("บันทึกแล้ว")
        return None
    row.reason = parse_reason(cell_text(values.get("reason")), row.note)
    return _order_step(row, shipment.order)


def _order_step(row: StatusRow, order: Order) -> tuple[str, str] | None:
    """What the parcel's status means for its order, given the order's status now."""
    row.order_action = ""
    if row.status == ShipmentStatus.DELIVERED:
        if order.status in (Status.RETURNING, Status.RETURNED):
            return "wrong_status", _("ออเดอร์อยู่ในสถานะ '%(s)s': ส่งถึงไม่ได้") % {
                "s": order.get_status_display()
            }
        if order.status == Status.SHIPPED:
            row.order_action = "deliver"
    elif row.status == ShipmentStatus.RETURNING and order.status == Status.SHIPPED:
        row.order_action = "fail_delivery"
    return None


def _apply(shop: Shop, by: Actor, row: StatusRow) -> None:
    shipment = Shipment.objects.for_shop(shop).select_related("order").get(pk=row.shipment_id)
    # An earlier row of this file may have moved the order on since the check.
    problem = _order_step(row, shipment.order)
    if problem:
        row.result, row.code, row.message = "error", *problem
        return
    try:
        with transaction.atomic():
            add_event(
                shipment, status=row.status, at=row.at, note=row.note, source=EventSource.IMPORT
            )
            if row.order_action:
                data = (
                    {"delivered_at": row.at, "note": row.note}
                    if row.order_action == "deliver"
                    else {"reason": row.reason, "note": row.note}
                )
                transition(order=shipment.order, action=row.order_action, by=by, **data)
    except IntegrityError:  # the same event arrived from a concurrent import
        row.result, row.code, row.message = "skipped", "already_recorded", _("บันทึกแล้ว")
        row.order_action = ""
    except TaladError as exc:  # nothing of this row was kept
        row.result, row.code, row.message = "error", exc.code, exc.message
        row.order_action = ""
    else:
        row.result = "recorded"


def parse_status(text: str) -> str | None:
    key = _words(text)
    if not key:
        return None
    for status in ShipmentStatus:
        if key in {_words(status.value), _words(str(status.label))}:
            return status.value
    for status, words in STATUS_WORDS.items():
        if key in {_words(w) for w in words}:
            return status.value
    return None


def parse_reason(reason: str, note: str) -> str:
    """The fail_delivery reason: the reason column if it names one, else a word in the note."""
    key = _words(reason)
    if key in {_words(r) for r in FAILED_DELIVERY_REASONS}:
        return key
    text = f"{reason} {note}".casefold()
    for code, words in REASON_WORDS.items():
        if any(w.casefold() in text for w in words):
            return code
    return "other"


def _words(text) -> str:
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().casefold())


def _shipments(shop: Shop, raw: list) -> dict[str, list[Shipment]]:
    numbers = {normalise_tracking(cell_text(v.get("tracking"))) for _n, v in raw} - {""}
    found: dict[str, list[Shipment]] = {}
    for chunk in chunked(numbers):
        for shipment in (
            Shipment.objects.for_shop(shop)
            .filter(tracking_number__in=chunk, active=True)
            .select_related("order")
        ):
            shipment.recorded = set()
            found.setdefault(shipment.tracking_number, []).append(shipment)
    ids = {s.pk: s for group in found.values() for s in group}
    for chunk in chunked(ids):
        events = ShipmentEvent.objects.for_shop(shop).filter(shipment_id__in=chunk)
        for shipment_id, status, at in events.values_list("shipment_id", "status", "at"):
            ids[shipment_id].recorded.add((status, at))
    return found
