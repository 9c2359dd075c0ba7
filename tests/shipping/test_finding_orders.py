"""An order found the way sellers write it: a marketplace's order number in the tracking
file's order column, and an order number without its prefix on the scan page."""

from talad.shipping.tracking_import import import_tracking
from tests.conftest import make_variant
from tests.orders.factories import make_order
from tests.shipping.helpers import SYSTEM, csv_file
from tests.shipping.test_scan_to_pack import PACK, signed_in, to_pack


def test_a_marketplace_order_number_in_the_order_column_finds_its_order(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    shopee = make_order(shop, shirt, channel="shopee", external_id="261204DLZWMHUV")
    content = csv_file(
        [
            ["order_number", "carrier", "tracking"],
            ["261204DLZWMHUV", "spx", "SPXTH0000000123"],
            ["261204NOSUCHONE", "spx", "SPXTH0000000124"],
        ]
    )

    report = import_tracking(shop=shop, by=SYSTEM, content=content)

    shipped, unknown = report["rows"]
    assert (shipped["result"], shipped["order_number"]) == ("shipped", shopee.number)
    assert (unknown["result"], unknown["message"]) == ("error", "ไม่พบออเดอร์ 261204NOSUCHONE")


def test_the_scan_page_takes_an_order_number_without_its_prefix(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    order = to_pack(shop, [(shirt, 1)])
    digits = order.number.removeprefix("SO-").lstrip("0")
    packer = signed_in(shop)

    found = packer.post(f"{PACK}find/", {"code": digits})
    padded = packer.post(f"{PACK}find/", {"code": order.number.removeprefix("SO-")})

    assert found.status_code == 302 and found["Location"] == f"{PACK}?order={order.pk}"
    assert padded["Location"] == f"{PACK}?order={order.pk}"
