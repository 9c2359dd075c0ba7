"""ThaiPDF: shaped Thai a search box can read, Thai that wraps, barcodes and QR codes that scan."""

import os
from decimal import Decimal

import pytest
import segno
from barcode import Code128
from barcode.charsets import code128 as code128_charset
from fpdf import FPDF
from PIL import Image

from talad import promptpay
from talad.paper import ThaiPDF, pdf_text, poppler_available, render_png
from talad.paper.fonts import add_sarabun

MM_PER_INCH = 25.4
MARKS_AND_FOLLOWING = set("ัิีึืฺุู็่้๊๋์ํ๎ะาำๅฯๆ")
LONG_ADDRESS = (
    "บริษัท ตัวอย่างการค้าออนไลน์ จำกัด (สำนักงานใหญ่) เลขที่ 99/9 หมู่ที่ 4 ถนนพหลโยธิน "
    "ตำบลคลองหนึ่ง อำเภอคลองหลวง จังหวัดปทุมธานี 12120 ผลิตภัณฑ์เสริมอาหารวิตามินซีชนิดเม็ดฟู่รสส้ม"
)
TRICKY_WORDS = [
    "ใบกำกับภาษี",
    "ที่ป่า",
    "สำนักงานใหญ่",
    "น้ำดื่ม",
    "ปั้นน้ำ",
    "ศักดิ์สิทธิ์",
    "ฤๅษี",
    "กรุงเทพฯ",
    "ไม่เก็บเงินปลายทาง",
    "ใบเสร็จรับเงิน",
    "ผลิตภัณฑ์",
    "ภาษีมูลค่าเพิ่ม",
]


@pytest.fixture
def poppler():
    if not poppler_available():
        if os.environ.get("CI") == "true":
            pytest.fail("poppler-utils (pdftotext, pdftoppm) must be installed in CI")
        pytest.skip("poppler-utils not installed")


def one_page(*lines: str, bold: bool = False) -> bytes:
    pdf = ThaiPDF(font_size=14)
    pdf.add_page()
    pdf.set_font("Sarabun", "B" if bold else "")
    for line in lines:
        pdf.paragraph(line)
    return pdf.to_bytes()


def words(text: str) -> list[str]:
    return text.split()


def test_a_tax_invoice_title_is_extracted_with_every_tone_mark(poppler):
    text = pdf_text(one_page("ใบกำกับภาษี ที่ป่า สำนักงานใหญ่"))
    assert words(text) == ["ใบกำกับภาษี", "ที่ป่า", "สำนักงานใหญ่"]


@pytest.mark.parametrize("bold", [False, True])
def test_words_with_stacked_and_shifted_marks_come_back_intact(poppler, bold):
    text = pdf_text(one_page(*TRICKY_WORDS, "Order TH-0001 ยอด ฿1,234.50", bold=bold))
    assert words(text) == [*TRICKY_WORDS, "Order", "TH-0001", "ยอด", "฿1,234.50"]


def test_plain_fpdf2_still_splits_sara_am_so_our_font_fix_is_still_needed(poppler):
    """When this fails after an fpdf2 upgrade, paper/fonts.ThaiShapedFont can go."""
    pdf = FPDF()
    add_sarabun(pdf)
    for font in pdf.fonts.values():
        font.__class__ = font.__class__.__mro__[1]  # back to fpdf2's own TTFFont
    pdf.add_page()
    pdf.set_font("Sarabun", size=14)
    pdf.cell(text="สำนักงาน")
    assert words(pdf_text(bytes(pdf.output()))) != ["สำนักงาน"]


def test_a_long_thai_paragraph_wraps_inside_its_cell():
    pdf = ThaiPDF(font_size=12)
    pdf.add_page()
    width = 70
    lines = pdf.multi_cell(width, text=LONG_ADDRESS, dry_run=True, output="LINES")
    assert len(lines) >= 4
    for line in lines:
        assert pdf.get_string_width(line) <= width - 2 * pdf.c_margin
        assert line[0] not in MARKS_AND_FOLLOWING
    assert "".join(lines).replace(" ", "") == LONG_ADDRESS.replace(" ", "")
    assert lines == pdf.wrap(LONG_ADDRESS, width - 2 * pdf.c_margin - 0.001)


def test_a_table_cell_with_a_long_product_name_wraps_at_syllables(poppler):
    product = "ผลิตภัณฑ์เสริมอาหารวิตามินซีชนิดเม็ดฟู่รสส้ม"
    pdf = ThaiPDF(font_size=12)
    pdf.add_page()
    with pdf.table(width=60, col_widths=(40, 20), text_align=("LEFT", "RIGHT")) as table:
        row = table.row()
        row.cell(product)
        row.cell("1,234.50")
    # the cell is narrower than the name: it wraps, and every line break is a syllable break
    lines = [line for line in pdf_text(pdf.to_bytes()).splitlines() if line.strip()]
    name_lines = [line for line in lines if line != "1,234.50"]
    assert len(name_lines) > 1
    assert "".join(name_lines) == product
    assert all(line[0] not in MARKS_AND_FOLLOWING for line in name_lines)


def test_lines_are_spaced_for_thai_marks_above_and_below():
    pdf = ThaiPDF(font_size=12)
    pdf.add_page()
    height = pdf.multi_cell(35, text="ที่อยู่ ตำบลคลองหนึ่ง อำเภอคลองหลวง", dry_run=True, output="HEIGHT")
    assert height == pytest.approx(3 * 1.5 * 12 * MM_PER_INCH / 72)


# --- barcodes and QR codes, read back from the rendered page -------------------------------


def rendered(pdf: ThaiPDF, tmp_path, dpi: int) -> Image.Image:
    return Image.open(render_png(pdf.to_bytes(), tmp_path / "page.png", dpi=dpi)).convert("L")


def px(mm: float, dpi: int) -> int:
    return round(mm / MM_PER_INCH * dpi)


def read_modules(image: Image.Image, x: float, y: float, w: float, module: float, dpi: int) -> str:
    """The bar/space modules along a horizontal line through a barcode, as "1"/"0"."""
    row = [image.getpixel((i, px(y, dpi))) < 128 for i in range(px(x, dpi), px(x + w, dpi))]
    first, last = row.index(True), len(row) - 1 - row[::-1].index(True)
    bits, run_start = "", first
    for i in range(first + 1, last + 2):
        if i == last + 1 or row[i] != row[run_start]:
            modules = round((i - run_start) / (module / MM_PER_INCH * dpi))
            bits += ("1" if row[run_start] else "0") * modules
            run_start = i
    return bits


def decode_code128(bits: str) -> str:
    """Text of Code 128 modules (start B or C, code-set switches, checksum verified)."""
    pattern_value = {pattern: value for value, pattern in enumerate(code128_charset.CODES)}
    values = [pattern_value[bits[i : i + 11]] for i in range(0, len(bits) - 13, 11)]
    assert bits[-13:] == code128_charset.STOP + "11"
    start, *data, check = values
    assert check == (start + sum(i * v for i, v in enumerate(data, 1))) % 103
    code_set = {104: "B", 105: "C"}[start]
    text = ""
    for value in data:
        if value in (99, 100):
            code_set = {99: "C", 100: "B"}[value]
        elif code_set == "C":
            text += f"{value:02d}"
        else:
            text += chr(value + 32)
    return text


def test_a_code128_barcode_of_a_tracking_number_scans_back(poppler, tmp_path):
    tracking = "TH0123456789AB"
    pdf = ThaiPDF()
    pdf.add_page()
    x, y, w, h = 20, 20, 90, 15
    module = pdf.code128(tracking, x, y, w, h)
    assert module >= 0.25  # printable on a 203 dpi thermal label printer
    bits = read_modules(rendered(pdf, tmp_path, 600), x, y + h / 2, w, module, 600)
    assert bits == Code128(tracking).build()[0]
    assert decode_code128(bits) == tracking


def read_qr(image: Image.Image, x: float, y: float, size: float, n: int, dpi: int):
    module = size / (n + 8)
    return [
        [
            image.getpixel(
                (px(x + (4 + c + 0.5) * module, dpi), px(y + (4 + r + 0.5) * module, dpi))
            )
            < 128
            for c in range(n)
        ]
        for r in range(n)
    ]


def test_a_qr_of_the_order_number_matches_the_code_module_by_module(poppler, tmp_path):
    pdf = ThaiPDF()
    pdf.add_page()
    pdf.qr("ORD-2569-000123", 20, 20, 40)
    qr = segno.make_qr("ORD-2569-000123", error="m", boost_error=False)
    matrix = [[bool(cell) for cell in row] for row in qr.matrix]
    assert read_qr(rendered(pdf, tmp_path, 300), 20, 20, 40, len(matrix), 300) == matrix


def test_a_promptpay_qr_svg_is_placed_module_by_module(poppler, tmp_path):
    text = promptpay.payload("0812345678", Decimal("1234.50"))
    pdf = ThaiPDF()
    pdf.add_page()
    pdf.svg(promptpay.qr_svg(text), 30, 30, 50)
    qr = segno.make_qr(text, error="m", boost_error=False)
    matrix = [[bool(cell) for cell in row] for row in qr.matrix]
    assert read_qr(rendered(pdf, tmp_path, 300), 30, 30, 50, len(matrix), 300) == matrix


def test_a_page_renders_to_png_at_the_asked_resolution(poppler, tmp_path):
    path = render_png(one_page("ทดสอบ"), tmp_path / "shots" / "a4.png", dpi=50)
    with Image.open(path) as image:
        width, height = image.size
    assert width == pytest.approx(210 / MM_PER_INCH * 50, abs=1)
    assert height == pytest.approx(297 / MM_PER_INCH * 50, abs=1)


def test_shaped_widths_are_kept_apart_by_font_style_and_size():
    pdf = ThaiPDF(font_size=12)
    text = "เก็บเงินปลายทาง"
    regular = pdf.get_string_width(text)
    pdf.set_font("Sarabun", "B", 12)
    bold = pdf.get_string_width(text)
    pdf.set_font("Sarabun", "", 24)
    large = pdf.get_string_width(text)
    pdf.set_font("Sarabun", "", 12)
    assert bold > regular
    assert large == pytest.approx(2 * regular, rel=0.01)
    assert pdf.get_string_width(text) == regular
