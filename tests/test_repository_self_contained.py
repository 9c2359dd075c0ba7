"""The repository stands on its own (issue 10, item 6).

Nothing in the code, tests, scripts or docs cites the team's notes that live outside the
repository; the design they held is in docs/design/ and docs/integrations.md, and the one
place allowed to name the old citations is the table under "Citation map" in
docs/design/README.md. Every relative link in docs/ and README.md reaches a file (and heading)
that exists, and so does every docs/….md path that code or tests cite.

This file is scanned like every other one. The notes' names are spelt in lower case here and
upper-cased when the pattern is built, and the other phrases are split, so the source of this
file never matches its own pattern.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED_DIRS = ("src", "tests", "bench", "scripts", "docs", ".ci")
SCANNED_FILES = ("README.md", "Makefile", "pyproject.toml")
SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}
LINKED_DOCS = ("docs", "README.md")  # where relative markdown links are checked

MAP_FILE = ROOT / "docs" / "design" / "README.md"
MAP_HEADING = "## Citation map"

_NOTE_NAMES = ("design", "reference", "mission", "style", "glossary")
CITATION = re.compile(
    "|".join(
        [
            # The notes by name, as a word in capitals: with ".md", with "§", or bare.
            r"\b(?:" + "|".join(name.upper() for name in _NOTE_NAMES) + r")\b",
            "team" + r"\s+" + "glossary",
            re.escape("/work/" + "shared"),
        ]
    )
)

MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"(`+).+?\1")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
DOCS_PATH = re.compile(r"(?<![\w./-])docs/[\w./-]*?\.md(?:#([\w-]+))?")


def _is_skipped(path: Path) -> bool:
    return any(part in SKIPPED_DIRS or part.endswith(".egg-info") for part in path.parts)


@cache
def scanned_files() -> tuple[Path, ...]:
    """Every text file of the scanned places (binary files such as PNGs and .mo are left out)."""
    found = [ROOT / name for name in SCANNED_FILES if (ROOT / name).is_file()]
    for top in SCANNED_DIRS:
        found += [p for p in sorted((ROOT / top).rglob("*")) if p.is_file() and not _is_skipped(p)]
    return tuple(p for p in found if read_text(p) is not None)


@cache
def read_text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def allowed_lines(path: Path, lines: list[str]) -> set[int]:
    """Line numbers (1-based) of the citation-map table; empty for every other file."""
    if path != MAP_FILE:
        return set()
    allowed, inside = set(), False
    for number, line in enumerate(lines, 1):
        if line.startswith("## "):
            inside = line.strip() == MAP_HEADING
        elif inside and line.startswith("|"):
            allowed.add(number)
    return allowed


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def strip_code(text: str) -> list[str]:
    """The lines of a markdown file with fenced blocks blanked and code spans removed."""
    out, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            out.append("")
        else:
            out.append("" if fenced else CODE_SPAN.sub("", line))
    return out


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(
        ch for ch in heading.strip().lower() if ch in " -_" or unicodedata.category(ch)[0] in "LNM"
    )
    return kept.replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    seen: dict[str, int] = {}
    found = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return frozenset(found)


def markdown_files() -> list[Path]:
    files = []
    for name in LINKED_DOCS:
        target = ROOT / name
        files += [target] if target.is_file() else sorted(target.rglob("*.md"))
    return files


# --- the pattern and the scan are not empty ---------------------------------------------------


def test_the_pattern_catches_every_old_citation_form_and_nothing_else():
    design, reference, _mission, _style, glossary = (name.upper() for name in _NOTE_NAMES)
    old_forms = [
        f"({design}.md §4)",
        f"{reference}.md §3–4",
        f"(defaults in {design}.md §4)",
        f"thai shaping ({reference} §10)",
        f"as the {reference} tables read",
        f"the team's {design}.md",
        f"{glossary}.md",
        "(the team" + " glossary)",
        "/work/" + "shared/notes",
    ]
    assert [form for form in old_forms if not CITATION.search(form)] == []
    fine = [
        f"{reference}_PAYLOAD = (",
        f"SPACE_P{reference} = 0.6",
        "docs/design/orders.md#actions",
        "[glossary.md](glossary.md)",
        "the design (docs/design/README.md)",
        "Difference from the team notes: …",
    ]
    assert [text for text in fine if CITATION.search(text)] == []


def test_the_scan_covers_the_tree_including_this_file():
    files = {rel(p) for p in scanned_files()}
    for expected in (
        "tests/test_repository_self_contained.py",
        "src/talad/orders/models.py",
        "src/talad/locale/th/LC_MESSAGES/django.po",
        "docs/design/README.md",
        "docs/decisions/0006-thai-source-strings.md",
        "README.md",
        ".ci/run",
    ):
        assert expected in files
    assert len(files) > 200


def test_the_citation_map_is_the_only_exception_and_it_is_not_empty():
    lines = MAP_FILE.read_text(encoding="utf-8").splitlines()
    allowed = allowed_lines(MAP_FILE, lines)
    assert len(allowed) > 10
    assert sum(1 for n in allowed if CITATION.search(lines[n - 1])) > 10
    assert allowed_lines(ROOT / "README.md", lines) == set()


# --- the checks -------------------------------------------------------------------------------


def test_nothing_cites_the_notes_outside_the_repository():
    found = []
    for path in scanned_files():
        lines = read_text(path).splitlines()
        allowed = allowed_lines(path, lines)
        for number, line in enumerate(lines, 1):
            if number not in allowed and CITATION.search(line):
                found.append(f"{rel(path)}:{number}: {line.strip()}")
    assert found == [], "cite docs/design/ instead (see its Citation map):\n" + "\n".join(found)


def test_every_relative_markdown_link_reaches_a_file_and_heading():
    files = markdown_files()
    assert len(files) > 20
    broken = []
    for path in files:
        for number, line in enumerate(strip_code(path.read_text(encoding="utf-8")), 1):
            for target in MD_LINK.findall(line):
                if SCHEME.match(target):
                    continue
                file_part, _, anchor = target.partition("#")
                dest = (path.parent / file_part).resolve() if file_part else path
                if not dest.exists():
                    broken.append(f"{rel(path)}:{number}: {target} (no such file)")
                elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
                    broken.append(f"{rel(path)}:{number}: {target} (no such heading)")
    assert broken == [], "\n".join(broken)


def test_every_docs_path_cited_in_the_tree_exists():
    missing = []
    for path in scanned_files():
        for number, line in enumerate(read_text(path).splitlines(), 1):
            for match in DOCS_PATH.finditer(line):
                doc, anchor = ROOT / match.group(0).partition("#")[0], match.group(1)
                if not doc.is_file():
                    missing.append(f"{rel(path)}:{number}: {match.group(0)} (no such file)")
                elif anchor and anchor not in anchors(doc):
                    missing.append(f"{rel(path)}:{number}: {match.group(0)} (no such heading)")
    assert missing == [], "\n".join(missing)
