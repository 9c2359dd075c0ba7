"""Dates as Thai documents print them: Thai month names and the Buddhist Era year.

Talad stores Gregorian dates (PEAK, FlowAccount and e-Tax XML want them,
docs/design/money.md#thai-tax-document-legal-fields);
these helpers are for what a person reads: "26 พฤศจิกายน 2569" on a tax invoice,
"26 พ.ย. 2569" where space is short (labels, table columns). Aware datetimes are shown in
Thailand's time, because a document's date is the seller's local day.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def be_year(d: date) -> int:
    """The Buddhist Era year (พ.ศ.) of a Gregorian date: 2026 → 2569."""
    return _local_date(d).year + BE_OFFSET


def be_date(d: date, *, short: bool = False) -> str:
    """The long form "26 พฤศจิกายน 2569", or with `short` "26 พ.ย. 2569"."""
    d = _local_date(d)
    month = (THAI_MONTHS_SHORT if short else THAI_MONTHS)[d.month - 1]
    return f"{d.day} {month} {d.year + BE_OFFSET}"


def be_datetime(moment: datetime, *, short: bool = True) -> str:
    """Date and local time, "26 พ.ย. 2569 14:05 น." (Thai clock time ends in "น.")."""
    local = moment.astimezone(BANGKOK) if moment.tzinfo else moment
    return f"{be_date(local.date(), short=short)} {local:%H:%M} น."


def _local_date(d: date) -> date:
    if isinstance(d, datetime):
        return (d.astimezone(BANGKOK) if d.tzinfo else d).date()
    return d
