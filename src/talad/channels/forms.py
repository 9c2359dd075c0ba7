from django import forms
from django.utils.translation import gettext_lazy as _

from talad.forms import OnceForm
from talad.orders.models import Channel, PaymentMethod


class NewOrderForm(OnceForm):
    """The order form of the chat desk. Lines arrive as parallel lists (line_sku, line_qty, line_price)."""

    chat_text = forms.CharField(
        label=_("วางข้อความจากแชท"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    channel = forms.ChoiceField(
        label=_("ช่องทางการขาย"), choices=Channel.choices, initial=Channel.FACEBOOK
    )
    payment_method = forms.ChoiceField(
        label=_("วิธีชำระเงิน"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER
    )
    name = forms.CharField(label=_("ชื่อผู้รับ"), max_length=200)
    phone = forms.CharField(label=_("เบอร์โทร"), max_length=30, required=False)
    address_line = forms.CharField(label=_("ที่อยู่"), max_length=255, required=False)
    subdistrict = forms.CharField(label=_("แขวง / ตำบล"), max_length=100, required=False)
    district = forms.CharField(label=_("เขต / อำเภอ"), max_length=100, required=False)
    province = forms.CharField(label=_("จังหวัด"), max_length=100, required=False)
    postcode = forms.CharField(label=_("รหัสไปรษณีย์"), max_length=5, required=False)
    # For a buyer who asks for a full tax invoice (ใบกำกับภาษีเต็มรูป).
    tax_id = forms.CharField(label=_("เลขประจำตัวผู้เสียภาษีของผู้ซื้อ"), max_length=17, required=False)
    branch_code = forms.CharField(
        label=_("สาขา (00000 = สำนักงานใหญ่)"), max_length=5, required=False
    )
    shipping_fee = forms.DecimalField(
        label=_("ค่าส่ง"), max_digits=12, decimal_places=2, min_value=0, initial=0
    )
    discount = forms.DecimalField(
        label=_("ส่วนลด"), max_digits=12, decimal_places=2, min_value=0, initial=0
    )
    note = forms.CharField(
        label=_("หมายเหตุ"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    CUSTOMER_FIELDS = (
        "name",
        "phone",
        "address_line",
        "subdistrict",
        "district",
        "province",
        "postcode",
    )
