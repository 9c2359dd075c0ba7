"""VAT on a document, with the orders' arithmetic (orders/pricing.py; docs/design/money.md#vat).

Computed once on the document total, rounded half up to the satang: prices with VAT:
vat = total × r / (100 + r), net = total − vat; prices without: vat = net × r / 100.
"""

from decimal import ROUND_HALF_UP, Decimal

from talad.orders.pricing import CENT, ZERO, Totals, order_totals


def document_totals(
    *, amounts: list[Decimal], discount: Decimal = ZERO, vat_rate: Decimal, prices_include_vat: bool
) -> Totals:
    """Net, VAT and total of lines in the document's price basis; a zero rate means no VAT."""
    return order_totals(
        line_totals=amounts,
        shipping_fee=ZERO,
        discount=discount,
        vat_registered=vat_rate > 0,
        vat_rate=vat_rate,
        prices_include_vat=prices_include_vat,
    )


def split_inclusive(total: Decimal, rate: Decimal = Decimal("7")) -> tuple[Decimal, Decimal]:
    """(net, vat) of a total that includes VAT."""
    totals = document_totals(amounts=[total], vat_rate=rate, prices_include_vat=True)
    return totals.net, totals.vat


def add_vat(net: Decimal, rate: Decimal = Decimal("7")) -> tuple[Decimal, Decimal]:
    """(vat, total) on top of a net amount."""
    totals = document_totals(amounts=[net], vat_rate=rate, prices_include_vat=False)
    return totals.vat, totals.total


def allocate(net: Decimal, parts: list[Decimal]) -> list[Decimal]:
    """Share `net` over `parts` in proportion, half up; the first part takes the rounding so
    that the shares always add up to `net` exactly (sales vs shipping income)."""
    whole = sum(parts, ZERO)
    if whole <= 0:
        return [net] + [ZERO] * (len(parts) - 1)
    rest = [(net * part / whole).quantize(CENT, ROUND_HALF_UP) for part in parts[1:]]
    return [net - sum(rest, ZERO), *rest]
