"""Forms of the stock pages. They parse what a person typed; the rules live in inventory.services.

Quantities are only parsed here (whole numbers); whether a quantity is allowed — positive, not
below what open orders hold — is the service's call, so the page and the API say the same.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from talad.dates import validate_seller_day
from talad.forms import OnceForm
from talad.inventory.models import MovementKind, PaidBy

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class StockFilters(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    low = forms.BooleanField(required=False)
    after = forms.CharField(required=False, max_length=64)


class LedgerFilters(forms.Form):
    kind = forms.ChoiceField(
        label=_("ประเภท"),
        required=False,
        choices=[("", _("ทุกประเภท")), *MovementKind.choices],
    )
    date_from = forms.DateField(
        label=_("ตั้งแต่วันที่"), required=False, widget=DATE_INPUT, validators=[validate_seller_day]
    )
    date_to = forms.DateField(
        label=_("ถึงวันที่"), required=False, widget=DATE_INPUT, validators=[validate_seller_day]
    )
    cursor = forms.CharField(required=False, max_length=100)


class _StockForm(OnceForm):
    """Every stock form names its SKU in a hidden field, as the API body does."""

    sku = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ReceiveForm(_StockForm):
    quantity = forms.IntegerField(
        label=_("จำนวนที่รับเข้า"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    unit_cost = forms.CharField(
        label=_("ต้นทุนต่อชิ้น"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reason = forms.CharField(label=_("หมายเหตุ"), max_length=255, required=False)
    paid_by = forms.ChoiceField(
        label=_("ชำระโดย"), choices=PaidBy.choices, initial=PaidBy.CREDIT, required=False
    )
    supplier = forms.CharField(label=_("ผู้ขาย"), max_length=200, required=False)
    purchase_reference = forms.CharField(
        label=_("เลขที่ใบส่งของ / ใบกำกับภาษีผู้ขาย"), max_length=100, required=False
    )


class AdjustForm(_StockForm):
    quantity_delta = forms.IntegerField(
        label=_("จำนวนที่ปรับ (+ เพิ่ม / − ลด)"),
        help_text=_("เช่น -2 เมื่อสินค้าชำรุด 2 ชิ้น"),
    )
    reason = forms.CharField(label=_("เหตุผล"), max_length=255)


class CountForm(_StockForm):
    counted = forms.IntegerField(
        label=_("นับได้จริง (ชิ้น)"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )


STOCK_FORMS: dict[str, type[_StockForm]] = {
    "receive": ReceiveForm,
    "adjust": AdjustForm,
    "count": CountForm,
}
