"""VAT on any amount, as docs/design/money.md#vat states it (Decimal, half up, on the
document total). The formulas are written out here again on purpose: the code under test is
the orders' pricing arithmetic that documents reuse, and it must agree with the law's."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from talad.accounting.vat import add_vat, allocate, document_totals, split_inclusive

CENT = Decimal("0.01")
amounts = st.decimals(
    min_value=Decimal("0.00"), max_value=Decimal("9999999999.99"), places=2, allow_nan=False
)
rates = st.sampled_from([Decimal("7"), Decimal("7.00"), Decimal("10"), Decimal("3.5")])


@given(total=amounts, rate=rates)
@example(total=Decimal("1070.00"), rate=Decimal("7"))
@example(total=Decimal("99.00"), rate=Decimal("7"))
@example(total=Decimal("0.01"), rate=Decimal("7"))
def test_an_inclusive_total_splits_into_net_and_vat_that_add_back_up(total, rate):
    net, vat = split_inclusive(total, rate)

    assert net + vat == total
    assert vat == (total * rate / (100 + rate)).quantize(CENT, ROUND_HALF_UP)
    assert net.as_tuple().exponent == vat.as_tuple().exponent == -2


@given(net=amounts, rate=rates)
@example(net=Decimal("1000.00"), rate=Decimal("7"))
def test_an_exclusive_net_gets_vat_on_top(net, rate):
    vat, total = add_vat(net, rate)

    assert total - vat == net
    assert vat == (net * rate / 100).quantize(CENT, ROUND_HALF_UP)


def test_the_reference_examples():
    assert split_inclusive(Decimal("1070.00")) == (Decimal("1000.00"), Decimal("70.00"))
    assert split_inclusive(Decimal("99.00")) == (Decimal("92.52"), Decimal("6.48"))
    assert add_vat(Decimal("1000.00")) == (Decimal("70.00"), Decimal("1070.00"))


@given(lines=st.lists(amounts.filter(lambda a: a < 10**8), min_size=1, max_size=20))
def test_vat_is_computed_once_on_the_document_total_not_per_line(lines):
    totals = document_totals(amounts=lines, vat_rate=Decimal("7"), prices_include_vat=True)

    total = sum(lines, Decimal("0.00"))
    assert totals.total == total
    assert totals.vat == (total * 7 / 107).quantize(CENT, ROUND_HALF_UP)


def test_a_zero_rate_means_no_vat():
    totals = document_totals(
        amounts=[Decimal("500.00")], vat_rate=Decimal("0"), prices_include_vat=True
    )

    assert (totals.net, totals.vat, totals.total) == (Decimal("500.00"), 0, Decimal("500.00"))


@given(net=amounts, goods=amounts, shipping=amounts)
def test_sales_and_shipping_income_always_add_up_to_the_net(net, goods, shipping):
    goods_net, shipping_net = allocate(net, [goods, shipping])

    assert goods_net + shipping_net == net
    assert shipping_net >= 0 and goods_net >= 0
