"""Forms of the order pages. They parse what a person typed; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from talad.dates import validate_seller_day, validate_seller_moment
from talad.forms import OnceForm
from talad.orders.models import Channel, PaymentMethod, PaymentStatus
from talad.orders.state_machine import FAILED_DELIVERY_REASONS

REASON_LABELS = {
    "refused": _("ลูกค้าปฏิเสธรับ"),
    "nobody_home": _("ไม่มีคนรับ"),
    "wrong_address": _("ที่อยู่ผิด"),
    "other": _("อื่น ๆ"),
}


class DeskFilters(forms.Form):
    status = forms.CharField(required=False)
    channel = forms.ChoiceField(choices=[("", _("ทุกช่องทาง")), *Channel.choices], required=False)
    payment_status = forms.ChoiceField(
        choices=[("", _("ทุกสถานะการชำระ")), *PaymentStatus.choices], required=False
    )
    created_from = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_seller_day],
    )
    created_to = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_seller_day],
    )
    q = forms.CharField(required=False, max_length=100)
    cursor = forms.CharField(required=False, max_length=100)


class PayForm(OnceForm):
    amount = forms.DecimalField(label=_("ยอดเงิน"), max_digits=14, decimal_places=2, min_value=0)
    method = forms.ChoiceField(
        label=_("วิธีชำระเงิน"),
        choices=[c for c in PaymentMethod.choices if c[0] != PaymentMethod.COD],
    )
    reference = forms.CharField(label=_("เลขอ้างอิง"), max_length=100, required=False)
    paid_at = forms.DateTimeField(
        label=_("วันเวลาที่ชำระ"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[validate_seller_moment],
    )
    slip = forms.ImageField(label=_("สลิปโอนเงิน"), required=False)


class ShipForm(OnceForm):
    carrier = forms.ChoiceField(label=_("ขนส่ง"))
    tracking_number = forms.CharField(label=_("เลขพัสดุ"), max_length=60)

    def __init__(self, *args, carriers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = list(carriers)


class CancelForm(OnceForm):
    reason = forms.CharField(label=_("เหตุผลที่ยกเลิก"), max_length=255)


class FailDeliveryForm(OnceForm):
    reason = forms.ChoiceField(
        label=_("เหตุผล"), choices=[(r, REASON_LABELS[r]) for r in FAILED_DELIVERY_REASONS]
    )
    note = forms.CharField(label=_("หมายเหตุ"), max_length=500, required=False)


class PlainActionForm(OnceForm):
    note = forms.CharField(label=_("หมายเหตุ"), max_length=500, required=False)


class ReturnForm(OnceForm):
    """One condition per line, named `condition_<sku>`."""

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        for line in lines:
            self.fields[f"condition_{line.sku}"] = forms.ChoiceField(
                label=f"{line.sku} × {line.quantity}",
                choices=[("sellable", _("ขายได้ (คืนเข้าสต๊อก)")), ("damaged", _("ชำรุด"))],
                initial="sellable",
            )

    def return_lines(self) -> list[dict]:
        return [
            {"sku": name.removeprefix("condition_"), "condition": value}
            for name, value in self.cleaned_data.items()
            if name.startswith("condition_")
        ]


class StuckLimitsForm(forms.Form):
    pending_hours = forms.IntegerField(label=_("รอชำระเงิน (ชั่วโมง)"), min_value=1, max_value=8760)
    to_pack_hours = forms.IntegerField(label=_("รอแพ็ค (ชั่วโมง)"), min_value=1, max_value=8760)
    to_ship_hours = forms.IntegerField(label=_("รอส่ง (ชั่วโมง)"), min_value=1, max_value=8760)
    shipped_hours = forms.IntegerField(label=_("จัดส่งแล้ว (ชั่วโมง)"), min_value=1, max_value=8760)
    returning_hours = forms.IntegerField(label=_("กำลังตีกลับ (ชั่วโมง)"), min_value=1, max_value=8760)
    cod_unremitted_hours = forms.IntegerField(
        label=_("COD ยังไม่โอน (ชั่วโมง)"), min_value=1, max_value=8760
    )
