"""The amount in words printed under a tax invoice's total
(docs/design/money.md#thai-tax-document-legal-fields)."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talad.thai_words import baht_text, number_text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.01", "หนึ่งสตางค์"),
        ("1", "หนึ่งบาทถ้วน"),
        ("11", "สิบเอ็ดบาทถ้วน"),
        ("21", "ยี่สิบเอ็ดบาทถ้วน"),
        ("101", "หนึ่งร้อยเอ็ดบาทถ้วน"),
        ("1000001", "หนึ่งล้านเอ็ดบาทถ้วน"),
        ("1234.50", "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"),
        ("100000000.25", "หนึ่งร้อยล้านบาทยี่สิบห้าสตางค์"),
        ("0", "ศูนย์บาทถ้วน"),
        ("0.00", "ศูนย์บาทถ้วน"),
        ("10", "สิบบาทถ้วน"),
        ("20", "ยี่สิบบาทถ้วน"),
        ("110", "หนึ่งร้อยสิบบาทถ้วน"),
        ("1070", "หนึ่งพันเจ็ดสิบบาทถ้วน"),
        ("0.21", "ยี่สิบเอ็ดสตางค์"),
        ("0.50", "ห้าสิบสตางค์"),
        ("1.01", "หนึ่งบาทหนึ่งสตางค์"),
        ("11000000", "สิบเอ็ดล้านบาทถ้วน"),
        ("1000000000000", "หนึ่งล้านล้านบาทถ้วน"),
        ("2500000000000.11", "สองล้านห้าแสนล้านบาทสิบเอ็ดสตางค์"),
    ],
)
def test_an_invoice_total_reads_as_thai_accountants_write_it(amount, words):
    assert baht_text(Decimal(amount)) == words


def test_half_a_satang_rounds_up_like_every_amount_in_talad():
    assert baht_text(Decimal("0.005")) == "หนึ่งสตางค์"
    assert baht_text(Decimal("2.675")) == "สองบาทหกสิบแปดสตางค์"
    assert baht_text(Decimal("0.004")) == "ศูนย์บาทถ้วน"


@pytest.mark.parametrize("amount", [1.5, 2, "1.00", None])
def test_only_a_decimal_is_accepted_so_no_float_rounding_reaches_a_document(amount):
    with pytest.raises(TypeError):
        baht_text(amount)


@pytest.mark.parametrize("amount", ["-1", "-0.01", "NaN", "Infinity"])
def test_a_negative_or_non_finite_amount_is_refused(amount):
    with pytest.raises(ValueError):
        baht_text(Decimal(amount))


def test_minus_half_a_satang_rounds_to_zero_and_is_not_negative():
    assert baht_text(Decimal("-0.004")) == "ศูนย์บาทถ้วน"


def test_number_text_reads_whole_numbers():
    assert number_text(0) == "ศูนย์"
    assert number_text(12) == "สิบสอง"
    assert number_text(1_000_001) == "หนึ่งล้านเอ็ด"


# An independent reading of Thai number words, to check baht_text by round trip.
_VALUES = {
    "ศูนย์": 0,
    "หนึ่ง": 1,
    "เอ็ด": 1,
    "สอง": 2,
    "ยี่": 2,
    "สาม": 3,
    "สี่": 4,
    "ห้า": 5,
    "หก": 6,
    "เจ็ด": 7,
    "แปด": 8,
    "เก้า": 9,
}
_PLACES = {"สิบ": 10, "ร้อย": 100, "พัน": 1000, "หมื่น": 10_000, "แสน": 100_000}
_TOKEN = re.compile("|".join(sorted([*_VALUES, *_PLACES], key=len, reverse=True)))


def _read_number(words: str) -> int:
    if "ล้าน" in words:
        head, _, tail = words.rpartition("ล้าน")
        return _read_number(head) * 1_000_000 + (_read_number(tail) if tail else 0)
    tokens = _TOKEN.findall(words)
    assert "".join(tokens) == words, f"unreadable words: {words}"
    total, digit = 0, None
    for token in tokens:
        if token in _PLACES:
            total += (1 if digit is None else digit) * _PLACES[token]
            digit = None
        else:
            digit = _VALUES[token]
    return total + (digit or 0)


def _read_baht(text: str) -> Decimal:
    if text.endswith("บาทถ้วน"):
        return Decimal(_read_number(text.removesuffix("บาทถ้วน")))
    assert text.endswith("สตางค์")
    baht, _, satang = text.removesuffix("สตางค์").rpartition("บาท")
    return Decimal(_read_number(baht) if baht else 0) + Decimal(_read_number(satang)) / 100


amounts = st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False)


@given(amounts)
def test_the_words_read_back_to_the_same_amount(amount):
    assert _read_baht(baht_text(amount)) == amount


@given(amounts)
def test_the_words_follow_thai_spelling(amount):
    text = baht_text(amount)
    assert "หนึ่งสิบ" not in text and "สองสิบ" not in text
    # เอ็ด only right after a place word, i.e. when a higher digit is non-zero
    for match in re.finditer("เอ็ด", text):
        assert re.search("(สิบ|ร้อย|พัน|หมื่น|แสน|ล้าน)$", text[: match.start()]), text
    assert text.endswith("ถ้วน") == (amount % 1 == 0)
    assert ("ศูนย์" in text) == (amount == 0)
