"""Reading the files sellers upload (carrier exports, statements): CSV or xlsx into rows.

CSV may be UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or TIS-620 / cp874
from older Thai systems; the delimiter is sniffed. A file that cannot be read is refused
with a 4xx naming the file, row and column; nothing is guessed silently.

Uploads cannot hurt the server (issue 10): a request body larger than an upload may be is
refused before Django reads it (`UploadLimit`, `refuse_large_body`); an xlsx is checked as a
zip before openpyxl opens it (`xlsx_limits`) and read in read-only mode; both kinds stop at
the row limit and refuse there, without reading the rest.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.money import MONEY_MAX, parse_amount

MAX_BYTES = 5 * 1024 * 1024  # the file as uploaded
MAX_BODY = MAX_BYTES + 64 * 1024  # the request: the file, the form's other fields, boundaries
MAX_ROWS = 20_000  # rows below the header; blank rows count, so a sheet ends by row 20,001
MAX_COLUMNS = 100
MAX_CELL = 1000
MAX_LINE = 128 * 1024  # characters in one CSV line (csv's own field limit is the same)
SNIFF = 8 * 1024  # characters of the first line the delimiter is guessed from


class FileRejected(TaladError):
    code = "invalid_file"


class FileTooLarge(TaladError):
    code = "file_too_large"
    status = 413


def cell_error(row: int, column: str, code: str, message: str) -> FileRejected:
    return FileRejected(
        _("แถว %(row)s คอลัมน์ %(col)s: %(msg)s") % {"row": row, "col": column, "msg": message},
        fields={f"row[{row}].{column}": code},
        row=row,
        column=column,
    )


def file_label(filename: str) -> str:
    """The file as an error names it."""
    return (filename or "").strip()[:100] or _("ไฟล์ที่อัปโหลด")


def too_many_rows(name: str, row: int, max_row: int, sheet: str = "") -> FileTooLarge:
    values = {"file": name, "sheet": sheet, "max": f"{max_row:,}", "row": f"{row:,}"}
    values["n"] = f"{max_row - 1:,}"
    if sheet:
        message = _(
            "%(file)s ชีต '%(sheet)s': ยาวเกิน %(max)s แถว (ถึงแถว %(row)s): "
            "แบ่งเป็นหลายไฟล์ ไฟล์ละไม่เกิน %(n)s แถวข้อมูล"
        )
    else:
        message = _(
            "%(file)s: ยาวเกิน %(max)s แถว (หยุดอ่านที่แถว %(row)s): "
            "แบ่งเป็นหลายไฟล์ ไฟล์ละไม่เกิน %(n)s แถวข้อมูล"
        )
    return FileTooLarge(message % values, fields={"file": "too_many_rows"}, row=row)


@dataclass
class Table:
    headers: list[str]  # as written in the file
    rows: list[tuple[int, list]]  # (row number as a spreadsheet shows it, cells)

    def columns(self, wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
        """Where each wanted field is: the first header matching one of its names."""
        normalised = [header_key(h) for h in self.headers]
        found = {}
        for field, names in wanted.items():
            for name in (field, *names):
                if header_key(name) in normalised:
                    found[field] = normalised.index(header_key(name))
                    break
        return found

    def index_of(self, header: str) -> int | None:
        normalised = [header_key(h) for h in self.headers]
        key = header_key(header)
        return normalised.index(key) if key in normalised else None


def header_key(text) -> str:
    return re.sub(r"[\s\-_./()#:]+", "_", str(text or "").strip().casefold()).strip("_")


# --- Uploads ------------------------------------------------------------------------------


def refuse_large_body(content_length: int) -> None:
    """413 for a request body larger than an upload may be, before a byte of it is read."""
    if content_length > MAX_BODY:
        raise FileTooLarge(
            _("ไฟล์ใหญ่เกิน %(mb)s MB") % {"mb": MAX_BYTES // (1024 * 1024)},
            fields={"file": "too_large"},
        )


def request_body_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadLimit(FileUploadHandler):
    """The first look at a multipart body, before Django spools any of it to disk: too large
    is a 413; a file whose closing boundary never came is a malformed body (400), not a
    missing file."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        refuse_large_body(content_length)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None

    def upload_interrupted(self):
        raise MultiPartParserError("the body ended inside a file: no closing boundary")


def upload_endpoint(run):
    """For an API upload (`@decorate_view(upload_endpoint)`): the body is limited before
    ninja parses it. Last in line, so Django's own handlers clean up an interrupted file."""

    @wraps(run)
    def limited(request, *args, **kwargs):
        request.upload_handlers.append(UploadLimit())
        return run(request, *args, **kwargs)

    return limited


def read_upload(upload) -> bytes:
    """An uploaded file's content, refused before reading when it is larger than allowed."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise FileTooLarge(
            _("%(file)s: ไฟล์ใหญ่เกิน %(mb)s MB")
            % {"file": file_label(upload.name), "mb": MAX_BYTES // (1024 * 1024)},
            fields={"file": "too_large"},
        )
    upload.seek(0)  # ninja's validation may have read it already
    content = upload.read(MAX_BYTES + 1)
    if not content:
        raise FileRejected(_("ไฟล์ว่าง"), fields={"file": "empty"})
    return content


# --- Tables ------------------------------------------------------------------------------


def read_table(content: bytes, *, filename: str = "") -> Table:
    """The first sheet (xlsx) or the whole file (CSV): a header row, then data rows.

    Rows are read one at a time and refused at the first past the limit."""
    name = file_label(filename)
    if len(content) > MAX_BYTES:
        raise FileTooLarge(
            _("%(file)s: ไฟล์ใหญ่เกิน %(mb)s MB") % {"file": name, "mb": MAX_BYTES // (1024 * 1024)},
            fields={"file": "too_large"},
        )
    if not content.strip():
        raise FileRejected(_("ไฟล์ว่าง"), fields={"file": "empty"})
    if content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content, name)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            _("ไฟล์ .xls แบบเก่าอ่านไม่ได้: บันทึกเป็น .xlsx หรือ CSV"), fields={"file": "old_xls"}
        )
    else:
        rows = _csv_rows(_decode(content), name)
    try:
        return _table(rows, name)
    except (FileRejected, FileTooLarge) as exc:
        if filename:
            exc.extra.setdefault("file", filename)
        raise


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRejected(_("อ่านไฟล์ UTF-16 ไม่ได้"), fields={"file": "encoding"}) from None
    for encoding in ("utf-8-sig", "cp874"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected(
        _("อ่านไฟล์ไม่ได้: ต้องเป็น CSV (UTF-8 หรือ TIS-620) หรือ xlsx"), fields={"file": "encoding"}
    )


class _BadLine(Exception):
    """A line the CSV reader must not see; `tabular` names its row."""


def _csv_lines(text: str):
    for line in io.StringIO(text, newline=""):
        if "\x00" in line:
            raise _BadLine("binary")
        if len(line) > MAX_LINE:
            raise _BadLine("line_too_long")
        yield line


def _csv_rows(text: str, name: str):
    first_line = text[:SNIFF].partition("\n")[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(_csv_lines(text), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except _BadLine as exc:
        row, values = number + 1, {"file": name, "row": number + 1, "max": f"{MAX_LINE:,}"}
        if str(exc) == "binary":
            message = _("%(file)s แถว %(row)s: มีอักขระ NUL จึงไม่ใช่ไฟล์ CSV")
            fields = {"file": "binary"}
        else:
            message = _("%(file)s แถว %(row)s: ยาวเกิน %(max)s ตัวอักษร")
            fields = {f"row[{row}]": "line_too_long"}
        raise FileRejected(message % values, fields=fields, row=row) from None
    except csv.Error as exc:
        raise FileRejected(
            _("แถว %(row)s: อ่าน CSV ไม่ได้ (%(err)s)") % {"row": number + 1, "err": exc},
            fields={f"row[{number + 1}]": "invalid_csv"},
            row=number + 1,
        ) from None


def _xlsx_rows(content: bytes, name: str):
    """The first sheet's rows, refused before openpyxl opens a file that is too big inside
    (`xlsx_limits`), then streamed in read-only mode up to the sheet's last row."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from talad.xlsx_limits import check_xlsx

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            first = check_xlsx(archive, name=name, max_row=MAX_ROWS + 1)
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, InvalidFileException, LookupError, ValueError, OSError):
        raise _unreadable_xlsx(name) from None
    except RuntimeError:  # zipfile: encrypted
        raise _unreadable_xlsx(name) from None
    try:
        if not book.worksheets:
            return
        sheet = book.worksheets[0]
        # Stop at the last row: past it openpyxl would go on to parse what follows the rows.
        last = first.last_row if first and sheet.title == first.name else MAX_ROWS + 1
        if last < 1:
            return
        rows = sheet.iter_rows(max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True)
        for number, cells in enumerate(rows, start=1):
            cells = list(cells)
            while cells and cells[-1] is None:  # openpyxl pads every row to max_col
                cells.pop()
            yield number, cells
            if number >= last:
                break
    except (zipfile.BadZipFile, LookupError, ValueError, TypeError, ArithmeticError, OSError):
        raise _unreadable_xlsx(name) from None
    finally:
        book.close()


def _unreadable_xlsx(name: str) -> FileRejected:
    return FileRejected(
        _("%(file)s: อ่านไฟล์ xlsx ไม่ได้") % {"file": name}, fields={"file": "invalid_xlsx"}
    )


def _table(rows, name: str) -> Table:
    headers = None
    data = []
    for number, cells in rows:
        if number > MAX_ROWS + 1:  # blank rows count: they cost as much to read
            raise too_many_rows(name, number, MAX_ROWS + 1)
        cells = list(cells[:MAX_COLUMNS])
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and ("\x00" in cell or len(cell) > MAX_CELL):
                column = str(headers[index]) if headers and index < len(headers) else str(index + 1)
                raise cell_error(number, column, "invalid_text", _("ข้อความยาวเกินหรือมีอักขระต้องห้าม"))
        if all(_blank(c) for c in cells):
            continue
        if headers is None:
            headers = [str(c).strip() if c is not None else "" for c in cells]
            continue
        data.append((number, cells))
    if headers is None:
        raise FileRejected(_("ไฟล์ไม่มีหัวคอลัมน์"), fields={"file": "no_header"})
    return Table(headers=headers, rows=data)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def chunked(values, size: int = 500):
    """Sorted slices of `values`, for `__in` lookups that stay under SQLite's variable limit."""
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- Cells --------------------------------------------------------------------------------


def cell(cells: list, index: int | None):
    return cells[index] if index is not None and index < len(cells) else None


def cell_text(value) -> str:
    """A cell as text: numbers as they look (a 12-digit tracking number stays whole)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def cell_amount(value, *, row: int, column: str, blank=None) -> Decimal | None:
    """Baht with at most two decimals; `1,070.00`, `฿1070` and xlsx numbers are accepted."""
    if _blank(value):
        return blank
    if isinstance(value, bool):
        raise cell_error(row, column, "invalid_money", _("จำนวนเงินไม่ถูกต้อง"))
    if isinstance(value, float):
        value = repr(round(value, 6))
    text = re.sub(r"[,\s฿]|บาท|THB", "", str(value))
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise cell_error(row, column, "invalid_money", _("จำนวนเงินไม่ถูกต้อง")) from None
    if negative or not amount.is_finite() or abs(amount) > MONEY_MAX or amount < 0:
        raise cell_error(row, column, "invalid_money", _("จำนวนเงินไม่ถูกต้อง"))
    try:
        return parse_amount(amount, column)
    except TaladError as exc:
        raise cell_error(row, column, next(iter(exc.fields.values())), exc.message) from None


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M")


def cell_datetime(value, *, row: int, column: str) -> datetime | None:
    """A moment in the shop's zone; Buddhist Era years (2569) are read as 2026."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        moment = _parse_datetime_text(str(value).strip())
        if moment is None:
            raise cell_error(row, column, "invalid_datetime", _("วันเวลาไม่ถูกต้อง"))
    if moment.year > 2400:
        try:
            moment = moment.replace(year=moment.year - 543)
        except ValueError:
            raise cell_error(row, column, "invalid_datetime", _("วันเวลาไม่ถูกต้อง")) from None
    if not 2000 <= moment.year <= 2100:
        raise cell_error(row, column, "invalid_datetime", _("ปีไม่ถูกต้อง"))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def cell_date(value, *, row: int, column: str) -> date | None:
    moment = cell_datetime(value, row=row, column=column)
    return timezone.localtime(moment).date() if moment else None


def _parse_datetime_text(text: str) -> datetime | None:
    # A Buddhist Era year first, so that 29/02/2567 (2024, a leap year) parses.
    text = re.sub(r"\b(2[4-9]\d\d)\b", lambda m: str(int(m.group(1)) - 543), text)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    parts = text.split()
    if not 1 <= len(parts) <= 2:
        return None
    for date_format in _DATE_FORMATS:
        formats = (
            [f"{date_format} {t}" for t in _TIME_FORMATS] if len(parts) == 2 else [date_format]
        )
        for fmt in formats:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
    return None
