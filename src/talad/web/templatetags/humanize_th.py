"""Small display filters: baht amounts, durations, Buddhist Era dates, dict lookup."""

from datetime import timedelta
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from talad.orders.stuck import human_duration

register = template.Library()

THAI_MONTHS = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


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
        return f"{local.day} {THAI_MONTHS[local.month - 1]} {local.year + 543} {local:%H:%M}"
    return f"{local:%d %b %Y %H:%M}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.filter
def get_field(form, name):
    return form[name]
