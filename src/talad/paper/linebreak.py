"""Where a line of Thai may break, without a dictionary.

Thai is written without spaces between words and fpdf2 breaks lines only at spaces, so a
long product name or address would otherwise be cut in the middle of a syllable (or a
tone mark pushed onto the next line). A dictionary segmenter (pythainlp) would find word
boundaries, but it is a large dependency for a few lines on a label. Instead, a handful of
spelling rules find places where a new syllable certainly starts:

- before a leading vowel เ แ โ ใ ไ (กรุง|เทพ, ประ|เทศ);
- after ะ, ำ and ๆ, which always end a syllable (สำ|นักงาน, ทะ|เล, ดีๆ|นะ);
- before a consonant carrying ั ี ึ ื ู ็ (ภา|ษี, มือ|ถือ, บริ|ษัท), or ิ ุ unless they may be
  the silent vowel of a Pali ending (ชาติ, สมบัติ, เหตุ); never before ร ล ว ย น ม ง ญ
  right after a consonant, which may be a cluster or a leading ห/อ (ปรับ, หนัง, อยู่);
- where Thai letters meet Latin letters or digits, before an opening and after a closing
  bracket, and after spaces.

The rules miss many boundaries but find almost no false ones. Between words a space is
preferred when one is near; a run still too long for a line is cut between character
clusters, which keeps marks on their consonant.
"""

from collections import deque
from collections.abc import Callable

SPACE_PREFERENCE = 0.6  # break at a space rather than mid-word if the line stays this full

_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F))
_LEADING_VOWELS = frozenset("เแโใไ")
_FOLLOWING = frozenset("ะาำๅฯๆ")  # spacing, but belong to what precedes them
_MARKS = frozenset(
    "\u0e31"
    + "".join(chr(c) for c in range(0x0E34, 0x0E3B))
    + "".join(chr(c) for c in range(0x0E47, 0x0E4F))
)
_SYLLABLE_ENDS = frozenset("ะำๆ")
_STARTS_SYLLABLE = frozenset("\u0e31\u0e35\u0e36\u0e37\u0e39\u0e47")  # ั ี ึ ื ู ็
_MAYBE_SILENT = frozenset("\u0e34\u0e38")  # ิ ุ: also the silent ending of ชาติ, เหตุ
_CLUSTER_SECONDS = frozenset("รลวยนมงญ")
_OPENING, _CLOSING = frozenset("(["), frozenset(")]")
_THAI_LETTERS = _CONSONANTS | _LEADING_VOWELS | _FOLLOWING | _MARKS


def has_thai(text: str) -> bool:
    """Whether `text` has Thai letters, i.e. needs our line breaking at all."""
    return any(ch in _THAI_LETTERS for ch in text)


def segments(text: str) -> list[str]:
    """`text` cut at every place a line may break; joined back, the pieces are `text`."""
    cuts = [i for i in range(1, len(text)) if _may_break_before(text, i)]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def clusters(text: str) -> list[str]:
    """`text` cut into the smallest pieces that can stand at a line's edge."""
    cuts = [i for i in range(1, len(text)) if _cluster_starts(text, i)]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def fit_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """`text` as lines no wider than `width` by `measure`; a newline in `text` always breaks.

    Spaces at a break are dropped; a single cluster wider than `width` gets a line of its own."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_fit_paragraph(paragraph, width, measure))
    return lines


def _fit_paragraph(paragraph: str, width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    line: list[str] = []
    pending = deque(segments(paragraph))
    while pending:
        piece = pending.popleft()
        if lines and not line:
            piece = piece.lstrip()
        if measure("".join([*line, piece]).rstrip()) <= width:
            line.append(piece)
        elif not line:
            head, rest = _first_clusters(piece, width, measure)
            lines.append(head.rstrip())
            if rest:
                pending.appendleft(rest)
        else:
            keep = _prefer_space(line, width, measure)
            lines.append("".join(line[:keep]).rstrip())
            pending.extendleft(reversed([*line[keep:], piece]))
            line = []
    if line or not lines:
        lines.append("".join(line).rstrip())
    return lines


def _prefer_space(line: list[str], width: float, measure: Callable[[str], float]) -> int:
    """How many pieces of a full line to keep: up to its last space if that leaves the line
    at least SPACE_PREFERENCE full, so a word is not split when a space is near."""
    for keep in range(len(line) - 1, 0, -1):
        if line[keep - 1][-1:].isspace():
            if measure("".join(line[:keep]).rstrip()) >= SPACE_PREFERENCE * width:
                return keep
            break
    return len(line)


def _first_clusters(piece: str, width: float, measure: Callable[[str], float]) -> tuple[str, str]:
    """As many clusters of `piece` as fit `width` (at least one), and the rest."""
    head = ""
    pieces = clusters(piece)
    for n, cluster in enumerate(pieces):
        if head and measure((head + cluster).rstrip()) > width:
            return head, "".join(pieces[n:])
        head += cluster
    return head, ""


def _may_break_before(text: str, i: int) -> bool:
    prev, ch = text[i - 1], text[i]
    if ch.isspace() or not _cluster_starts(text, i):
        return False
    if prev.isspace():
        return True
    if ch in _OPENING or prev in _CLOSING:
        return True
    prev_thai, ch_thai = prev in _THAI_LETTERS, ch in _THAI_LETTERS
    if prev_thai != ch_thai:
        other = ch if prev_thai else prev
        return other.isalnum()
    if not ch_thai:
        return False
    if ch in _LEADING_VOWELS or prev in _SYLLABLE_ENDS:
        return True
    return ch in _CONSONANTS and _consonant_starts_syllable(text, i)


def _consonant_starts_syllable(text: str, i: int) -> bool:
    vowel = text[i + 1] if i + 1 < len(text) else ""
    prev = text[i - 1]
    if text[i] in _CLUSTER_SECONDS and prev in _CONSONANTS:
        return False
    if vowel in _STARTS_SYLLABLE:
        return True
    if vowel in _MAYBE_SILENT:
        after_leading = i >= 2 and text[i - 2] in _LEADING_VOWELS
        return prev not in "\u0e32\u0e31" and not after_leading  # า ั
    return False


def _cluster_starts(text: str, i: int) -> bool:
    """A cluster is a leading vowel, its consonant and the marks and vowels that follow it."""
    return (
        text[i] not in _MARKS and text[i] not in _FOLLOWING and text[i - 1] not in _LEADING_VOWELS
    )
