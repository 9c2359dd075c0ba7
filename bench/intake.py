"""Order intake over HTTP: `POST /api/v1/orders` through `talad serve` against a raw baseline.

A benchmark, not a test (docs/performance.md). For each database it makes a scratch database
(PostgreSQL: `talad_bench_intake`, created and dropped; SQLite: a file in a temporary
TALAD_HOME), a shop with --skus SKUs in stock and an API token, starts the production server
(`talad serve --no-demo --workers W --threads T`) in a subprocess, and then times, one after
the other, with the same number of client threads (--clients, each with its own keep-alive
connection, closed loop: a client sends its next order when the last one is answered):

- raw baseline: each order is one transaction of the INSERT/UPDATE statements Talad's intake
  writes for a 3-line order with an Idempotency-Key and a new customer, hand-written, straight
  through the driver (psycopg; sqlite3 with WAL + synchronous=NORMAL + BEGIN IMMEDIATE, as
  Talad's settings), into scratch clones of Talad's tables (same columns, indexes, checks and
  foreign keys): idempotency record INSERT, customer INSERT, order-number UPDATE, order INSERT,
  3 order lines (one INSERT), 3 conditional stock UPDATEs, 3 ledger rows (one INSERT), status
  change INSERT, idempotency record UPDATE with the response — 11 writes, then COMMIT;
- Talad: the same orders as JSON over HTTP, `Authorization: Bearer …` and a fresh
  `Idempotency-Key` each, to the running server.

Every order has 3 distinct SKUs (quantity 1–3), a new customer with a Thai name, phone and a
real address, a non-marketplace channel (a marketplace order would also be paid on arrival,
which is more statements) and COD, transfer or PromptPay. A run warms up for --warmup seconds,
then counts the orders answered in the next --seconds. Every Talad answer must be 201; after
the runs the script checks that the shop holds exactly the orders answered 201 and that
`talad doctor`'s checks (ledger = levels, reservations = open orders) find nothing.

    .venv/bin/python bench/intake.py [--db sqlite|postgres|both] [--seconds 15] [--warmup 3]
        [--workers 2] [--threads 4] [--clients 8] [--repeat 1] [--skus 100] [--profile N]

--profile N (needs `pip install pyinstrument` in the venv; not a dependency of Talad) creates N
more orders in-process through Django's test client under pyinstrument and prints where the
time goes. PostgreSQL is 127.0.0.1:5432 user postgres (override with TALAD_BENCH_PG_URL).
"""

import argparse
import datetime
import http.client
import itertools
import json
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TALAD_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("TALAD_BENCH_INTAKE_DB", "talad_bench_intake")
TARGET_RATE = 250  # orders per second on PostgreSQL (issue 3)
TARGET_SHARE = 0.40  # of the raw baseline
RAW = "bench_raw_"
CLONED = (
    "shops_idempotencyrecord",
    "orders_customer",
    "orders_ordernumbersequence",
    "orders_order",
    "orders_orderline",
    "inventory_stocklevel",
    "inventory_stockmovement",
    "orders_statuschange",
)

# Realistic-looking Thai customers: names, and addresses that exist in GeoThai.
FIRST = ["สมชาย", "สมหญิง", "วิภา", "ธนพล", "กาญจนา", "ณัฐวุฒิ", "ปิยะนุช", "อรุณี", "ศุภชัย", "มาลี"]
LAST = ["ใจดี", "สุขสวัสดิ์", "ทองมา", "ศรีสุข", "บุญมี", "แก้วมณี", "วงศ์ไทย", "พึ่งบุญ", "รักษาศรี", "มีสุข"]
ADDRESSES = [
    ("คลองหนึ่ง", "คลองหลวง", "ปทุมธานี", "12120"),
    ("ลาดยาว", "จตุจักร", "กรุงเทพมหานคร", "10900"),
    ("สุเทพ", "เมืองเชียงใหม่", "เชียงใหม่", "50200"),
    ("ในเมือง", "เมืองขอนแก่น", "ขอนแก่น", "40000"),
    ("หาดใหญ่", "หาดใหญ่", "สงขลา", "90110"),
    ("บางพูด", "ปากเกร็ด", "นนทบุรี", "11120"),
]
CHANNELS = ["facebook", "line", "instagram", "website", "phone"]
PAYMENTS = ["cod", "cod", "transfer", "promptpay"]


# --- Parent: one child process per database, then the table -------------------------------


def main() -> int:
    args = _parse_args()
    if args.child:
        return _child(args)
    print(_machine_line(), flush=True)
    results: list[dict] = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        if db == "postgres":
            results += _run_postgres(args)
        else:
            results += _run_child(args, "sqlite", url="")
    if results:
        _print_table(results, args)
    return 0


def _run_child(args, db: str, *, url: str) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="talad-bench-intake-") as home:
        out = Path(home) / "result.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", db, "--home", home]
        cmd += ["--url", url, "--result", str(out)]
        for name in ("seconds", "warmup", "workers", "threads", "clients", "repeat", "skus"):
            cmd += [f"--{name}", str(getattr(args, name))]
        cmd += ["--profile", str(args.profile)]
        if subprocess.run(cmd, cwd=ROOT).returncode != 0:
            raise SystemExit(f"the {db} half of the benchmark failed (see above)")
        return json.loads(out.read_text())


def _run_postgres(args) -> list[dict]:
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        print(f"NOTICE: PostgreSQL SKIPPED, {PG_ADMIN_URL} is not reachable: {exc}".strip())
        return []
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
        try:
            parts = urlsplit(PG_ADMIN_URL)
            return _run_child(args, "postgres", url=urlunsplit(parts._replace(path=f"/{BENCH_DB}")))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def _print_table(results: list[dict], args) -> None:
    print(
        f"\nOrder intake, 3-line orders: {args.clients} client connections, closed loop,"
        f" {args.seconds:g} s measured after {args.warmup:g} s warm-up, median of {args.repeat}"
        f" run(s); server: talad serve --workers {args.workers} --threads {args.threads}"
    )
    print(f"Targets: PostgreSQL >= {TARGET_RATE} orders/s; Talad >= {TARGET_SHARE:.0%} of raw")
    print(
        f"{'database':<10}{'raw/s':>9}{'raw p50':>9}{'raw p99':>9}  {'Talad/s':>9}"
        f"{'p50 ms':>8}{'p99 ms':>8}{'% raw':>7}  {'CPU ms/order':>13}  target"
    )
    for r in results:
        share = r["talad"]["rate"] / r["raw"]["rate"]
        verdicts = [f"{'PASS' if share >= TARGET_SHARE else 'MISS'} (share)"]
        if r["database"] == "postgres":
            ok = r["talad"]["rate"] >= TARGET_RATE
            verdicts.insert(0, f"{'PASS' if ok else 'MISS'} (>= {TARGET_RATE}/s)")
        print(
            f"{r['database']:<10}{r['raw']['rate']:>9,.0f}{r['raw']['p50']:>9.1f}"
            f"{r['raw']['p99']:>9.1f}  {r['talad']['rate']:>9,.0f}{r['talad']['p50']:>8.1f}"
            f"{r['talad']['p99']:>8.1f}{share:>7.0%}  {r['talad']['server_cpu_ms']:>13.1f}  "
            + ", ".join(verdicts)
        )
    print()
    for r in results:
        a = r["anatomy"]
        print(
            f"{r['database']}: {r['server']}. One order in-process, one thread:"
            f" {a['wall_ms']:.1f} ms wall, {a['cpu_ms']:.1f} ms CPU; holds the shop's"
            f" order-number/write lock {a['window_ms']:.1f} ms (so <= {1000 / a['window_ms']:,.0f}"
            f" orders/s per shop); statements: {a['statements']}"
        )
    print(f"{_machine_line()}")


def _machine_line() -> str:
    import django

    ram = int(_proc_value("/proc/meminfo", "MemTotal", "0 kB").split()[0]) / 2**20
    return (
        f"{os.cpu_count()} CPUs ({_proc_value('/proc/cpuinfo', 'model name', 'unknown CPU')}),"
        f" {ram:.0f} GiB RAM, Python {platform.python_version()}, Django {django.__version__},"
        f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}{_cpu_pressure()}"
    )


def _cpu_pressure() -> str:
    """Linux PSI: the share of the last minute some runnable task waited for a CPU."""
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        return f", CPU pressure {float(some.split('avg60=')[1].split()[0]):.0f}% (avg60)"
    except (OSError, IndexError, ValueError):
        return ""


def _proc_value(path: str, key: str, default: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            name, _sep, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
    except OSError:
        pass
    return default


def _parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--seconds", type=float, default=15.0, help="measured time per run")
    p.add_argument("--warmup", type=float, default=3.0, help="warm-up before each run")
    p.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2)")
    p.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    p.add_argument("--clients", type=int, default=8, help="concurrent client connections (8)")
    p.add_argument("--repeat", type=int, default=1, help="runs per kind; the median is shown")
    p.add_argument("--skus", type=int, default=100, help="SKUs in the shop (100)")
    p.add_argument("--profile", type=int, default=0, help="profile N in-process orders")
    p.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    p.add_argument("--home", help=argparse.SUPPRESS)
    p.add_argument("--url", default="", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    return p.parse_args()


# --- Child: one database ------------------------------------------------------------------


def _child(args) -> int:
    env = {
        "DJANGO_SETTINGS_MODULE": "talad.settings",
        "TALAD_HOME": args.home,
        "TALAD_DATABASE_URL": args.url,  # empty: the SQLite file in TALAD_HOME
        "TALAD_SECRET_KEY": "bench-only-not-a-secret",
    }
    os.environ.update(env)
    for name in ("TALAD_DEBUG", "TALAD_TESTING"):
        os.environ.pop(name, None)  # DEBUG would log every query
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    fixture = _make_fixture(args.skus, postgres=bool(args.url))
    fixture["url"] = args.url
    anatomy = _anatomy(fixture)
    server_version = _server_version(connection)
    connections.close_all()

    server = _start_server(args)
    phones = itertools.count(1)
    runs: dict[str, list[dict]] = {"raw": [], "talad": []}
    answered = 0
    try:
        for _ in range(args.repeat):  # interleaved, so a busy moment hits both kinds alike
            for kind in ("raw", "talad"):
                cpu_before = _tree_cpu_seconds(server["proc"].pid)
                result = _measure(kind, fixture, server, args, phones)
                cpu = _tree_cpu_seconds(server["proc"].pid) - cpu_before
                result["server_cpu_ms"] = 1000 * cpu / max(result["total"], 1)
                runs[kind].append(result)
                if kind == "talad":
                    answered += result["total"]
                print(
                    f"  {args.child:<8} {kind:<6} {result['rate']:>8,.0f} orders/s"
                    f"  p50 {result['p50']:.1f} ms  p99 {result['p99']:.1f} ms"
                    f"  errors {result['errors']}"
                    + (
                        f"  server CPU {result['server_cpu_ms']:.1f} ms/order"
                        if kind == "talad"
                        else ""
                    )
                    + f"  (load {os.getloadavg()[0]:.2f})",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        _stop_server(server)
    _check_database(fixture, answered)
    if args.profile:
        _profile(fixture, args.profile)
    connections.close_all()

    def median_run(kind: str) -> dict:
        ordered = sorted(runs[kind], key=lambda r: r["rate"])
        return ordered[len(ordered) // 2]

    Path(args.result).write_text(
        json.dumps(
            [
                {
                    "database": args.child,
                    "raw": median_run("raw"),
                    "talad": median_run("talad"),
                    "server": server_version,
                    "anatomy": anatomy,
                }
            ]
        )
    )
    return 0


def _server_version(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW synchronous_commit")
        return f"PostgreSQL {version} (synchronous_commit={cursor.fetchone()[0]})"


def _make_fixture(skus: int, *, postgres: bool) -> dict:
    """A shop with `skus` SKUs and plenty of stock, an API token, and the raw clones."""
    from django.conf import settings
    from django.db import connection

    from talad.catalog.services import create_product
    from talad.inventory.services import receive_stock
    from talad.shops.actors import Actor
    from talad.shops.services import create_api_token, create_shop

    by = Actor.system("bench")
    shop = create_shop(
        name="ร้านวัดความเร็ว", slug="bench", owner_email="bench@example.com", password=None, by=by
    )
    names = ["เสื้อยืดคอตตอน", "กระเป๋าผ้า", "ครีมกันแดด", "แก้วเก็บความเย็น", "หมวกบักเก็ต"]
    variants = [
        {"sku": f"SKU-{i:04d}", "price": Decimal(random.choice([99, 159, 249, 390, 590]))}
        for i in range(skus)
    ]
    for start in range(0, skus, 50):  # a product per 50 SKUs, like sizes and colours
        create_product(
            shop=shop,
            name=f"{names[start // 50 % len(names)]} รุ่น {start // 50 + 1}",
            variants=variants[start : start + 50],
            by=by,
        )
    for v in variants:
        receive_stock(shop=shop, sku=v["sku"], quantity=1_000_000, unit_cost=Decimal("50"), by=by)
    _token, plaintext = create_api_token(shop=shop, role="owner", name="bench", by=by)
    with connection.cursor() as cursor:
        if postgres:
            _clone_postgres(cursor, shop.pk)
        else:
            _clone_sqlite(cursor, shop.pk)
        cursor.execute(
            f"SELECT variant_id, id FROM {RAW}inventory_stocklevel WHERE shop_id = %s", [shop.pk]
        )
        raw_levels = dict(cursor.fetchall())
    from talad.catalog.models import Variant
    from talad.inventory.services import default_warehouse

    rows = Variant.objects.for_shop(shop).select_related("product").order_by("sku")
    return {
        "shop_id": shop.pk,
        "warehouse_id": default_warehouse(shop).pk,
        "token": plaintext,
        "variants": [
            {
                "id": v.pk,
                "sku": v.sku,
                "name": v.display_name,
                "price": str(v.price),
                "raw_level": raw_levels[v.pk],
            }
            for v in rows
        ],
        "sqlite_path": None if postgres else str(settings.DATABASES["default"]["NAME"]),
    }


def _clone_postgres(cursor, shop_id: int) -> None:
    """Scratch tables LIKE Talad's (columns, defaults, identity, indexes, checks) plus their
    foreign keys, pointing at the clones where the parent is cloned too."""
    for table in CLONED:
        cursor.execute(f"CREATE TABLE {RAW}{table} (LIKE {table} INCLUDING ALL)")
    for table in CLONED:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        for (definition,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {RAW}{table} ADD {_renamed(definition)}")
    _copy_stock_rows(cursor, shop_id)


def _clone_sqlite(cursor, shop_id: int) -> None:
    """The same for SQLite: Talad's CREATE TABLE / CREATE INDEX text with the names changed."""
    names = ", ".join(f"'{t}'" for t in CLONED)
    cursor.execute(
        "SELECT type, sql FROM sqlite_master"
        f" WHERE tbl_name IN ({names}) AND sql IS NOT NULL ORDER BY type DESC"
    )  # tables before indexes
    for _kind, sql in cursor.fetchall():
        sql = re.sub(r'^(CREATE (?:UNIQUE )?INDEX )"(\w+)"', rf'\1"{RAW}\2"', sql)
        cursor.execute(_renamed(sql))
    _copy_stock_rows(cursor, shop_id)


def _renamed(sql: str) -> str:
    for table in CLONED:
        sql = re.sub(rf'(?<![\w"]){table}(?=\W)|"{table}"', f'"{RAW}{table}"', sql)
    return sql


def _copy_stock_rows(cursor, shop_id: int) -> None:
    """The raw side starts from the same stock; its order numbers from a sequence of its own."""
    cursor.execute(f"INSERT INTO {RAW}inventory_stocklevel SELECT * FROM inventory_stocklevel")
    cursor.execute(
        f"INSERT INTO {RAW}orders_ordernumbersequence (shop_id, prefix, last_number)"
        " VALUES (%s, 'SO-', 0)",
        [shop_id],
    )


def _anatomy(fixture: dict, count: int = 40) -> dict:
    """One order after another in-process (Django's test client, one thread, no network):
    the statements an order sends, its wall and CPU time, and how long it holds the lock
    every order of the shop queues for: PostgreSQL's row lock on the order-number sequence
    (from its UPDATE to COMMIT), SQLite's database write lock (BEGIN IMMEDIATE to COMMIT).
    No order of the shop can be faster than that window, whatever the number of workers."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(7)
    marks: list[tuple[str, float, float]] = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            marks.append((sql, started, time.perf_counter()))

    commit = connection._commit

    def timed_commit():
        started = time.perf_counter()
        try:
            return commit()
        finally:
            marks.append(("COMMIT", started, time.perf_counter()))

    connection._commit = timed_commit
    walls, cpus, windows = [], [], []
    try:
        for i in range(count):
            body = json.dumps(_order_body(fixture, rng, 9_000_000 + i), ensure_ascii=False)
            marks.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(record):
                response = client.post(
                    "/api/v1/orders",
                    data=body,
                    content_type="application/json",
                    headers={
                        "Authorization": f"Bearer {fixture['token']}",
                        "Idempotency-Key": f"anatomy-{i}",
                    },
                )
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            if response.status_code != 201:
                raise SystemExit(f"anatomy: {response.status_code} {response.content[:300]}")
            lock = (
                "BEGIN" if connection.vendor == "sqlite" else 'UPDATE "orders_ordernumbersequence'
            )
            taken = next(start for sql, start, _end in marks if sql.startswith(lock))
            released = next(end for sql, _start, end in marks if sql == "COMMIT")
            windows.append(released - taken)
    finally:
        connection._commit = commit
    kinds: dict[str, int] = {}
    for sql, _start, _end in marks:  # the last order, every cache warm
        word = sql.split(None, 1)[0].upper()
        word = {"RELEASE": "SAVEPOINT"}.get(word, word)
        kinds[word] = kinds.get(word, 0) + 1
    fixture["counted_orders"] = count
    half = count // 2  # the first half warms up
    return {
        "statements": ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())),
        "wall_ms": 1000 * sorted(walls[half:])[len(walls[half:]) // 2],
        "cpu_ms": 1000 * sorted(cpus[half:])[len(cpus[half:]) // 2],
        "window_ms": 1000 * sorted(windows[half:])[len(windows[half:]) // 2],
    }


# --- The orders --------------------------------------------------------------------------


def _order_body(fixture: dict, rng: random.Random, n: int) -> dict:
    subdistrict, district, province, postcode = rng.choice(ADDRESSES)
    return {
        "channel": rng.choice(CHANNELS),
        "customer": {
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "phone": f"08{n:08d}",  # a new customer each order
            "address": {
                "line": f"{rng.randint(1, 999)}/{rng.randint(1, 99)} หมู่ {rng.randint(1, 12)}",
                "subdistrict": subdistrict,
                "district": district,
                "province": province,
                "postcode": postcode,
            },
        },
        "lines": [
            {"sku": v["sku"], "quantity": rng.randint(1, 3)}
            for v in rng.sample(fixture["variants"], 3)
        ],
        "payment_method": rng.choice(PAYMENTS),
        "shipping_fee": "40.00",
        "note": "ฝากวางไว้หน้าบ้าน",
    }


# --- Load: closed loop, N clients ---------------------------------------------------------


def _measure(kind: str, fixture: dict, server: dict, args, phones) -> dict:
    """Run `clients` clients for warmup + seconds; count what was answered in the window."""
    start = time.perf_counter() + 0.5  # everyone starts together
    window = (start + args.warmup, start + args.warmup + args.seconds)
    records: list[list] = [[] for _ in range(args.clients)]
    errors: list[str] = []
    threads = [
        threading.Thread(
            target=_client,
            args=(kind, fixture, server, i, start, window[1], phones, records[i], errors),
        )
        for i in range(args.clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{kind}: {len(errors)} failed orders, the first: {errors[0]}")
    done = [latency for recs in records for (end, latency) in recs if window[0] <= end < window[1]]
    done.sort()
    return {
        "rate": len(done) / args.seconds,
        "p50": 1000 * _percentile(done, 50),
        "p99": 1000 * _percentile(done, 99),
        "total": sum(len(r) for r in records),  # warm-up included: every order written
        "errors": len(errors),
    }


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(len(values) * pct / 100))]


def _client(kind, fixture, server, index, start, stop, phones, out, errors) -> None:
    rng = random.Random(index * 7919 + hash(kind) % 1000)
    send, close = (_raw_sender if kind == "raw" else _http_sender)(fixture, server)
    try:
        while time.perf_counter() < start:
            time.sleep(0.001)
        while (began := time.perf_counter()) < stop:
            body = _order_body(fixture, rng, next(phones))
            problem = send(body)
            end = time.perf_counter()
            if problem:
                errors.append(problem)
                return
            out.append((end, end - began))
    except Exception as exc:  # the benchmark reports it and stops
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        close()


def _http_sender(fixture: dict, server: dict):
    conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=60)
    headers = {
        "Authorization": f"Bearer {fixture['token']}",
        "Content-Type": "application/json",
    }

    def send(body: dict) -> str | None:
        data = json.dumps(body, ensure_ascii=False).encode()
        conn.request(
            "POST",
            "/api/v1/orders",
            body=data,
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
        )
        response = conn.getresponse()
        content = response.read()
        if response.status != 201:
            return f"HTTP {response.status}: {content[:300].decode(errors='replace')}"
        return None

    return send, conn.close


def _raw_sender(fixture: dict, server: dict):
    """One order = Talad's 11 writes in one transaction, straight through the driver."""
    shop_id, warehouse_id = fixture["shop_id"], fixture["warehouse_id"]
    by_sku = {v["sku"]: v for v in fixture["variants"]}
    sqlite = fixture["sqlite_path"] is not None
    if sqlite:
        conn = sqlite3.connect(fixture["sqlite_path"], timeout=30, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
        cursor = conn.cursor()

        def run(sql: str, params: list):
            return cursor.execute(sql.replace("%s", "?"), [_sqlite_value(p) for p in params])

        def begin() -> None:
            cursor.execute("BEGIN IMMEDIATE")

        def commit() -> None:
            cursor.execute("COMMIT")

    else:
        import psycopg
        from psycopg.types.json import Jsonb

        conn = psycopg.connect(fixture["url"])
        cursor = conn.cursor()

        def run(sql: str, params: list):
            return cursor.execute(
                sql, [Jsonb(p) if isinstance(p, dict | list) else p for p in params]
            )

        def begin() -> None:
            pass  # psycopg opens the transaction with the first statement

        commit = conn.commit

    def insert(table: str, rows: list[dict], returning: bool = False):
        columns = list(rows[0])
        values = ", ".join("(" + ", ".join(["%s"] * len(columns)) + ")" for _ in rows)
        sql = f"INSERT INTO {RAW}{table} ({', '.join(columns)}) VALUES {values}"
        cur = run(
            sql + (" RETURNING id" if returning else ""), [r[c] for r in rows for c in columns]
        )
        return cur.fetchone()[0] if returning else None

    def send(body: dict) -> str | None:
        now = datetime.datetime.now(datetime.UTC)
        customer, address = body["customer"], body["customer"]["address"]
        lines = []
        for line in body["lines"]:
            v = by_sku[line["sku"]]
            price = Decimal(v["price"])
            lines.append((v, line["quantity"], price, price * line["quantity"]))
        subtotal = sum((total for *_x, total in lines), Decimal("0"))
        total = subtotal + Decimal(body["shipping_fee"])
        addr = {
            "address_line": address["line"],
            "subdistrict": address["subdistrict"],
            "district": address["district"],
            "province": address["province"],
            "postcode": address["postcode"],
        }
        begin()
        idem_id = insert(
            "shops_idempotencyrecord",
            [
                {
                    "shop_id": shop_id,
                    "key": uuid.uuid4().hex,
                    "request_hash": "0" * 64,
                    "status_code": 0,
                    "response": {},
                    "created_at": now,
                }
            ],
            returning=True,
        )
        customer_id = insert(
            "orders_customer",
            [
                {
                    "shop_id": shop_id,
                    **addr,
                    "name": customer["name"],
                    "phone": customer["phone"],
                    "email": "",
                    "line_id": "",
                    "social_name": "",
                    "tax_id": "",
                    "branch_code": "",
                    "created_at": now,
                }
            ],
            returning=True,
        )
        prefix, number = run(
            f"UPDATE {RAW}orders_ordernumbersequence SET last_number = last_number + 1"
            " WHERE shop_id = %s RETURNING prefix, last_number",
            [shop_id],
        ).fetchone()
        order_number = f"{prefix}{number:06d}"
        order_id = insert(
            "orders_order",
            [
                {
                    "shop_id": shop_id,
                    **addr,
                    "number": order_number,
                    "channel": body["channel"],
                    "external_id": "",
                    "customer_id": customer_id,
                    "customer_name": customer["name"],
                    "customer_phone": customer["phone"],
                    "customer_tax_id": "",
                    "customer_branch_code": "",
                    "status": "pending",
                    "status_changed_at": now,
                    "payment_method": body["payment_method"],
                    "payment_status": "unpaid",
                    "subtotal": subtotal,
                    "shipping_fee": Decimal(body["shipping_fee"]),
                    "discount": Decimal("0"),
                    "net_total": total,
                    "vat_total": Decimal("0"),
                    "total": total,
                    "vat_rate": Decimal("0"),
                    "prices_include_vat": True,
                    "refund_owed": Decimal("0"),
                    "holds_reservation": True,
                    "note": body["note"],
                    "tags": [],
                    "ship_by": None,
                    "carrier": "",
                    "tracking_number": "",
                    "cancel_reason": "",
                    "failed_delivery_reason": "",
                    "created_at": now,
                    "updated_at": now,
                }
            ],
            returning=True,
        )
        insert(
            "orders_orderline",
            [
                {
                    "shop_id": shop_id,
                    "order_id": order_id,
                    "variant_id": v["id"],
                    "sku": v["sku"],
                    "name": v["name"],
                    "quantity": q,
                    "unit_price": price,
                    "line_discount": Decimal("0"),
                    "line_total": line_total,
                }
                for v, q, price, line_total in lines
            ],
        )
        for v, q, _price, _total in sorted(lines, key=lambda line: line[0]["raw_level"]):
            updated = run(
                f"UPDATE {RAW}inventory_stocklevel SET reserved = reserved + %s"
                " WHERE shop_id = %s AND id = %s AND on_hand >= reserved + %s",
                [q, shop_id, v["raw_level"], q],
            ).rowcount
            if updated != 1:
                conn.rollback()
                return f"raw stock ran out for {v['sku']}"
        insert(
            "inventory_stockmovement",
            [
                {
                    "shop_id": shop_id,
                    "variant_id": v["id"],
                    "warehouse_id": warehouse_id,
                    "kind": "reserve",
                    "on_hand_delta": 0,
                    "reserved_delta": q,
                    "damaged_delta": 0,
                    "unit_cost": None,
                    "reason": "",
                    "reference": f"order:{order_number}",
                    "user_id": None,
                    "actor": "token:bench",
                    "created_at": now,
                }
                for v, q, _price, _total in lines
            ],
        )
        insert(
            "orders_statuschange",
            [
                {
                    "shop_id": shop_id,
                    "order_id": order_id,
                    "from_status": "",
                    "to_status": "pending",
                    "action": "create",
                    "at": now,
                    "user_id": None,
                    "actor": "token:bench",
                    "note": "",
                }
            ],
        )
        response = {"id": order_id, "number": order_number, **body, "total": str(total)}
        run(
            f"UPDATE {RAW}shops_idempotencyrecord SET status_code = 201, response = %s"
            " WHERE id = %s",
            [response, idem_id],
        )
        commit()
        return None

    return send, conn.close


def _sqlite_value(value):
    """As Django stores them in SQLite: decimals and naive-UTC datetimes as text, JSON as text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


# --- The server -------------------------------------------------------------------------


def _start_server(args) -> dict:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(Path(args.home) / "server.log", "w")  # noqa: SIM115 — closed in _stop_server
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "talad.cli", "serve", "--no-demo", "--port", str(port)),
            *("--workers", str(args.workers), "--threads", str(args.threads)),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"talad serve exited ({proc.returncode}); see {log.name}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/orders/counts")
            conn.getresponse().read()
            conn.close()
            # Every worker imports the app lazily: wait until several answer quickly.
            time.sleep(1.0)
            return {"proc": proc, "port": port, "log": log}
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("talad serve did not answer within 120 s")


def _stop_server(server: dict) -> None:
    proc = server["proc"]
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the gunicorn master and its workers: ours alone
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    server["log"].close()


def _tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (the gunicorn workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


# --- Checks and the profile ---------------------------------------------------------------


def _check_database(fixture: dict, answered: int) -> None:
    """The shop holds exactly the orders answered 201, and doctor's invariants hold."""
    from talad.inventory.checks import stock_violations
    from talad.orders.checks import order_violations
    from talad.orders.models import Order
    from talad.shops.models import Shop

    shop = Shop.objects.get(pk=fixture["shop_id"])
    stored = Order.objects.for_shop(shop).count() - fixture.get("counted_orders", 0)
    if stored != answered:
        raise SystemExit(f"{answered} orders answered 201 but the shop holds {stored}")
    problems = stock_violations(shop) + order_violations(shop)
    if problems:
        raise SystemExit(f"doctor found {len(problems)} problem(s), the first: {problems[0]}")
    print(
        f"  checked: {stored} orders stored = answered 201; doctor's checks clean",
        file=sys.stderr,
        flush=True,
    )


def _profile(fixture: dict, count: int) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("  --profile needs pyinstrument in the venv (pip install pyinstrument)")
        return
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"Authorization": f"Bearer {fixture['token']}"}
    rng = random.Random(3)
    bodies = [
        json.dumps(_order_body(fixture, rng, 90_000_000 + i), ensure_ascii=False)
        for i in range(count)
    ]
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for i, body in enumerate(bodies):
        response = client.post(
            "/api/v1/orders",
            data=body,
            content_type="application/json",
            headers={**headers, "Idempotency-Key": f"profile-{i}"},
        )
        if response.status_code != 201:
            raise SystemExit(f"profile: {response.status_code} {response.content[:300]}")
    profiler.stop()
    elapsed = time.perf_counter() - started
    print(
        f"\n--- profile: {count} orders in-process, one thread, {1000 * elapsed / count:.2f} ms each"
    )
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    sys.exit(main())
