"""Forms of the product pages. They parse what a person typed; the rules live in catalog.services.

Money stays text here on purpose: `catalog.services` parses it (`money.parse_amount`), so a bad
price gets the same message on the page as through the API.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from talad.errors import TaladError
from talad.forms import OnceForm

MONEY_INPUT = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class ProductFilters(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    active = forms.ChoiceField(
        required=False,
        choices=[("", _("ทุกสถานะ")), ("yes", _("เปิดขาย")), ("no", _("ปิดขาย"))],
    )
    cursor = forms.CharField(required=False, max_length=100)


class ProductForm(OnceForm):
    name = forms.CharField(label=_("ชื่อสินค้า"), max_length=255)
    description = forms.CharField(
        label=_("รายละเอียด"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    active = forms.BooleanField(label=_("เปิดขาย"), required=False, initial=True)


class VariantForm(forms.Form):
    """One row: one SKU. `id` is empty for a row being added."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sku = forms.CharField(label=_("รหัสสินค้า (SKU)"), max_length=64)
    name = forms.CharField(label=_("ตัวเลือกสินค้า"), max_length=255, required=False)
    barcode = forms.CharField(label=_("บาร์โค้ด"), max_length=64, required=False)
    price = forms.CharField(label=_("ราคาขาย"), max_length=20, widget=MONEY_INPUT)
    weight_grams = forms.IntegerField(
        label=_("น้ำหนัก (กรัม)"), min_value=0, max_value=1_000_000, initial=0
    )
    low_stock_threshold = forms.IntegerField(
        label=_("แจ้งเตือนเมื่อเหลือไม่เกิน"), min_value=0, max_value=1_000_000, initial=0
    )
    allow_backorder = forms.BooleanField(label=_("ขายได้แม้สต๊อกหมด"), required=False)
    active = forms.BooleanField(label=_("เปิดขาย"), required=False, initial=True)

    def spec(self) -> dict:
        """What catalog.services takes for this row."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "id"}
        if self.cleaned_data.get("id"):
            data["id"] = self.cleaned_data["id"]
        return data


VariantFormSet = forms.formset_factory(VariantForm, extra=1, max_num=200, absolute_max=200)

_ROW_PATH = re.compile(r"^variants\[(\d+)\]\.(\w+)$")


def variant_rows(formset) -> tuple[list[dict], list[int]]:
    """The rows to send to the service, and which formset row each one came from.

    An added row left empty is skipped; on an existing product only changed rows are sent."""
    specs, rows = [], []
    for index, form in enumerate(formset.forms):
        if not form.has_changed():
            continue
        specs.append(form.spec())
        rows.append(index)
    return specs, rows


def place_catalog_error(form, formset, rows: list[int], error: TaladError) -> None:
    """Show a service error beside its field: `variants[1].sku` is the SKU box of that row."""
    placed = False
    for path, _code in (error.fields or {}).items():
        match = _ROW_PATH.match(path)
        if match and int(match.group(1)) < len(rows):
            row = formset.forms[rows[int(match.group(1))]]
            name = match.group(2)
            visible = name in row.fields and not row.fields[name].widget.is_hidden
            row.add_error(name if visible else None, error.message)
            placed = True
        elif path in form.fields:
            form.add_error(path, error.message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
