"""What enters the order domain, as types: a new order and the data of each action.

The API, the web forms, smart paste, the imports and the demo all build these; the services
take them. Shapes and limits live here once (the API's body schema *is* `NewOrder`), so a
caller cannot send a field the domain does not know (refused, never ignored) or a quantity
one layer allows and another refuses. Rules that need the shop (is the SKU sold? does the
amount match the total?) stay in the services.

`read()` turns a plain dict into one of these types and a shape error into a TaladError
that names each field, for callers that are not the API (the API answers 422 itself).
"""

import re
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt
from pydantic import ValidationError as ShapeError

from talad.api_types import Moment, Money, Quantity, Sku, field_path
from talad.errors import TaladError
from talad.orders.models import Channel, PaymentMethod
from talad.orders.state_machine import FAILED_DELIVERY_REASONS

MAX_LINES = 200
MAX_TAGS = 20

Note = Annotated[str, Field(max_length=500)]
Tag = Annotated[str, Field(max_length=40)]
Reference = Annotated[str, Field(max_length=100)]
# Required where an action needs them; a blank one is refused by the action, naming the field.
CarrierCode = Annotated[str, Field(max_length=30)]
TrackingNumber = Annotated[str, Field(max_length=60)]
Reason = Annotated[str, Field(max_length=255)]
Grams = Annotated[StrictInt, Field(ge=0, le=1_000_000)]
FailedDeliveryReason = Literal[FAILED_DELIVERY_REASONS]
Condition = Literal["sellable", "damaged"]


class DomainInput(BaseModel):
    """Frozen, and a field it does not know is an error, not a default."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --- A new order -------------------------------------------------------------------------


class Address(DomainInput):
    line: str = Field("", max_length=255)
    subdistrict: str = Field("", max_length=100)
    district: str = Field("", max_length=100)
    province: str = Field("", max_length=100)
    postcode: str = Field("", max_length=5)


class Recipient(DomainInput):
    """Who the parcel goes to and who the documents name (the JSON field is `customer`)."""

    name: str = Field(min_length=1, max_length=200)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    line_id: str = Field("", max_length=100)
    social_name: str = Field("", max_length=200)
    tax_id: str = Field("", max_length=13)
    branch_code: str = Field("", max_length=5)
    address: Address = Address()


class NewOrderLine(DomainInput):
    """A SKU and how many; the price is the variant's unless the seller gives one."""

    sku: Sku
    quantity: Quantity
    unit_price: Money | None = None
    line_discount: Money | None = None


class NewOrder(DomainInput):
    channel: Channel
    external_id: str = Field("", max_length=100)
    customer: Recipient
    lines: list[NewOrderLine] = Field(min_length=1, max_length=MAX_LINES)
    shipping_fee: Money = Decimal(0)
    discount: Money = Decimal(0)
    payment_method: PaymentMethod
    note: str = Field("", max_length=5000)
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    ship_by: Moment | None = None


class NewLines(DomainInput):
    """The whole new set of lines of an open order (PUT /orders/{id}/lines)."""

    lines: list[NewOrderLine] = Field(min_length=1, max_length=MAX_LINES)


class OrderCorrection(DomainInput):
    """What a seller corrects on an order before it is packed: the fields of NewOrder, each
    optional; a field left out stays as it is. `customer` and `lines`, when given, are whole
    (the recipient as it should be; every line the order should have). `channel` and
    `external_id` are accepted only unchanged: they say where the order came from."""

    channel: Channel | None = None
    external_id: str | None = Field(None, max_length=100)
    customer: Recipient | None = None
    lines: list[NewOrderLine] | None = Field(None, min_length=1, max_length=MAX_LINES)
    shipping_fee: Money | None = None
    discount: Money | None = None
    payment_method: PaymentMethod | None = None
    note: str | None = Field(None, max_length=5000)
    tags: list[Tag] | None = Field(None, max_length=MAX_TAGS)
    ship_by: Moment | None = None


# --- The data of each action (orders.services.transition) ---------------------------------


class PayInput(DomainInput):
    amount: Money
    method: PaymentMethod
    reference: Reference = ""
    paid_at: Moment | None = None
    # The slip image of the web form (an UploadedFile); the API has no file upload here.
    slip: Any = None
    note: Note = ""


class NoteInput(DomainInput):
    """confirm_cod: nothing but an optional note."""

    note: Note = ""


class PackInput(DomainInput):
    note: Note = ""
    scanned: StrictBool = False  # packed at the scan-to-pack station, every piece counted


class ShipInput(DomainInput):
    carrier: CarrierCode
    tracking_number: TrackingNumber
    weight_grams: Grams = 0
    shipping_cost: Money = Decimal(0)
    note: Note = ""


class DeliverInput(DomainInput):
    delivered_at: Moment | None = None
    note: Note = ""


class FailDeliveryInput(DomainInput):
    reason: FailedDeliveryReason
    note: Note = ""


class CancelInput(DomainInput):
    reason: Reason
    note: Note = ""


class ReturnLine(DomainInput):
    sku: Sku
    condition: Condition


class ReturnInput(DomainInput):
    """Each returned line as `sellable` (the default for a line not named) or `damaged`."""

    lines: list[ReturnLine] = Field(default_factory=list, max_length=MAX_LINES)
    note: Note = ""


T = TypeVar("T", bound=DomainInput)

ACTION_INPUTS: dict[str, type[DomainInput]] = {
    "pay": PayInput,
    "confirm_cod": NoteInput,
    "pack": PackInput,
    "ship": ShipInput,
    "deliver": DeliverInput,
    "fail_delivery": FailDeliveryInput,
    "cancel": CancelInput,
    "receive_return": ReturnInput,
}


# --- From a plain dict -------------------------------------------------------------------

_PROBLEMS = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_short": "required",
    "string_too_long": "too_long",
    "too_long": "too_many",
    "too_short": "required",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
}


def read(kind: type[T], data: dict | T) -> T:
    """`kind` from `data`, or a TaladError naming every field that is wrong and how."""
    if isinstance(data, kind):
        return data
    try:
        return kind.model_validate(data)
    except ShapeError as exc:
        fields = {}
        for err in exc.errors():
            fields.setdefault(field_path(err["loc"]), _PROBLEMS.get(err["type"], "invalid"))
        raise TaladError(_message(fields), fields=fields) from None


def _message(fields: dict[str, str]) -> str:
    """One Thai sentence a seller can act on; the field paths stay in `fields` for clients."""
    names = ", ".join(dict.fromkeys(field_label(path) for path in fields))
    if set(fields.values()) == {"required"}:
        return _("ข้อมูลไม่ครบ: %(f)s") % {"f": names}
    if "unknown_field" in fields.values():
        unknown = [f for f, p in fields.items() if p == "unknown_field"]
        return _("ไม่รู้จักข้อมูล: %(f)s") % {"f": ", ".join(unknown)}
    return _("ข้อมูลไม่ถูกต้อง: %(f)s") % {"f": names}


def _labels() -> dict[str, str]:
    return {
        "sku": _("รหัสสินค้า"),
        "quantity": _("จำนวน"),
        "unit_price": _("ราคา"),
        "line_discount": _("ส่วนลดต่อรายการ"),
        "lines": _("รายการสินค้า"),
        "name": _("ชื่อผู้รับ"),
        "phone": _("เบอร์โทร"),
        "email": _("อีเมล"),
        "tax_id": _("เลขประจำตัวผู้เสียภาษี"),
        "branch_code": _("สาขา"),
        "line": _("ที่อยู่"),
        "subdistrict": _("แขวง / ตำบล"),
        "district": _("เขต / อำเภอ"),
        "province": _("จังหวัด"),
        "postcode": _("รหัสไปรษณีย์"),
        "shipping_fee": _("ค่าส่ง"),
        "discount": _("ส่วนลด"),
        "payment_method": _("วิธีชำระเงิน"),
        "channel": _("ช่องทางการขาย"),
        "note": _("หมายเหตุ"),
        "tags": _("แท็ก"),
        "ship_by": _("กำหนดส่ง"),
        "amount": _("ยอดเงิน"),
        "method": _("วิธีชำระเงิน"),
        "reference": _("เลขอ้างอิง"),
        "paid_at": _("วันเวลาที่ชำระ"),
        "carrier": _("ขนส่ง"),
        "tracking_number": _("เลขพัสดุ"),
        "reason": _("เหตุผล"),
        "condition": _("สภาพสินค้า"),
    }


def field_label(path: str) -> str:
    """`lines[1].quantity` → "จำนวน (รายการที่ 2)": the field as the seller's page names it."""
    leaf = path.rsplit(".", 1)[-1]
    name = leaf.split("[", 1)[0]
    label = _labels().get(name, name)
    if match := re.search(r"lines\[(\d+)\]", path):
        if name != "lines":
            return _("%(f)s (รายการที่ %(n)s)") % {"f": label, "n": int(match.group(1)) + 1}
        return _("รายการที่ %(n)s") % {"n": int(match.group(1)) + 1}
    return label
