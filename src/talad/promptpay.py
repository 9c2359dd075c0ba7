"""PromptPay QR payloads (EMVCo merchant-presented QR, Thai profile;
docs/design/money.md#pdfs-and-promptpay).

Built here instead of with the `promptpay` package because that one formats the amount
from a float (2.675 → "2.67"): an unpaid bill's QR must ask for exactly the Decimal total,
rounded half up like every other amount in Talad.

A payload is tag (2 digits) + length (2 digits) + value, in this order:
00 format · 01 static (11) or with amount (12) · 29 PromptPay account · 53 currency 764 ·
54 amount · 58 country TH · 63 CRC-16/CCITT-FALSE over everything before it, "6304" included.
"""

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import segno
from stdnum.th import tin

PROMPTPAY_AID = "A000000677010111"
_MOBILE, _TAX_ID, _EWALLET = "01", "02", "03"
_AMOUNT_MAX_CHARS = 13  # EMVCo: tag 54 holds at most 13 characters


def payload(target: str, amount: Decimal | None = None) -> str:
    """The text to encode in the QR for paying `target` (mobile, 13-digit ID or e-wallet).

    With `amount` the payer's app fills it in (a bill); without, the payer types it
    (a shop's standing QR)."""
    kind, account = _account(target)
    fields = [
        _field("00", "01"),
        _field("01", "11" if amount is None else "12"),
        _field("29", _field("00", PROMPTPAY_AID) + _field(kind, account)),
        _field("53", "764"),
    ]
    if amount is not None:
        fields.append(_field("54", _amount_text(amount)))
    fields.append(_field("58", "TH"))
    body = "".join(fields) + "6304"
    return body + f"{crc16(body.encode('ascii')):04X}"


def qr_svg(text: str) -> str:
    """A QR code of `text` as SVG with only a viewBox (no width/height), the form fpdf2 places
    and a web page can scale; error level M, as Thai banks print PromptPay QRs."""
    out = io.BytesIO()
    segno.make_qr(text, error="m", boost_error=False).save(
        out, kind="svg", border=4, omitsize=True, xmldecl=False
    )
    return out.getvalue().decode("ascii")


def qr_png_data_uri(text: str, *, scale: int = 8) -> str:
    """A QR code of `text` as a `data:image/png` URI: an image a phone can save or share
    into a chat, with no request of its own. Error level M, as `qr_svg`."""
    return segno.make_qr(text, error="m", boost_error=False).png_data_uri(scale=scale, border=4)


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, start 0xFFFF, not reflected, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _account(target: str) -> tuple[str, str]:
    """Which kind of PromptPay account `target` is, and its value as the payload carries it."""
    digits = re.sub(r"[\s\-+]", "", target or "")
    if not digits.isdigit():
        raise ValueError("PromptPay target must be a phone number, 13-digit ID or e-wallet ID")
    if len(digits) == 10 and digits.startswith("0"):
        return _MOBILE, "0066" + digits[1:]
    if len(digits) == 11 and digits.startswith("66"):
        return _MOBILE, "00" + digits
    if len(digits) == 13:
        if not tin.is_valid(digits):
            raise ValueError("PromptPay ID has a wrong check digit")
        return _TAX_ID, digits
    if len(digits) == 15:
        return _EWALLET, digits
    raise ValueError("PromptPay target must be a phone number, 13-digit ID or e-wallet ID")


def _amount_text(amount: Decimal) -> str:
    if not isinstance(amount, Decimal):
        raise TypeError(f"PromptPay amount must be a Decimal, not {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError("PromptPay amount must be finite")
    text = str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if Decimal(text) <= 0 or len(text) > _AMOUNT_MAX_CHARS:
        raise ValueError("PromptPay amount must be above zero and below ten billion baht")
    return text


def _field(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"
