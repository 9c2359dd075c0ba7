"""Money is Decimal baht with two places, never float (docs/design/money.md#money)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from talad.errors import TaladError

CENT = Decimal("0.01")
MONEY_MAX = Decimal("9999999999.99")


def parse_amount(value, field: str) -> Decimal:
    """A non-negative amount with at most two decimals, from a Decimal, int or string.

    Floats are refused only when they carry more than two decimals; `120.5` is fine."""
    if isinstance(value, bool):
        raise TaladError(_("จำนวนเงินไม่ถูกต้อง"), fields={field: "invalid_money"})
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise TaladError(_("จำนวนเงินไม่ถูกต้อง"), fields={field: "invalid_money"}) from None
    if not amount.is_finite() or amount < 0 or amount > MONEY_MAX:
        raise TaladError(_("จำนวนเงินไม่ถูกต้อง"), fields={field: "invalid_money"})
    if amount != amount.quantize(CENT):
        raise TaladError(_("จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"), fields={field: "too_many_decimals"})
    return amount.quantize(CENT)
