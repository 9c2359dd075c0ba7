"""One cell of a marketplace export, read as what it means: text, an id, baht, a quantity, a
moment in Bangkok. A cell that cannot be read raises `BadCell`; the reader turns it into an
ImportProblem naming the row and the column, and drops that order whole.

Exports are messy in known ways (docs/design/marketplaces.md#reading-the-files): TikTok ends
values with a tab, CSVs may carry a BOM, Excel turns long ids into numbers. Nothing here is
guessed: an id that Excel already rounded is refused, not repaired.
"""

import re
from datetime import date, datetime, time
from decimal import ROUND_CEILING, Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from talad.money import CENT
from talad.tabular import FileRejected, cell_amount

BANGKOK = ZoneInfo("Asia/Bangkok")  # marketplace exports write Thai wall-clock time
MAX_QUANTITY = 100_000
_EXACT_FLOAT = 10**15  # below this a float holds every digit of an integer id


class BadCell(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def text(value) -> str:
    """A cell as text: BOM, trailing tabs and spaces gone; whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    cleaned = str(value).replace("\ufeff", "").strip()
    excel_text = re.fullmatch(r'="(.*)"', cleaned)  # ="0812345678": how CSVs keep zeros
    return excel_text.group(1).strip() if excel_text else cleaned


def identifier(value) -> str:
    """An order, item or tracking id as text. Excel may have stored it as a number: a whole
    number is fine (openpyxl gives ints exactly), a rounded float is not."""
    if isinstance(value, float) and (not value.is_integer() or abs(value) >= _EXACT_FLOAT):
        raise BadCell(
            "id_as_number",
            _("รหัสถูกบันทึกเป็นตัวเลขจนตัวเลขบางหลักหายไป: ส่งออกไฟล์ใหม่โดยให้คอลัมน์นี้เป็นข้อความ"),
        )
    return text(value)


def phone(value) -> str:
    """A phone as text; a number cell that lost its leading zero (812345678) gets it back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = identifier(value)
        return "0" + digits if len(digits) in (8, 9) else digits
    return text(value)


def money(value, *, row: int, column: str, signed: bool = False) -> Decimal:
    """Baht as Decimal: `1,070.00`, `฿1070`, xlsx numbers. A blank is zero. `signed`: a
    discount column written negative (Lazada's `-10.00`) is read as its size."""
    if signed:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = abs(value)
        elif isinstance(value, str):
            value = text(value).removeprefix("-")
    elif isinstance(value, str):
        value = text(value)
    try:
        return cell_amount(value, row=row, column=column, blank=Decimal("0.00"))
    except FileRejected as exc:
        code = next(iter(exc.fields.values()), "invalid_money")
        raise BadCell(code, _("จำนวนเงินไม่ถูกต้อง: '%(v)s'") % {"v": text(value)[:40]}) from None


def quantity(value) -> int:
    """A whole number of pieces, at least one."""
    raw = text(value).replace(",", "")
    if isinstance(value, float) and not value.is_integer():
        raw = "x"
    if not re.fullmatch(r"\d+", raw) or not 0 < int(raw) <= MAX_QUANTITY:
        raise BadCell("invalid_quantity", _("จำนวนชิ้นไม่ถูกต้อง: '%(v)s'") % {"v": raw[:40]})
    return int(raw)


def unit_price_of(line_total: Decimal, pieces: int) -> tuple[Decimal, Decimal]:
    """A line's total as (price per piece, line discount): the price rounds up to the satang
    and the discount takes the difference, so price x pieces - discount is the total exactly."""
    unit = (line_total / pieces).quantize(CENT, rounding=ROUND_CEILING)
    return unit, unit * pieces - line_total


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "ม.ค."),
            ("feb", "ก.พ."),
            ("mar", "มี.ค."),
            ("apr", "เม.ย."),
            ("may", "พ.ค."),
            ("jun", "มิ.ย."),
            ("jul", "ก.ค."),
            ("aug", "ส.ค."),
            ("sep", "ก.ย."),
            ("oct", "ต.ค."),
            ("nov", "พ.ย."),
            ("dec", "ธ.ค."),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp][Mm])?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)  # Shopee 2024-07-04 11:46
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME)  # TikTok, both orders
_NAMED = re.compile(r"(\d{1,2})[ -]([^\W\d_]{3,9}\.?(?:[^\W\d_]+\.)?)[ -](\d{4})" + _TIME)  # Lazada


def moment(value) -> datetime | None:
    """A moment in Bangkok time from the formats the exports use:

    - Shopee `2024-07-04 11:46`; Lazada `04 Jul 2022 11:46`;
    - TikTok `04/07/2024 11:46:05` (day first) or `07/04/2024 11:46:05 AM` (with AM/PM the
      month comes first, as TikTok's US-style export writes it);
    - a date cell from xlsx. Buddhist Era years (2567) are read as 2024."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time())
    else:
        raw = text(value)
        if not raw:
            return None
        found = _parse(raw)
        if found is None:
            raise BadCell("invalid_datetime", _("วันเวลาไม่ถูกต้อง: '%(v)s'") % {"v": raw[:40]})
    if found.year > 2400:
        found = found.replace(year=found.year - 543)
    if not 2000 <= found.year <= 2100:
        raise BadCell("invalid_datetime", _("ปีไม่ถูกต้อง: %(y)s") % {"y": found.year})
    if found.tzinfo is None:
        return found.replace(tzinfo=BANGKOK)
    return found.astimezone(BANGKOK)


def _parse(raw: str) -> datetime | None:
    if match := _ISO.fullmatch(raw):
        year, month, day, *clock = match.groups()
    elif match := _SLASHED.fullmatch(raw):
        first, second, year, *clock = match.groups()
        day, month = (second, first) if clock[3] else (first, second)
    elif match := _NAMED.fullmatch(raw):
        day, month_name, year, *clock = match.groups()
        month = _MONTHS.get(month_name.casefold()[:3]) or _MONTHS.get(month_name)
        if month is None:
            return None
    else:
        return None
    hour, minute, second, half = clock
    hour = int(hour or 0)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.casefold() == "pm" else 0)
    try:
        return datetime(int(year), int(month), int(day), hour, int(minute or 0), int(second or 0))
    except ValueError:
        return None
