"""Gap-free document numbers per shop, document type and period: INV-2569-11-00001, …

The number is taken inside the issuing transaction with one UPDATE on the sequence row of
(shop, type, period); the row stays locked until commit, so a rolled-back issue gives its
number back and two documents never share one (the same design as orders/numbering.py).
The period follows the shop's pattern: a pattern with `{month}` restarts every month, one
with a year every year, one with neither never. Dates are Gregorian in the database; the
Buddhist Era year (พ.ศ. = ค.ศ. + 543) is only a placeholder of the printed number.
"""

import string
from datetime import date

from django.db.models import F
from django.utils.translation import gettext as _

from talad.accounting.models import DocumentSequence
from talad.errors import TaladError
from talad.shops.models import Shop
from talad.thai_dates import be_year as thai_be_year

PLACEHOLDERS = frozenset({"be_year", "be_yy", "year", "yy", "month", "seq", "branch"})
YEAR_PLACEHOLDERS = frozenset({"be_year", "be_yy", "year", "yy"})
MAX_NUMBER_LENGTH = 40


def _names(pattern: str) -> set[str]:
    return {
        name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None
    }


def check_pattern(pattern, field: str) -> str:
    """A pattern using only the known placeholders, with `{seq}`, that formats to ≤ 40 characters."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise TaladError(_("ต้องระบุรูปแบบเลขที่เอกสาร"), fields={field: "required"})
    try:
        names = _names(pattern)
        if not names <= PLACEHOLDERS:
            raise ValueError(names - PLACEHOLDERS)
        sample = format_number(pattern, date(2099, 12, 31), 99999, "00000")
    except (ValueError, KeyError, IndexError, TypeError):
        raise TaladError(
            _("รูปแบบเลขที่ใช้ได้เฉพาะ {%(p)s}") % {"p": "}, {".join(sorted(PLACEHOLDERS))},
            fields={field: "invalid_pattern"},
        ) from None
    if "seq" not in names:
        raise TaladError(_("รูปแบบเลขที่ต้องมี {seq}"), fields={field: "missing_seq"})
    if len(sample) > MAX_NUMBER_LENGTH:
        raise TaladError(_("เลขที่เอกสารยาวเกิน 40 ตัวอักษร"), fields={field: "too_long"})
    return pattern


def period_of(pattern: str, day: date) -> str:
    names = _names(pattern)
    if "month" in names:
        return f"{day.year:04d}-{day.month:02d}"
    if names & YEAR_PLACEHOLDERS:
        return f"{day.year:04d}"
    return "all"


def format_number(pattern: str, day: date, seq: int, branch: str) -> str:
    be_year = thai_be_year(day)
    return pattern.format(
        be_year=be_year,
        be_yy=be_year % 100,
        year=day.year,
        yy=day.year % 100,
        month=day.month,
        seq=seq,
        branch=branch,
    )


def next_document_number(
    *, shop: Shop, doc_type: str, pattern: str, day: date
) -> tuple[str, str, int]:
    """(number, period, sequence) for a document issued on `day`. Call inside the issuing
    transaction: the sequence row stays locked until it commits."""
    period = period_of(pattern, day)
    rows = DocumentSequence.objects.for_shop(shop).filter(doc_type=doc_type, period=period)
    if rows.update(last_number=F("last_number") + 1) == 0:
        DocumentSequence.objects.bulk_create(
            [DocumentSequence(shop=shop, doc_type=doc_type, period=period)], ignore_conflicts=True
        )
        rows.update(last_number=F("last_number") + 1)
    seq = rows.values_list("last_number", flat=True).get()
    return format_number(pattern, day, seq, shop.branch_code), period, seq
