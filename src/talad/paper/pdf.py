"""`ThaiPDF`: the fpdf2 document every label, pick list and tax document starts from.

It differs from a plain FPDF in three ways:
- Sarabun regular/bold with Thai shaping is registered and selected (paper/fonts.py);
- `multi_cell` (and so `table()`, which calls it per cell) breaks Thai lines at syllable
  boundaries (paper/linebreak.py) instead of cutting words mid-syllable, and aligns left
  by default, because justifying Thai without spaces stretches nothing but the last gap;
- it draws Code 128 barcodes and QR codes directly as filled rectangles, module by module:
  crisp at any printer resolution and with no SVG to parse per label. `svg()` places any
  SVG (e.g. `promptpay.qr_svg`) when a caller already has one.
"""

import inspect
import io

import segno
from barcode import Code128
from fpdf import FPDF
from fpdf.enums import Align, WrapMode
from fpdf.util import Padding

from talad.paper.fonts import FAMILY, add_sarabun
from talad.paper.linebreak import fit_lines, has_thai

CODE128_QUIET_MODULES = 10  # white space a scanner needs on each side of the bars
QR_QUIET_MODULES = 4
LINE_HEIGHT = 1.5  # times the font size: room for Thai marks above and below the line
_FIT_SLACK = 0.001  # mm kept free so fpdf2's own measurement never re-breaks our lines
_MULTI_CELL = inspect.signature(FPDF.multi_cell)


class ThaiPDF(FPDF):
    """An A4 (or any fpdf2 format) document in millimetres with Sarabun selected."""

    def __init__(self, orientation="portrait", unit="mm", format="A4", *, font_size=12.0):
        super().__init__(orientation=orientation, unit=unit, format=format)
        add_sarabun(self)
        self.set_font(FAMILY, size=font_size)
        self.set_lang("th")
        self.set_creator("Talad")
        self._prewrapping = False

    def wrap(self, text: str, width: float) -> list[str]:
        """`text` as lines that fit `width` (user units) in the current font and size."""
        return fit_lines(text, width, self._text_width)

    def _text_width(self, text: str) -> float:
        """get_string_width without its bidi and markdown passes, which cost more than the
        shaping itself and change nothing for unstyled left-to-right Thai."""
        if self.char_spacing or self.font_stretching != 100 or not self.text_shaping:
            return self.get_string_width(text)
        _, width = self.current_font.get_text_width(text, self.font_size_pt, self.text_shaping)
        return width / self.k

    def multi_cell(self, *args, **kwargs):
        """fpdf2's multi_cell, with Thai broken at syllables; by default aligned left, with
        lines 1.5 times the font size apart.

        Text is broken into lines here and handed on with newlines, so fpdf2 only lays them
        out. Markdown text and WrapMode.CHAR go to fpdf2 untouched."""
        call = _MULTI_CELL.bind(self, *args, **kwargs)
        arguments = call.arguments
        arguments.setdefault("align", Align.L)
        if arguments.get("h") is None:
            arguments["h"] = self.font_size * LINE_HEIGHT
        text = arguments.get("text", "")
        if (
            not self._prewrapping
            and text
            and has_thai(text)
            and not arguments.get("markdown", False)
            and WrapMode.coerce(arguments.get("wrapmode", WrapMode.WORD)) == WrapMode.WORD
        ):
            text_width = self._multi_cell_text_width(
                arguments.get("w", 0), Padding.new(arguments.get("padding", 0))
            )
            arguments["text"] = "\n".join(self.wrap(text, text_width - _FIT_SLACK))
        self._prewrapping, was = True, self._prewrapping
        try:
            return super().multi_cell(*call.args[1:], **call.kwargs)
        finally:
            self._prewrapping = was

    def paragraph(self, text: str, *, w: float = 0, h: float | None = None, **kwargs):
        """A left-aligned block of text from the cursor, which then moves below it to the
        left margin: the usual way to write an address or a note."""
        kwargs.setdefault("new_x", "LMARGIN")
        kwargs.setdefault("new_y", "NEXT")
        return self.multi_cell(w, h, text, **kwargs)

    def code128(self, data: str, x: float, y: float, w: float, h: float) -> float:
        """Code 128 bars of `data` in the box (x, y, w, h), quiet zones included.

        Returns the module (narrowest bar) width: keep it at 0.25 mm or more for 203 dpi
        thermal label printers."""
        modules = Code128(data).build()[0]
        module = w / (len(modules) + 2 * CODE128_QUIET_MODULES)
        start = x + CODE128_QUIET_MODULES * module
        for first, length in _runs(modules):
            self.rect(start + first * module, y, length * module, h, style="F")
        return module

    def qr(self, data: str, x: float, y: float, size: float, *, error: str = "m") -> None:
        """A QR code of `data` in the square (x, y, size), its 4-module quiet zone included."""
        matrix = segno.make_qr(data, error=error, boost_error=False).matrix
        module = size / (len(matrix) + 2 * QR_QUIET_MODULES)
        origin_x, origin_y = x + QR_QUIET_MODULES * module, y + QR_QUIET_MODULES * module
        for row, cells in enumerate(matrix):
            bits = "".join("1" if cell else "0" for cell in cells)
            for first, length in _runs(bits):
                self.rect(
                    origin_x + first * module,
                    origin_y + row * module,
                    length * module,
                    module,
                    style="F",
                )

    def svg(self, svg: str | bytes, x: float, y: float, w: float) -> None:
        """Place an SVG (which needs a viewBox) at (x, y), `w` wide."""
        data = svg.encode() if isinstance(svg, str) else svg
        self.image(io.BytesIO(data), x=x, y=y, w=w)

    def to_bytes(self) -> bytes:
        return bytes(self.output())

    def _multi_cell_text_width(self, w: float, padding: Padding) -> float:
        """The width multi_cell lays text into (mirrors fpdf2 2.8.9's arithmetic)."""
        if w == 0:
            w = self.w - self.r_margin - self.x
        w -= padding.left + padding.right
        w -= (0 if padding.left else self.c_margin) + (0 if padding.right else self.c_margin)
        return w


def _runs(bits: str):
    """(start, length) of each run of "1" in a string of module bits."""
    start = None
    for i, bit in enumerate(bits + "0"):
        if bit == "1" and start is None:
            start = i
        elif bit != "1" and start is not None:
            yield start, i - start
            start = None
