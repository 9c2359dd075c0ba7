"""Reading a marketplace export into a ParsedFile: `read_orders("shopee", upload, filename=...)`.

One Layout per format (shopee.py, lazada.py, tiktok.py, talad_csv.py) says which headers
name which field and where each status leads; orders.py reads the rows by it. The file goes
through talad.tabular first, so an upload here has the same limits as every other: 5 MB,
20,000 rows, an xlsx checked as a zip and streamed read-only (docs/design/marketplaces.md).

A file that is not an export of the format (no order id column, too large, not a table)
raises FileRejected / FileTooLarge; a bad row is an ImportProblem in the result instead.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from talad.channels.imports.readers import lazada, shopee, talad_csv, tiktok
from talad.channels.imports.readers.layout import Columns, Layout
from talad.channels.imports.readers.orders import read_rows
from talad.channels.imports.rows import ParsedFile
from talad.tabular import MAX_BYTES, FileRejected, read_table, read_upload

LAYOUTS: dict[str, Layout] = {
    layout.format: layout
    for layout in (shopee.LAYOUT, lazada.LAYOUT, tiktok.LAYOUT, talad_csv.LAYOUT)
}
FORMATS = tuple(LAYOUTS)  # shopee, lazada, tiktok, csv


def read_orders(
    format: str,
    file,
    *,
    filename: str,
    aliases: Mapping[str, object] | None = None,
    statuses: Mapping[str, str] | None = None,
) -> ParsedFile:
    """The orders in `file` (bytes, an uploaded file, or any binary file object).

    `aliases` adds a shop's own header names per field, e.g. `{"order_id": ["เลขออเดอร์"]}`;
    `statuses` adds or changes status texts, e.g. `{"รอยืนยัน": "pending"}` (targets are
    rows.TARGETS). Both are tried before the format's defaults; an unknown field or target
    is a ValueError (a shop setting is wrong, not the file)."""
    layout = LAYOUTS.get(format)
    if layout is None:
        raise FileRejected(
            _("ไม่รู้จักรูปแบบไฟล์ '%(f)s': เลือกได้ %(all)s") % {"f": format, "all": ", ".join(FORMATS)},
            fields={"format": "unknown_format"},
        )
    layout = layout.extended(aliases, statuses)
    table = read_table(_content(file), filename=filename)
    columns = Columns.find(table, layout, filename=filename)
    return read_rows(table, layout, columns)


def _content(file) -> bytes:
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file)
    if hasattr(file, "size") and hasattr(file, "seek"):  # Django's UploadedFile
        return read_upload(file)
    return file.read(MAX_BYTES + 1)  # read_table refuses what is over
