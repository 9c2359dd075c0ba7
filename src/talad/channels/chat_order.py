"""Smart paste, the order half: what a chat asks to buy and how the customer will pay.

`read_order(text, catalogue)` is pure (no database, no Django): `smart_paste.parse_contact`
calls it on the cleaned text and keeps the words it found out of the name and the address,
so "เอาเสื้อสีขาวไซส์ L 2 ตัว" never prints on a label. The catalogue is the shop's sellable
variants (`channels.selectors.paste_catalogue`); without one, order talk is still recognised
and kept out of the address, but no line is proposed.

How it reads (docs/design/shipping.md#smart-paste):

1. Payment: `chat_payment.payment_intent` (COD or transfer, or open).
2. Cues: the shop's product names (whole, or a prefix of at least four Thai letters or three
   Latin ones: "เสื้อ" for "เสื้อยืดคอกลม"; a few everyday Thai/English synonyms: tee =
   เสื้อยืด), SKUs, colours (สีขาว, white), sizes (ไซส์ L, size M, a bare capital L, XL),
   quantities (2 ตัว, x2, สองตัว, ตัวนึง, จำนวน 3, a bare number next to a product) and order
   verbs (เอา, สั่ง, want). Cues close together on one line form a cluster; address markers,
   house numbers, phones, labels and line breaks end it.
3. Lines: a cluster splits at each product name and at connectors (และ, กับ, and, +); a piece
   without a product name refers to the one before ("อีกตัวสีดำ M"). Each piece picks the
   variant whose colour, size and other option words agree with what was said; a stated colour
   or size that differs rules a variant out. A line is proposed only when exactly one variant
   fits: the seller confirms every line, so a guess between sizes is left to them.

A product name alone (no quantity, colour, size or verb beside it) is not taken as order talk:
"แก้วตา" is a first name as well as the start of "แก้วมัค".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from talad.channels.chat_payment import payment_intent
from talad.thai_words import number_text

# Product-name prefixes shorter than this are no evidence ("เสื" is no word; "แก" is too many).
MIN_THAI_PREFIX = 4
MIN_LATIN_PREFIX = 4
# Cues further apart than this (characters without a digit) are separate talk.
MAX_GAP = 12
MAX_QUANTITY = 999


@dataclass(frozen=True)
class CatalogueItem:
    """One sellable variant as smart paste needs it: its SKU and the words that name it."""

    sku: str
    product: str
    option: str = ""


@dataclass(frozen=True)
class ProposedLine:
    sku: str
    quantity: int
    said: str  # the words it was read from, shown to the seller beside the line


@dataclass
class OrderTalk:
    lines: list[ProposedLine] = field(default_factory=list)
    payment_method: str | None = None
    # Where the order and payment words are in the text: never name or address.
    spans: list[tuple[int, int]] = field(default_factory=list)


# --- words --------------------------------------------------------------------------------

_COLOURS: dict[str, tuple[str, ...]] = {
    "white": ("ขาว", "white"),
    "black": ("ดำ", "black"),
    "red": ("แดง", "red"),
    "navy": ("กรมท่า", "กรม", "navy"),
    "blue": ("น้ำเงิน", "blue"),
    "sky": ("ฟ้า", "sky"),
    "green": ("เขียว", "green"),
    "yellow": ("เหลือง", "yellow"),
    "pink": ("ชมพู", "pink"),
    "purple": ("ม่วง", "purple"),
    "orange": ("ส้ม", "orange"),
    "grey": ("เทา", "grey", "gray"),
    "brown": ("น้ำตาล", "brown"),
    "cream": ("ครีม", "cream"),
    "beige": ("เบจ", "beige"),
    "khaki": ("กากี", "khaki"),
    "gold": ("ทอง", "gold"),
    "silver": ("เงิน", "silver"),
}
# Thai colour words that mean something else too (เงิน money, ทอง gold, ส้ม an orange, ครีม a
# cream, ฟ้า the sky): in a chat they are a colour only after "สี".
_NEEDS_SI = {"เงิน", "ทอง", "ส้ม", "ครีม", "ฟ้า", "กรม", "เบจ", "กากี"}
_COLOUR_OF = {w: c for c, words in _COLOURS.items() for w in words}

_SIZES = {
    "xs": "XS",
    "s": "S",
    "m": "M",
    "l": "L",
    "xl": "XL",
    "xxl": "2XL",
    "2xl": "2XL",
    "xxxl": "3XL",
    "3xl": "3XL",
    "4xl": "4XL",
    "5xl": "5XL",
    "free": "FREE",
    "freesize": "FREE",
    "free size": "FREE",
    "ฟรีไซส์": "FREE",
    "ฟรีไซซ์": "FREE",
    "ฟรีไซด์": "FREE",
    "small": "S",
    "medium": "M",
    "large": "L",
    "เอส": "S",
    "เอ็ม": "M",
    "แอล": "L",
    "เอ็กซ์แอล": "XL",
    "เอ็กแอล": "XL",
}
_SIZE_MARKER = r"(?:ไซส์|ไซซ์|ไซด์|ไซต์|ไซ้ส์|ไซ|size|sz|เบอร์|เอว)"
_SIZE_VALUE = (
    r"(free\s?size|ฟรีไซ[สซด]์|เอ็กซ์แอล|เอ็กแอล|เอส|เอ็ม|แอล|small|medium|large"
    r"|xxxl|xxl|[2-5]xl|xl|xs|s|m|l|f"
    r"|\d{1,2}(?:\.5)?)"
)
_MARKED_SIZE = re.compile(
    _SIZE_MARKER
    + r"\s*[:.]?\s*"
    + _SIZE_VALUE
    + r"(?![A-Za-z0-9\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])",
    re.IGNORECASE,
)
# Capital S/M/L alone: lower-case "s" and "m" are too common in English words.
_BARE_SIZE = re.compile(
    r"(?<![A-Za-z0-9'])(XXXL|XXL|[2-5]XL|XL|XS|S|M|L|xxxl|xxl|[2-5]xl|xl)(?![A-Za-z0-9'])"
)
_FREE_SIZE = re.compile(r"free\s?size|ฟรีไซ[สซด]์", re.IGNORECASE)

_CLASSIFIER = (
    r"(?:ตัว|ชิ้น|อัน|ใบ|คู่|ชุด|กล่อง|ขวด|แพ็ค|แพ็ก|แพค|ถุง|ซอง|กระปุก|หลอด|เล่ม|ผืน|เส้น|ก้อน"
    r"|แท่ง|ห่อ|โหล|ลัง|เครื่อง|แผง|ม้วน|pcs|pc|pieces|piece|ea|units|unit|pack|packs|bottles?|boxes|box)"
)
_THAI_NUMBERS = {number_text(n): n for n in range(1, 100)} | {"นึง": 1, "หนึ่ง": 1}
_THAI_NUMBER = "(?:" + "|".join(sorted(map(re.escape, _THAI_NUMBERS), key=len, reverse=True)) + ")"
_ENGLISH_NUMBERS = dict(
    zip(
        ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
        range(1, 11),
        strict=True,
    )
)
_QUANTITY = re.compile(
    r"อย่างละ\s*(?:(?P<each>\d{1,3})|(?P<each_word>"
    + _THAI_NUMBER
    + r"))?\s*(?:"
    + _CLASSIFIER
    + r")?"
    r"|(?P<digits>(?<![\d./:,\-])\d{1,3})\s*(?P<cls>" + _CLASSIFIER + r")(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:x|×|\*)\s*(?P<times>\d{1,3})(?![\d./])"
    r"|(?<![\d./:,\-])(?P<times_before>\d{1,3})\s*(?:x|×)(?![A-Za-z])"
    r"|(?:จำนวน|qty|quantity)\s*[:=]?\s*(?P<counted>\d{1,3})(?![\d./])"
    r"|(?P<word>" + _THAI_NUMBER + r")\s*" + _CLASSIFIER + r"(?!ละ)"
    r"|(?:อีก\s*)?" + _CLASSIFIER + r"(?P<one>นึง|หนึ่ง|เดียว)"
    r"|อีก(?P<another>" + _CLASSIFIER + r")",
    re.IGNORECASE,
)
# A bare number: a quantity only inside order talk, and never a price or a measure.
_BARE_NUMBER = re.compile(
    r"(?<![\d./:,\-฿])(?<!ละ)(?<!ละ )(?<!ราคา)(?<!ราคา )(\d{1,2})(?![\d./:%\-])"
    r"(?!\s*(?:บาท|฿|baht|thb|\.-|ml|มล|g\b|kg|กรัม|กก|cm|ซม|นิ้ว|โล))",
    re.IGNORECASE,
)
_ENGLISH_NUMBER = re.compile(
    r"(?<![A-Za-z])(" + "|".join(_ENGLISH_NUMBERS) + r")(?![A-Za-z])", re.I
)

_ORDER_VERB = re.compile(
    r"อยากได้|ต้องการ|สั่งซื้อ|ขอสั่ง|สั่ง|ขอ(?!บ)|เอา|ซื้อ|สนใจ|(?<![A-Za-z])cf(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:(?:i'?d|i would|we'?d|i|we)\s+)?(?:like|want|order|buy|get|take)s?(?![A-Za-z])",
    re.IGNORECASE,
)
# A price said beside the product ("ราคา 350 บาท", "ตัวละ 250"): order talk, never address.
_PRICE = re.compile(
    r"(?:ราคา|(?:ตัว|ชิ้น|อัน)?ละ)?\s*฿?\s*\d[\d,]*(?:\.\d{1,2})?\s*(?:บาท|฿|baht|thb|\.-)"
    r"|(?:ราคา|(?:ตัว|ชิ้น|อัน)ละ)\s*\d[\d,]*(?:\.\d{1,2})?|฿\s*\d[\d,]*(?:\.\d{1,2})?",
    re.IGNORECASE,
)
_CONNECTOR = re.compile(
    r"และ|กับ|อีก(?=\s*\d|\s*" + _CLASSIFIER + r")|\+|&|,|(?<![A-Za-z])and(?![A-Za-z])"
)
_PARTICLES = re.compile(
    r"(?:\s|ค่ะ|คะ|ครับ|คับ|นะ|จ้า|จ้ะ|จ๊ะ|ค่า|ด้วย|ได้ไหม|ได้มั้ย|please|pls|plz|na|ka|krub|!|\.)*",
    re.IGNORECASE,
)

# Everyday words for the same thing, so "tee" finds "เสื้อยืด" and "แก้ว" finds "Mug".
_SAME_THING = (
    ("เสื้อยืด", "tee", "tees", "t-shirt", "tshirt"),
    ("เสื้อ", "shirt"),
    ("กางเกง", "pants", "trousers"),
    ("ยีนส์", "jeans", "jean"),
    ("หมวก", "cap", "hat"),
    ("แก้ว", "mug", "cup"),
    ("กระเป๋า", "bag", "tote"),
    ("รองเท้า", "shoes", "shoe"),
    ("ถุงเท้า", "socks", "sock"),
    ("เดรส", "dress"),
)

# Words in product names that name no product ("Tea for Two", "ชุด Set").
_COMMON_WORDS = {"the", "and", "for", "with", "set", "size", "new", "free", "pack", "แพ็ค"}

# --- the catalogue, prepared once per catalogue -------------------------------------------


@dataclass(frozen=True)
class _Variant:
    item: CatalogueItem
    colour: str | None
    size: str | None
    words: tuple[str, ...]  # other option words (ลายแมว, คอวี, 500ml), lower case


@dataclass(frozen=True)
class _Product:
    name: str
    terms: tuple[str, ...]  # lower case: the name's words and their synonyms
    variants: tuple[_Variant, ...]


@dataclass(frozen=True)
class _Catalogue:
    products: tuple[_Product, ...]
    by_sku: dict[str, CatalogueItem]
    # A name word or its start → (product, is the whole word); read at each place of the text.
    thai: dict[str, tuple[tuple[str, bool], ...]]
    thai_longest: int
    thai_starts: frozenset[str]
    latin: dict[str, tuple[tuple[str, bool], ...]]


_SPLIT = re.compile(r"[\s/\\,|()\[\]{}:;+\-–_]+")


def _words_of(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text.lower()) if w]


def _is_colour_word(word: str) -> bool:
    return word.removeprefix("สี") in _COLOUR_OF


_COLOUR_WORD = re.compile(
    "|".join(
        rf"(?<![a-z]){w}(?![a-z])" if w.isascii() else w
        for w in sorted(_COLOUR_OF, key=len, reverse=True)
    )
)


def _colour_in(text: str) -> str | None:
    """The colour an option names ("ขาว / L", "สีดำ", "White")."""
    m = _COLOUR_WORD.search(text.lower())
    return _COLOUR_OF[m.group()] if m else None


def _product_colour(name: str) -> str | None:
    """A colour in a product's name only as "สี…" or a word of its own: the ครีม of
    "ครีมกันแดด" is no colour."""
    m = re.search("สี(" + _COLOUR_WORD.pattern + ")", name.lower())
    if m:
        return _COLOUR_OF[m.group(1)]
    return next((_COLOUR_OF[w] for w in _words_of(name) if w in _COLOUR_OF), None)


def _size_in(words: list[str], text: str) -> str | None:
    if _FREE_SIZE.search(text):
        return "FREE"
    for w in words:
        w = re.sub(r"^(?:ไซส์|ไซซ์|ไซด์|size)", "", w)
        if w in _SIZES:
            return _SIZES[w]
        if re.fullmatch(r"\d{1,2}(?:\.5)?", w):
            return w
    return None


def _variant(item: CatalogueItem) -> _Variant:
    option = item.option.strip()
    words = _words_of(option)
    colour = _colour_in(option) or _product_colour(item.product)
    size = _size_in(words, option)
    others = tuple(
        w
        for w in words
        if len(w) >= 2
        and not w.isdigit()
        and w not in _SIZES
        and not _is_colour_word(w)
        and not re.fullmatch(r"(?:สี|ไซส์|ไซซ์|size)\S*", w)
    )
    return _Variant(item, colour, size, others)


def _terms(name: str) -> tuple[str, ...]:
    lower = name.lower()
    terms = {
        w
        for w in _words_of(name)
        if len(w) >= (MIN_LATIN_PREFIX - 1 if _is_latin(w) else MIN_THAI_PREFIX - 1)
        and not w.isdigit()
        and not _is_colour_word(w)
        and w not in _COMMON_WORDS
    }
    for group in _SAME_THING:
        if any(_has_word(lower, w) for w in group):
            terms |= set(group)
    return tuple(sorted(terms, key=len, reverse=True))


def _has_word(text: str, word: str) -> bool:
    if _is_latin(word):
        return _latin_word(word).search(text) is not None
    return word in text


@cache
def _latin_word(word: str) -> re.Pattern:
    return re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])")


@lru_cache(maxsize=16)
def _prepare(catalogue: tuple[CatalogueItem, ...]) -> _Catalogue:
    by_product: dict[str, list[_Variant]] = {}
    for item in catalogue:
        by_product.setdefault(item.product.strip(), []).append(_variant(item))
    products = tuple(
        _Product(name, _terms(name), tuple(variants)) for name, variants in by_product.items()
    )
    thai: dict[str, dict[str, bool]] = {}
    latin: dict[str, dict[str, bool]] = {}
    for product in products:
        for term in product.terms:
            index = latin if _is_latin(term) else thai
            for form in _prefixes(term):
                names = index.setdefault(form, {})
                names[product.name] = names.get(product.name, False) or form == term
    return _Catalogue(
        products=products,
        by_sku={item.sku.lower(): item for item in catalogue if item.sku},
        thai={k: tuple(v.items()) for k, v in thai.items()},
        thai_longest=max(map(len, thai), default=0),
        thai_starts=frozenset(k[:3] for k in thai),
        latin={k: tuple(v.items()) for k, v in latin.items()},
    )


# --- cues ---------------------------------------------------------------------------------


@dataclass
class _Cue:
    kind: str  # anchor, sku, colour, size, qty, number, verb
    start: int
    end: int
    value: object = None
    strong: bool = True


_STOP = re.compile(
    r"\n|https?://\S+"
    r"|(?:กิ่งอำเภอ|อำเภอ|ตำบล|จังหวัด|แขวง|เขต|(?<![\u0e01-\u0e4e])(?:ต|อ|จ|ม|ซ|ถ)\.)"
    r"|ซอย|ถนน|หมู่บ้าน|หมู่ที่|หมู่|บ้านเลขที่|เลขที่|คอนโด|อาคาร|ห้อง|ชั้น|หอพัก"
    r"|ชื่อ|ผู้รับ|ที่อยู่|ส่งที่|ส่งให้|ส่งไป|จัดส่ง|เบอร์\s*โทร|โทร|มือถือ|คุณ|นาย|นาง|น\.ส\."
    r"|(?<![A-Za-z])(?:name|address|tel|phone|mobile|ship\s+to|deliver\s+to)(?![A-Za-z])"
    r"|\d+/\d+|\d{4,}",
    re.IGNORECASE,
)


def read_order(
    text: str,
    catalogue: Iterable[CatalogueItem] = (),
    *,
    blocked: Sequence[tuple[int, int]] = (),
) -> OrderTalk:
    """The lines and payment method a chat asks for; `blocked` spans (phones) are not read.

    `text` is what `smart_paste` reads: Thai digits already turned into Arabic ones."""
    payment, payment_spans = payment_intent(text)
    prepared = _prepare(tuple(catalogue))
    stops = _stops(text, blocked, payment_spans)
    cues = _cues(text, prepared, stops)
    lines: dict[str, list] = {}
    spans = list(payment_spans)
    products: tuple[str, ...] = ()
    for cluster in _clusters(text, cues, stops):
        spans.append(_extent(text, cluster, stops))
        found, products = _lines_of(text, cluster, prepared, products)
        for sku, quantity, said in found:
            if sku in lines:
                lines[sku][0] += quantity
            else:
                lines[sku] = [quantity, said]
    return OrderTalk(
        lines=[ProposedLine(sku, min(q, MAX_QUANTITY), said) for sku, (q, said) in lines.items()],
        payment_method=payment,
        spans=sorted(spans),
    )


def _stops(text: str, blocked, payment_spans) -> list[tuple[int, int]]:
    stops = [(m.start(), m.end()) for m in _STOP.finditer(text)]
    return sorted([*stops, *blocked, *payment_spans])


def _crosses(stops, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in stops)


def _cues(text: str, catalogue: _Catalogue, stops) -> list[_Cue]:
    lower = text.lower()
    cues: list[_Cue] = []
    taken = bytearray(len(text))

    def add(cue: _Cue) -> None:
        if any(taken[cue.start : cue.end]) or _crosses(stops, cue.start, cue.end):
            return
        cues.append(cue)
        taken[cue.start : cue.end] = b"\x01" * (cue.end - cue.start)

    for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9\-_./]*[A-Za-z0-9]|[A-Za-z0-9]", text):
        item = catalogue.by_sku.get(m.group().lower())
        if item:
            add(_Cue("sku", m.start(), m.end(), item))
    for anchor in _anchors(text, lower, catalogue):
        add(anchor)
    for m in _QUANTITY.finditer(text):
        add(_Cue("qty", m.start(), m.end(), _quantity_of(m)))
    for m in _MARKED_SIZE.finditer(text):
        value = m.group(1).lower().replace(" ", "")
        add(_Cue("size", m.start(), m.end(), _SIZES.get(value, _SIZES.get(value[:4], value))))
    for m in re.finditer(
        r"สี\s*(" + "|".join(sorted(_COLOUR_OF, key=len, reverse=True)) + ")", lower
    ):
        add(_Cue("colour", m.start(), m.end(), _COLOUR_OF[m.group(1)]))
    for word, colour in sorted(_COLOUR_OF.items(), key=lambda wc: len(wc[0]), reverse=True):
        if word in _NEEDS_SI:
            continue
        pattern = rf"(?<![a-z]){word}(?![a-z])" if _is_latin(word) else re.escape(word)
        for m in re.finditer(pattern, lower):
            add(_Cue("colour", m.start(), m.end(), colour, strong=False))
    for m in _BARE_SIZE.finditer(text):
        add(_Cue("size", m.start(), m.end(), _SIZES[m.group(1).lower()], strong=False))
    for m in _ORDER_VERB.finditer(text):
        add(_Cue("verb", m.start(), m.end(), strong=False))
    for m in _PRICE.finditer(text):
        if m.group().strip():
            add(
                _Cue(
                    "price",
                    m.start() + len(m.group()) - len(m.group().lstrip()),
                    m.end(),
                    strong=False,
                )
            )
    for m in _BARE_NUMBER.finditer(text):
        add(_Cue("number", m.start(), m.end(), int(m.group(1)), strong=False))
    for m in _ENGLISH_NUMBER.finditer(text):
        add(_Cue("number", m.start(), m.end(), _ENGLISH_NUMBERS[m.group(1).lower()], strong=False))
    cues.sort(key=lambda c: c.start)
    return cues


def _quantity_of(m: re.Match) -> int:
    for group in ("each", "digits", "times", "times_before", "counted"):
        if m.group(group):
            return int(m.group(group))
    for group in ("each_word", "word"):
        if m.group(group):
            return _THAI_NUMBERS[m.group(group)]
    return 1  # ตัวนึง, ชิ้นเดียว, อีกตัว, อย่างละตัว


def _anchors(text: str, lower: str, catalogue: _Catalogue) -> list[_Cue]:
    """Where product names are: at each place, the products named best there."""
    found: dict[tuple[int, int], dict[str, int]] = {}
    whole: set[tuple[int, int]] = set()  # places where a whole word of a name is written

    def note(start: int, end: int, entries) -> None:
        scores = found.setdefault((start, end), {})
        for name, is_whole in entries:
            # A whole word beats the same letters as the start of a longer one.
            score = 2 * (end - start) + is_whole
            scores[name] = max(scores.get(name, 0), score)
            if is_whole:
                whole.add((start, end))

    for start, end, entries in _thai_matches(lower, catalogue):
        note(start, end, entries)
    for m in re.finditer(r"[a-z][a-z\-]*", lower):
        entries = _latin_entries(m.group(), catalogue.latin)
        if entries:
            note(m.start(), m.end(), entries)
    at: dict[int, list[tuple[int, int]]] = {}
    for span in found:
        for i in range(*span):
            at.setdefault(i, []).append(span)
    # Keep the longest matches: a place inside a longer match is no separate mention.
    taken = bytearray(len(text))
    anchors = []
    for start, end in sorted(found, key=lambda se: se[1] - se[0], reverse=True):
        if any(taken[start:end]):
            continue
        overlapping: dict[str, int] = {}
        for span in {sp for i in range(start, end) for sp in at[i]}:
            for name, score in found[span].items():
                overlapping[name] = max(overlapping.get(name, 0), score)
        best = max(overlapping.values())
        names = tuple(sorted(n for n, sc in overlapping.items() if sc == best))
        taken[start:end] = b"\x01" * (end - start)
        anchors.append(_Cue("anchor", start, end, names, strong=(start, end) in whole))
    return anchors


def _thai_matches(lower: str, catalogue: _Catalogue):
    """At each place a word may start, the longest name (or start of one) written there."""
    index, longest = catalogue.thai, catalogue.thai_longest
    for i in range(len(lower)):
        if lower[i : i + 3] not in catalogue.thai_starts:
            continue
        if i > 0 and lower[i - 1] in _LEADING_VOWELS:
            continue  # the middle of a syllable
        for end in range(min(len(lower), i + longest), i + 2, -1):
            entries = index.get(lower[i:end])
            if entries and not (end < len(lower) and _COMBINING.match(lower, end)):
                yield i, end, entries
                break


def _latin_entries(word: str, index: dict[str, tuple[tuple[str, bool], ...]]):
    """Products a Latin word names: exactly or in the plural (tees, mugs) as a whole word;
    as its first letters (at least MIN_LATIN_PREFIX) as a start."""
    entries = [e for e in index.get(word, ()) if e[1] or len(word) >= MIN_LATIN_PREFIX]
    for cut in (1, 2):
        if len(word) - cut >= MIN_LATIN_PREFIX - 1:
            entries += [e for e in index.get(word[:-cut], ()) if e[1]]
    return entries


def _prefixes(term: str) -> tuple[str, ...]:
    """The term and its shorter forms a customer may type, longest first."""
    if _is_latin(term):
        return (term, *tuple(term[:n] for n in range(len(term) - 1, MIN_LATIN_PREFIX - 1, -1)))
    out = [term]
    for n in range(len(term) - 1, MIN_THAI_PREFIX - 1, -1):
        # A prefix ends between syllables: not before a mark, not after a leading vowel.
        if term[n] not in _MARKS and term[n - 1] not in _LEADING_VOWELS:
            out.append(term[:n])
    return tuple(out)


_COMBINING = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0e30\u0e32\u0e33\u0e45]")
_MARKS = frozenset(
    "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e30\u0e32\u0e33\u0e45"
) | frozenset(chr(c) for c in range(0x0E47, 0x0E4F))
_LEADING_VOWELS = "เแโใไ"


def _is_latin(word: str) -> bool:
    return word.isascii()


# --- clusters and lines -------------------------------------------------------------------


def _clusters(text: str, cues: list[_Cue], stops) -> list[list[_Cue]]:
    """Cues close together between two stops; only clusters that are order talk."""
    clusters: list[list[_Cue]] = []
    for cue in cues:
        if clusters:
            last = clusters[-1][-1]
            gap = text[last.end : cue.start]
            if (
                len(gap) <= MAX_GAP
                and not re.search(r"\d", gap)
                and not _crosses(stops, last.end, cue.start)
            ):
                clusters[-1].append(cue)
                continue
        clusters.append([cue])
    return [c for c in clusters if _is_order_talk(c)]


def _is_order_talk(cluster: list[_Cue]) -> bool:
    kinds = {c.kind for c in cluster}
    if "sku" in kinds or any(c.strong and c.kind in ("qty", "size") for c in cluster):
        return True
    # "สีขาว" alone may be a surname (ลำดวน สีขาว); with anything else beside it, an order.
    if any(c.strong and c.kind == "colour" for c in cluster) and len(kinds) > 1:
        return True
    anchors = [c for c in cluster if c.kind == "anchor"]
    if any(a.strong for a in anchors):
        return len(kinds) > 1  # a product's name with a count, colour, size or verb beside it
    # A name's first letters ("แก้ว…") only with a verb, colour or size: "แก้วตา" is a person.
    return bool(anchors) and bool(kinds & {"verb", "colour", "size"})


def _extent(text: str, cluster: list[_Cue], stops) -> tuple[int, int]:
    start, end = cluster[0].start, cluster[-1].end
    # The rest of a word glued to the first cue ("เอาเสื้อ…" starts at เอา), within reason.
    while start > 0 and not text[start - 1].isspace() and cluster[0].start - start < 8:
        if _crosses(stops, start - 1, start):
            break
        start -= 1
    # Letters glued to the last cue ("สีขาวสวยๆ") and the polite words after it.
    glued = re.match("[\u0e01-\u0e4eๆ]{1,8}", text[end:])
    if glued and not _crosses(stops, end, end + glued.end()):
        end += glued.end()
    tail = _PARTICLES.match(text, end)
    if tail and not _crosses(stops, end, tail.end()):
        end = tail.end()
    return start, end


def _lines_of(text: str, cluster: list[_Cue], catalogue: _Catalogue, products: tuple[str, ...]):
    """Split a cluster into one piece per product and read each piece's variant. A piece
    without a product name is about `products`, the ones named last; returns the lines and
    the products named last after this cluster."""
    pieces: list[list[_Cue]] = []
    for cue in cluster:
        starts_piece = (
            not pieces
            or (cue.kind in ("anchor", "sku") and _has_product(pieces[-1]))
            or (cue.kind == "qty" and text.startswith("อีก", cue.start))  # อีกตัว: one more
            or bool(_CONNECTOR.search(text, pieces[-1][-1].end, cue.start))
            or (_counted(pieces[-1]) and cue.kind in ("anchor", "colour", "size"))
        )
        if starts_piece:
            pieces.append([cue])
        else:
            pieces[-1].append(cue)
    # A count between two products belongs to the second when the first has its own
    # ("1 black tee 2 white mugs").
    for before, after in itertools.pairwise(pieces):
        counts = [c for c in before if c.kind in ("number", "qty")]
        if (
            len(counts) > 1
            and before[-1] is counts[-1]
            and not any(c.kind in ("number", "qty") for c in after)
        ):
            after.insert(0, before.pop())
    lines = []
    for piece in pieces:
        skus = [c.value for c in piece if c.kind == "sku"]
        anchors = [c for c in piece if c.kind == "anchor"]
        if anchors:
            products = anchors[0].value
        elif not skus and not any(c.kind in ("colour", "size", "number") for c in piece):
            continue  # "อย่างละตัว", "อีก 1 ตัว": a count for what was said before
        if not skus and not products:
            continue
        said = text[piece[0].start : piece[-1].end].strip()
        if skus:
            lines.append((skus[0].sku, _piece_quantity(piece, size=None), said))
            continue
        variant = _pick_variant(piece, products, catalogue, text)
        if variant is not None:
            lines.append((variant.item.sku, _piece_quantity(piece, size=variant.size), said))
    return lines, products


def _has_product(piece: list[_Cue]) -> bool:
    return any(c.kind in ("anchor", "sku") for c in piece)


def _counted(piece: list[_Cue]) -> bool:
    """A piece that named a product or its colour or size and then its count is complete:
    what follows is the next item ("…สีขาว L 2 ตัว สีดำ M 1 ตัว")."""
    if piece[-1].kind not in ("qty", "number"):
        return False
    return any(c.kind in ("anchor", "colour", "size") for c in piece[:-1])


def _piece_quantity(piece: list[_Cue], *, size: str | None) -> int:
    counted = [c.value for c in piece if c.kind == "qty"]
    if counted:
        return max(1, int(counted[0]))
    # A bare number that is the variant's size (jeans "30") is no count.
    bare = [c.value for c in piece if c.kind == "number" and c.value and str(c.value) != size]
    return max(1, int(bare[0])) if bare else 1


def _pick_variant(piece, products: tuple[str, ...], catalogue: _Catalogue, text: str):
    colours = {c.value for c in piece if c.kind == "colour"}
    sizes = {c.value for c in piece if c.kind == "size"}
    numbers = {str(c.value) for c in piece if c.kind == "number"}
    said = text[piece[0].start : piece[-1].end].lower()
    best: list[_Variant] = []
    top = -1
    for product in catalogue.products:
        if product.name not in products:
            continue
        for v in product.variants:
            score = 0
            if v.colour and colours:
                if v.colour not in colours:
                    continue
                score += 2
            if v.size and (sizes or (v.size.isdigit() and numbers)):
                if v.size in sizes or v.size in numbers:
                    score += 2
                else:
                    continue
            score += sum(2 for w in v.words if w in said)
            if score > top:
                best, top = [v], score
            elif score == top:
                best.append(v)
    if len(best) != 1:
        return None
    chosen = best[0]
    # Every stated colour and size must be accounted for by the chosen variant.
    if (colours and chosen.colour is None) or (sizes and chosen.size is None):
        return None
    return chosen
