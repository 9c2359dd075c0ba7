"""Forms of the order pages. They parse what a person typed; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from talad.dates import validate_seller_day, validate_seller_moment
from talad.forms import OnceForm
from talad.orders.labels import REASON_LABELS
from talad.orders.models import Channel, PaymentMethod, PaymentStatus
from talad.orders.state_machine import FAILED_DELIVERY_REASONS


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


class CorrectOrderForm(OnceForm):
    """The order page's correction form: the recipient, amounts, method and note as they
    should be (the lines come as `line_sku` / `line_qty` / `line_price` rows)."""

    RECIPIENT_FIELDS = (
        "name",
        "phone",
        "address_line",
        "subdistrict",
        "district",
        "province",
        "postcode",
        "tax_id",
        "branch_code",
    )

    name = forms.CharField(label=_("ชื่อผู้รับ"), max_length=200)
    phone = forms.CharField(label=_("เบอร์โทร"), max_length=30, required=False)
    address_line = forms.CharField(label=_("ที่อยู่"), max_length=255, required=False)
    subdistrict = forms.CharField(label=_("แขวง / ตำบล"), max_length=100, required=False)
    district = forms.CharField(label=_("เขต / อำเภอ"), max_length=100, required=False)
    province = forms.CharField(label=_("จังหวัด"), max_length=100, required=False)
    postcode = forms.CharField(label=_("รหัสไปรษณีย์"), max_length=5, required=False)
    tax_id = forms.CharField(label=_("เลขประจำตัวผู้เสียภาษีของผู้ซื้อ"), max_length=13, required=False)
    branch_code = forms.CharField(
        label=_("สาขา (00000 = สำนักงานใหญ่)"), max_length=5, required=False
    )
    payment_method = forms.ChoiceField(
        label=_("วิธีชำระเงิน"),
        choices=[c for c in PaymentMethod.choices if c[0] != PaymentMethod.MARKETPLACE],
    )
    shipping_fee = forms.DecimalField(label=_("ค่าส่ง"), max_digits=12, decimal_places=2, min_value=0)
    discount = forms.DecimalField(label=_("ส่วนลด"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(
        label=_("หมายเหตุ"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, paid_by_platform: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if paid_by_platform:  # the platform paid: there is no method to choose
            del self.fields["payment_method"]

    def correction(self, lines: list[dict]) -> dict:
        """The OrderCorrection this form says, as plain data for orders.inputs.read()."""
        data = self.cleaned_data
        method = {"payment_method": data["payment_method"]} if "payment_method" in data else {}
        return {
            **method,
            "customer": {
                "name": data["name"],
                "phone": data["phone"],
                "tax_id": data["tax_id"].replace("-", "").replace(" ", ""),
                "branch_code": data["branch_code"],
                "address": {
                    "line": data["address_line"],
                    "subdistrict": data["subdistrict"],
                    "district": data["district"],
                    "province": data["province"],
                    "postcode": data["postcode"],
                },
            },
            "lines": lines,
            "shipping_fee": data["shipping_fee"],
            "discount": data["discount"],
            "note": data["note"],
        }


def posted_lines(post) -> list[dict]:
    """The line rows of a posted order form (the new-order page and the correction page); a
    row without a SKU is a blank row; a quantity that is not a number stays text so the domain
    names it (`lines[1].quantity`)."""
    lines = []
    for sku, qty, price in zip(
        post.getlist("line_sku"), post.getlist("line_qty"), post.getlist("line_price"), strict=False
    ):
        if not sku:
            continue
        quantity = int(qty) if qty.strip().isdigit() else qty
        lines.append({"sku": sku, "quantity": quantity, "unit_price": price.strip() or None})
    return lines


class CustomerFilters(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    cursor = forms.CharField(required=False, max_length=100)


class MergeCustomerForm(OnceForm):
    """The phone of the duplicate whose orders move to the customer on the page."""

    duplicate = forms.CharField(label=_("เบอร์โทรของลูกค้าที่ซ้ำ"), max_length=20)
