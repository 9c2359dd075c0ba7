"""Bulk tracking numbers from a file (order number or external id, carrier, tracking).

`preview` checks every row and changes nothing; `apply` ships each ready row through
orders.services.transition() in its own transaction. A row whose order already left with
this very parcel is `skipped`, so importing the same file twice changes nothing the second time.
"""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.orders.actions import CAPABILITY, normalise_tracking
from talad.orders.models import Order, Status
from talad.orders.services import transition
from talad.shipping.models import Shipment
from talad.shipping.registry import carriers_for, resolve_carrier
from talad.shipping.services import MAX_TRACKING
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.tabular import FileRejected, Table, cell, cell_text, chunked, read_table

COLUMNS = {
    "order_number": ("order", "order_no", "number", "เลขที่ออเดอร์", "เลขออเดอร์", "ออเดอร์"),
    "external_id": ("external", "marketplace_order_id", "order_id", "เลขออเดอร์จากช่องทาง"),
    "channel": ("ช่องทาง", "ช่องทางการขาย"),
    "carrier": ("courier", "shipping_provider", "ขนส่ง", "บริษัทขนส่ง"),
    "tracking": ("tracking_number", "tracking_no", "awb", "เลขพัสดุ", "เลขแทรคกิ้ง"),
}
SHIPPABLE = (Status.TO_PACK, Status.TO_SHIP)


@dataclass
class RowReport:
    row: int
    result: str  # ready (preview) / shipped / skipped / error
    order_number: str = ""
    carrier: str = ""
    tracking_number: str = ""
    code: str = ""
    message: str = ""
    order_id: int | None = None


def read_tracking_file(content: bytes, filename: str = "") -> tuple[Table, dict[str, int]]:
    table = read_table(content, filename=filename)
    columns = table.columns(COLUMNS)
    missing = [c for c in ("carrier", "tracking") if c not in columns]
    if "order_number" not in columns and "external_id" not in columns:
        missing.insert(0, "order_number")
    if missing:
        raise FileRejected(
            _("ไม่พบคอลัมน์ %(c)s (แถว 1)") % {"c": ", ".join(missing)},
            fields={f"row[1].{c}": "missing_column" for c in missing},
            row=1,
            columns=table.headers,
        )
    return table, columns


def import_tracking(
    *, shop: Shop, by: Actor, content: bytes, filename: str = "", dry_run: bool = False
) -> dict:
    """Check every row; unless `dry_run`, ship each ready row. Returns the per-row report."""
    require(by, CAPABILITY["ship"])
    table, columns = read_tracking_file(content, filename)
    reports = _check_rows(shop, table, columns)
    if not dry_run:
        for report in reports:
            if report.result == "ready":
                _ship_row(shop, by, report)
    return {
        "dry_run": dry_run,
        "rows": [asdict(r) for r in reports],
        "counts": _counts(reports),
    }


def _counts(reports: list[RowReport]) -> dict[str, int]:
    counts = dict.fromkeys(("ready", "shipped", "skipped", "error"), 0)
    for r in reports:
        counts[r.result] += 1
    return counts


def _ship_row(shop: Shop, by: Actor, report: RowReport) -> None:
    order = Order.objects.for_shop(shop).get(pk=report.order_id)
    try:
        transition(
            order=order,
            action="ship",
            by=by,
            carrier=report.carrier,
            tracking_number=report.tracking_number,
        )
    except TaladError as exc:  # e.g. another person shipped it since the check: nothing applied
        report.result, report.code, report.message = "error", exc.code, exc.message
    else:
        report.result = "shipped"


def _check_rows(shop: Shop, table: Table, columns: dict[str, int]) -> list[RowReport]:
    registry = carriers_for(shop)
    parsed = []
    for number, cells in table.rows:
        values = {field: cell_text(cell(cells, index)) for field, index in columns.items()}
        parsed.append((number, values))
    orders = _orders_for(shop, parsed)
    shipments = _active_shipments(shop, parsed)
    reports = []
    seen_orders: dict[int, tuple[int, tuple[str, str]]] = {}
    seen_tracking: dict[tuple[str, str], int] = {}
    for number, values in parsed:
        report = RowReport(row=number, result="ready")
        reports.append(report)
        problem = _check_row(report, values, registry, orders, shipments)
        if problem:
            report.result, report.code, report.message = "error", *problem
            continue
        if report.result == "skipped":
            continue
        key = (report.carrier, report.tracking_number)
        if report.order_id in seen_orders:
            first, first_key = seen_orders[report.order_id]
            if first_key == key:
                report.result, report.code = "skipped", "repeated_row"
                report.message = _("ซ้ำกับแถว %(r)s") % {"r": first}
            else:
                report.result, report.code = "error", "duplicate_order_in_file"
                report.message = _("ออเดอร์นี้อยู่ในแถว %(r)s แล้ว") % {"r": first}
        elif key in seen_tracking:
            report.result, report.code = "error", "duplicate_tracking_in_file"
            report.message = _("เลขพัสดุนี้อยู่ในแถว %(r)s แล้ว") % {"r": seen_tracking[key]}
        else:
            seen_orders[report.order_id] = (number, key)
            seen_tracking[key] = number
    return reports


def _check_row(report, values, registry, orders, shipments) -> tuple[str, str] | None:
    order_ref = values.get("order_number") or values.get("external_id")
    if not order_ref:
        return "missing_order", _("ไม่มีเลขที่ออเดอร์หรือเลขออเดอร์จากช่องทาง")
    found = _find_order(values, orders)
    if isinstance(found, tuple):
        return found
    order = found
    report.order_id, report.order_number = order.pk, order.number
    carrier = resolve_carrier(registry, values.get("carrier"))
    if carrier is None or not carrier.active:
        return "unknown_carrier", _("ไม่รู้จักขนส่ง '%(c)s'") % {"c": values.get("carrier", "")}
    report.carrier = carrier.code
    tracking = normalise_tracking(values.get("tracking", ""))
    report.tracking_number = tracking
    if not tracking:
        return "missing_tracking", _("ไม่มีเลขพัสดุ")
    if len(tracking) > MAX_TRACKING:
        return "invalid_tracking", _("เลขพัสดุยาวเกิน %(n)s ตัว") % {"n": MAX_TRACKING}
    taken = shipments.get((carrier.code, tracking))
    if order.status not in SHIPPABLE:
        if taken is not None and taken.order_id == order.pk:
            report.result, report.code = "skipped", "already_shipped"
            report.message = _("ส่งแล้วด้วยเลขพัสดุนี้")
            return None
        if order.tracking_number:
            return "wrong_status", _("ออเดอร์ส่งไปแล้วด้วย %(c)s %(t)s") % {
                "c": order.carrier,
                "t": order.tracking_number,
            }
        return "wrong_status", _("ออเดอร์อยู่ในสถานะ '%(s)s': จัดส่งไม่ได้") % {
            "s": order.get_status_display()
        }
    if taken is not None:
        return "duplicate_tracking", _("เลขพัสดุ %(t)s ถูกใช้แล้วกับออเดอร์ %(o)s") % {
            "t": tracking,
            "o": taken.order.number,
        }
    return None


def _find_order(values: dict, orders: dict):
    number = values.get("order_number", "")
    if number:
        order = orders["number"].get(number.upper())
        if order is not None:
            return order
    # A marketplace's own order number is often what the order column holds, as the
    # platform's export wrote it ("261204DLZWMHUV"): it is looked up as the external id too.
    external_id = number or values.get("external_id", "")
    channel = values.get("channel", "").strip().lower()
    matches = [
        o for o in orders["external"].get(external_id, []) if not channel or o.channel == channel
    ]
    if not matches and number:
        return "unknown_order", _("ไม่พบออเดอร์ %(n)s") % {"n": number}
    if not matches:
        return "unknown_order", _("ไม่พบออเดอร์จากช่องทาง %(n)s") % {"n": external_id}
    if len(matches) > 1:
        return "ambiguous_order", _("เลข %(n)s ตรงกับหลายออเดอร์: ใส่คอลัมน์ channel") % {
            "n": external_id
        }
    return matches[0]


def _orders_for(shop: Shop, parsed: list) -> dict:
    numbers = {v.get("order_number", "").upper() for _n, v in parsed} - {""}
    externals = {v.get("order_number") or v.get("external_id", "") for _n, v in parsed} - {""}
    by_number, by_external = {}, {}
    orders = Order.objects.for_shop(shop)
    for chunk in chunked(numbers):
        for order in orders.filter(number__in=chunk):
            by_number[order.number] = order
    for chunk in chunked(externals):
        for order in orders.filter(external_id__in=chunk).order_by("id"):
            by_external.setdefault(order.external_id, []).append(order)
    return {"number": by_number, "external": by_external}


def _active_shipments(shop: Shop, parsed: list) -> dict[tuple[str, str], Shipment]:
    numbers = {normalise_tracking(v.get("tracking", "")) for _n, v in parsed} - {""}
    found = {}
    for chunk in chunked(numbers):
        for s in (
            Shipment.objects.for_shop(shop)
            .filter(tracking_number__in=chunk, active=True)
            .select_related("order")
        ):
            found[(s.carrier, s.tracking_number)] = s
    return found
