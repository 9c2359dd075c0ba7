"""A big marketplace file: a 20,000-row export imports whole, one order per transaction, and
an import killed halfway (SIGKILL) leaves whole orders only; running it again finishes it.

Real `talad import-orders` processes on the suite's database, like the two-process test.
"""

import os
import signal
import subprocess
import time

import pytest

from talad.channels.imports.apply import import_orders
from talad.inventory.checks import stock_violations
from talad.inventory.models import StockLevel
from talad.orders.models import Order, OrderLine
from talad.shops.actors import Actor
from tests.concurrency import suite_database_url, talad_command
from tests.conftest import make_variant
from tests.shipping.helpers import csv_file

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = [
    *("order_id", "channel", "status", "sku", "quantity", "unit_price"),
    *("recipient_name", "phone", "address", "postcode"),
]


def export(orders: int, skus=("MUG", "CAP")) -> bytes:
    """`orders` paid Shopee orders, one row per SKU each: len(skus) × orders rows."""
    rows = [
        [f"SP-{i:05d}", "shopee", "paid", sku, "1", "150", f"ลูกค้า {i}", f"081{i:07d}"]
        for i in range(orders)
        for sku in skus
    ]
    rows = [[*row, "99/1 ม.4", "12120"] for row in rows]
    return csv_file([HEADER, *rows])


def whole(shop, expected_orders: int | None = None) -> int:
    """Every order in the shop has both its lines and its reservations; returns the count."""
    orders = Order.objects.for_shop(shop)
    count = orders.count()
    assert OrderLine.objects.for_shop(shop).count() == 2 * count
    for level in StockLevel.objects.for_shop(shop):
        assert level.reserved == count, (level.variant_id, level.reserved, count)
    assert stock_violations(shop) == []
    if expected_orders is not None:
        assert count == expected_orders
    return count


def test_a_twenty_thousand_row_export_imports_every_order(shop):
    make_variant(shop, "MUG", on_hand=20_000)
    make_variant(shop, "CAP", on_hand=20_000)

    report = import_orders(shop=shop, by=Actor.system("test"), format="csv", content=export(10_000))

    assert report.rows_read == 20_000 and not report.errors
    assert whole(shop, expected_orders=10_000)
    assert set(Order.objects.for_shop(shop).values_list("status", flat=True)) == {"to_pack"}


def test_an_import_killed_halfway_leaves_whole_orders_and_a_second_run_finishes(shop, tmp_path):
    make_variant(shop, "MUG", on_hand=1_000)
    make_variant(shop, "CAP", on_hand=1_000)
    path = tmp_path / "shopee.csv"
    path.write_bytes(export(400))
    env = {
        **os.environ,
        "TALAD_DATABASE_URL": suite_database_url(),
        "TALAD_HOME": str(tmp_path),
        "TALAD_TESTING": "1",
    }
    command = [*talad_command(), "import-orders", "--shop", shop.slug, "--format", "csv"]
    command.append(str(path))

    run = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while Order.objects.for_shop(shop).count() < 40 and time.monotonic() < deadline:
        assert run.poll() is None, run.stderr.read().decode()[-2000:]
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait(timeout=30)

    before = whole(shop)
    assert 40 <= before < 400  # killed in the middle, with whole orders committed
    again = subprocess.run(command, env=env, capture_output=True, timeout=600)
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert whole(shop, expected_orders=400)
