"""Small display filters: baht amounts, durations, Buddhist Era dates, dict lookup."""

from datetime import timedelta
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from talad.orders.stuck import human_duration
from talad.thai_dates import be_datetime

register = template.Library()


@register.filter
def baht(value) -> str:
    if value in (None, ""):
        return ""
    return f"฿{Decimal(value):,.2f}"


@register.filter
def duration_th(value: timedelta | None) -> str:
    return "" if value is None else human_duration(value)


@register.filter
def when(value) -> str:
    """A local date and time; in Thai with the Buddhist Era year."""
    if not value:
        return ""
    local = timezone.localtime(value) if hasattr(value, "tzinfo") and value.tzinfo else value
    if (get_language() or "th").startswith("th"):
        return be_datetime(local)
    return f"{local:%d %b %Y %H:%M}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.filter
def get_field(form, name):
    return form[name]
