"""Reservations per second: Talad's `reserve_stock` against the raw conditional UPDATE.

A benchmark, not a test (docs/performance.md). For each database and worker count it runs,
one after the other on the same scratch database:

- raw baseline: `UPDATE bench_raw_stock SET reserved = reserved + 1 WHERE id = ? AND
  on_hand - reserved >= 1`, one row per transaction, straight through the driver (sqlite3
  with WAL + synchronous=NORMAL + BEGIN IMMEDIATE, as Talad's settings; psycopg for PostgreSQL);
- Talad: `reserve_stock(shop=..., lines=[(variant, 1)], reference=..., by=Actor.system())`,
  the conditional UPDATE plus its ledger row in one transaction.

Each worker has its own connection and, unless --same-row, its own stock row, and runs for
--seconds after all workers have warmed up. Stock never runs out; every cell checks that the
rows' `reserved` (and, for Talad, the ledger) grew by exactly the number of reservations counted.

    .venv/bin/python bench/reserve.py [--seconds N] [--db sqlite|postgres|both]
        [--workers 1,2,4,8] [--repeat N] [--mode processes|threads] [--same-row] [--variants]

Django settings are per process, so each database runs in a child process of this script
(`--child`), which sets its environment before `django.setup()`; this parent makes and drops
the scratch databases and prints the table. PostgreSQL is 127.0.0.1:5432 user postgres
(override with TALAD_BENCH_PG_URL); the script creates and drops the database `talad_bench`
(override with TALAD_BENCH_DB). Without a reachable server that half is skipped with a notice.
"""

import argparse
import itertools
import json
import multiprocessing
import os
import platform
import queue
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TALAD_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("TALAD_BENCH_DB", "talad_bench")
TARGET = 0.50
WARMUP_OPS = 30
RAW_TABLE = "bench_raw_stock"
RAW_SQL = (
    f"UPDATE {RAW_TABLE} SET reserved = reserved + 1 WHERE id = %s AND on_hand - reserved >= 1"
)
RAW_ON_HAND = 2_000_000_000
TOP_UP_BELOW = 500_000  # Talad rows are refilled between cells while below this many units


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
        _print_table(results)
    return 0


def _run_child(args, db: str, *, url: str) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="talad-bench-") as home:
        out = Path(home) / "result.json"
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            db,
            "--home",
            home,
            "--url",
            url,
            "--result",
            str(out),
            "--seconds",
            str(args.seconds),
            "--workers",
            ",".join(map(str, args.workers)),
            "--mode",
            args.mode,
            "--repeat",
            str(args.repeat),
        ]
        cmd += ["--same-row"] if args.same_row else []
        cmd += ["--variants"] if args.variants else []
        if subprocess.run(cmd, cwd=ROOT).returncode != 0:
            raise SystemExit(f"the {db} half of the benchmark failed (see above)")
        return json.loads(out.read_text())


def _run_postgres(args) -> list[dict]:
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split())
        print(f"NOTICE: PostgreSQL SKIPPED, {PG_ADMIN_URL} is not reachable: {reason}")
        return []
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
        try:
            parts = urlsplit(PG_ADMIN_URL)
            return _run_child(args, "postgres", url=urlunsplit(parts._replace(path=f"/{BENCH_DB}")))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def _print_table(results: list[dict]) -> None:
    first = results[0]
    rows = "one hot row" if first["same_row"] else "a row per worker"
    print(
        f"\nReservations per second: {first['mode']}, {first['seconds']:g} s per run,"
        f" median of {first['repeat']} run(s), {rows}"
    )
    print(f"Target: Talad >= {TARGET:.0%} of raw baseline")
    print(f"{'database':<10}{'workers':>8}{'raw baseline/s':>16}{'Talad/s':>10}{'% of raw':>10}")
    for r in results:
        share = r["talad"] / r["raw"]
        print(
            f"{r['database']:<10}{r['workers']:>8}{r['raw']:>16,.0f}{r['talad']:>10,.0f}"
            f"{share:>10.0%}  {'PASS' if share >= TARGET else 'MISS'}"
        )
    kinds = list(dict.fromkeys(k for r in results for k in r["cpu_us"]))
    print("\nPer kind: reservations/s (each worker's own CPU per reservation, µs)")
    print(f"{'database':<10}{'workers':>8}" + "".join(f"{k:>22}" for k in kinds))
    for r in results:
        rates = {"raw": r["raw"], "talad": r["talad"], **r["variants"]}
        cells = (f"{rates[k]:,.0f} ({r['cpu_us'][k]:,.0f})" for k in kinds)
        print(f"{r['database']:<10}{r['workers']:>8}" + "".join(f"{c:>22}" for c in cells))
    versions = {r["database"]: r["server"] for r in results}
    print("\n" + "; ".join(versions.values()) + f"; {_machine_line()}")


def _machine_line() -> str:
    import django

    ram = int(_proc_value("/proc/meminfo", "MemTotal", "0 kB").split()[0]) / 2**20
    return (
        f"{os.cpu_count()} CPUs ({_proc_value('/proc/cpuinfo', 'model name', 'unknown CPU')}),"
        f" {ram:.0f} GiB RAM, Python {platform.python_version()}, Django {django.__version__},"
        f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


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
    p.add_argument("--seconds", type=float, default=5.0, help="measured time per cell")
    p.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument(
        "--workers",
        type=lambda s: [int(n) for n in s.split(",")],
        default=[1, 2, 4, 8],
        help="comma-separated worker counts (default 1,2,4,8)",
    )
    p.add_argument(
        "--mode",
        choices=["processes", "threads"],
        default="processes",
        help="workers are processes (default; like gunicorn workers) or threads in one process",
    )
    p.add_argument(
        "--repeat", type=int, default=1, help="runs per cell; the median is shown (default 1)"
    )
    p.add_argument("--same-row", action="store_true", help="every worker reserves one hot SKU")
    p.add_argument(
        "--variants", action="store_true", help="also time variants of Talad's path (see doc)"
    )
    p.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    p.add_argument("--home", help=argparse.SUPPRESS)
    p.add_argument("--url", default="", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    return p.parse_args()


# --- Child: one database, every worker count ----------------------------------------------


def _child(args) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "talad.settings"
    os.environ["TALAD_HOME"] = args.home
    os.environ["TALAD_DATABASE_URL"] = args.url  # empty: the SQLite file in TALAD_HOME
    os.environ["TALAD_SECRET_KEY"] = "bench-only-not-a-secret"
    for name in ("TALAD_DEBUG", "TALAD_TESTING"):
        os.environ.pop(name, None)  # DEBUG would log every query
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    fixture = _make_fixture(max(args.workers), postgres=bool(args.url))
    fixture["url"] = args.url
    fixture["same_row"] = args.same_row
    kinds = ["raw", "talad", *(VARIANTS if args.variants else [])]
    results = []
    for workers in args.workers:
        runs: dict[str, list[float]] = {kind: [] for kind in kinds}
        cpu_runs: dict[str, list[float]] = {kind: [] for kind in kinds}
        for _ in range(args.repeat):  # interleaved, so a busy moment hits every kind alike
            for kind in kinds:
                _top_up(fixture)
                before = _counters(fixture)
                connections.close_all()  # workers open their own; nothing open may cross a fork
                total, rate, cpu = _measure(kind, fixture, workers, args.seconds, args.mode)
                _check_counters(kind, fixture, before, _counters(fixture), total)
                runs[kind].append(rate)
                cpu_runs[kind].append(cpu * 1e6)
                print(
                    f"  {args.child:<8} {workers} workers  {kind:<16} {rate:>10,.0f}/s"
                    f"  {cpu * 1e6:>8,.0f} µs CPU each",
                    file=sys.stderr,
                    flush=True,
                )
        rates = {kind: statistics.median(r) for kind, r in runs.items()}
        cpu_us = {kind: statistics.median(r) for kind, r in cpu_runs.items()}
        results.append(
            {
                "database": args.child,
                "workers": workers,
                "mode": args.mode,
                "seconds": args.seconds,
                "repeat": args.repeat,
                "same_row": args.same_row,
                "raw": rates.pop("raw"),
                "talad": rates.pop("talad"),
                "variants": rates,
                "cpu_us": cpu_us,
                "server": _server_version(connection),
            }
        )
    connections.close_all()
    Path(args.result).write_text(json.dumps(results))
    return 0


def _server_version(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def _make_fixture(count: int, *, postgres: bool) -> dict:
    """A shop with one SKU per worker, plenty of stock, and the raw scratch table."""
    from decimal import Decimal

    from django.conf import settings
    from django.db import connection

    from talad.catalog.services import create_product
    from talad.shops.actors import Actor
    from talad.shops.services import create_shop

    by = Actor.system("bench")
    shop = create_shop(
        name="ร้านวัดความเร็ว", slug="bench", owner_email="bench@example.com", password=None, by=by
    )
    product = create_product(
        shop=shop,
        name="สินค้าวัดความเร็ว",
        variants=[{"sku": f"BENCH-{i}", "price": Decimal("100.00")} for i in range(count)],
        by=by,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {RAW_TABLE} (id integer PRIMARY KEY,"
            " on_hand integer NOT NULL, reserved integer NOT NULL DEFAULT 0)"
        )
        for i in range(count):
            cursor.execute(
                f"INSERT INTO {RAW_TABLE} (id, on_hand, reserved) VALUES (%s, %s, 0)",
                [i + 1, RAW_ON_HAND],
            )
    fixture = {
        "shop_id": shop.pk,
        "variant_ids": sorted(v.pk for v in product.variants.all()),
        "raw_ids": list(range(1, count + 1)),
        "sqlite_path": None if postgres else str(settings.DATABASES["default"]["NAME"]),
    }
    _top_up(fixture)
    return fixture


def _top_up(fixture: dict) -> None:
    """Receive stock (through Talad, so the ledger agrees) until reservations cannot run out."""
    from decimal import Decimal

    from talad.catalog.models import Variant
    from talad.inventory.models import StockLevel
    from talad.inventory.services import MAX_QUANTITY, receive_stock
    from talad.shops.actors import Actor
    from talad.shops.models import Shop

    shop = Shop.objects.get(pk=fixture["shop_id"])
    levels = {
        level.variant_id: level for level in StockLevel.objects.for_shop(shop)
    }  # none yet for a new SKU: its first receipt makes the row
    for variant in Variant.objects.for_shop(shop).filter(pk__in=fixture["variant_ids"]):
        level = levels.get(variant.pk)
        if level is None or level.available < TOP_UP_BELOW:
            receive_stock(
                shop=shop,
                sku=variant.sku,
                quantity=MAX_QUANTITY,
                unit_cost=Decimal("60.00"),
                by=Actor.system("bench"),
            )


def _counters(fixture: dict) -> dict:
    from django.db import connection
    from django.db.models import Sum

    from talad.inventory.models import MovementKind, StockLevel, StockMovement
    from talad.shops.models import Shop

    shop = Shop.objects.get(pk=fixture["shop_id"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT SUM(reserved) FROM {RAW_TABLE}")
        raw = cursor.fetchone()[0]
    return {
        "raw": raw,
        "reserved": StockLevel.objects.for_shop(shop).aggregate(n=Sum("reserved"))["n"] or 0,
        "ledger": StockMovement.objects.for_shop(shop).filter(kind=MovementKind.RESERVE).count(),
    }


def _check_counters(kind: str, fixture: dict, before: dict, after: dict, total: int) -> None:
    """The benchmark counts only reservations the database really holds."""
    grown = {key: after[key] - before[key] for key in before}
    expected = (
        {"raw": total, "reserved": 0, "ledger": 0}
        if kind == "raw"
        else {"raw": 0, "reserved": total, "ledger": total}
    )
    if grown != expected:
        raise SystemExit(f"{kind}: counted {total} reservations but the database grew {grown}")


# --- Workers ------------------------------------------------------------------------------


def _measure(kind: str, fixture: dict, workers: int, seconds: float, mode: str):
    """Start `workers` workers, let them warm up, time them together.

    Returns (reservations made, reservations per second, worker CPU seconds per reservation)."""
    if mode == "processes":
        ctx = multiprocessing.get_context("fork")
        barrier, out = ctx.Barrier(workers), ctx.Queue()
        starts = [
            ctx.Process(target=_worker, args=(kind, fixture, i, seconds, barrier, out))
            for i in range(workers)
        ]
    else:
        barrier, out = threading.Barrier(workers), queue.Queue()
        starts = [
            threading.Thread(target=_worker, args=(kind, fixture, i, seconds, barrier, out))
            for i in range(workers)
        ]
    for w in starts:
        w.start()
    reports = [out.get(timeout=seconds + 300) for _ in starts]
    for w in starts:
        w.join()
    failures = [r["error"] for r in reports if "error" in r]
    if failures:
        raise SystemExit(f"{kind} with {workers} workers failed: {failures[0]}")
    total = sum(r["warmup"] + r["ops"] for r in reports)
    ops = sum(r["ops"] for r in reports)
    return total, ops / max(r["elapsed"] for r in reports), sum(r["cpu"] for r in reports) / ops


def _worker(kind, fixture, index, seconds, barrier, out) -> None:
    warmup = ops = 0
    try:
        row = 0 if fixture["same_row"] else index
        reserve, close = OPS[kind](fixture, row)
        try:
            for _ in range(WARMUP_OPS):
                reserve()
                warmup += 1
            barrier.wait(timeout=300)
            start, cpu = time.perf_counter(), time.thread_time()
            deadline = start + seconds
            while True:
                reserve()
                ops += 1
                if (now := time.perf_counter()) >= deadline:
                    break
            cpu = time.thread_time() - cpu  # this worker's own CPU, whatever else the machine runs
        finally:
            close()
        out.put({"warmup": warmup, "ops": ops, "elapsed": now - start, "cpu": cpu})
    except BaseException as exc:
        barrier.abort()
        out.put({"error": f"{type(exc).__name__}: {exc}", "warmup": warmup, "ops": ops})


def _sqlite_connect(path: str) -> sqlite3.Connection:
    """A connection set up as Talad's settings set Django's (BEGIN IMMEDIATE is per statement)."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)  # None: we say BEGIN ourselves
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _raw(fixture: dict, row: int):
    """One conditional UPDATE per transaction, straight through the driver."""
    row_id = fixture["raw_ids"][row]
    if fixture["sqlite_path"]:
        conn = _sqlite_connect(fixture["sqlite_path"])
        sql = RAW_SQL.replace("%s", "?")

        def reserve() -> None:
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute(sql, (row_id,)).rowcount != 1:
                raise RuntimeError("raw stock ran out")
            conn.execute("COMMIT")

        return reserve, conn.close

    import psycopg

    conn = psycopg.connect(fixture["url"])
    cursor = conn.cursor()

    def reserve() -> None:
        if cursor.execute(RAW_SQL, (row_id,)).rowcount != 1:
            raise RuntimeError("raw stock ran out")
        conn.commit()

    return reserve, conn.close


def _talad(fixture: dict, row: int, *, pass_warehouse: bool = False, nested: bool = False):
    """Talad's own door: reserve_stock, in a transaction of its own (or, `nested`, inside an
    outer one, as creating an order calls it, which makes its atomic() a savepoint)."""
    from django.db import connection, transaction

    from talad.catalog.models import Variant
    from talad.inventory.services import default_warehouse, reserve_stock
    from talad.shops.actors import Actor
    from talad.shops.models import Shop

    shop = Shop.objects.get(pk=fixture["shop_id"])
    variant = Variant.objects.for_shop(shop).get(pk=fixture["variant_ids"][row])
    extra = {"warehouse": default_warehouse(shop)} if pass_warehouse else {}
    numbers = itertools.count(1)

    def reserve() -> None:
        reserve_stock(
            shop=shop,
            lines=[(variant, 1)],
            reference=f"bench:{row}:{os.getpid()}:{next(numbers)}",
            by=Actor.system(),
            **extra,
        )

    if nested:
        plain = reserve

        def reserve() -> None:
            with transaction.atomic():
                plain()

    return reserve, connection.close


def _talad_sql(fixture: dict, row: int):
    """The statements reserve_stock sends, hand-written, straight through the driver: what the
    database itself costs for Talad's work, without the ORM building each query."""
    import datetime

    shop_id, variant_id = fixture["shop_id"], fixture["variant_ids"][row]
    warehouse_sql = (
        "SELECT id, shop_id, name, code, is_default FROM inventory_warehouse"
        " WHERE shop_id = %s AND is_default LIMIT 21"
    )
    level_sql = (
        "SELECT variant_id, id FROM inventory_stocklevel"
        " WHERE shop_id = %s AND variant_id IN (%s) AND warehouse_id = %s"
    )
    update_sql = (
        "UPDATE inventory_stocklevel SET reserved = reserved + 1"
        " WHERE shop_id = %s AND id = %s AND on_hand >= reserved + 1"
    )
    ledger_sql = (
        "INSERT INTO inventory_stockmovement (shop_id, variant_id, warehouse_id, kind,"
        " on_hand_delta, reserved_delta, damaged_delta, unit_cost, reason, reference, user_id,"
        " actor, created_at) VALUES (%s, %s, %s, 'reserve', 0, 1, 0, NULL, '', %s, NULL,"
        " 'talad', %s) RETURNING id"
    )
    numbers = itertools.count(1)
    if fixture["sqlite_path"]:
        conn = _sqlite_connect(fixture["sqlite_path"])

        def run(sql: str, params: tuple):
            return conn.execute(sql.replace("%s", "?"), params)

        def begin() -> None:
            conn.execute("BEGIN IMMEDIATE")

        def commit() -> None:
            conn.execute("COMMIT")

        def now() -> str:  # as Django stores an aware datetime in SQLite: naive UTC text
            return datetime.datetime.now(datetime.UTC).replace(tzinfo=None).isoformat(" ")

    else:
        import psycopg

        conn = psycopg.connect(fixture["url"])
        run, commit = conn.cursor().execute, conn.commit

        def begin() -> None:
            pass  # psycopg opens the transaction with the first statement

        def now() -> datetime.datetime:
            return datetime.datetime.now(datetime.UTC)

    def reserve() -> None:
        begin()
        warehouse_id = run(warehouse_sql, (shop_id,)).fetchall()[0][0]
        level_id = run(level_sql, (shop_id, variant_id, warehouse_id)).fetchall()[0][1]
        if run(update_sql, (shop_id, level_id)).rowcount != 1:
            raise RuntimeError("stock ran out")
        reference = f"bench:{row}:{os.getpid()}:{next(numbers)}"
        run(ledger_sql, (shop_id, variant_id, warehouse_id, reference, now())).fetchall()
        commit()

    return reserve, conn.close


# --variants: where Talad's time goes. `talad-nested` is reserve_stock inside an outer
# transaction (+ SAVEPOINT, RELEASE), as creating an order calls it; `talad+warehouse` is
# reserve_stock with the warehouse passed in (one query fewer); `talad-sql` is reserve_stock's
# SQL, hand-written, without Django.
VARIANTS = {
    "talad-nested": lambda fixture, row: _talad(fixture, row, nested=True),
    "talad+warehouse": lambda fixture, row: _talad(fixture, row, pass_warehouse=True),
    "talad-sql": _talad_sql,
}
OPS = {"raw": _raw, "talad": _talad, **VARIANTS}


if __name__ == "__main__":
    sys.exit(main())
