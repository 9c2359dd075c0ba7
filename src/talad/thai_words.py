"""Amounts in Thai words, the "(ตัวอักษร)" line on invoices and receipts
(docs/design/money.md#thai-tax-document-legal-fields).

Written here rather than taken from `bahttext`, which gets one satang wrong
("ศูนย์บาทเอ็ดสตางค์") and works on floats.

Rules, as Thai accountants write them:
- 1 in the units place reads "เอ็ด" only when a higher digit is non-zero anywhere in the
  number: 1 → หนึ่ง, 21 → ยี่สิบเอ็ด, 1,000,001 → หนึ่งล้านเอ็ด; satang follow the same rule
  on their own two digits (0.01 → หนึ่งสตางค์, 0.21 → ยี่สิบเอ็ดสตางค์).
- 10 is สิบ (never หนึ่งสิบ), 20 is ยี่สิบ.
- Above a million the groups repeat: 10^12 → หนึ่งล้านล้าน.
- Whole baht end in "ถ้วน"; with satang, "บาท" is followed by the satang; below one baht
  only the satang are read (0.50 → ห้าสิบสตางค์); zero is ศูนย์บาทถ้วน.

Negative amounts are refused: no Thai tax document states a negative total in words
(a credit note states the positive amount credited), so a negative here is a bug upstream.
"""

from decimal import ROUND_HALF_UP, Decimal

SATANG = Decimal("0.01")

_DIGITS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")
_MILLION = 1_000_000


def baht_text(amount: Decimal) -> str:
    """`amount` (a Decimal, rounded half up to the satang) in Thai words."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"baht_text takes a Decimal, not {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError("baht_text takes a finite amount")
    amount = amount.quantize(SATANG, rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("baht_text refuses negative amounts")
    baht, satang = divmod(int(amount * 100), 100)
    if not satang:
        return f"{number_text(baht)}บาทถ้วน"
    if not baht:
        return f"{number_text(satang)}สตางค์"
    return f"{number_text(baht)}บาท{number_text(satang)}สตางค์"


def number_text(n: int) -> str:
    """A non-negative whole number in Thai words (12 → สิบสอง, 101 → หนึ่งร้อยเอ็ด)."""
    if n < 0:
        raise ValueError("number_text takes a non-negative number")
    return _words(n, higher_digit=False) if n else _DIGITS[0]


def _words(n: int, *, higher_digit: bool) -> str:
    """Words for n > 0; `higher_digit` says a digit above this group is non-zero."""
    if n >= _MILLION:
        millions, rest = divmod(n, _MILLION)
        head = _words(millions, higher_digit=higher_digit) + "ล้าน"
        return head + (_words(rest, higher_digit=True) if rest else "")
    digits = str(n)
    words = []
    for position, char in enumerate(digits):
        digit, place = int(char), len(digits) - 1 - position
        if digit == 0:
            continue
        if place == 1:
            words.append({1: "", 2: "ยี่"}.get(digit, _DIGITS[digit]) + "สิบ")
        elif place == 0 and digit == 1 and (higher_digit or n > 1):
            words.append("เอ็ด")
        else:
            words.append(_DIGITS[digit] + _PLACES[place])
    return "".join(words)
