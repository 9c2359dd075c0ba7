"""A 20,000-row Shopee export imported into Talad, next to openpyxl reading the same file.
A benchmark, not a test (docs/performance.md).

For each database (SQLite in a temporary TALAD_HOME; PostgreSQL in a scratch database on
127.0.0.1:5432, created and dropped) a child process seeds one shop with 20 SKUs in stock,
writes a Shopee-layout xlsx of --rows rows (two rows per order: --rows / 2 orders, status
"ที่ต้องจัดส่ง", paid by the platform) and times, in the same run:

1. baseline: openpyxl in read-only mode iterating every cell of the file (what any importer
   must at least do);
2. Talad's reader alone (`channels.imports.readers.read_orders`: headers, cells, grouping);
3. the whole import (`channels.imports.apply.import_orders`: each order created through
   `create_order` in its own transaction, stock reserved, paid by the platform, journal and
   outbox rows);
4. the same file again (idempotent: every order found, nothing written).

    .venv/bin/python bench/marketplace_import.py [--db sqlite|postgres|both] [--rows 20000]
"""

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.channels.fixtures
PG_ADMIN_URL = os.environ.get("TALAD_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("TALAD_BENCH_IMPORT_DB", "talad_bench_import")
SKUS = [f"SKU-{i:02d}" for i in range(20)]


def main() -> int:
    args = parse_args()
    if args.child:
        return child(args)
    print(
        f"{os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    rows = []
    for db in dbs:
        rows += run_postgres(args) if db == "postgres" else run_db(args, "sqlite", "")
    print()
    print("| database | what | rows | orders | seconds | rows/s | orders/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for db, what, n_rows, n_orders, seconds in rows:
        print(
            f"| {db} | {what} | {n_rows:,} | {n_orders:,} | {seconds:.2f}"
            f" | {n_rows / seconds:,.0f} | {n_orders / seconds:,.0f} |"
        )
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    return parser.parse_args()


def run_postgres(args) -> list:
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        print(f"NOTICE: PostgreSQL SKIPPED, {PG_ADMIN_URL} is not reachable: {exc}")
        return []
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
        try:
            url = urlunsplit(urlsplit(PG_ADMIN_URL)._replace(path=f"/{BENCH_DB}"))
            return run_db(args, "postgres", url)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def run_db(args, db: str, url: str) -> list:
    """One child process per database: Django's settings are read once per process."""
    with tempfile.TemporaryDirectory(prefix="talad-bench-import-") as home:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "talad.settings",
            "TALAD_HOME": home,
            "TALAD_DATABASE_URL": url,
            "TALAD_SECRET_KEY": "bench-only-not-a-secret",
        }
        for name in ("TALAD_DEBUG", "TALAD_TESTING"):
            env.pop(name, None)
        result = Path(home) / "rows.json"
        command = [sys.executable, __file__, "--child", str(result), "--rows", str(args.rows)]
        subprocess.run(command, env=env, check=True)
        return [(db, *row) for row in json.loads(result.read_text())]


def child(args) -> int:
    talad = str(Path(sys.executable).with_name("talad"))
    subprocess.run([talad, "migrate", "-v", "0"], check=True)
    import django

    django.setup()
    from openpyxl import load_workbook

    from talad.channels.imports.apply import import_orders
    from talad.channels.imports.readers import read_orders

    shop, by = seed()
    content = shopee_file(args.rows)
    orders = args.rows // 2
    rows = []

    started = time.perf_counter()
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    cells = sum(len(row) for row in book.active.iter_rows(values_only=True))
    book.close()
    rows.append(("baseline: openpyxl read-only, every cell", args.rows, orders, _since(started)))
    assert cells > args.rows

    started = time.perf_counter()
    parsed = read_orders("shopee", content, filename="shopee.xlsx")
    rows.append(("Talad reader alone (read_orders)", args.rows, orders, _since(started)))
    assert len(parsed.orders) == orders and not parsed.problems, parsed.problems[:3]

    for what in ("import (create every order)", "the same file again (nothing changes)"):
        started = time.perf_counter()
        report = import_orders(shop=shop, by=by, format="shopee", content=content)
        rows.append((what, args.rows, orders, _since(started)))
        assert not report.errors, report.errors[:3]
    Path(args.child).write_text(json.dumps(rows))
    return 0


def _since(started: float) -> float:
    return time.perf_counter() - started


def seed():
    from decimal import Decimal

    from talad.catalog.services import create_product
    from talad.inventory.services import receive_stock
    from talad.shops.actors import Actor
    from talad.shops.services import create_shop

    by = Actor.system("bench")
    shop = create_shop(
        name="ร้านทดสอบนำเข้า",
        slug="bench-import",
        owner_email="owner@example.com",
        password="bench-password-1",
        by=by,
    )
    for sku in SKUS:
        create_product(
            shop=shop, name=f"สินค้า {sku}", by=by, variants=[{"sku": sku, "price": Decimal(250)}]
        )
        receive_stock(shop=shop, sku=sku, quantity=1_000_000, unit_cost=Decimal(90), by=by)
    return shop, by


def shopee_file(n_rows: int) -> bytes:
    """Shopee's layout (tests/channels/fixtures/make_fixtures.py headers), two rows an order."""
    from openpyxl import Workbook
    from tests.channels.fixtures.make_fixtures import SHOPEE_HEADERS

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(SHOPEE_HEADERS)
    address = ("99/1 ถ.สุขุมวิท แขวงคลองตัน", "เขตคลองเตย", "กรุงเทพมหานคร", "10110")
    for n in range(n_rows):
        order = n // 2
        sku = SKUS[(order + n % 2) % len(SKUS)]
        sheet.append(
            [f"2607{order:08d}AB", "ที่ต้องจัดส่ง", "2024-07-17 09:05", "2024-07-17 09:07",
             "Kerry Express", "", "2024-07-19 23:59", f"สินค้า {sku}", sku, "250.00", 1 + n % 2,
             "40.00", f"ลูกค้า {order}", f"081{order % 10_000_000:07d}", *address,
             "", "", "", "", ""]
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
