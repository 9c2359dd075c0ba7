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
