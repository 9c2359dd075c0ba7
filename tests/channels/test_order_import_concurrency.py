"""Two `talad import-orders` processes on the same file at once: every marketplace order
becomes one Talad order, its stock is reserved once, and neither process fails.

Real processes, each with its own connection, on the suite's database (PostgreSQL in CI: the
unique external id makes the loser wait for the winner's commit and then find its order;
SQLite: BEGIN IMMEDIATE queues the writers). Many orders in one file so the two runs overlap.
"""

import json
import os
import subprocess

import pytest

from talad.inventory.checks import stock_violations
from talad.inventory.models import StockLevel, StockMovement
from talad.orders.models import Order
from tests.concurrency import suite_database_url, talad_command
from tests.conftest import make_variant
from tests.shipping.helpers import csv_file

pytestmark = pytest.mark.django_db(transaction=True)

ORDERS = 40
HEADER = [
    "order_id",
    "channel",
    "status",
    "sku",
    "quantity",
    "unit_price",
    "recipient_name",
    "phone",
    "address",
    "postcode",
]


def test_two_processes_importing_the_same_file_make_each_order_once(shop, tmp_path):
    mug = make_variant(shop, "MUG", on_hand=500)
    rows = [
        [
            f"SP-{i:03d}",
            "shopee",
            "paid",
            "MUG",
            "2",
            "150",
            f"ลูกค้า {i}",
            f"08{i:08d}",
            "99/1 ม.4",
            "12120",
        ]
        for i in range(ORDERS)
    ]
    export = tmp_path / "shopee.csv"
    export.write_bytes(csv_file([HEADER, *rows]))
    env = {
        **os.environ,
        "TALAD_DATABASE_URL": suite_database_url(),
        "TALAD_HOME": str(tmp_path),
        "TALAD_TESTING": "1",
    }
    command = [
        *talad_command(),
        "import-orders",
        "--shop",
        shop.slug,
        "--format",
        "csv",
        str(export),
        "--json",
    ]
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    reports = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()[-2000:]
        reports.append(json.loads(out))

    outcomes = [o["outcome"] for r in reports for o in r["orders"]]
    assert sorted(set(outcomes)) <= ["created", "unchanged"]
    assert outcomes.count("created") == ORDERS
    orders = Order.objects.for_shop(shop)
    assert orders.count() == ORDERS
    assert sorted(orders.values_list("external_id", flat=True)) == [r[0] for r in rows]
    assert set(orders.values_list("status", flat=True)) == {"to_pack"}
    assert StockLevel.objects.for_shop(shop).get(variant=mug).reserved == 2 * ORDERS
    assert StockMovement.objects.for_shop(shop).filter(kind="reserve").count() == ORDERS
    assert stock_violations(shop) == []
