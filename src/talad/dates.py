"""Dates as a Thai seller means them: a local (Asia/Bangkok) day."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def local_day_start(day: date | None, *, next_day: bool = False) -> datetime | None:
    """The first moment of `day` (or of the day after, for an exclusive end) in local time."""
    if not day:
        return None
    return timezone.make_aware(
        datetime.combine(day + timedelta(days=1 if next_day else 0), time.min)
    )


# What a seller could mean, and what Python, SQLite and PostgreSQL can all hold and read back:
# a moment of 9999-12-31T23:00-05:00 is stored by PostgreSQL but unreadable to Python after.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
MAX_OFFSET = timedelta(hours=14)


def moment_problem(value: datetime) -> str | None:
    """Why a moment cannot be kept ('offset_out_of_range', 'out_of_range'), or None."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return "offset_out_of_range"
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return "out_of_range"
    return None


def day_problem(value: date) -> str | None:
    return None if EARLIEST_YEAR <= value.year <= LATEST_YEAR else "out_of_range"


def range_message() -> str:
    from django.utils.translation import gettext as _

    return _("วันเวลาต้องอยู่ระหว่างปี ค.ศ. %(a)s–%(b)s และเขตเวลาไม่เกิน ±14:00") % {
        "a": EARLIEST_YEAR,
        "b": LATEST_YEAR,
    }


def checked_moment(value: datetime, field: str) -> datetime:
    """An aware moment in range (a naive one is taken as Bangkok time), or TaladError."""
    from talad.errors import TaladError

    if problem := moment_problem(value):
        raise TaladError(range_message(), fields={field: problem})
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def validate_seller_day(value: date) -> None:
    """A form field validator: a day outside the range is a field error, not a 500 later."""
    from django.core.exceptions import ValidationError

    if day_problem(value):
        raise ValidationError(range_message(), code="out_of_range")


def validate_seller_moment(value: datetime) -> None:
    from django.core.exceptions import ValidationError

    if moment_problem(value):
        raise ValidationError(range_message(), code="out_of_range")
