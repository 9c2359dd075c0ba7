"""Uploads that cannot hurt the server (issue 10): a zip bomb, a 30,000-row file and a body
too large are refused with a clear 4xx before they are read, malformed multipart bodies are
a 400 in the API's error shape, and memory stays bounded — measured in a subprocess, where
the peak is the parser's own and not pytest's."""

import http.client
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from talad import tabular, xlsx_limits
from talad.payments.models import CodStatement
from talad.tabular import FileRejected, FileTooLarge, read_table
from tests.concurrency import talad_server
from tests.conftest import make_variant
from tests.shipping.helpers import cod_ready_to_ship, csv_file

ENDPOINTS = [
    "/api/v1/cod/statements",
    "/api/v1/shipments/tracking-import",
    "/api/v1/shipments/status-import",
]
PEAK_MB = 300  # what one worker may reach reading the worst file; Django alone is ~80 MB
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# --- Building xlsx files part by part, streaming (the test itself stays small) -----------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="{workbook}"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
WORKBOOK_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
REL = (
    '<Relationship Id="{id}" Target="{target}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}"/>'
)


def workbook_rels(*extra: str, sheet_kind="worksheet", sheet_target="worksheets/sheet1.xml"):
    rels = [REL.format(id="rId1", target=sheet_target, kind=sheet_kind), *extra]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(rels)}</Relationships>"
    )


def write_xlsx(
    path, sheet_chunks, *, parts=None, content_types_extra="", rels=None, workbook=WORKBOOK
):
    """A minimal xlsx whose first sheet is written from `sheet_chunks` (bytes) as they come;
    `parts` adds (or, when None, leaves out) others. `path` may be a BytesIO."""
    standard = {
        "[Content_Types].xml": CONTENT_TYPES.format(
            workbook=WORKBOOK_MAIN, extra=content_types_extra
        ),
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": rels or workbook_rels(),
    }
    parts = {**standard, **(parts or {})}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            for chunk in sheet_chunks:
                out.write(chunk)
        for name, data in parts.items():
            if data is not None:
                archive.writestr(name, data)
    return path


def small_xlsx(rows=None, **kw) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, sheet(rows if rows is not None else tracking_rows(2)), **kw)
    return out.getvalue()


def sheet(rows, *, dimension: str | None = None, before: bytes = b"", after: bytes = b""):
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'.encode()
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield before + b"<sheetData>"
    batch, size = [], 0
    for row in rows:
        batch.append(row)
        size += len(row)
        if size > 1024 * 1024:
            yield b"".join(batch)
            batch, size = [], 0
    yield b"".join(batch)
    yield b"</sheetData>" + after + b"</worksheet>"


def text_row(number: int, *texts: str) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{t}</t></is></c>'
        for i, t in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def tracking_rows(count: int):
    """A header and `count` rows as a carrier's tracking export has them."""
    yield text_row(1, "order_number", "carrier", "tracking")
    for n in range(2, count + 2):
        yield text_row(n, f"SO-{n:06d}", "flash", f"TH{n:010d}")


@pytest.fixture(scope="session")
def files(tmp_path_factory):
    """The files the fuzzer sent, built once: a real zip bomb and a 30,000-row export."""
    folder = tmp_path_factory.mktemp("uploads")
    built = {}

    def bomb_rows():  # 2 GiB of rows: 690:1 with deflate, as the fuzzer's 4.9 MB → 4.8 GB
        yield text_row(1, "order_number", "carrier", "tracking")
        chunk = b"<row/>" * 170_000
        for _ in range(2 * 1024**3 // len(chunk)):
            yield chunk

    started = time.monotonic()
    built["bomb"] = write_xlsx(folder / "bomb.xlsx", sheet(bomb_rows()))
    print(
        f"\nbomb: {built['bomb'].stat().st_size:,} bytes built in {time.monotonic() - started:.1f}s"
    )

    book = Workbook()  # as Excel writes it: with a dimension, A1:C30001
    for n in range(30_000):
        book.active.append([f"SO-{n:06d}", "flash", f"TH{n:010d}"] if n else ["order_number"])
    book.active.append(["last"])
    book.save(folder / "rows30000.xlsx")
    built["rows30000"] = folder / "rows30000.xlsx"
    built["rows30000_no_dimension"] = write_xlsx(
        folder / "rows30000_no_dimension.xlsx", sheet(tracking_rows(30_000))
    )
    return built


# --- Measuring the parser in a subprocess -----------------------------------------------

CHILD = """
import json, sys, time
import django
django.setup()
from talad.errors import TaladError
from talad.tabular import read_table
content = open(sys.argv[1], "rb").read()
def high_water_mb():  # VmHWM: this process's own peak (ru_maxrss survives exec on Linux)
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) // 1024
before = high_water_mb()
started = time.monotonic()
try:
    out = {"rows": len(read_table(content, filename=sys.argv[2]).rows)}
except TaladError as exc:
    out = {"status": exc.status, "code": exc.code, "fields": exc.fields, "message": exc.message}
out["seconds"] = round(time.monotonic() - started, 2)
out["before_mb"] = before
out["peak_mb"] = high_water_mb()
print(json.dumps(out, ensure_ascii=False))
"""


def read_in_subprocess(path: Path) -> dict:
    """`read_table` on the file in a fresh Python: its refusal (or row count), its peak RSS."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "talad.settings"}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), path.name],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\n{path.name}: {result}")
    return result


# --- The fuzzer's files, in a subprocess --------------------------------------------------


def test_a_zip_bomb_is_refused_from_its_declared_size_without_inflating_it(files):
    result = read_in_subprocess(files["bomb"])

    assert result["status"] == 413
    assert result["fields"] == {"file": "too_large_uncompressed"}
    assert "bomb.xlsx" in result["message"] and "50 MB" in result["message"]
    assert result["peak_mb"] < PEAK_MB


def test_a_30000_row_xlsx_is_refused_from_its_dimension_before_a_row_is_read(files):
    result = read_in_subprocess(files["rows30000"])

    assert result["status"] == 413
    assert result["fields"] == {"file": "too_many_rows"}
    assert "rows30000.xlsx" in result["message"]
    assert "20,001" in result["message"] and "30,001" in result["message"]
    assert result["peak_mb"] < PEAK_MB


def test_a_30000_row_xlsx_without_a_dimension_is_refused_at_row_20002(files):
    result = read_in_subprocess(files["rows30000_no_dimension"])

    assert result["fields"] == {"file": "too_many_rows"}
    assert "20,002" in result["message"]
    assert result["peak_mb"] < PEAK_MB


def test_reading_stops_at_the_row_limit_and_never_reaches_the_rest(tmp_path):
    """Past row 20,002 the sheet is broken XML: a reader that went on would say so."""
    path = write_xlsx(tmp_path / "tail.xlsx", [*sheet(tracking_rows(20_005)), b"<<<not xml"])

    with pytest.raises(FileTooLarge) as refused:
        read_table(path.read_bytes(), filename="tail.xlsx")

    assert refused.value.fields == {"file": "too_many_rows"}
    assert refused.value.extra["row"] == 20_002


def test_the_largest_export_the_limits_allow_is_read_whole_in_bounded_memory(tmp_path):
    """A header and 20,000 rows of 20 Thai text columns: the real upper end, accepted."""
    book = Workbook(write_only=True)
    rows = book.create_sheet()
    rows.append([f"คอลัมน์ {c}" for c in range(20)])
    for n in range(20_000):
        rows.append([f"TH{n:010d}", "ส่งสำเร็จ", 1070.5, f"คุณสมชาย ใจดี {n}"] + ["กรุงเทพฯ"] * 16)
    book.save(tmp_path / "largest.xlsx")

    result = read_in_subprocess(tmp_path / "largest.xlsx")

    assert result.get("rows") == 20_000, result
    assert result["peak_mb"] < PEAK_MB


def _digits(n: int) -> bytes:
    return b"%d" % ((n * 2654435761) % 1_000_003)  # varied, so the ratio check passes them


@pytest.mark.parametrize("kind", ["wide_rows", "many_short_texts", "merged_cells", "columns"])
def test_the_worst_files_within_the_limits_stay_in_bounded_memory(tmp_path, kind):
    """What openpyxl keeps per row, per text, per merged cell and per column, at the limits."""
    parts, extra, before, after = {}, "", b"", b""
    rows = [text_row(1, "tracking")]
    if kind == "wide_rows":  # 20,000 rows of 70 cells: nearly three million elements
        rows += [
            b'<row r="%d">' % n
            + b"".join(b"<c><v>%s</v></c>" % _digits(n * 70 + c) for c in range(70))
            + b"</row>"
            for n in range(2, 20_002)
        ]
    elif kind == "many_short_texts":
        texts = b"".join(b"<si><t>%s</t></si>" % _digits(n) for n in range(xlsx_limits.MAX_TEXTS))
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{NS}">'.encode() + texts + b"</sst>"
        extra = (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    elif kind == "merged_cells":  # after the rows: openpyxl makes an object of each
        merges = b"".join(b'<mergeCell ref="A%s:B%d"/>' % (_digits(n), n) for n in range(49_000))
        after = b"<mergeCells>" + merges + b"</mergeCells>"
    else:  # before the rows: a width for each column, said again and again
        before = (
            b"<cols>"
            + b"".join(
                b'<col min="%d" max="%d" width="%s"/>' % (n % 16384 + 1, n % 16384 + 1, _digits(n))
                for n in range(49_000)
            )
            + b"</cols>"
        )
    path = write_xlsx(
        tmp_path / f"{kind}.xlsx",
        sheet(rows, before=before, after=after),
        parts=parts,
        content_types_extra=extra,
    )
    assert path.stat().st_size <= tabular.MAX_BYTES

    result = read_in_subprocess(path)

    assert result.get("code") in (None, "invalid_file"), result  # read, or a column missing
    assert result["peak_mb"] < PEAK_MB


# --- Through the endpoints: the API's three uploads and the web forms --------------------


def post_file(api, path, content, name):
    fields = {"carrier": "flash"} if path.startswith("/api/v1/cod") else {}
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return api.client.post(path, {"file": upload, **fields}, headers=api.headers)


def signed_in(shop, role="owner", **client_options) -> Client:
    from talad.shops.actors import Actor
    from talad.shops.services import add_member

    email = f"{role}-{shop.slug}@example.com"
    add_member(shop=shop, email=email, role=role, password="pw-123456", by=Actor.system("t"))
    client = Client(**client_options)
    assert client.login(username=email, password="pw-123456")
    return client


WEB_FORMS = {
    "/shipping/import/tracking/": {},
    "/shipping/import/status/": {},
    "/payments/cod/statements/": {"carrier": "flash"},
}


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    ("which", "problem"), [("bomb", "too_large_uncompressed"), ("rows30000", "too_many_rows")]
)
def test_the_fuzzers_files_are_a_413_naming_the_file_and_the_limit(
    api, files, path, which, problem
):
    response = post_file(api, path, files[which].read_bytes(), f"{which}.xlsx")

    assert response.status_code == 413, response.content
    error = response.json()["error"]
    assert error["code"] == "file_too_large"
    assert error["fields"] == {"file": problem}
    assert f"{which}.xlsx" in error["message"] and error["file"] == f"{which}.xlsx"


@pytest.mark.parametrize("path", list(WEB_FORMS))
def test_the_web_forms_refuse_the_bomb_on_the_page_naming_the_file(shop, files, path):
    client = signed_in(shop)
    upload = SimpleUploadedFile("bomb.xlsx", files["bomb"].read_bytes())

    page = client.post(path, {"file": upload, **WEB_FORMS[path]})

    assert page.status_code == 413
    assert "bomb.xlsx: เมื่อแตกไฟล์ออกมีขนาด 2,048 MB เกินที่รับได้ 50 MB" in page.content.decode()


def test_a_refused_file_leaves_nothing_written(api, shop, files):
    order = cod_ready_to_ship(shop, make_variant(shop, on_hand=5))
    status = order.status
    rows = [["order_number", "carrier", "tracking"], [order.number, "flash", "TH0000000001"]]
    too_long = csv_file(rows + [["", "", ""]] * tabular.MAX_ROWS)

    shipped = post_file(api, ENDPOINTS[1], too_long, "tracking.csv")
    statement = post_file(api, ENDPOINTS[0], files["rows30000"].read_bytes(), "cod.xlsx")

    assert (shipped.status_code, statement.status_code) == (413, 413)
    assert shipped.json()["error"]["row"] == tabular.MAX_ROWS + 2
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == (status, "")
    assert not CodStatement.objects.for_shop(shop).exists()


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_small_xlsx_still_imports_on_every_endpoint(api, shop, path):
    order = cod_ready_to_ship(shop, make_variant(shop, on_hand=5))
    content = small_xlsx(
        [
            text_row(1, "order_number", "carrier", "tracking", "status", "time", "cod"),
            text_row(
                2, order.number, "flash", "TH0000000009", "delivered", "2026-01-05 10:00", "100"
            ),
        ]
    )

    response = post_file(api, f"{path}?dry_run=true", content, "small.xlsx")

    assert response.status_code == 200, response.content
    assert len(response.json()["rows"]) == 1


# --- Malformed multipart bodies and bodies too large --------------------------------------

FILE_PART = b'Content-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\ntracking\r\n'
MALFORMED = {
    "no boundary": ("multipart/form-data", b"--x\r\n" + FILE_PART + b"\r\n--x--\r\n"),
    "an empty boundary": ("multipart/form-data; boundary=", b"--\r\n" + FILE_PART),
    "a boundary that never closes": ("multipart/form-data; boundary=xyz", b"--xyz\r\n" + FILE_PART),
}


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_multipart_body_is_a_400_in_the_error_shape(api, path, case):
    content_type, body = MALFORMED[case]

    response = api.client.generic(
        "POST", path, body, content_type=content_type, headers=api.headers
    )

    assert response.status_code == 400, response.content
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "อ่านข้อมูล multipart ที่ส่งมาไม่ได้",
            "fields": {"body": "invalid_multipart"},
        }
    }


@pytest.mark.parametrize("path", ENDPOINTS)
def test_more_files_than_django_takes_is_a_400_not_a_500(api, path):
    files = {f"f{i}": SimpleUploadedFile(f"{i}.csv", b"x") for i in range(101)}

    response = api.client.post(path, files, headers=api.headers)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"body": "invalid_multipart"}


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_body_larger_than_an_upload_may_be_is_a_413_before_any_of_it_is_read(api, path):
    """It says it is 1 GB and sends 100 bytes: reading any of it would fail the test client."""
    response = api.client.generic(
        "POST",
        path,
        b"--xyz\r\n" + FILE_PART,
        content_type="multipart/form-data; boundary=xyz",
        headers=api.headers,
        CONTENT_LENGTH=str(1024**3),
    )

    assert response.status_code == 413
    assert response.json()["error"]["fields"] == {"file": "too_large"}


@pytest.mark.parametrize("path", list(WEB_FORMS))
def test_a_web_form_refuses_a_body_too_large_before_reading_it(shop, path):
    client = signed_in(shop)

    page = client.generic(
        "POST",
        path,
        b"--xyz\r\n" + FILE_PART,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(tabular.MAX_BODY + 1),
    )

    assert page.status_code == 413
    assert "ไฟล์ใหญ่เกิน 5 MB" in page.content.decode()


@pytest.mark.parametrize("path", list(WEB_FORMS))
def test_the_upload_forms_still_check_the_csrf_token(shop, path):
    client = signed_in(shop, enforce_csrf_checks=True)

    page = client.post(path, {"file": SimpleUploadedFile("a.csv", b"tracking\nTH1\n")})

    assert page.status_code == 403


def test_a_file_just_over_the_limit_inside_a_body_within_it_is_still_a_413(api):
    response = post_file(api, ENDPOINTS[1], b"a" * (tabular.MAX_BYTES + 1), "big.csv")

    assert response.status_code == 413
    assert "big.csv" in response.json()["error"]["message"]


# --- CSV: read line by line, every refusal naming the row ---------------------------------


def test_a_nul_in_a_csv_is_refused_naming_its_row():
    content = b"tracking,status\nTH1,delivered\nTH2\x00,delivered\n"

    with pytest.raises(FileRejected) as refused:
        read_table(content, filename="s.csv")

    assert refused.value.fields == {"file": "binary"}
    assert refused.value.extra["row"] == 3 and "s.csv แถว 3" in refused.value.message


def test_a_csv_line_longer_than_allowed_is_refused_naming_its_row():
    content = b"tracking\nTH1\n" + b"x" * (tabular.MAX_LINE + 1) + b"\n"

    with pytest.raises(FileRejected) as refused:
        read_table(content, filename="s.csv")

    assert refused.value.fields == {"row[3]": "line_too_long"}


def test_a_quote_that_never_closes_is_refused_naming_its_row():
    content = b'tracking\nTH1\n"' + b"x\n" * 70_000

    with pytest.raises(FileRejected) as refused:
        read_table(content, filename="s.csv")

    assert refused.value.fields == {"row[3]": "invalid_csv"}


def test_a_header_and_twenty_thousand_rows_are_read_and_one_more_row_is_refused():
    rows = [["tracking"]] + [[f"TH{n:010d}"] for n in range(tabular.MAX_ROWS)]

    assert len(read_table(csv_file(rows)).rows) == tabular.MAX_ROWS
    with pytest.raises(FileTooLarge) as refused:
        read_table(csv_file([*rows, [""]]), filename="s.csv")  # blank rows count too
    assert refused.value.extra["row"] == tabular.MAX_ROWS + 2
    assert refused.value.fields == {"file": "too_many_rows"}


# --- xlsx: refused by looking at it, before openpyxl reads it -----------------------------

CHARTSHEET = REL.format(id="rId2", target="chartsheets/sheet1.xml", kind="chartsheet")
STRINGS_ELSEWHERE = (
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


@pytest.mark.parametrize(
    ("content", "part"),
    [
        (small_xlsx(parts={"xl/workbook.xml": None}), None),
        (small_xlsx(rels=workbook_rels(CHARTSHEET)), "xl/chartsheets/sheet1.xml"),
        (small_xlsx(content_types_extra=STRINGS_ELSEWHERE), "xl/worksheets/sheet1.xml"),
        (small_xlsx(rels=workbook_rels(sheet_target="styles.xml")), "xl/styles.xml"),
        (small_xlsx([text_row(5, "tracking"), text_row(3, "TH1")]), "xl/worksheets/sheet1.xml"),
        (small_xlsx([b'<!DOCTYPE x [<!ENTITY a "aaaa">]>']), "xl/worksheets/sheet1.xml"),
        (small_xlsx([b"<row><c><v>1</v>"]), "xl/worksheets/sheet1.xml"),
    ],
    ids=[
        "no workbook",
        "chartsheet",
        "texts elsewhere",
        "sheet elsewhere",
        "rows going up",
        "dtd",
        "broken xml",
    ],
)
def test_a_file_not_laid_out_like_an_xlsx_is_refused_naming_the_part(content, part):
    with pytest.raises(FileRejected) as refused:
        read_table(content, filename="odd.xlsx")

    assert refused.value.fields == {"file": "invalid_xlsx"}
    assert "odd.xlsx" in refused.value.message
    assert refused.value.extra.get("part") == part


def test_a_part_compressed_past_the_ratio_is_refused_naming_it():
    padding = b" " * (2 * 1024 * 1024)  # whitespace between rows is valid XML
    content = small_xlsx([*tracking_rows(2), padding])

    with pytest.raises(FileTooLarge) as refused:
        read_table(content, filename="padded.xlsx")

    assert refused.value.fields == {"file": "compression_ratio"}
    assert refused.value.extra["part"] == "xl/worksheets/sheet1.xml"


def test_too_many_parts_are_refused():
    extra = {f"xl/media/image{n}.png": b"" for n in range(xlsx_limits.MAX_PARTS)}

    with pytest.raises(FileTooLarge) as refused:
        read_table(small_xlsx(parts=extra), filename="many.xlsx")

    assert refused.value.fields == {"file": "too_many_parts"}


def test_styles_too_large_to_parse_whole_are_refused():
    styles = (
        b"<styleSheet>"
        + b"".join(
            b'<numFmt numFmtId="%s" formatCode="%s"/>' % (_digits(n), _digits(n * 7))
            for n in range(120_000)
        )
        + b"</styleSheet>"
    )

    with pytest.raises(FileTooLarge) as refused:
        read_table(small_xlsx(parts={"xl/styles.xml": styles}), filename="styled.xlsx")

    assert refused.value.extra["part"] == "xl/styles.xml"


def test_a_second_sheet_too_long_is_refused_naming_it():
    second = REL.format(id="rId2", target="worksheets/sheet2.xml", kind="worksheet")
    workbook = WORKBOOK.replace(
        "</sheets>", '<sheet name="ประวัติ" sheetId="2" r:id="rId2"/></sheets>'
    )
    long_sheet = b"".join(sheet(tracking_rows(tabular.MAX_ROWS + 1)))
    content = small_xlsx(
        rels=workbook_rels(second),
        workbook=workbook,
        parts={"xl/worksheets/sheet2.xml": long_sheet},
    )

    with pytest.raises(FileTooLarge) as refused:
        read_table(content, filename="two.xlsx")

    assert "ชีต 'ประวัติ'" in refused.value.message


def test_a_dimension_that_says_too_few_rows_does_not_hide_the_others():
    """openpyxl alone stops where the dimension says; every row must be read, or refused."""
    lying = io.BytesIO()
    write_xlsx(lying, sheet(tracking_rows(5), dimension="A1:C2"))

    table = read_table(lying.getvalue(), filename="lying.xlsx")

    assert [cells[2] for _n, cells in table.rows][-1] == "TH0000000006"
    assert len(table.rows) == 5


# --- The real server: a gunicorn worker's own peak ----------------------------------------


def _multipart(name: str, content: bytes) -> tuple[str, bytes]:
    boundary = "talad-limits-test"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return (
        f"multipart/form-data; boundary={boundary}",
        head + content + f"\r\n--{boundary}--\r\n".encode(),
    )


def _high_water_marks_mb(group: int) -> dict[int, int]:
    """VmHWM of every process in the server's process group (master and workers)."""
    marks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:  # field 5 of stat, the process group
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                marks[int(stat.parent.name)] = int(line.split()[1]) // 1024
    return marks


@pytest.mark.server
def test_the_bomb_and_the_long_file_leave_the_real_servers_workers_small(tmp_path, files):
    with talad_server(tmp_path, workers=2, threads=4) as server:
        made = server.cli(
            "createshop",
            "--name",
            "ร้านทดสอบไฟล์",
            "--slug",
            "limits-shop",
            "--owner-email",
            "limits@example.com",
            "--password",
            "x-secret-9",
        )
        assert made.returncode == 0, made.stderr
        token = server.cli("token", "--shop", "limits-shop", "--role", "owner").stdout.strip()
        server.request("GET", "/api/v1/stock", token=token)  # each worker past its first request
        server.request("GET", "/api/v1/stock", token=token)
        before = _high_water_marks_mb(server.process.pid)
        answers = {}
        for which in ("bomb", "rows30000", "bomb", "rows30000"):
            content_type, body = _multipart(f"{which}.xlsx", files[which].read_bytes())
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
            started = time.monotonic()
            conn.request(
                "POST",
                "/api/v1/shipments/tracking-import",
                body=body,
                headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"},
            )
            reply = conn.getresponse()
            answers[which] = (reply.status, json.loads(reply.read())["error"]["fields"])
            print(f"\n{which}: {reply.status} in {time.monotonic() - started:.2f}s")
            conn.close()
        marks = _high_water_marks_mb(server.process.pid)

    print(f"VmHWM per process (MB), before: {before}, after: {marks}")
    assert answers == {
        "bomb": (413, {"file": "too_large_uncompressed"}),
        "rows30000": (413, {"file": "too_many_rows"}),
    }
    assert marks and max(marks.values()) < PEAK_MB
