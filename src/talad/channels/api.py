"""/api/v1/parse-contact — smart paste for integrations (a chat bot, a website checkout)."""

from typing import Literal

from ninja import Router, Schema
from pydantic import Field

from talad.api_types import ObjectIn, error_responses
from talad.channels.selectors import paste_catalogue
from talad.channels.smart_paste import parse_contact
from talad.orders.customers import known_customer
from talad.shops.permissions import require

router = Router(tags=["parse-contact"])

MAX_TEXT = 5_000


class ParseContactIn(ObjectIn):
    text: str = Field(max_length=MAX_TEXT, description="What the customer typed, as pasted")


class AddressOut(Schema):
    line: str
    subdistrict: str
    district: str
    province: str
    postcode: str


class CandidateOut(Schema):
    subdistrict: str
    district: str
    province: str
    postcode: str


class KnownCustomerOut(Schema):
    id: int
    name: str
    refused_cod_count: int


class ProposedLineOut(Schema):
    sku: str
    quantity: int


class ParsedContactOut(Schema):
    name: str
    phone: str = Field(description="The contact phone: the first mobile, else the first landline")
    other_phones: list[str] = Field(description="Other phones in the text, kept for the seller")
    address: AddressOut
    candidates: list[CandidateOut] = Field(
        description="Equally likely areas when the text does not settle one; empty when it does"
    )
    customer: KnownCustomerOut | None = Field(
        description="The shop's customer with this phone, if there is one"
    )
    payment_method: Literal["cod", "transfer"] | None = Field(
        description="What the chat says about paying (เก็บเงินปลายทาง → cod, โอน → transfer)"
    )
    lines: list[ProposedLineOut] = Field(
        description="The shop's products the chat asks for, for the seller to confirm"
    )


@router.post(
    "",
    response={200: ParsedContactOut, **error_responses(403, 413)},
    operation_id="parseContact",
    summary="Read a name, phone and address from chat text",
)
def parse(request, payload: ParseContactIn):
    require(request.actor, "view_orders")
    parsed = parse_contact(payload.text, paste_catalogue(shop=request.shop))
    return {
        "name": parsed.name,
        "phone": parsed.phone,
        "other_phones": parsed.other_phones,
        "address": {
            "line": parsed.address_line,
            "subdistrict": parsed.subdistrict,
            "district": parsed.district,
            "province": parsed.province,
            "postcode": parsed.postcode,
        },
        "candidates": parsed.candidates,
        "customer": known_customer(shop=request.shop, phone=parsed.phone),
        "payment_method": parsed.payment_method,
        "lines": [{"sku": li.sku, "quantity": li.quantity} for li in parsed.lines],
    }
