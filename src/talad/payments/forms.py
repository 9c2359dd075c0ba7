"""The COD statement upload: carrier, file, statement number and the carrier's column mapping."""

from django import forms
from django.utils.translation import gettext_lazy as _

from talad.forms import OnceForm
from talad.payments.models import RefundMethod, ShortfallBooking
from talad.payments.payout_columns import GENERIC as PAYOUT_FIELDS
from talad.payments.services import FIELDS

# The statement's fields as a seller sees them (keys are services.FIELDS).
MAPPING_LABELS = {
    "tracking": _("เลขพัสดุ"),
    "cod_amount": _("ยอด COD"),
    "fee": _("ค่าธรรมเนียม COD"),
    "vat_on_fee": _("VAT ของค่าธรรมเนียม"),
    "net_amount": _("ยอดโอนสุทธิ"),
    "transfer_date": _("วันที่โอน"),
    "statement_number": _("เลขที่ใบแจ้งยอด"),
}


class StatementForm(OnceForm):
    carrier = forms.ChoiceField(label=_("ขนส่ง"))
    file = forms.FileField(label=_("ไฟล์ยอดโอนเงิน COD (CSV หรือ xlsx)"), allow_empty_file=True)
    reference = forms.CharField(label=_("เลขที่ใบแจ้งยอด (ถ้ามี)"), max_length=100, required=False)

    def __init__(self, *args, carriers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = [(c.code, c.name) for c in carriers]
        for field in FIELDS:
            label = MAPPING_LABELS.get(field, field)
            self.fields[field] = forms.CharField(label=label, max_length=100, required=False)

    def mapping_fields(self):
        return [self[f] for f in FIELDS]

    def mapping(self) -> dict[str, str] | None:
        """The columns the seller named; None leaves the saved mapping and the usual names."""
        given = {f: self.cleaned_data[f].strip() for f in FIELDS if self.cleaned_data[f]}
        return given or None


class SettleRowForm(OnceForm):
    """A mismatched statement row: accept what the carrier paid, or dispute it."""

    decision = forms.ChoiceField(
        choices=[("accept", _("ยอมรับยอดที่ขนส่งโอน")), ("dispute", _("โต้แย้งกับขนส่ง"))]
    )
    booked_as = forms.ChoiceField(
        label=_("ยอดที่ขาด"), choices=ShortfallBooking.choices, required=False
    )
    note = forms.CharField(label=_("หมายเหตุ"), max_length=500, required=False)


class RefundForm(OnceForm):
    """Money paid back to the customer, from the order page (payments.refunds)."""

    amount = forms.DecimalField(
        label=_("ยอดคืนเงิน"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    method = forms.ChoiceField(label=_("คืนเงินโดย"), choices=RefundMethod.choices)
    reference = forms.CharField(label=_("เลขอ้างอิง"), max_length=100, required=False)


class PayoutForm(OnceForm):
    """A marketplace's income report: channel, file and, when its headers are unusual, the
    shop's own column names (saved per channel)."""

    channel = forms.ChoiceField(label=_("ช่องทางการขาย"))
    file = forms.FileField(
        label=_("รายงานการโอนเงินจากแพลตฟอร์ม (CSV หรือ xlsx)"), allow_empty_file=True
    )

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channels
        for field in PAYOUT_FIELDS:
            label = PAYOUT_LABELS.get(field, field)
            self.fields[f"col_{field}"] = forms.CharField(
                label=label, max_length=100, required=False
            )

    def mapping_fields(self):
        return [self[f"col_{f}"] for f in PAYOUT_FIELDS]

    def mapping(self) -> dict[str, str] | None:
        """The columns the seller named; None keeps the saved ones and the usual names."""
        given = {
            f: self.cleaned_data[f"col_{f}"].strip()
            for f in PAYOUT_FIELDS
            if self.cleaned_data[f"col_{f}"]
        }
        return given or None


# The report's fields as a seller sees them (keys are payout_columns.GENERIC).
PAYOUT_LABELS = {
    "external_id": _("เลขออเดอร์ของแพลตฟอร์ม"),
    "order_amount": _("ยอดออเดอร์"),
    "commission": _("ค่าคอมมิชชั่น"),
    "transaction_fee": _("ค่าธรรมเนียมธุรกรรม"),
    "service_fee": _("ค่าบริการ"),
    "shipping_subsidy": _("ส่วนลดค่าส่งที่แพลตฟอร์มออกให้"),
    "vat_on_fees": _("VAT ในค่าธรรมเนียม"),
    "net_paid": _("ยอดโอนสุทธิ"),
    "payout_date": _("วันที่โอน"),
}
