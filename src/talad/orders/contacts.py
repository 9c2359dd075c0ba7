"""Normalising what customers type: Thai phone numbers and postcodes (docs/design/shipping.md)."""

import re

import geothai
import phonenumbers
from django.utils.translation import gettext as _
from stdnum.th import tin

from talad.errors import TaladError


def normalise_phone(raw: str | None, *, field: str = "phone") -> str:
    """`+66 81 234 5678`, `081-234-5678`, `0812345678` → `0812345678`; blank stays blank."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "TH")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or number.country_code != 66 or not phonenumbers.is_valid_number(number):
        raise TaladError(
            _("เบอร์โทรไม่ถูกต้อง: %(phone)s") % {"phone": text}, fields={field: "invalid_phone"}
        )
    return "0" + str(number.national_number)


def phone_digits_for_search(text: str) -> str | None:
    """The national digits if `text` looks like (part of) a phone number, else None."""
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    return digits if re.fullmatch(r"0\d{5,9}", digits) else None


def check_postcode(postcode: str | None, *, field: str = "postcode") -> str:
    """Five digits that are a real Thai postcode (GeoThai data), or blank."""
    postcode = (postcode or "").strip()
    if not postcode:
        return ""
    if not re.fullmatch(r"\d{5}", postcode) or not geothai.by_postal_code(postcode):
        raise TaladError(
            _("รหัสไปรษณีย์ไม่ถูกต้อง: %(code)s") % {"code": postcode}, fields={field: "invalid_postcode"}
        )
    return postcode


HEAD_OFFICE = "00000"


def check_buyer_tax_id(tax_id: str, branch_code: str) -> tuple[str, str]:
    """A buyer's tax ID (13 digits with a valid check digit; dashes and spaces dropped) and
    branch (5 digits). A full tax invoice must name both (docs/design/money.md): a tax ID
    given without a branch is the head office, `00000`; a branch without a tax ID names
    nobody, so it is refused."""
    tax_id = re.sub(r"[\s\-]", "", tax_id or "")
    branch = (branch_code or "").strip()
    if tax_id and not tin.is_valid(tax_id):
        raise TaladError(
            _("เลขประจำตัวผู้เสียภาษีต้องเป็นตัวเลข 13 หลักที่ถูกต้อง"),
            fields={"customer.tax_id": "invalid_tax_id"},
        )
    if branch and not re.fullmatch(r"\d{5}", branch):
        raise TaladError(
            _("รหัสสาขาต้องเป็นตัวเลข 5 หลัก (00000 = สำนักงานใหญ่)"),
            fields={"customer.branch_code": "invalid_branch"},
        )
    if branch and not tax_id:
        raise TaladError(
            _("ระบุสาขาได้เมื่อมีเลขประจำตัวผู้เสียภาษีของผู้ซื้อ"),
            fields={"customer.tax_id": "required_with_branch"},
        )
    return tax_id, (branch or HEAD_OFFICE) if tax_id else ""
