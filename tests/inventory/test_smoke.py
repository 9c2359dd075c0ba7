from talad.inventory.checks import stock_violations
from talad.inventory.selectors import stock_rows
from tests.conftest import make_variant


def test_received_stock_shows_as_available(shop):
    make_variant(shop, "A-1", on_hand=5)
    (row,) = stock_rows(shop=shop, sku="A-1")
    assert (row.on_hand, row.reserved, row.available) == (5, 0, 5)
    assert stock_violations(shop) == []
