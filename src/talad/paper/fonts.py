"""Sarabun for every document, shaped so Thai tone marks sit where they belong.

Sarabun (OFL, the Thai government's document font) comes from the `fontpkg-sarabun` wheel,
so no system fonts are needed. Without text shaping fpdf2 drops or stacks Thai marks
(ที่ → ที), so shaping is always on (docs/design/layout.md#shared-modules).

One fix on top of fpdf2 2.8.9: when HarfBuzz turns one character into several glyphs
(ำ becomes ํ + า) or moves a mark sideways (the ้ of ปั้น), fpdf2 gives the character to the
first glyph and leaves the others without text, and extracted or copied text then reads
"กำ กับ" and "ปั้ น". `ThaiShapedFont` lets each character's text ride on the spacing glyph
of its cluster instead, so pdftotext, search and copy-paste get the words back intact
(pinned by tests/paper/test_pdf.py).

And one speed-up: fpdf2 shapes every character on its own while it breaks lines, and shapes
each cell twice in a table (once to measure, once to draw); shaping results depend only on
the font file, size and text, so they are kept in a bounded process-wide cache.
"""

from collections.abc import Iterator, Sequence
from importlib.resources import files
from typing import NamedTuple

from fpdf import FPDF
from fpdf.fonts import TTFFont

FAMILY = "Sarabun"
_FILES = {"": "Sarabun-Regular.ttf", "B": "Sarabun-Bold.ttf"}
_CACHE_LIMIT = 4096  # entries, a few KB each; larger caches cost more in GC than they save
_shaped: dict[tuple, tuple] = {}


class _Glyph(NamedTuple):
    codepoint: int
    cluster: int


class ThaiShapedFont(TTFFont):
    """A TTFFont whose zero-width glyphs carry no text of their own and whose shaping is
    cached (see the module doc)."""

    __slots__ = ()

    def perform_harfbuzz_shaping(self, text, font_size_pt, text_shaping_params):
        params = text_shaping_params or {}
        key = (
            self.ttffile,
            text,
            font_size_pt,
            tuple(sorted((params.get("features") or {}).items())),
            params.get("fragment_direction"),
            params.get("script"),
            params.get("language"),
        )
        result = _shaped.get(key)
        if result is None:
            infos, positions = super().perform_harfbuzz_shaping(
                text, font_size_pt, text_shaping_params
            )
            if len(_shaped) >= _CACHE_LIMIT:
                _shaped.clear()
            carriers = infos if positions is None else _TextCarriers(infos, positions)
            result = _shaped[key] = (carriers, positions)
        return result


class _TextCarriers(Sequence):
    """Glyphs as fpdf2's text mapping should see them, worked out only when text is drawn
    (measuring widths, the common case, needs the positions alone)."""

    __slots__ = ("_glyphs", "_infos", "_positions")

    def __init__(self, infos, positions):
        self._infos, self._positions, self._glyphs = infos, positions, None

    def _resolved(self) -> list["_Glyph"]:
        if self._glyphs is None:
            self._glyphs = _text_on_spacing_glyphs(self._infos, self._positions)
        return self._glyphs

    def __len__(self) -> int:
        return len(self._infos)

    def __getitem__(self, index):
        return self._resolved()[index]

    def __iter__(self) -> Iterator["_Glyph"]:
        return iter(self._resolved())


def _text_on_spacing_glyphs(infos, positions) -> list[_Glyph]:
    """Give every glyph that should carry no text a cluster number of its own below zero.

    fpdf2 hands each character to the glyph whose cluster is the nearest at or before the
    character's index; with marks and extra glyphs out of the way that is the spacing glyph
    they sit on."""
    glyphs = []
    for n, (info, position) in enumerate(zip(infos, positions, strict=True)):
        last_of_cluster = n + 1 == len(infos) or infos[n + 1].cluster != info.cluster
        carries_text = n == 0 or (position.x_advance != 0 and last_of_cluster)
        glyphs.append(_Glyph(info.codepoint, info.cluster if carries_text else -1 - n))
    return glyphs


def add_sarabun(pdf: FPDF) -> None:
    """Register Sarabun regular and bold on `pdf` with the text fix, and turn shaping on."""
    folder = files("fontpkg_sarabun") / "files"
    for style, filename in _FILES.items():
        pdf.add_font(FAMILY, style, str(folder / filename))
        pdf.fonts[f"{FAMILY.lower()}{style}"].__class__ = ThaiShapedFont
    pdf.set_text_shaping(True, script="thai", language="tha")
