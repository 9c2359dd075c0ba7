"""Where a marketplace's income/settlement report keeps each field.

A column is found by, in order: the shop's saved header for the channel (PayoutColumnMapping,
set by passing `mapping` once), the channel's own header names below, then the generic names.
The platforms publish no stable layout for these reports and rename columns between
versions, so the per-channel names are the ones sellers' exports are known to carry
(unverified, docs/design/money.md#marketplace-payouts) and a shop adds its own with a mapping.
"""

import json

from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.orders.models import MARKETPLACES

# Talad's field → the generic header names (compared after talad.tabular.header_key).
GENERIC = {
    "external_id": ("order_id", "order_no", "order_number", "เลขที่คำสั่งซื้อ", "หมายเลขคำสั่งซื้อ"),
    "order_amount": ("order_amount", "ยอดคำสั่งซื้อ", "ยอดขาย"),
    "commission": ("commission", "commission_fee", "ค่าคอมมิชชั่น", "ค่าธรรมเนียมการขาย"),
    "transaction_fee": (
        "transaction_fee",
        "payment_fee",
        "ค่าธรรมเนียมการชำระเงิน",
        "ค่าธรรมเนียมธุรกรรม",
    ),
    "service_fee": ("service_fee", "ค่าบริการ", "ค่าธรรมเนียมบริการ"),
    "shipping_subsidy": (
        "shipping_subsidy",
        "shipping_rebate",
        "ส่วนลดค่าจัดส่ง",
        "ค่าจัดส่งที่แพลตฟอร์มออกให้",
    ),
    "vat_on_fees": ("vat_on_fees", "vat", "ภาษีมูลค่าเพิ่ม", "ภาษีมูลค่าเพิ่มค่าธรรมเนียม"),
    "net_paid": ("net_paid", "net", "payout_amount", "ยอดเงินที่ได้รับ", "ยอดโอนสุทธิ", "ยอดสุทธิ"),
    "payout_date": ("payout_date", "วันที่โอนเงิน", "วันที่ได้รับเงิน", "วันที่โอน"),
}

# The channel's own names, tried before the generic ones.
BY_CHANNEL = {
    "shopee": {
        "external_id": ("Order ID",),
        "order_amount": ("Product Price", "ราคาสินค้า"),
        "commission": ("Commission Fee",),
        "transaction_fee": ("Transaction Fee",),
        "service_fee": ("Service Fee",),
        "shipping_subsidy": ("Shipping Fee Rebate From Shopee", "ส่วนลดค่าจัดส่งจาก Shopee"),
        "net_paid": ("Total Released Amount", "จำนวนเงินที่โอนแล้ว"),
        "payout_date": ("Payout Completed Date", "วันที่โอนเงินสำเร็จ"),
    },
    "lazada": {
        "external_id": ("Order No.", "orderNumber"),
        "order_amount": ("Item Price Credit",),
        "commission": ("Commission",),
        "transaction_fee": ("Payment Fee",),
        "service_fee": ("Service Fee",),
        "shipping_subsidy": ("Shipping Fee Voucher (by Lazada)",),
        "net_paid": ("Amount", "Statement Amount"),
        "payout_date": ("Release Date", "Paid Date"),
    },
    "tiktok": {
        "external_id": ("Order/adjustment ID", "Order ID"),
        "order_amount": ("Total Revenue",),
        "commission": ("TikTok Shop commission fee", "Commission fee"),
        "transaction_fee": ("Transaction fee",),
        "service_fee": ("Service fee",),
        "shipping_subsidy": ("Platform shipping fee discount",),
        "net_paid": ("Total settlement amount",),
        "payout_date": ("Order settled time", "Settlement time"),
    },
}
REQUIRED = ("external_id", "order_amount", "net_paid")
FEES = ("commission", "transaction_fee", "service_fee")


def aliases(channel: str) -> dict[str, tuple[str, ...]]:
    """Field → every header it may be found under for `channel`, the channel's first."""
    own = BY_CHANNEL.get(channel, {})
    return {field: (*own.get(field, ()), *names) for field, names in GENERIC.items()}


def known_channel(code) -> str:
    code = str(code or "").strip()
    if code not in MARKETPLACES:
        raise TaladError(
            _("รับรายงานการโอนเงินได้เฉพาะช่องทาง %(k)s") % {"k": ", ".join(sorted(MARKETPLACES))},
            fields={"channel": "not_a_marketplace"},
            known=sorted(MARKETPLACES),
        )
    return code


def clean_mapping(mapping) -> dict[str, str]:
    """{field: header}; only the report's fields, each a header of at most 100 characters."""
    if mapping in (None, ""):
        return {}
    if isinstance(mapping, str):
        try:
            mapping = json.loads(mapping)
        except ValueError:
            raise TaladError(
                _("mapping ต้องเป็น JSON object"), fields={"mapping": "invalid_json"}
            ) from None
    if not isinstance(mapping, dict):
        raise TaladError(_("mapping ต้องเป็น JSON object"), fields={"mapping": "not_an_object"})
    clean = {}
    for field, header in mapping.items():
        if field not in GENERIC:
            raise TaladError(
                _("ไม่รู้จักช่อง '%(f)s' (ใช้ได้: %(k)s)") % {"f": field, "k": ", ".join(GENERIC)},
                fields={f"mapping.{field}": "unknown_field"},
            )
        if not isinstance(header, str) or not header.strip() or len(header) > 100:
            raise TaladError(_("ชื่อคอลัมน์ไม่ถูกต้อง"), fields={f"mapping.{field}": "invalid"})
        clean[field] = header.strip()
    return clean
