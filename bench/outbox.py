"""The road out: documents delivered to a local fake PEAK through `talad worker`, and what the
outbox costs the order path. A benchmark, not a test (docs/performance.md).

For each database (SQLite in a temporary TALAD_HOME; PostgreSQL in a scratch database on
127.0.0.1:5432, created and dropped) it seeds one VAT-registered shop connected to a fake PEAK
(tests/fakes/peak.py, real HTTP on 127.0.0.1, run by this process), with 5 SKUs, then:

1. Delivery. --documents paid orders are made (each issues a receipt/tax invoice, queued for
   PEAK; 25 customers, so the first documents also create contacts and products), then timed:
   - baseline "direct": the same receipt rows POSTed to the fake one by one with one httpx
     client and one client token (what any PEAK integration must at least do), no outbox;
   - Talad: `talad worker --drain` with 1 worker, then (fresh documents) with 2 workers:
     hold, attempt log, token cache, contact/product lookups, POST, PeakLink, message sent.
   Reported as documents per second of wall time; each document must be in PEAK exactly once.
2. Order path. --orders orders through `orders.services.create_order` (3 lines, new
   customer), in-process, one transaction each: first with no webhook subscription, then with
   one subscription to every event (one outbox message and one task row per order).

    .venv/bin/python bench/outbox.py [--db sqlite|postgres|both] [--documents 300] [--orders 500]
"""

import argparse
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
sys.path.insert(0, str(ROOT))  # tests.fakes.peak
PG_ADMIN_URL = os.environ.get("TALAD_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("TALAD_BENCH_OUTBOX_DB", "talad_bench_outbox")
SLUG = "bench-outbox"
SKUS = [f"SKU-{i}" for i in range(5)]


def main() -> int:
    args = parse_args()
    print(
        f"{os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    if args.child:
        return child(args)
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    rows = []
    for db in dbs:
        rows += run_postgres(args) if db == "postgres" else run_db(args, "sqlite", "")
    print()
    print("| database | what | count | seconds | per second |")
    print("|---|---|---:|---:|---:|")
    for db, what, count, seconds in rows:
        print(f"| {db} | {what} | {count:,} | {seconds:.2f} | {count / seconds:,.1f} |")
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--orders", type=int, default=500)
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
    with tempfile.TemporaryDirectory(prefix="talad-bench-outbox-") as home:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "talad.settings",
            "TALAD_HOME": home,
            "TALAD_DATABASE_URL": url,
            "TALAD_SECRET_KEY": "bench-only-not-a-secret",
            "TALAD_WEBHOOKS_ALLOW_PRIVATE": "1",
        }
        for name in ("TALAD_DEBUG", "TALAD_TESTING"):
            env.pop(name, None)
        result = Path(home) / "rows.json"
        command = [
            sys.executable,
            __file__,
            "--child",
            str(result),
            "--documents",
            str(args.documents),
            "--orders",
            str(args.orders),
        ]
        subprocess.run(command, env=env, check=True)
        return [(db, *row) for row in json.loads(result.read_text())]


def child(args) -> int:
    talad = str(Path(sys.executable).with_name("talad"))
    subprocess.run([talad, "migrate", "-v", "0"], check=True)
    import django

    django.setup()
    from tests.fakes.peak import FakePeak

    rows = []
    with FakePeak() as peak:
        shop = seed(peak)
        rows.append(("PEAK baseline: direct POST per receipt", *direct(peak, shop, args)))
        for workers in (1, 2):
            counted = drain(peak, shop, args, talad, dict(os.environ), workers)
            rows.append((f"PEAK via talad worker --drain ×{workers}", *counted))
        rows.append(("create_order, no webhook subscription", *orders(shop, args, False)))
        rows.append(("create_order, one webhook subscription", *orders(shop, args, True)))
    Path(args.child).write_text(json.dumps(rows))
    return 0


def seed(peak):
    from decimal import Decimal

    from talad.catalog.services import create_product
    from talad.integrations.peak.services import save_peak_connection
    from talad.inventory.services import receive_stock
    from talad.shops.actors import Actor
    from talad.shops.services import create_shop

    by = Actor.system("bench")
    shop = create_shop(
        name="ร้านทดสอบความเร็ว",
        slug=SLUG,
        owner_email="bench@example.com",
        password="x-secret-9",
        by=by,
        vat_registered=True,
        tax_id="3100600445694",
        address="99/1 ถ.พหลโยธิน แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400",
    )
    for sku in SKUS:
        create_product(
            shop=shop, name=f"สินค้า {sku}", by=by, variants=[{"sku": sku, "price": Decimal("107")}]
        )
        receive_stock(shop=shop, sku=sku, quantity=10**6, unit_cost=Decimal("50"), by=by)
    save_peak_connection(
        shop=shop,
        by=by,
        changes={
            "base_url": peak.url,
            "connect_id": "CID",
            "connect_key": "CKEY",
            "user_token": "UTOKEN",
        },
    )
    return shop


def new_order(shop, i: int, lines: int = 1):
    from talad.orders.inputs import NewOrder
    from talad.orders.services import create_order
    from talad.shops.actors import Actor

    order, _ = create_order(
        shop=shop,
        by=Actor.system("bench"),
        order=NewOrder(
            channel="line",
            customer={
                "name": f"ลูกค้า {i % 25}",
                "phone": f"08{i % 25:08d}",
                "address": {
                    "line": "99/1 ม.4",
                    "subdistrict": "คลองหนึ่ง",
                    "district": "คลองหลวง",
                    "province": "ปทุมธานี",
                    "postcode": "12120",
                },
            },
            lines=[{"sku": SKUS[(i + k) % len(SKUS)], "quantity": 1} for k in range(lines)],
            payment_method="transfer",
        ),
    )
    return order


def paid_documents(shop, count: int) -> list:
    from talad.orders.services import transition
    from talad.shops.actors import Actor

    documents = []
    for i in range(count):
        order = new_order(shop, i)
        transition(
            order=order,
            action="pay",
            by=Actor.system("bench"),
            amount=order.total,
            method="transfer",
        )
        documents.append(order.documents.get())
    return documents


def direct(peak, shop, args):
    """The floor: the same receipt rows, one POST each, one client, no outbox."""
    from talad.accounting.models import Document
    from talad.integrations.models import OutboxMessage, PeakConnection
    from talad.integrations.peak import payloads as P
    from talad.integrations.peak.client import Credentials, PeakClient
    from talad.integrations.peak.delivery import peak_codes

    documents = paid_documents(shop, args.documents)
    OutboxMessage.objects.for_shop(shop).delete()  # only the direct loop sends these
    connection = PeakConnection.objects.for_shop(shop).get()
    codes = peak_codes(shop, connection)
    client = PeakClient(Credentials.of(connection))
    client.call(
        "POST",
        "/contacts",
        {"PeakContacts": {"contacts": [{"code": "BENCH", "name": "ลูกค้าทดสอบ"}]}},
    )
    documents = list(
        Document.objects.for_shop(shop)
        .filter(pk__in=[d.pk for d in documents])
        .select_related("order")
        .prefetch_related("lines")
    )
    started = time.perf_counter()
    for document in documents:
        row = P.document_row(document, contact="BENCH", codes=codes, payment_ids={})
        row["code"] = "D-" + row["code"]
        client.call("POST", "/receipts", {"PeakReceipts": {"receipts": [row]}})
    seconds = time.perf_counter() - started
    client.close()
    return len(documents), seconds


def drain(peak, shop, args, talad, env, workers: int):
    from django.db import connection

    documents = paid_documents(shop, args.documents)
    connection.close()
    started = time.perf_counter()
    processes = [
        subprocess.Popen([talad, "worker", "--drain"], env=env, stdout=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("talad worker --drain failed")
    seconds = time.perf_counter() - started
    twice = [d.number for d in documents if peak.count("receipts", d.number) != 1]
    if twice:
        raise SystemExit(f"not exactly once in PEAK: {twice[:5]}")
    return len(documents), seconds


def orders(shop, args, subscribed: bool):
    from talad.integrations.models import WebhookSubscription
    from talad.integrations.webhooks.services import subscribe
    from talad.shops.actors import Actor

    WebhookSubscription.objects.for_shop(shop).update(active=False)
    if subscribed:
        subscribe(shop=shop, url="http://127.0.0.1:9/hook", events=["*"], by=Actor.system("bench"))
    started = time.perf_counter()
    for i in range(args.orders):
        new_order(shop, 1000 + i, lines=3)
    return args.orders, time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
