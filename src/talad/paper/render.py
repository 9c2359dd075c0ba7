"""Look at a PDF the way a person or a search box would: as an image, or as its text.

Both go through poppler-utils (`pdftoppm`, `pdftotext`), installed by apt on every Talad
machine and in CI; used by tests and screenshots, never on a request path.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path


class PopplerMissing(RuntimeError):
    """pdftoppm/pdftotext is not installed (apt-get install poppler-utils)."""


def poppler_available() -> bool:
    return bool(shutil.which("pdftotext") and shutil.which("pdftoppm"))


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """The text pdftotext extracts from `pdf`, all pages; `layout` keeps columns apart."""
    args = ["-layout"] if layout else []
    return _run("pdftotext", *args, "-enc", "UTF-8", "-", "-", stdin=pdf).decode("utf-8")


def render_png(pdf: bytes, path: str | Path, page: int = 1, *, dpi: int = 100) -> Path:
    """Render one page of `pdf` to the PNG file `path` and return its path."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        prefix = Path(folder) / "page"
        _run(
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(prefix),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(prefix.with_suffix(".png"), path)
    return path


def _run(tool: str, *args: str, stdin: bytes | None = None) -> bytes:
    if not shutil.which(tool):
        raise PopplerMissing(f"{tool} not found: install poppler-utils")
    result = subprocess.run(
        [tool, *args], input=stdin, capture_output=True, check=False, timeout=60
    )
    if result.returncode != 0:
        raise RuntimeError(f"{tool} failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout
