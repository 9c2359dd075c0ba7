"""The period of a sales list and the filters of the returns list."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talad.dates import validate_seller_day
from talad.orders.models import Status

DATE = {"widget": forms.DateInput(attrs={"type": "date"}), "required": False}
DEFAULT_DAYS = 30


class DaysForm(forms.Form):
    """Local days, both included; either may be blank."""

    date_from = forms.DateField(label=_("ตั้งแต่วันที่"), validators=[validate_seller_day], **DATE)
    date_to = forms.DateField(label=_("ถึงวันที่"), validators=[validate_seller_day], **DATE)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_from", _("วันเริ่มต้องไม่หลังวันสิ้นสุด"))
        return data


class PeriodForm(DaysForm):
    """A sales period: blank ends mean the 30 days up to today (or up to `date_to`)."""

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["date_to"] = data.get("date_to") or timezone.localdate()
        if not data.get("date_from"):
            data["date_from"] = data["date_to"] - timedelta(days=DEFAULT_DAYS - 1)
        if data["date_from"] > data["date_to"]:
            self.add_error("date_from", _("วันเริ่มต้องไม่หลังวันสิ้นสุด"))
        return data


class ReturnFilters(DaysForm):
    status = forms.ChoiceField(
        label=_("สถานะ"),
        choices=[
            ("", _("ทั้งหมด")),
            (Status.RETURNING, Status.RETURNING.label),
            (Status.RETURNED, Status.RETURNED.label),
        ],
        required=False,
    )
    cursor = forms.CharField(required=False, max_length=100)
