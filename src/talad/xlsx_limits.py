"""What an uploaded xlsx may hold, checked before openpyxl opens it (issue 10).

An xlsx is a zip of XML parts. openpyxl inflates every part it reads, parses some whole into
a tree, and even in read-only mode keeps an emptied element for every row it has passed: a
5 MB upload can inflate to gigabytes (a zip bomb), and a sheet without a `<dimension>` is
read in full as the workbook opens. So the file is first looked at as a zip (declared sizes,
compression ratios, which part plays which role), then each sheet and the shared texts are
streamed through expat, counting rows and elements and keeping nothing. openpyxl only opens
a file that passed, and `tabular` reads its first sheet no further than its last row.

The limits fit a carrier export of 20,000 rows (about 15 MB inflated, half a million cells)
with room to spare, and keep the worst file that passes within a few hundred MB and seconds;
tests/test_tabular_limits.py measures both.
"""

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from django.utils.translation import gettext as _

from talad.tabular import FileRejected, FileTooLarge, too_many_rows

MB = 1024 * 1024
MAX_PARTS = 500  # a carrier export has about ten
MAX_UNCOMPRESSED = 50 * MB  # all parts together, as inflated: 3x a 20,000-row export
MAX_RATIO = 100  # per part: real parts compress 5-30:1, bombs 1000:1 (Apache POI's limit too)
RATIO_GRACE = 100 * 1024  # a part smaller than this may compress as well as it likes
MAX_WHOLE_PARTS = 4 * MB  # together, the parts openpyxl parses whole (styles, workbook...)
MAX_PART_ELEMENTS = 3_000_000  # in one sheet or in the shared texts: a million cells and values
MAX_ROW_ELEMENTS = 50_000  # in one row (Excel's 16,384 columns, each with value and formula)
MAX_OTHER_ELEMENTS = 50_000  # outside the rows: column widths, merged cells, links, rules
MAX_ATTRIBUTES = 10_000  # characters in one element's attributes, outside the rows
MAX_TEXTS = 500_000  # shared texts, each kept in memory while the sheet is read

MANIFEST = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedStrings.xml"
SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
# What openpyxl 3.1 (read-only, keep_links=False) reads whole: parsed into a tree, or kept.
WHOLE = re.compile(
    r"\[Content_Types\]\.xml|xl/workbook\.xml|xl/_rels/workbook\.xml\.rels|xl/styles\.xml"
    r"|xl/theme/theme1\.xml|docProps/(core|custom)\.xml|xl/worksheets/_rels/[^/]+\.rels"
)
_SPREADSHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PINNED = {  # content type → the one part openpyxl may find it in
    f"{_SPREADSHEETML}.sheet.main+xml": WORKBOOK,
    f"{_SPREADSHEETML}.template.main+xml": WORKBOOK,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": WORKBOOK,
    "application/vnd.ms-excel.template.macroEnabled.main+xml": WORKBOOK,
    f"{_SPREADSHEETML}.sharedStrings+xml": SHARED_STRINGS,
}
CHUNK = 64 * 1024


@dataclass
class FirstSheet:
    """The sheet openpyxl will give as `worksheets[0]`, and the number of its last row."""

    name: str
    last_row: int


def check_xlsx(archive: zipfile.ZipFile, *, name: str, max_row: int) -> FirstSheet | None:
    """Refuse an xlsx that is too big once inflated, is not laid out like an xlsx, or has a
    sheet going past `max_row` (a declared dimension is believed first) or too much in it.
    `name` is the file as errors call it. Nothing is inflated more than 64 KiB at a time."""
    _check_sizes(archive, name)
    sheets = _check_roles(archive, name)
    last_rows = {}
    for info in archive.infolist():
        if SHEET.fullmatch(info.filename):
            title = next((s for s, part in sheets if part == info.filename), info.filename)
            scan = _SheetScan(name, title, max_row)
            _scan(archive, info.filename, name, scan)
            last_rows[info.filename] = scan.row
    if SHARED_STRINGS in archive.namelist():
        _scan(archive, SHARED_STRINGS, name, _TextScan(name))
    for title, part in sheets:
        if part in last_rows:
            return FirstSheet(title, last_rows[part])
    return None


def _check_sizes(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise FileTooLarge(
            _("%(file)s: มี %(count)s ส่วนย่อย เกินที่รับได้ %(max)s ส่วน")
            % {"file": name, "count": f"{len(infos):,}", "max": f"{MAX_PARTS:,}"},
            fields={"file": "too_many_parts"},
        )
    for required in (MANIFEST, WORKBOOK):
        if required not in archive.namelist():
            raise FileRejected(
                _("%(file)s: ไม่ใช่ไฟล์ xlsx (ไม่พบ %(part)s)") % {"file": name, "part": required},
                fields={"file": "invalid_xlsx"},
            )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise FileTooLarge(
            _("%(file)s: เมื่อแตกไฟล์ออกมีขนาด %(size)s MB เกินที่รับได้ %(max)s MB")
            % {"file": name, "size": f"{-(-total // MB):,}", "max": MAX_UNCOMPRESSED // MB},
            fields={"file": "too_large_uncompressed"},
        )
    whole = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unreadable(name, info.filename)  # xlsx never uses bzip2 or lzma
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_GRACE and ratio > MAX_RATIO:
            raise FileTooLarge(
                _("%(file)s: ส่วน %(part)s ถูกบีบอัดไว้ %(ratio)s เท่า เกินที่รับได้ %(max)s เท่า")
                % {"file": name, "part": info.filename, "ratio": f"{ratio:,.0f}", "max": MAX_RATIO},
                fields={"file": "compression_ratio"},
                part=info.filename,
            )
        whole += info.file_size if WHOLE.fullmatch(info.filename) else 0
        if whole > MAX_WHOLE_PARTS:
            raise FileTooLarge(
                _("%(file)s: ส่วนที่ต้องอ่านทั้งก้อน (เช่น %(part)s) รวมกันใหญ่เกิน %(max)s MB")
                % {"file": name, "part": info.filename, "max": MAX_WHOLE_PARTS // MB},
                fields={"file": "too_large_uncompressed"},
                part=info.filename,
            )


def _check_roles(archive: zipfile.ZipFile, name: str) -> list[tuple[str, str]]:
    """The workbook, its sheets and its texts are where openpyxl will look for them, so a
    large part is only ever streamed as a sheet or as texts, never parsed whole.
    Returns (sheet name, part) in the workbook's order."""
    overrides = _elements(archive, MANIFEST, name, "Override")
    for override in overrides:
        part = override.get("PartName", "")
        pinned = PINNED.get(override.get("ContentType", ""))
        if pinned and part != f"/{pinned}":
            raise _unexpected(name, part.lstrip("/"))
    targets = {}
    if WORKBOOK_RELS in archive.namelist():
        for rel in _elements(archive, WORKBOOK_RELS, name, "Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")  # resolved as openpyxl's get_dependents does
            target = target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            if "chartsheet" in rel.get("Type", ""):
                raise _unexpected(name, target)  # read whole, with its drawings and images
            targets[rel.get("Id", "")] = target
    sheets = []
    for sheet in _elements(archive, WORKBOOK, name, "sheet"):
        rel_id = next((value for key, value in sheet.items() if key.endswith(" id")), "")
        part = targets.get(rel_id)
        if part is None:
            continue
        if not SHEET.fullmatch(part):  # openpyxl streams any sheet's part as a worksheet
            raise _unexpected(name, part)
        sheets.append((sheet.get("name", ""), part))
    return sheets


class _SheetScan:
    """A sheet's rows and everything else in it, counted as expat streams past.

    openpyxl keeps an emptied element for each row (and each thing outside the rows), and
    holds one row whole while reading it: those are what is limited."""

    def __init__(self, name: str, sheet: str, max_row: int):
        self.name, self.sheet, self.max_row = name, sheet, max_row
        self.depth = self.row = self.elements = self.row_elements = self.other = 0
        self.in_rows = False

    def start(self, tag: str, attrs: dict) -> None:
        self.depth += 1
        self.elements += 1
        if self.elements > MAX_PART_ELEMENTS:
            raise self._too_much(MAX_PART_ELEMENTS)
        if self.in_rows and self.depth > 3:
            self.row_elements += 1
            if self.row_elements > MAX_ROW_ELEMENTS:
                raise self._too_much(MAX_ROW_ELEMENTS)
        elif self.in_rows:
            self._start_row(_local(tag), attrs)
        elif self.depth == 2 and _local(tag) == "sheetData":
            self.in_rows = True
        else:
            self.other += 1
            if self.other > MAX_OTHER_ELEMENTS or sum(map(len, attrs.values())) > MAX_ATTRIBUTES:
                raise self._too_much(MAX_OTHER_ELEMENTS)
            if _local(tag) == "dimension":  # before the rows: refuse without reading them
                declared = re.search(r"(\d+)\s*$", attrs.get("ref", ""))
                if declared and int(declared.group(1)) > self.max_row:
                    raise too_many_rows(self.name, int(declared.group(1)), self.max_row, self.sheet)

    def _start_row(self, tag: str, attrs: dict) -> None:
        if tag != "row":
            raise ValueError(tag)  # openpyxl would keep it, and all inside it
        number = _row_number(attrs["r"]) if "r" in attrs else self.row + 1
        if number <= self.row:
            raise ValueError(number)  # rows go down the sheet: openpyxl skips the rest
        self.row, self.row_elements = number, 0
        if number > self.max_row:
            raise too_many_rows(self.name, number, self.max_row, self.sheet)

    def end(self, tag: str) -> None:
        if self.depth == 2:
            self.in_rows = False
        self.depth -= 1

    def _too_much(self, limit: int) -> FileTooLarge:
        return FileTooLarge(
            _("%(file)s ชีต '%(sheet)s': มีข้อมูลเกิน %(max)s รายการ (ถึงแถว %(row)s)")
            % {"file": self.name, "sheet": self.sheet, "max": f"{limit:,}", "row": f"{self.row:,}"},
            fields={"file": "too_many_cells"},
            row=self.row,
        )


class _TextScan:
    """The shared texts (`<si>`), each kept by openpyxl, and what else the part holds."""

    def __init__(self, name: str):
        self.name = name
        self.depth = self.texts = self.elements = self.text_elements = self.other = 0
        self.in_text = False

    def start(self, tag: str, attrs: dict) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth == 2:
            self.in_text = _local(tag) == "si"
            self.texts += self.in_text
            self.text_elements = 0
        if self.in_text:
            self.text_elements += 1
        elif self.depth > 1:
            self.other += 1  # openpyxl keeps anything that is not a text, whole
        if self.texts > MAX_TEXTS or self.elements > MAX_PART_ELEMENTS:
            raise FileTooLarge(
                _("%(file)s: มีข้อความไม่ซ้ำกันเกิน %(max)s รายการ")
                % {"file": self.name, "max": f"{MAX_TEXTS:,}"},
                fields={"file": "too_many_texts"},
            )
        if self.text_elements > MAX_ROW_ELEMENTS or self.other > MAX_OTHER_ELEMENTS:
            raise ValueError(self.texts)

    def end(self, tag: str) -> None:
        self.depth -= 1


class _Collect:
    """The attributes of every element called `tag`, from a small part."""

    def __init__(self, tag: str):
        self.tag, self.found = tag, []

    def start(self, tag: str, attrs: dict) -> None:
        if _local(tag) == self.tag:
            self.found.append(attrs)

    def end(self, tag: str) -> None:
        pass


def _elements(archive: zipfile.ZipFile, part: str, name: str, tag: str) -> list[dict]:
    collect = _Collect(tag)
    _scan(archive, part, name, collect)
    return collect.found


def _scan(archive: zipfile.ZipFile, part: str, name: str, scan) -> None:
    """Stream one part through expat, 64 KiB inflated at a time; `scan` counts and refuses."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end

    def no_dtd(*_args):  # an xlsx part never has one; entities are how XML bombs work
        raise ValueError(part)

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise _unreadable(name, part) from None
    except RuntimeError:  # zipfile: the part is encrypted
        raise _unreadable(name, part) from None


def _local(tag: str) -> str:
    return tag.rpartition(" ")[2]  # expat gives "namespace local-name"


def _row_number(text: str) -> int:
    number = float(text)  # openpyxl reads "3.0" as row 3 too
    if not number.is_integer():
        raise ValueError(text)
    return int(number)


def _unreadable(name: str, part: str) -> FileRejected:
    return FileRejected(
        _("%(file)s: อ่านไฟล์ xlsx ไม่ได้ (ส่วน %(part)s เสียหาย)") % {"file": name, "part": part},
        fields={"file": "invalid_xlsx"},
        part=part,
    )


def _unexpected(name: str, part: str) -> FileRejected:
    return FileRejected(
        _(
            "%(file)s: อ่านส่วน %(part)s ไม่ได้ (ชีตกราฟ หรือโครงสร้าง xlsx ที่ไม่ปกติ): "
            "บันทึกเฉพาะตารางเป็น xlsx หรือ CSV"
        )
        % {"file": name, "part": part},
        fields={"file": "invalid_xlsx"},
        part=part,
    )
