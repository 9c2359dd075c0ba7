"""Order totals with VAT, in Decimal (docs/design/money.md#vat).

VAT is computed once on the order total, rounded half up to the satang:
inclusive prices: vat = total × r / (100 + r); exclusive: vat = net × r / 100.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.money import CENT

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal


def line_total(
    *, unit_price: Decimal, quantity: int, line_discount: Decimal, field: str
) -> Decimal:
    gross = unit_price * quantity
    if line_discount > gross:
        raise TaladError(_("ส่วนลดต่อรายการมากกว่ายอดของรายการ"), fields={field: "discount_too_large"})
    return (gross - line_discount).quantize(CENT)


def order_totals(
    *,
    line_totals: list[Decimal],
    shipping_fee: Decimal,
    discount: Decimal,
    vat_registered: bool,
    vat_rate: Decimal,
    prices_include_vat: bool,
) -> Totals:
    subtotal = sum(line_totals, ZERO).quantize(CENT)
    before_discount = subtotal + shipping_fee
    if discount > before_discount:
        raise TaladError(_("ส่วนลดมากกว่ายอดสั่งซื้อ"), fields={"discount": "discount_too_large"})
    amount = (before_discount - discount).quantize(CENT)
    if not vat_registered or vat_rate == 0:
        return Totals(subtotal, amount, ZERO, amount)
    if prices_include_vat:
        vat = (amount * vat_rate / (100 + vat_rate)).quantize(CENT, ROUND_HALF_UP)
        return Totals(subtotal, amount - vat, vat, amount)
    vat = (amount * vat_rate / 100).quantize(CENT, ROUND_HALF_UP)
    return Totals(subtotal, amount, vat, amount + vat)
