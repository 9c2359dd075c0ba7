"""Reading orders at scale: the API's order list with 1,000,000 orders, the order desk and the
dashboard with 100,000, on PostgreSQL.

A benchmark, not a test (docs/performance.md). It makes a scratch PostgreSQL database
(`talad_bench_orders`, dropped at the end unless --keep), migrates it, and loads two shops
straight in SQL (INSERT … SELECT over generate_series; a fixture consistent enough for reads,
not a history of real state changes):

- "big": --orders orders (1,000,000) from --orders/3 customers (repeat buyers are likelier),
- "desk": --desk-orders orders (100,000), the size issue 4 names for the desk and dashboard,

spread over the last --days days (180), newest with the highest ids. Channels, payment
methods and statuses follow a shop's life: most old orders delivered, ~7 % cancelled, a few
returned, today's orders still pending/to pack/to ship, a few forgotten ones stuck; Thai names,
phones 06/08/09 + 8 digits, real GeoThai addresses, tracking numbers once shipped, marketplace
ids and ship-by deadlines on Shopee/Lazada/TikTok orders. --lines adds 1–3 lines per order.
After loading it runs VACUUM ANALYZE, as autovacuum would on a live database.

Then it times --requests requests of each kind in-process through Django's test client (the
whole Django stack: middleware, auth, query, JSON or template; no network), after 10 warm-up
requests each, and prints p50/p95, the database's share and the queries per request:

- API, shop "big": GET /api/v1/orders?status=S (S cycles over every status), ?q=<a customer's
  10-digit phone>, ?q=<the first 6 digits of one> ("081234…"), and, for information, the
  unfiltered first page, ?q=<order number> and, with --name-search, ?q=<a Thai first name>
  (a substring search); kinds without a target run a fifth of --requests (at least 20);
- web, shop "desk", signed in as its owner: the order desk /orders/ (all and one status tab)
  and the dashboard /; the same two pages for shop "big", for information.

Targets: API list filtered by status or phone p95 <= 50 ms (issue 3); desk and dashboard with
100,000 orders p95 <= 100 ms (issue 4). --explain prints EXPLAIN (ANALYZE, BUFFERS) for the
slowest statements of each kind.

    .venv/bin/python bench/order_list.py [--orders 1000000] [--desk-orders 100000] [--days 180]
        [--requests 200] [--lines] [--name-search] [--explain] [--keep] [--reuse]

--keep leaves the database in place; --reuse measures a database kept earlier without loading
it again. PostgreSQL is 127.0.0.1:5432 user postgres (override with TALAD_BENCH_PG_URL).
"""

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

PG_ADMIN_URL = os.environ.get("TALAD_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("TALAD_BENCH_ORDERS_DB", "talad_bench_orders")
API_TARGET_MS = 50
PAGE_TARGET_MS = 100
STATUSES = [
    "pending",
    "to_pack",
    "to_ship",
    "shipped",
    "delivered",
    "cancelled",
    "returning",
    "returned",
]
FIRST = [
    "สมชาย", "สมหญิง", "วิภา", "ธนพล", "กาญจนา", "ณัฐวุฒิ", "ปิยะนุช", "อรุณี", "ศุภชัย", "มาลี",
    "พิมพ์ชนก", "ชยพล", "สุดารัตน์", "กิตติพงษ์", "จิราพร", "อนุชา", "นภัสสร", "วีระ", "รัตนา", "ภูมิ",
]  # fmt: skip
LAST = [
    "ใจดี", "สุขสวัสดิ์", "ทองมา", "ศรีสุข", "บุญมี", "แก้วมณี", "วงศ์ไทย", "พึ่งบุญ", "รักษาศรี", "มีสุข",
    "ประเสริฐ", "จันทร์เพ็ญ", "อินทร์แก้ว", "ชัยมงคล", "ศรีวงศ์", "บุญเรือง", "สมบูรณ์", "พรหมมา", "เพชรรัตน์", "ทองดี",
]  # fmt: skip
ADDRESSES = [  # subdistrict, district, province, postcode: all in GeoThai
    ("คลองหนึ่ง", "คลองหลวง", "ปทุมธานี", "12120"),
    ("ลาดยาว", "จตุจักร", "กรุงเทพมหานคร", "10900"),
    ("สุเทพ", "เมืองเชียงใหม่", "เชียงใหม่", "50200"),
    ("ในเมือง", "เมืองขอนแก่น", "ขอนแก่น", "40000"),
    ("หาดใหญ่", "หาดใหญ่", "สงขลา", "90110"),
    ("บางพูด", "ปากเกร็ด", "นนทบุรี", "11120"),
    ("บางรัก", "บางรัก", "กรุงเทพมหานคร", "10500"),
    ("ในเมือง", "เมืองนครราชสีมา", "นครราชสีมา", "30000"),
    ("ตลาดใหญ่", "เมืองภูเก็ต", "ภูเก็ต", "83000"),
    ("บ้านสวน", "เมืองชลบุรี", "ชลบุรี", "20000"),
]
PHONE_PREFIXES = ["081", "089", "062", "095", "086", "091", "083", "065"]


def main() -> int:
    args = _parse_args()
    print(_machine_line(), flush=True)
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        print(f"NOTICE: SKIPPED, PostgreSQL at {PG_ADMIN_URL} is not reachable: {exc}".strip())
        return 0
    with admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]
        ).fetchone()
        if not (args.reuse and exists):
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
        try:
            url = urlunsplit(urlsplit(PG_ADMIN_URL)._replace(path=f"/{BENCH_DB}"))
            with tempfile.TemporaryDirectory(prefix="talad-bench-orders-") as home:
                _run(args, url, home, load=not (args.reuse and exists))
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            else:
                print(f"kept the database {BENCH_DB} (--reuse measures it again)")
    return 0


def _run(args, url: str, home: str, *, load: bool) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "talad.settings",
            "TALAD_HOME": home,
            "TALAD_DATABASE_URL": url,
            "TALAD_SECRET_KEY": "bench-only-not-a-secret",
        }
    )
    for name in ("TALAD_DEBUG", "TALAD_TESTING"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if load:
        started = time.monotonic()
        _load(args)
        print(f"loaded in {time.monotonic() - started:.0f} s", flush=True)
    shops = _shops()
    rows = []
    rows += _measure_api(shops["big"], args)
    rows += _measure_pages(shops["desk"], args, target=True)
    rows += _measure_pages(shops["big"], args, target=False)
    _print_table(rows, shops, args)


# --- Loading --------------------------------------------------------------------------------


def _load(args) -> None:
    """Both shops, their customers, then every order in one INSERT, ordered by time: the
    shops' orders interleave in the table as they would in a database many shops share."""
    from decimal import Decimal

    from django.db import connection, transaction

    from talad.catalog.services import create_product
    from talad.inventory.services import receive_stock
    from talad.shops.actors import Actor
    from talad.shops.services import create_shop

    by = Actor.system("bench")
    plans = []
    for slug, count in (("big", args.orders), ("desk", args.desk_orders)):
        shop = create_shop(
            name=f"ร้านทดสอบ {slug}",
            slug=slug,
            owner_email=f"{slug}@example.com",
            password=None,
            by=by,
        )
        product = create_product(
            shop=shop,
            name="เสื้อยืดคอตตอน",
            variants=[
                {"sku": f"TEE-{i:02d}", "price": Decimal("199.00"), "low_stock_threshold": 5}
                for i in range(30)
            ],
            by=by,
        )
        for i in range(30):  # a few run low, for the dashboard's low-stock list
            quantity = 3 if i % 10 == 0 else 500
            receive_stock(
                shop=shop, sku=f"TEE-{i:02d}", quantity=quantity, unit_cost=Decimal("90"), by=by
            )
        plans.append(
            {
                "shop": shop.pk,
                "n": count,
                "variants": [v.pk for v in product.variants.all()],
                **_load_customers(shop.pk, max(count // 3, 1), args.days),
            }
        )
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT setseed(0.42)")
        _load_orders(cursor, plans, args.days)
        for plan in plans:
            cursor.execute(
                "INSERT INTO orders_ordernumbersequence (shop_id, prefix, last_number)"
                " VALUES (%s, 'SO-', %s)",
                [plan["shop"], plan["n"]],
            )
            if args.lines:
                _load_lines(cursor, plan)
    total = sum(p["n"] for p in plans)
    print(f"  {total:,} orders in {time.monotonic() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        for table in ("orders_customer", "orders_order", "orders_orderline"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _sql_array(values) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _load_customers(shop_id: int, customers: int, days: int) -> dict:
    """Customers with unique phones (a bijection of the series onto 7-digit suffixes)."""
    from django.db import connection

    addresses = ", ".join(
        f"({i + 1}, '{sd}', '{d}', '{p}', '{pc}')" for i, (sd, d, p, pc) in enumerate(ADDRESSES)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [0.1 + shop_id / 100])
        cursor.execute(
            f"""
            INSERT INTO orders_customer (shop_id, address_line, subdistrict, district, province,
                postcode, name, phone, email, line_id, social_name, tax_id, branch_code, created_at)
            SELECT %(shop)s,
                (1 + floor(random() * 300))::int || '/' || (1 + floor(random() * 50))::int
                    || ' หมู่ ' || (1 + floor(random() * 12))::int,
                a.sd, a.d, a.p, a.pc,
                ({_sql_array(FIRST)})[1 + floor(random() * {len(FIRST)})::int] || ' '
                    || ({_sql_array(LAST)})[1 + floor(random() * {len(LAST)})::int],
                ({_sql_array(PHONE_PREFIXES)})[1 + g %% {len(PHONE_PREFIXES)}]
                    || lpad(((g::bigint * 7919) %% 10000000)::text, 7, '0'),
                '', '', '', '', '', now() - make_interval(days => %(days)s)
            FROM generate_series(1, %(customers)s) AS g
            JOIN (VALUES {addresses}) AS a(i, sd, d, p, pc) ON a.i = 1 + g %% {len(ADDRESSES)}
            """,
            {"shop": shop_id, "customers": customers, "days": days},
        )
        cursor.execute("SELECT min(id), max(id) FROM orders_customer WHERE shop_id = %s", [shop_id])
        first, last = cursor.fetchone()
    assert last - first + 1 == customers, "customer ids are not contiguous"
    return {"first": first, "customers": customers}


def _load_orders(cursor, plans: list[dict], days: int) -> None:
    channels = ["facebook"] * 6 + ["line"] * 4 + ["shopee"] * 3 + ["lazada"] * 2
    channels += ["tiktok"] * 2 + ["instagram"] * 2 + ["website"] * 2 + ["phone", "walk_in"]
    methods = ["cod"] * 5 + ["transfer"] * 3 + ["promptpay"] * 2 + ["card"]
    shops = ", ".join(
        f"({int(p['shop'])}, {int(p['n'])}, {int(p['first'])}, {int(p['customers'])})"
        for p in plans
    )
    cursor.execute(
        f"""
        WITH base AS (
            SELECT s.shop_id, g,
                now() - make_interval(secs => %(days)s * 86400.0 * (s.n - g) / s.n)
                    - make_interval(secs => random() * 300) AS created,
                random() AS r_status, random() AS r_channel, random() AS r_method,
                random() AS r_money,
                s.first + floor(power(random(), 1.5) * s.customers)::bigint AS customer_id
            FROM (VALUES {shops}) AS s(shop_id, n, first, customers)
            CROSS JOIN LATERAL generate_series(1, s.n) AS g
        ), aged AS (
            SELECT b.*, extract(epoch FROM now() - b.created) / 86400.0 AS age,
                ({_sql_array(channels)})[1 + floor(b.r_channel * {len(channels)})::int] AS channel
            FROM base b
        ), st AS (
            SELECT a.*,
                CASE
                    WHEN a.r_status < 0.07 THEN 'cancelled'
                    WHEN a.age < 1 THEN
                        (ARRAY['pending', 'pending', 'to_pack', 'to_pack', 'to_ship'])
                        [1 + floor(a.r_method * 5)::int]
                    WHEN a.age < 3 THEN CASE WHEN a.r_status < 0.10 THEN 'pending'
                        WHEN a.r_status < 0.20 THEN 'to_ship' ELSE 'shipped' END
                    WHEN a.age < 7 THEN CASE WHEN a.r_status < 0.40 THEN 'shipped'
                        WHEN a.r_status < 0.96 THEN 'delivered' ELSE 'returning' END
                    ELSE CASE WHEN a.r_status < 0.072 THEN 'pending'
                        WHEN a.r_status < 0.074 THEN 'to_pack'
                        WHEN a.r_status < 0.077 THEN 'shipped'
                        WHEN a.r_status < 0.080 THEN 'returning'
                        WHEN a.r_status < 0.110 THEN 'returned'
                        ELSE 'delivered' END
                END AS status,
                a.channel IN ('shopee', 'lazada', 'tiktok') AS marketplace
            FROM aged a
        ), priced AS (
            SELECT st.*,
                CASE WHEN st.marketplace THEN 'marketplace'
                    ELSE ({_sql_array(methods)})[1 + floor(st.r_method * {len(methods)})::int]
                END AS method,
                (ARRAY[99, 159, 199, 249, 290, 350, 390, 490, 590, 790, 990, 1290])
                    [1 + floor(st.r_money * 12)::int] * (1 + floor(st.r_status * 3)) AS subtotal,
                (ARRAY[0, 30, 40, 50])[1 + floor(st.r_channel * 4)::int] AS shipping,
                st.created + CASE st.status
                    WHEN 'pending' THEN interval '0'
                    WHEN 'to_pack' THEN interval '1 hour'
                    WHEN 'to_ship' THEN interval '10 hours'
                    WHEN 'shipped' THEN interval '1 day'
                    WHEN 'delivered' THEN interval '3 days'
                    WHEN 'returning' THEN interval '4 days'
                    WHEN 'returned' THEN interval '9 days'
                    ELSE interval '5 hours' END AS moved
            FROM st
        )
        INSERT INTO orders_order (shop_id, address_line, subdistrict, district, province,
            postcode, number, channel, external_id, customer_id, customer_name,
            customer_phone, customer_tax_id, customer_branch_code, status, status_changed_at,
            payment_method, payment_status, subtotal, shipping_fee, discount, net_total,
            vat_total, total, vat_rate, prices_include_vat, refund_owed, holds_reservation,
            note, tags, ship_by, carrier, tracking_number, cancel_reason,
            failed_delivery_reason, created_at, updated_at)
        SELECT p.shop_id, c.address_line, c.subdistrict, c.district, c.province, c.postcode,
            'SO-' || CASE WHEN p.g < 1000000 THEN lpad(p.g::text, 6, '0') ELSE p.g::text END,
            p.channel,
            CASE WHEN p.marketplace THEN upper(left(p.channel, 2)) || (2400000000 + p.g)::text
                ELSE '' END,
            c.id, c.name, c.phone, '', '', p.status, least(p.moved, now()),
            p.method,
            CASE
                WHEN p.status = 'pending' OR (p.status = 'cancelled' AND p.method = 'cod')
                    THEN 'unpaid'
                WHEN p.status = 'cancelled' THEN 'refunded'
                WHEN p.method <> 'cod' THEN CASE WHEN p.status = 'returned'
                    THEN 'refunded' ELSE 'paid' END
                WHEN p.status = 'delivered' THEN CASE WHEN p.age > 10
                    THEN 'cod_remitted' ELSE 'cod_collected' END
                ELSE 'cod_pending'
            END,
            p.subtotal, p.shipping, 0, p.subtotal + p.shipping, 0, p.subtotal + p.shipping,
            0, true, 0, p.status IN ('pending', 'to_pack', 'to_ship'),
            CASE WHEN p.r_money < 0.1 THEN 'ฝากวางไว้หน้าบ้าน' ELSE '' END, '[]'::jsonb,
            CASE WHEN p.marketplace THEN p.created + interval '2 days' END,
            CASE WHEN p.status IN ('shipped', 'delivered', 'returning', 'returned')
                THEN (ARRAY['flash', 'kex', 'jt', 'thaipost_ems'])[1 + p.g %% 4] ELSE '' END,
            CASE WHEN p.status IN ('shipped', 'delivered', 'returning', 'returned')
                THEN 'TH' || lpad((p.g * 37 + p.shop_id)::text, 11, '0') ELSE '' END,
            CASE WHEN p.status = 'cancelled' THEN 'ลูกค้ายกเลิก' ELSE '' END,
            CASE WHEN p.status IN ('returning', 'returned') THEN 'refused' ELSE '' END,
            p.created, least(p.moved, now())
        FROM priced p
        JOIN orders_customer c ON c.id = p.customer_id
        ORDER BY p.created
        """,
        {"days": days},
    )


def _load_lines(cursor, plan: dict) -> None:
    cursor.execute(
        """
        INSERT INTO orders_orderline (shop_id, order_id, variant_id, sku, name,
            quantity, unit_price, line_discount, line_total)
        SELECT o.shop_id, o.id, v.id, v.sku, 'เสื้อยืดคอตตอน ' || v.sku, 1,
            round(o.subtotal / (1 + o.id %% 3), 2), 0, round(o.subtotal / (1 + o.id %% 3), 2)
        FROM orders_order o
        CROSS JOIN LATERAL generate_series(1, 1 + (o.id %% 3)::int) AS k
        JOIN catalog_variant v ON v.id = (%(variants)s::bigint[])[1 + (o.id * k) %% %(nv)s]
        WHERE o.shop_id = %(shop)s
        """,
        {"shop": plan["shop"], "variants": plan["variants"], "nv": len(plan["variants"])},
    )


# --- Measuring ------------------------------------------------------------------------------


def _shops() -> dict:
    from talad.orders.models import Order
    from talad.shops.actors import Actor
    from talad.shops.models import Membership, Shop
    from talad.shops.services import create_api_token

    shops = {}
    for shop in Shop.objects.filter(slug__in=["big", "desk"]):
        _token, plaintext = create_api_token(
            shop=shop, role="owner", name="bench", by=Actor.system("bench")
        )
        owner = Membership.objects.filter(shop=shop, role="owner").select_related("user").get()
        shops[shop.slug] = {
            "shop": shop,
            "token": plaintext,
            "user": owner.user,
            "orders": Order.objects.for_shop(shop).count(),
        }
    return shops


class _DbTimer:
    """Time and count the statements a request sends (connection.execute_wrapper)."""

    def __init__(self):
        self.seconds = 0.0
        self.count = 0
        self.statements: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.seconds += spent
            self.count += 1
            self.statements.append((spent, sql, params))


def _time_requests(client, paths: list[str], headers: dict, warmup: int = 10) -> dict:
    from django.db import connection

    for path in paths[:warmup]:
        _get(client, path, headers)
    samples = []
    slowest = (0.0, None)
    for path in paths:
        timer = _DbTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            _get(client, path, headers)
            elapsed = time.perf_counter() - started
        samples.append((elapsed, timer.seconds, timer.count))
        if elapsed > slowest[0]:
            slowest = (elapsed, timer.statements)
    total = sorted(s[0] for s in samples)
    return {
        "p50": 1000 * statistics.median(total),
        "p95": 1000 * total[min(len(total) - 1, int(len(total) * 0.95))],
        "db_p50": 1000 * statistics.median(s[1] for s in samples),
        "queries": statistics.median(s[2] for s in samples),
        "n": len(samples),
        "slowest_statements": slowest[1],
        "example": paths[0],
    }


def _get(client, path: str, headers: dict):
    response = client.get(path, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: {response.status_code} {response.content[:300]!r}")
    return response


def _measure_api(big: dict, args) -> list[dict]:
    from django.db import connection
    from django.test import Client

    shop_id = big["shop"].pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone FROM orders_customer WHERE shop_id = %s AND id IN"
            " (SELECT id FROM orders_customer WHERE shop_id = %s ORDER BY random() LIMIT %s)",
            [shop_id, shop_id, args.requests],
        )
        phones = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT max(id) FROM orders_order WHERE shop_id = %s", [shop_id])
    rng = random.Random(5)
    n = args.requests
    kinds = [
        ("API status filter", [f"status={STATUSES[i % len(STATUSES)]}" for i in range(n)], True),
        ("API phone search (10 digits)", [f"q={phones[i % len(phones)]}" for i in range(n)], True),
        (
            "API phone search (6-digit prefix)",
            [f"q={phones[i % len(phones)][:6]}" for i in range(n)],
            True,
        ),
        ("API newest, no filter", [""] * n, False),
        (
            "API order number",
            [f"q=SO-{rng.randint(1, big['orders']):06d}" for _ in range(n)],
            False,
        ),
        ("API name substring", [urlencode({"q": rng.choice(FIRST)}) for _ in range(n)], False),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"Authorization": f"Bearer {big['token']}"}
    rows = []
    for label, queries, target in kinds:
        if label == "API name substring" and not args.name_search:
            continue
        if not target:  # for information: fewer requests
            queries = queries[: max(20, n // 5)]
        paths = [f"/api/v1/orders?{q}" if q else "/api/v1/orders" for q in queries]
        result = _time_requests(client, paths, headers)
        rows.append(
            {"label": label, "shop": "big", "target": API_TARGET_MS if target else None, **result}
        )
        _progress(rows[-1])
        if args.explain:
            _explain(result)
    return rows


def _measure_pages(entry: dict, args, *, target: bool) -> list[dict]:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(entry["user"])
    n = args.requests if target else max(20, args.requests // 5)  # no target: information
    kinds = [
        ("order desk /orders/", ["/orders/"] * n),
        ("order desk, status tab", [f"/orders/?status={STATUSES[i % 4]}" for i in range(n)]),
        ("dashboard /", ["/"] * n),
    ]
    rows = []
    for label, paths in kinds:
        result = _time_requests(client, paths, {})
        rows.append(
            {
                "label": label,
                "shop": entry["shop"].slug,
                "target": PAGE_TARGET_MS if target else None,
                **result,
            }
        )
        _progress(rows[-1])
        if args.explain:
            _explain(result)
    return rows


def _progress(row: dict) -> None:
    print(
        f"  {row['label']:<36} {row['shop']:<5} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms"
        f"  db p50 {row['db_p50']:6.1f} ms  {row['queries']:.0f} queries",
        file=sys.stderr,
        flush=True,
    )


def _explain(result: dict) -> None:
    """EXPLAIN ANALYZE the statements of the slowest request that took 2 ms or more."""
    from django.db import connection

    for spent, sql, params in sorted(result["slowest_statements"], key=lambda s: -s[0]):
        if spent < 0.002:
            break
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join("      " + row[0] for row in cursor.fetchall())
        print(f"    {1000 * spent:.1f} ms: {sql[:300]}…\n{plan}", file=sys.stderr, flush=True)


def _print_table(rows: list[dict], shops: dict, args) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"\nReading orders: {args.requests} requests per kind after 10 warm-up, in-process"
        f" (Django test client); shop big = {shops['big']['orders']:,} orders,"
        f" desk = {shops['desk']['orders']:,} orders, spread over {args.days} days"
    )
    print(
        f"{'request':<36}{'shop':<6}{'n':>5}{'p50 ms':>8}{'p95 ms':>8}{'db p50':>8}{'queries':>8}  target"
    )
    for r in rows:
        verdict = ""
        if r["target"] is not None:
            verdict = f"p95 <= {r['target']} ms {'PASS' if r['p95'] <= r['target'] else 'MISS'}"
        print(
            f"{r['label']:<36}{r['shop']:<6}{r['n']:>5}{r['p50']:>8.1f}{r['p95']:>8.1f}{r['db_p50']:>8.1f}"
            f"{r['queries']:>8.0f}  {verdict}"
        )
    print(f"\nPostgreSQL {version}; {_machine_line()}")


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
    p.add_argument("--orders", type=int, default=1_000_000, help="orders in shop big")
    p.add_argument("--desk-orders", type=int, default=100_000, help="orders in shop desk")
    p.add_argument("--days", type=int, default=180, help="days the orders are spread over")
    p.add_argument("--requests", type=int, default=200, help="timed requests per kind")
    p.add_argument("--lines", action="store_true", help="also load 1-3 lines per order")
    p.add_argument(
        "--name-search", action="store_true", help="also time ?q=<Thai first name> (slow)"
    )
    p.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slow statements")
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    p.add_argument("--reuse", action="store_true", help="measure a kept database, no loading")
    return p.parse_args()


if __name__ == "__main__":
    sys.exit(main())
