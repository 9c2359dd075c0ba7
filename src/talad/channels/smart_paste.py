"""Smart paste: the name, phone and Thai address in what a customer typed into a chat.

`parse_contact(text, catalogue)` is a pure function (no database, no Django): the order form
and `POST /api/v1/parse-contact` both call it, passing the shop's sellable variants
(`channels.selectors.paste_catalogue`). It reads, in this order (docs/design/shipping.md#smart-paste):

1. phones, in any common spelling (`081-234-5678`, `+66 81 234 5678`, `02 123 4567`),
   checked with `phonenumbers` and written `0XXXXXXXXX`; the first mobile is the phone (a
   courier calls a mobile), else the first landline; the others are kept in `other_phones`;
   then the order talk (`chat_order.read_order`): products, counts and the payment method,
   whose words are kept out of the name and the address line;
2. the postcode: the last five-digit number that is a real postcode;
3. area names after a marker (ต./ตำบล/แขวง, อ./อำเภอ/เขต, จ./จังหวัด), the longest known
   name that follows, so glued text (`ต.คลองหนึ่งอ.คลองหลวง`) reads too; กทม./กรุงเทพฯ,
   a few common short names (โคราช, อุบล, นครศรีฯ) and, after จ. only, the two-letter
   province abbreviations (จ.ชม., จ.ขก.); road, lane and village names (ถ.ลาดพร้าว) are
   never taken for areas;
4. bare area names (no marker), whole words only, and — among the few areas the evidence
   already allows — names found anywhere in the text, in Thai or in GeoThai's English;
5. every subdistrict the evidence allows gets a score (postcode, subdistrict, district,
   province; a marked name counts more than a bare one); the best ones win. A field is
   filled only when every winner agrees on it; otherwise the winners are returned in
   `candidates` so the seller picks one. A typo after a marker is matched loosely, but
   only against the areas the rest of the text allows (or the 77 provinces / 928 districts).
6. what is left: the name (a piece with a title, else one after a `ชื่อ` label, else the
   first short piece without digits), and the address line (house number, หมู่, ซอย,
   ถนน, building — kept as typed).

Decisions:
- Names: `คุณ` (and `K.`/`Khun`) is a courtesy word and is dropped; formal titles stay,
  spelt out and written the Thai way, glued to the first name: `น.ส. สมหญิง` →
  `นางสาวสมหญิง`, `ด.ช.` → `เด็กชาย`; `Mr.`/`Mrs.`/`Ms.`/`Miss` stay as typed.
- Areas are spelt as GeoThai spells them: the province `กรุงเทพมหานคร`, Bangkok districts
  with their `เขต` (`เขตปทุมวัน`), other districts without `อำเภอ`.
- Text with neither a phone nor a place in it is not a contact: every field stays empty.
- Nothing raises: empty, garbage or very long text gives empty fields. Only the first
  `MAX_CHARS` characters are read.

Area data: GeoThai (https://github.com/GeoThai), licensed CC-BY-4.0, through the `geothai`
package (MIT).
"""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import geothai
import phonenumbers

from talad.channels.chat_order import CatalogueItem, ProposedLine, read_order

MAX_CHARS = 20_000
# More equally good areas than this is no longer a choice a seller can make from a list.
MAX_CANDIDATES = 40
# Misspelt names tried against the area lists, at most (each try compares with ~1,000 names).
MAX_FUZZY = 6

SUB, DIST, PROV = "subdistrict", "district", "province"
BANGKOK = "10"

# Evidence weights: a name after a marker, or the postcode, is strong; a bare word is
# weaker (it may be a person's name: สุรินทร์ is a province and a first name); a name
# found inside other text only breaks ties. Below MIN_SCORE nothing is filled.
MARKED, BARE, INSIDE = 3, 2, 1
MIN_SCORE = 3


@dataclass
class ParsedContact:
    name: str = ""
    phone: str = ""
    address_line: str = ""
    subdistrict: str = ""
    district: str = ""
    province: str = ""
    postcode: str = ""
    # Equally likely areas when the text does not settle one: dicts with
    # subdistrict, district, province and postcode. Empty when the area is certain.
    candidates: list[dict] = field(default_factory=list)
    other_phones: list[str] = field(default_factory=list)
    # The order talk: "cod", "transfer" or None, and lines for the seller to confirm.
    payment_method: str | None = None
    lines: list[ProposedLine] = field(default_factory=list)


# --- the area indexes, built once -------------------------------------------------------

# Short forms seen only after "จ." (alone they are ordinary words: นม is milk).
_PROVINCE_ABBREVIATIONS = {
    "กท": BANGKOK,
    "สป": "11",
    "นบ": "12",
    "ปท": "13",
    "อย": "14",
    "ชบ": "20",
    "นม": "30",
    "อบ": "34",
    "ขก": "40",
    "อด": "41",
    "ชม": "50",
    "ชร": "57",
    "นศ": "80",
    "ภก": "83",
    "สฎ": "84",
    "สข": "90",
}

_PROVINCE_ALIASES = {
    "กทม": BANGKOK,
    "กรุงเทพ": BANGKOK,
    "กรุงเทพฯ": BANGKOK,
    "กรุงเทพมหานครฯ": BANGKOK,
    "อยุธยา": "14",
    "กรุงศรีอยุธยา": "14",
    "โคราช": "30",
    "อุบล": "34",
    "สุราษฎร์": "84",
    "สุราษฎร์ฯ": "84",
    "นครศรีฯ": "80",
    "นครศรี": "80",
    "ประจวบฯ": "77",
    "ประจวบ": "77",
}


@dataclass(frozen=True)
class _Area:
    code: str
    name: str
    name_en: str
    district_code: str
    province_code: str
    postal_codes: tuple[str, ...]


@dataclass(frozen=True)
class _Index:
    # level → spelling → codes of that level
    names: dict[str, dict[str, frozenset[str]]]
    longest: dict[str, int]
    subdistricts: dict[str, _Area]
    district_names: dict[str, str]
    province_names: dict[str, str]
    english_names: dict[str, str]  # district or province code → English name
    subs_of_district: dict[str, tuple[str, ...]]
    subs_of_province: dict[str, tuple[str, ...]]
    subs_of_postcode: dict[str, tuple[str, ...]]


def _spellings(name: str) -> set[str]:
    """The ways people write one official name: without hyphen, either half of `A (B)`."""
    out = {name, name.replace("-", "")}
    paren = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if paren:
        out |= {paren.group(1), paren.group(2)}
    return {s for s in out if s}


@cache
def _index() -> _Index:
    names: dict[str, dict[str, set[str]]] = {SUB: {}, DIST: {}, PROV: {}}
    subdistricts: dict[str, _Area] = {}
    district_names: dict[str, str] = {}
    province_names: dict[str, str] = {}
    english_names: dict[str, str] = {}
    subs_of_district: dict[str, list[str]] = {}
    subs_of_province: dict[str, list[str]] = {}
    subs_of_postcode: dict[str, list[str]] = {}

    def add(level: str, spelling: str, code: str) -> None:
        names[level].setdefault(spelling, set()).add(code)

    for p in geothai.provinces():
        province_names[p.code] = p.name_th
        english_names[p.code] = p.name_en
        for s in _spellings(p.name_th):
            add(PROV, s, p.code)
        for d in geothai.districts(p.code):
            district_names[d.code] = d.name_th
            english_names[d.code] = d.name_en
            spellings = _spellings(d.name_th)
            if d.name_th.startswith("เขต"):
                spellings |= _spellings(d.name_th.removeprefix("เขต"))
            if d.code.endswith("01") and p.code != BANGKOK:  # อ.เมือง is the capital district
                spellings |= {"เมือง", "เมือง" + p.name_th}
            for s in spellings:
                add(DIST, s, d.code)
            for s in geothai.subdistricts(d.code):
                area = _Area(s.code, s.name_th, s.name_en, d.code, p.code, tuple(s.postal_codes))
                subdistricts[s.code] = area
                subs_of_district.setdefault(d.code, []).append(s.code)
                subs_of_province.setdefault(p.code, []).append(s.code)
                for pc in area.postal_codes:
                    subs_of_postcode.setdefault(pc, []).append(s.code)
                for spelling in _spellings(s.name_th):
                    add(SUB, spelling, s.code)
    for alias, code in _PROVINCE_ALIASES.items():
        add(PROV, alias, code)
    frozen = {level: {k: frozenset(v) for k, v in d.items()} for level, d in names.items()}
    return _Index(
        names=frozen,
        longest={level: max(map(len, d)) for level, d in frozen.items()},
        subdistricts=subdistricts,
        district_names=district_names,
        province_names=province_names,
        english_names=english_names,
        subs_of_district={k: tuple(v) for k, v in subs_of_district.items()},
        subs_of_province={k: tuple(v) for k, v in subs_of_province.items()},
        subs_of_postcode={k: tuple(v) for k, v in subs_of_postcode.items()},
    )


# --- patterns ---------------------------------------------------------------------------

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\ufe00-\ufe0f]")
# A vowel or tone mark that belongs to the letter before it: a name cannot end before one.
_COMBINING = re.compile("[\u0e30-\u0e3a\u0e45-\u0e4e]")
_THAI_WORD = re.compile("[\u0e01-\u0e4e]+(?:-[\u0e01-\u0e4e]+)*")
_WORD_START = re.compile("[\u0e01-\u0e2e\u0e40-\u0e44A-Za-z\\s]")

_PHONE = re.compile(r"(?<![\d/])(?:\+\s?66|\(?0)(?:[\s\-.()]{0,2}\d){8,9}(?!\d)")
_POSTCODE = re.compile(r"(?<![\d/\-.])\d{5}(?![\d/])")
_MARKER = re.compile(r"(กิ่งอำเภอ|อำเภอ|ตำบล|จังหวัด|แขวง|เขต|ต\.|อ\.|จ\.)\s*")
_MARKER_LEVEL = {
    "ตำบล": SUB,
    "ต.": SUB,
    "แขวง": SUB,
    "อำเภอ": DIST,
    "กิ่งอำเภอ": DIST,
    "อ.": DIST,
    "เขต": DIST,
    "จังหวัด": PROV,
    "จ.": PROV,
}
_SHORT_PROVINCE = re.compile("([\u0e01-\u0e2e]{2})\\.?(?![\u0e01-\u0e4e])")
_LATIN_BANGKOK = re.compile(r"\b(?:bangkok|bkk)\b", re.IGNORECASE)
# A road, lane, village or building name is address text even when it is also an area name
# (ถ.ลาดพร้าว, ถนนกรุงเทพ-นนทบุรี).
_NAMED_PLACE = re.compile(
    "(?<![\u0e01-\u0e4e])"
    r"(?:ซอย|ซ\.|ถนน|ถ\.|ตรอก|หมู่บ้าน|มบ\.|ม\.บ\.|คอนโด|อาคาร|ตึก|โครงการ|นิคม|บริษัท|บจก\.)\s*[^\s,;]*"
)

_LABEL = re.compile(
    r"^(?:(?:ผม|ฉัน|ดิฉัน|หนู)?ชื่อ\s*[-/]?\s*(?:นามสกุล|สกุล)|ชื่อผู้รับ|ผู้รับ|(?:ผม|ฉัน|ดิฉัน|หนู)?ชื่อ"
    r"|นามสกุล|ลูกค้า"
    r"|ที่อยู่\s*(?:ในการจัดส่ง|จัดส่ง|ผู้รับ|สำหรับจัดส่ง)?|จัดส่งที่|ส่งที่"
    r"|เบอร์\s*โทรศัพท์|เบอร์\s*โทร|เบอร์|โทรศัพท์|โทร\.?|มือถือ|tel\.?|phone|mobile|name|address"
    r"|รหัส\s*ไปรษณีย์|ไปรษณีย์|ปณ\.|zip\s*code|zip|postcode|postal\s*code)"
    r"(?![A-Za-z])\s*[:：=\-.]?\s*",
    re.IGNORECASE,
)
_NAME_LABEL = re.compile(r"^(?:ผม|ฉัน|ดิฉัน|หนู)?(?:ชื่อ|ผู้รับ|นามสกุล|ลูกค้า|name)", re.IGNORECASE)
_ADDRESS_LABEL = re.compile(r"^(?:ที่อยู่|address)", re.IGNORECASE)

_ADDRESS_WORD = re.compile(
    r"^(?:บ้านเลขที่|เลขที่|หมู่ที่|หมู่บ้าน|หมู่|ม\.|มบ\.|ซอย|ซ\.|ถนน|ถ\.|ตรอก|คอนโด|อาคาร|ตึก"
    r"|ชั้น|ห้อง|หอพัก|อพาร์ท|อพาร์ต|แมนชั่น|โครงการ|นิคม|ใกล้|ข้าง|ตรงข้าม|ปากซอย|ท้ายซอย"
    r"|หน้าปากซอย|หน้า|หลัง|แยก|บ้าน|บ\.|บจก|บริษัท|หจก|ร้าน|โรงเรียน|โรงพยาบาล|รพ\.|วัด|ตลาด"
    r"|ตำบล|ต\.|อำเภอ|อ\.|จังหวัด|จ\.|แขวง|เขต|moo\b|soi\b|road\b|rd\b|village\b|condo\b)",
    re.IGNORECASE,
)
# Chat talk that is neither a name nor an address.
_CHATTER = re.compile(
    r"สวัสดี|ขอบคุณ|รบกวน|ส่งของ|ส่งที่|ส่งให้|สั่งซื้อ|สั่ง|โอน|ยืนยัน|ปลายทาง|เก็บเงิน|ด้วยนะ|ได้เลย"
    r"|ค่าส่ง|^(?:cf|cod|ok|โอเค|ค่ะ|คะ|ครับ|คับ|จ้า|จ้ะ|ค่า|นะคะ|นะครับ|ฮะ|หรือ|และ|ส่ง)$",
    re.IGNORECASE,
)
_POLITE_END = re.compile(r"(?:นะคะ|นะครับ|ค่ะ|ครับ|จ้า)$")

# (written form, how the name keeps it); longest first so นางสาว wins over นาง.
_TITLES = (
    ("นางสาว", "นางสาว"),
    ("เด็กหญิง", "เด็กหญิง"),
    ("เด็กชาย", "เด็กชาย"),
    ("น.ส.", "นางสาว"),
    ("นส.", "นางสาว"),
    ("ด.ญ.", "เด็กหญิง"),
    ("ด.ช.", "เด็กชาย"),
    ("นาง", "นาง"),
    ("นาย", "นาย"),
    ("คุณ", ""),
    ("khun", ""),
    ("k.", ""),
    ("mrs.", "Mrs. "),
    ("mrs", "Mrs. "),
    ("mr.", "Mr. "),
    ("mr", "Mr. "),
    ("ms.", "Ms. "),
    ("ms", "Ms. "),
    ("miss", "Miss "),
)
_NAME_MAX_WORDS = 3


# --- reading ----------------------------------------------------------------------------


@dataclass
class _Mention:
    level: str
    codes: frozenset[str]
    weight: int
    start: int
    end: int


@dataclass
class _Unknown:
    """A marker followed by a word that is no known area: perhaps a typo."""

    level: str
    word: str
    start: int
    end: int


def parse_contact(text: str, catalogue: Iterable[CatalogueItem] = ()) -> ParsedContact:
    """Reads the name, phone, address and order talk out of pasted chat text (see the module
    docstring). Lines are proposed only from `catalogue`, the shop's sellable variants."""
    if not isinstance(text, str):
        return ParsedContact()
    text = _clean(text[:MAX_CHARS])
    if not text.strip():
        return ParsedContact()
    return _Reader(text, tuple(catalogue)).read()


def _clean(text: str) -> str:
    text = text.translate(_THAI_DIGITS).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text).replace("\t", " ")
    # Common Thai typing slips: นิคหิต + สระอา for สระอำ, two สระเอ for สระแอ.
    text = text.replace("\u0e4d\u0e32", "\u0e33").replace("เเ", "แ")
    text = "".join(
        " " if unicodedata.category(c) in ("So", "Sk", "Co", "Cc") and c != "\n" else c
        for c in text
    )
    return text


class _Reader:
    def __init__(self, text: str, catalogue: tuple[CatalogueItem, ...] = ()):
        self.text = text
        self.catalogue = catalogue
        self.index = _index()
        # 0 free; 1 phone or postcode; 2 a marker with its name; 3 a named place; 4 order talk
        self.busy = bytearray(len(text))
        self.has_latin = re.search("[A-Za-z]{3}", text) is not None
        # spans taken out of the text: (start, end, is_address_part)
        self.removed: list[tuple[int, int, bool]] = []
        self.mentions: list[_Mention] = []
        self.unknown: list[_Unknown] = []
        # subdistrict code → the mention that supports each level of it
        self.assigned: dict[str, dict[str, _Mention]] = {}

    def read(self) -> ParsedContact:
        out = ParsedContact()
        out.phone, out.other_phones = self._phones()
        self._order_talk(out)
        postcode, postcode_span = self._postcode()
        if postcode_span:
            self.removed.append((*postcode_span, True))
        self._marked_names()
        self._named_places()
        self._bare_names()
        winners = self._resolve(postcode)
        if winners:
            self._fill_area(out, winners, postcode)
        elif postcode:
            out.postcode = postcode
        if not (out.phone or out.postcode or out.province or out.candidates):
            # No phone and no place: not a contact at all, though it may still be an order.
            return ParsedContact(payment_method=out.payment_method, lines=out.lines)
        out.name, out.address_line = self._name_and_line()
        return out

    # -- phones and postcode

    def _phones(self) -> tuple[str, list[str]]:
        found: list[str] = []
        for m in _PHONE.finditer(self.text):
            number, end = _valid_phone(self.text, m.start(), m.end())
            if not number:
                continue
            self._mark(m.start(), end, 1)
            self.removed.append((m.start(), end, False))
            if number not in found:
                found.append(number)
        mobiles = [n for n in found if len(n) == 10]  # Thai mobiles have ten digits, landlines nine
        contact = (mobiles or found or [""])[0]
        return contact, [n for n in found if n != contact]

    def _order_talk(self, out: ParsedContact) -> None:
        """Products, counts and payment words: read, then kept out of name and address."""
        phones = [(start, end) for start, end, _address in self.removed]
        talk = read_order(self.text, self.catalogue, blocked=phones)
        out.payment_method, out.lines = talk.payment_method, talk.lines
        for start, end in talk.spans:
            start = next((i for i in range(start, end) if not self.busy[i]), end)
            stop = next((i for i in range(start, end) if self.busy[i]), end)
            if start < stop:
                self._mark(start, stop, 4)
                self.removed.append((start, stop, False))

    def _postcode(self) -> tuple[str, tuple[int, int] | None]:
        last = None
        for m in _POSTCODE.finditer(self.text):
            if not self._free(m.start(), m.end()):
                continue
            if m.group() in self.index.subs_of_postcode:
                last = m
        if last is None:
            return "", None
        self._mark(last.start(), last.end(), 1)
        return last.group(), (last.start(), last.end())

    # -- area names

    def _marked_names(self) -> None:
        text, pos = self.text, 0
        while m := _MARKER.search(text, pos):
            if not self._free(m.start(), m.end()):
                pos = m.end()
                continue
            level = _MARKER_LEVEL[m.group(1)]
            end, codes = self._longest_name(level, m.end())
            if codes:
                self.mentions.append(_Mention(level, codes, MARKED, m.start(), end))
                self._mark(m.start(), end, 2)
                pos = end
                continue
            short = _SHORT_PROVINCE.match(text, m.end()) if level == PROV else None
            if short and short.group(1) in _PROVINCE_ABBREVIATIONS:
                codes = frozenset({_PROVINCE_ABBREVIATIONS[short.group(1)]})
                self.mentions.append(_Mention(level, codes, MARKED, m.start(), short.end()))
                self._mark(m.start(), short.end(), 2)
                pos = short.end()
                continue
            word = _THAI_WORD.match(text, m.end())
            if word and (m.start() == 0 or not _is_thai_letter(text[m.start() - 1])):
                stop = word.end()
                following = _MARKER.search(text, m.end() + 1, stop)
                if following:
                    stop = following.start()
                self.unknown.append(_Unknown(level, text[m.end() : stop], m.start(), stop))
            pos = m.end()

    def _longest_name(self, level: str, start: int) -> tuple[int, frozenset[str]]:
        names, text = self.index.names[level], self.text
        for length in range(min(self.index.longest[level], len(text) - start), 1, -1):
            end = start + length
            if text[start:end] in names and not (end < len(text) and _COMBINING.match(text, end)):
                return end, names[text[start:end]]
        return start, frozenset()

    def _named_places(self) -> None:
        for m in _NAMED_PLACE.finditer(self.text):
            end = m.start()
            while end < m.end() and not self.busy[end]:
                end += 1
            self._mark(m.start(), end, 3)

    def _bare_names(self) -> None:
        for m in _LATIN_BANGKOK.finditer(self.text):
            if self._free(m.start(), m.end()):
                self.mentions.append(
                    _Mention(PROV, frozenset({BANGKOK}), MARKED, m.start(), m.end())
                )
        for start, end in self._free_runs():
            for m in _THAI_WORD.finditer(self.text, start, end):
                word = m.group()
                if word.endswith("ฯ") and word not in self.index.names[PROV]:
                    word = word[:-1]
                for level in (SUB, DIST, PROV):
                    codes = self.index.names[level].get(word)
                    if codes:
                        # The Bangkok short forms are never a person's name.
                        weight = MARKED if level == PROV and codes == {BANGKOK} else BARE
                        self.mentions.append(_Mention(level, codes, weight, m.start(), m.end()))

    def _free_runs(self):
        start = None
        for i, kind in enumerate(self.busy):
            if kind and start is not None:
                yield start, i
                start = None
            elif not kind and start is None:
                start = i
        if start is not None:
            yield start, len(self.busy)

    # -- choosing the area

    def _resolve(self, postcode: str) -> list[_Area]:
        winners = self._best(self._candidates(postcode), postcode)
        if self.unknown and self._fuzzy(winners):
            winners = self._best(self._candidates(postcode), postcode)
        if 1 < len(winners) <= 60 and self._names_inside(winners):
            winners = self._best({w.code for w in winners}, postcode)
        return winners

    def _candidates(self, postcode: str) -> set[str]:
        ix = self.index
        codes: set[str] = set(ix.subs_of_postcode.get(postcode, ()))
        for m in self.mentions:
            if m.level == SUB:
                codes |= m.codes
            elif m.level == DIST:
                for d in m.codes:
                    codes.update(ix.subs_of_district.get(d, ()))
            else:
                for p in m.codes:
                    codes.update(ix.subs_of_province.get(p, ()))
        return codes

    def _best(self, codes: set[str], postcode: str) -> list[_Area]:
        """The subdistricts with the highest score. Each mention counts for one level only:
        "บางรัก" is a district and a subdistrict, but one word is not both."""
        by_code: dict[str, dict[str, list[_Mention]]] = {SUB: {}, DIST: {}, PROV: {}}
        for m in sorted(self.mentions, key=lambda m: (m.weight, m.start), reverse=True):
            for code in m.codes:
                by_code[m.level].setdefault(code, []).append(m)
        ix = self.index
        top_weight = {
            level: {c: ms[0].weight for c, ms in by_code[level].items()} for level in by_code
        }
        subs, dists, provs = top_weight[SUB], top_weight[DIST], top_weight[PROV]
        bounds = []
        for code in codes:
            area = ix.subdistricts[code]
            post = MARKED if postcode in area.postal_codes else 0
            bound = (
                post
                + subs.get(code, 0)
                + dists.get(area.district_code, 0)
                + provs.get(area.province_code, 0)
            )
            bounds.append((bound, code, post))
        bounds.sort(key=lambda b: b[0], reverse=True)
        # A score never exceeds its bound, so once bounds fall below the best score so far,
        # no one further down can win.
        scored: dict[str, int] = {}
        self.assigned = {}
        top = 0
        for bound, code, post in bounds:
            if bound < top:
                break
            area = ix.subdistricts[code]
            options = (
                by_code[SUB].get(code, [])[:3],
                by_code[DIST].get(area.district_code, [])[:3],
                by_code[PROV].get(area.province_code, [])[:3],
            )
            score, chosen = _assign(options)
            scored[code] = score + post
            self.assigned[code] = chosen
            top = max(top, score + post)
        if top < MIN_SCORE:
            return []
        return sorted(
            (ix.subdistricts[c] for c, s in scored.items() if s == top),
            key=lambda a: a.code,
        )

    def _fuzzy(self, winners: list[_Area]) -> bool:
        """Match a misspelt name after a marker against the names still possible (or, with
        nothing else to go on, against every province or district). Only the last few
        unknown words are tried: an address ends a message."""
        ix, added = self.index, False
        pools: dict[str, dict[str, set[str]]] = {}
        for u in self.unknown[-MAX_FUZZY:]:
            if len(u.word) < 3:
                continue
            if u.level not in pools:
                pools[u.level] = by_name = {}
                if u.level == SUB:
                    for a in winners if len(winners) <= 200 else ():
                        by_name.setdefault(a.name, set()).add(a.code)
                elif u.level == DIST:
                    for code in {a.district_code for a in winners} or ix.district_names:
                        name = ix.district_names[code].removeprefix("เขต")
                        by_name.setdefault(name, set()).add(code)
                else:
                    for code in {a.province_code for a in winners} or ix.province_names:
                        by_name.setdefault(ix.province_names[code], set()).add(code)
            by_name = pools[u.level]
            close = difflib.get_close_matches(u.word, list(by_name), n=2, cutoff=0.75)
            if len(close) == 2 and _similarity(u.word, close[0]) == _similarity(u.word, close[1]):
                continue
            if close:
                codes = frozenset(by_name[close[0]])
                self.mentions.append(_Mention(u.level, codes, BARE, u.start, u.end))
                self._mark(u.start, u.end, 2)
                added = True
        return added

    def _names_inside(self, winners: list[_Area]) -> bool:
        """Names of the remaining areas written inside other text (no spaces, no markers)."""
        ix, text, added = self.index, self.text, False
        seen: set[tuple[str, str, str]] = set()
        for a in winners:
            for level, code, name in (
                (SUB, a.code, a.name),
                (DIST, a.district_code, ix.district_names[a.district_code].removeprefix("เขต")),
                *((PROV, a.province_code, n) for n in _province_spellings(a.province_code)),
            ):
                if (level, code, name) in seen or len(name) < 3:
                    continue
                seen.add((level, code, name))
                at = text.rfind(name)
                while at >= 0 and not self._inside_ok(at, at + len(name)):
                    at = text.rfind(name, 0, at)
                if at >= 0:
                    self.mentions.append(
                        _Mention(level, frozenset({code}), INSIDE, at, at + len(name))
                    )
                    added = True
            if self.has_latin:
                added |= self._english_inside(a)
        # "คลองตัน" inside "คลองตันเหนือ" is no mention of its own.
        self.mentions = [
            m
            for m in self.mentions
            if m.weight != INSIDE
            or not any(
                o.level == m.level
                and o.start <= m.start
                and m.end <= o.end
                and o.end - o.start > m.end - m.start
                for o in self.mentions
            )
        ]
        return added

    def _english_inside(self, a: _Area) -> bool:
        """English area names (Khlong Tan Nuea, Watthana), as whole words in any case."""
        ix, added = self.index, False
        for level, code, name in (
            (SUB, a.code, a.name_en),
            (DIST, a.district_code, ix.english_names[a.district_code]),
            (PROV, a.province_code, ix.english_names[a.province_code]),
        ):
            found = None
            for match in _english_pattern(name).finditer(self.text):
                found = match  # the last one: the address comes late in a message
            if found and not any(self.busy[found.start() : found.end()]):
                self.mentions.append(
                    _Mention(level, frozenset({code}), INSIDE, found.start(), found.end())
                )
                added = True
        return added

    def _inside_ok(self, start: int, end: int) -> bool:
        if any(self.busy[i] in (1, 4) for i in range(start, end)):
            return False
        return not (end < len(self.text) and _COMBINING.match(self.text, end))

    def _fill_area(self, out: ParsedContact, winners: list[_Area], postcode: str) -> None:
        ix = self.index
        pairs = []
        for a in winners:
            codes = (postcode,) if postcode in a.postal_codes else a.postal_codes
            pairs.extend((a, pc) for pc in codes)
        sub_names = {a.name for a, _ in pairs}
        districts = {a.district_code for a, _ in pairs}
        provinces = {a.province_code for a, _ in pairs}
        postcodes = {pc for _, pc in pairs}
        if len(provinces) == 1:
            out.province = ix.province_names[provinces.pop()]
            self._consume(PROV, winners)
        if len(districts) == 1:
            out.district = ix.district_names[districts.pop()]
            self._consume(DIST, winners)
        if len(sub_names) == 1:
            out.subdistrict = sub_names.pop()
            self._consume(SUB, winners)
        if len(postcodes) == 1:
            out.postcode = postcodes.pop()
        if 1 < len(pairs) <= MAX_CANDIDATES:
            out.candidates = [
                {
                    "subdistrict": a.name,
                    "district": ix.district_names[a.district_code],
                    "province": ix.province_names[a.province_code],
                    "postcode": pc,
                }
                for a, pc in pairs
            ]

    def _consume(self, level: str, winners: list[_Area]) -> None:
        """Take out of the text the words that named the chosen area at this level (for a
        name written twice, the marked or the later one: the first may be the customer's)."""
        for a in winners:
            m = self.assigned.get(a.code, {}).get(level)
            if m is not None:
                self.removed.append((m.start, m.end, True))
                return

    # -- name and address line

    def _name_and_line(self) -> tuple[str, str]:
        """What is left once phones, postcode and area names are out: split into pieces
        (a run of name words or of address words), pick the name, join the address."""
        text = self.text
        cut = bytearray(len(text))
        for start, end, _address in self.removed:
            cut[start:end] = b"\x01" * (end - start)
        pieces: list[_Piece] = []
        for segment, (seg_start, seg_text) in enumerate(_segments(text, cut)):
            _read_segment(segment, seg_start, seg_text, pieces)
        name_piece = _choose_name(pieces)
        name = ""
        if name_piece:
            name = _name_from(name_piece.words)
            used = _name_word_count(name_piece.words)
            if used < len(name_piece.words):  # the rest of a long piece is not the name
                pieces.append(
                    _Piece(
                        name_piece.segment,
                        "name",
                        name_piece.words[used:],
                        name_piece.starts[used:],
                    )
                )
                pieces.remove(name_piece)
        # The address runs from its first to its last part (address words, the area names,
        # the postcode): leftover words in that stretch or beside address words belong to it.
        address_at = [p.starts[0] for p in pieces if p.kind == "address"]
        address_at += [start for start, _end, address in self.removed if address]
        first, last = (min(address_at), max(address_at)) if address_at else (0, -1)
        address_segments = {p.segment for p in pieces if p.kind == "address"}
        words: list[str] = []
        for p in sorted(pieces, key=lambda p: p.starts[0]):
            if p is name_piece:
                continue
            if p.kind == "address" or (
                (first <= p.starts[0] <= last or p.segment in address_segments)
                and not _CHATTER.search(" ".join(p.words))
            ):
                words.extend(p.words)
        return name, " ".join(words).strip(" ,;:-")

    # -- helpers

    def _free(self, start: int, end: int) -> bool:
        return not any(self.busy[start:end])

    def _mark(self, start: int, end: int, kind: int) -> None:
        self.busy[start:end] = bytes([kind]) * (end - start)


def _valid_phone(text: str, start: int, end: int) -> tuple[str, int]:
    """The number in text[start:end] as 0XXXXXXXXX, trying the shorter landline form when
    the greedy match swallowed a digit that follows; ("", end) if it is no Thai phone."""
    digit_ends = [i + 1 for i in range(start, end) if text[i].isdigit()]
    for cut in (len(digit_ends), len(digit_ends) - 1):
        stop = digit_ends[cut - 1]
        if stop < len(text) and text[stop].isdigit():
            continue
        digits = re.sub(r"\D", "", text[start:stop])
        if digits.startswith("66"):
            digits = "0" + digits[2:]
        if len(digits) not in (9, 10):
            continue
        try:
            number = phonenumbers.parse(digits, "TH")
        except phonenumbers.NumberParseException:
            continue
        if number.country_code == 66 and phonenumbers.is_valid_number(number):
            return "0" + str(number.national_number), stop
    return "", end


def _segments(text: str, cut: bytearray):
    """Runs of text between removed parts, line breaks and list separators."""
    start = None
    for i, ch in enumerate(text):
        boundary = cut[i] or ch in "\n,;|"
        if boundary:
            if start is not None:
                yield start, text[start:i]
                start = None
        elif start is None:
            start = i
    if start is not None:
        yield start, text[start:]


def _assign(options) -> tuple[int, dict[str, _Mention]]:
    """The best mention for each level (subdistrict, district, province) such that no two
    levels lean on the same words; options per level come best first."""
    firsts = [opts[0] for opts in options if opts]
    if _disjoint(firsts):
        return sum(m.weight for m in firsts), {m.level: m for m in firsts}
    best: tuple[int, dict[str, _Mention]] = (0, {})
    for combo in itertools.product(*[(*opts, None) for opts in options]):
        picked = [m for m in combo if m is not None]
        score = sum(m.weight for m in picked)
        if score > best[0] and _disjoint(picked):
            best = (score, {m.level: m for m in picked})
    return best


def _disjoint(mentions: list[_Mention]) -> bool:
    return not any(
        a.start < b.end and b.start < a.end for a, b in itertools.combinations(mentions, 2)
    )


@cache
def _english_pattern(name: str) -> re.Pattern:
    words = [re.escape(w) for w in re.split(r"[\s\-']+", name) if w]
    return re.compile(r"(?<![A-Za-z])" + r"[\s\-']*".join(words) + r"(?![A-Za-z])", re.IGNORECASE)


@cache
def _province_spellings(code: str) -> tuple[str, ...]:
    names = _index().names[PROV]
    return tuple(sorted((n for n, codes in names.items() if code in codes), key=len, reverse=True))


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _is_thai_letter(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e"


def _title_at(word: str) -> tuple[str, str] | None:
    """The title a word starts with. A Thai title may be glued to the name (นายสมชาย) but
    not to a vowel (นายิกา is a name); an English one needs its dot or a word of its own."""
    lower = word.lower()
    for written, kept in _TITLES:
        if not lower.startswith(written):
            continue
        rest = word[len(written) :]
        if not rest:
            return written, kept
        glueable = _is_thai_letter(written[0]) or written.endswith(".")
        if glueable and _WORD_START.match(rest):
            return written, kept
    return None


def _starts_with_title(word: str) -> bool:
    return _title_at(word) is not None


@dataclass
class _Piece:
    segment: int
    kind: str  # "name" or "address"
    words: list[str]
    starts: list[int]
    titled: bool = False
    labelled: bool = False

    def add(self, word: str, at: int) -> None:
        self.words.append(word)
        self.starts.append(at)


def _read_segment(segment: int, seg_start: int, text: str, pieces: list[_Piece]) -> None:
    """Split one segment into name pieces and address pieces."""
    labelled_name = labelled_address = False
    current: _Piece | None = None
    for m in re.finditer(r"\S+", text):
        word = m.group().strip("\"'“”‘’()[]{}<>")
        at = seg_start + m.start()
        label = _LABEL.match(word)
        if label:
            labelled_name = bool(_NAME_LABEL.match(word))
            labelled_address = bool(_ADDRESS_LABEL.match(word))
            current = None
            word = word[label.end() :]
            at += label.end()
        if not any(c.isalnum() for c in word):
            continue
        if _CHATTER.search(word) and not _ADDRESS_WORD.match(word):
            current = None if current and current.kind == "name" else current
            continue
        if _starts_with_title(word) and not labelled_address:
            current = _Piece(segment, "name", [word], [at], titled=True, labelled=labelled_name)
            pieces.append(current)
        elif labelled_address or any(c.isdigit() for c in word) or _ADDRESS_WORD.match(word):
            if current is None or current.kind != "address":
                current = _Piece(segment, "address", [], [])
                pieces.append(current)
            current.add(word, at)
        elif current is None:
            current = _Piece(segment, "name", [word], [at], labelled=labelled_name)
            pieces.append(current)
        else:
            current.add(word, at)


def _choose_name(pieces: list[_Piece]) -> _Piece | None:
    """A piece with a title, else one after a name label, else the first short one."""
    names = [p for p in pieces if p.kind == "name" and any(c.isalpha() for c in "".join(p.words))]
    for wanted in (
        lambda p: p.titled,
        lambda p: p.labelled,
        lambda p: len(p.words) <= _NAME_MAX_WORDS + 1,
    ):
        for p in names:
            if wanted(p):
                return p
    return None


def _name_word_count(words: list[str]) -> int:
    """How many words make the name: a title standing alone joins the word after it."""
    title = _title_at(words[0])
    bare_title = title is not None and len(words[0]) == len(title[0]) and len(words) > 1
    return min(len(words), _NAME_MAX_WORDS + (1 if bare_title else 0))


def _name_from(words: list[str]) -> str:
    words = list(words[: _name_word_count(words)])
    title = _title_at(words[0])
    if title:
        written, kept = title
        rest = words[0][len(written) :]
        if not rest and len(words) > 1:
            rest = words.pop(1)
        words[0] = (kept + rest) if rest else kept.strip()
    words[-1] = _POLITE_END.sub("", words[-1]) or words[-1]
    return " ".join(w for w in words if w).strip(" ,;:-")[:200]
