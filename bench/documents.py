"""Tax documents at month-end scale: issue 500 tax invoices, then render each as a PDF.

A benchmark, not a test (docs/performance.md). For each database (SQLite in a temporary
TALAD_HOME, PostgreSQL in a scratch database on 127.0.0.1:5432) it seeds one VAT-registered
shop with 30 SKUs and --documents unpaid prepaid orders (1–4 lines each, Thai names and
addresses, shipping fee), then runs each measurement in a fresh child process:

- issue, baseline "number + row": the same number of transactions, each bumping a counter
  row and inserting one row into a scratch table through Django's cursor — the database's
  floor for "take the next number and write the document";
- issue, Talad: `accounting.services.issue_document(order, "tax_invoice")` for every order,
  one transaction each, as the API does: lock the order, check it may be issued, take a
  gap-free number, snapshot seller/buyer/lines, write the document and its lines, post the
  journal entry, write the audit row;
- render, baseline "ThaiPDF one line": one PDF per document with one line of Thai (the
  buyer's name) through talad.paper.ThaiPDF — Sarabun loaded, shaped, subset and written,
  the floor for any Thai PDF made one at a time;
- render, Talad: for every document, read it as the PDF endpoint does
  (`selectors.document_detail`) and draw `accounting.pdf.document_pdf` — A4, original and
  copy (two pages, the endpoint's default) — and the same with the original only.

Each reports documents per second (wall time), the process's CPU seconds, and the average
PDF size. Rendering is warmed up (fonts, fpdf2, HarfBuzz loaded) outside the clock.

    .venv/bin/python bench/documents.py [--documents 500] [--db sqlite|postgres|both] [--repeat 1]
"""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("TALAD_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("TALAD_BENCH_DOCUMENTS_DB", "talad_bench_documents")
SLUG = "bench-documents"
KINDS = ("issue_raw", "issue", "render_raw", "render", "render_original")
TITLES = {
    "issue_raw": "issue · baseline: counter UPDATE + row INSERT per transaction",
    "issue": "issue · Talad issue_document(tax_invoice)",
    "render_raw": "render · baseline: ThaiPDF, 1 Thai line, 1 PDF per document",
    "render": "render · Talad document_pdf, original + copy (2 pages)",
    "render_original": "render · Talad document_pdf, original only (1 page)",
}

FIRST = ["สมชาย", "สมหญิง", "วิภา", "ธนพล", "กาญจนา", "ณัฐวุฒิ", "ปิยะนุช", "อรุณี", "ศุภชัย", "พิมพ์ชนก"]
LAST = ["ใจดี", "สุขสวัสดิ์", "ทองมา", "ศรีสุข", "บุญมี", "แก้วมณี", "วงศ์ไทย", "ศรีสุขสวัสดิ์วัฒนากุล"]
ADDRESSES = [
    ("คลองหนึ่ง", "คลองหลวง", "ปทุมธานี", "12120"),
    ("ลาดยาว", "จตุจักร", "กรุงเทพมหานคร", "10900"),
    ("สุเทพ", "เมืองเชียงใหม่", "เชียงใหม่", "50200"),
    ("หาดใหญ่", "หาดใหญ่", "สงขลา", "90110"),
]
PRODUCTS = [
    "กาแฟคั่วกลาง ดอยช้าง อาราบิก้า 250 ก.",
    "น้ำผึ้งดอกลำไยแท้ 500 มล.",
    "สบู่สมุนไพรขมิ้นชัน",
    "น้ำพริกเผากุ้ง สูตรคุณยาย กระปุก 200 กรัม",
    "เสื้อยืดคอกลมผ้าฝ้ายสีขาว ไซซ์ L",
]


# --- Parent ----------------------------------------------------------------------------------


def main() -> int:
    args = _parse_args()
    if args.child:
        return _child(args)
    import django

    print(
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, Django {django.__version__},"
        f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        flush=True,
    )
    results = []
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        results += _run_postgres(args) if db == "postgres" else _run_db(args, "sqlite", "")
    _print_table(results, args.documents)
    return 0


def _run_postgres(args) -> list[dict]:
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
            return _run_db(args, "postgres", url)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def _run_db(args, db: str, url: str) -> list[dict]:
    """Seed once per repeat (issuing uses the orders up), then each kind in its own process."""
    results = []
    with tempfile.TemporaryDirectory(prefix="talad-bench-documents-") as home:
        for n in range(args.repeat):
            started = time.perf_counter()
            _step(["seed", "--home", home, "--url", url, "--documents", str(args.documents)])
            print(
                f"{db}: seeded {args.documents:,} orders in {time.perf_counter() - started:.1f} s"
            )
            for kind in KINDS:
                out = Path(home) / f"{kind}-{n}.json"
                paths = ["--home", home, "--url", url, "--result", str(out)]
                _step([kind, *paths, "--documents", str(args.documents)])
                results.append({**json.loads(out.read_text()), "db": db})
    return results


def _step(child_args: list[str]) -> None:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *child_args]
    if subprocess.run(cmd, cwd=ROOT).returncode != 0:
        raise SystemExit(f"benchmark step failed: {child_args[0]}")


def _print_table(results: list[dict], documents: int) -> None:
    print()
    print(f"| {documents:,} tax invoices | database | seconds | CPU s | documents/s | KB per PDF |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        size = f"{r['pdf_bytes'] / r['documents'] / 1024:.0f}" if r.get("pdf_bytes") else ""
        print(
            f"| {TITLES[r['kind']]} | {r['db']} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} |"
            f" {r['documents'] / r['seconds']:.1f} | {size} |"
        )


# --- Children --------------------------------------------------------------------------------


def _setup(home: str, url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "talad.settings"
    os.environ["TALAD_HOME"] = home
    os.environ["TALAD_DATABASE_URL"] = url  # empty: the SQLite file in TALAD_HOME
    os.environ["TALAD_SECRET_KEY"] = "bench-only-not-a-secret"
    for name in ("TALAD_DEBUG", "TALAD_TESTING"):
        os.environ.pop(name, None)  # DEBUG would keep every query
    import django

    django.setup()


def _child(args) -> int:
    _setup(args.home, args.url)
    os.environ["BENCH_DOCUMENTS"] = str(args.documents)
    if args.child == "seed":
        _seed(args.documents)
        return 0
    from talad.shops.models import Shop

    shop = Shop.objects.get(slug=SLUG)
    count, pdf_bytes = MEASURES[args.child](shop, _start_clock)
    seconds = time.perf_counter() - _clock["start"]
    cpu_seconds = time.process_time() - _clock["cpu"]
    Path(args.result).write_text(
        json.dumps(
            {
                "kind": args.child,
                "documents": count,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "pdf_bytes": pdf_bytes,
            }
        )
    )
    return 0


_clock = {"start": 0.0, "cpu": 0.0}


def _start_clock() -> None:
    """Start the clock: each measure calls this after its untimed preparation."""
    _clock["start"], _clock["cpu"] = time.perf_counter(), time.process_time()


def _order_ids(shop) -> list[int]:
    from talad.orders.models import Order

    return list(
        Order.objects.for_shop(shop)
        .filter(documents__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )


def _measure_issue_raw(shop, started_at):
    from django.db import connection, transaction

    n = len(_order_ids(shop))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_doc_rows")
        cursor.execute("DROP TABLE IF EXISTS bench_doc_counter")
        cursor.execute("CREATE TABLE bench_doc_counter (id integer PRIMARY KEY, last integer)")
        cursor.execute("INSERT INTO bench_doc_counter VALUES (1, 0)")
        cursor.execute(
            "CREATE TABLE bench_doc_rows (id integer PRIMARY KEY, number varchar(40),"
            " total numeric(14, 2))"
        )
    started_at()
    for i in range(1, n + 1):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE bench_doc_counter SET last = last + 1 WHERE id = 1")
            cursor.execute(
                "INSERT INTO bench_doc_rows (id, number, total) VALUES (%s, %s, %s)",
                [i, f"INV-2569-11-{i:05d}", Decimal("1070.00")],
            )
    return n, 0


def _measure_issue(shop, started_at):
    from talad.accounting.services import issue_document
    from talad.orders.models import Order
    from talad.shops.actors import Actor

    by = Actor.system("bench")
    orders = list(Order.objects.for_shop(shop).filter(pk__in=_order_ids(shop)).order_by("id"))
    started_at()
    for order in orders:
        issue_document(order=order, doc_type="tax_invoice", by=by)
    return len(orders), 0


def _documents(shop):
    """The tax invoices the last issue run made (with --repeat, earlier runs' stay behind)."""
    from talad.accounting.models import Document

    newest = (
        Document.objects.for_shop(shop)
        .filter(doc_type="tax_invoice")
        .order_by("-id")
        .values_list("id", "buyer_name")[: int(os.environ["BENCH_DOCUMENTS"])]
    )
    return sorted(newest)


def _measure_render_raw(shop, started_at):
    from talad.paper import ThaiPDF

    rows = _documents(shop)

    def one(name: str) -> bytes:
        pdf = ThaiPDF()
        pdf.add_page()
        pdf.cell(120, 8, name)
        return pdf.to_bytes()

    one(rows[0][1])  # warm up
    started_at()
    size = sum(len(one(name)) for _id, name in rows)
    return len(rows), size


def _render(copies):
    def measure(shop, started_at):
        from talad.accounting.pdf import document_pdf
        from talad.accounting.selectors import document_detail

        rows = _documents(shop)
        for pk, _name in rows[:2]:  # warm up
            document_pdf(document_detail(shop=shop, document_id=pk), copies=copies)
        started_at()
        size = 0
        for pk, _name in rows:
            size += len(document_pdf(document_detail(shop=shop, document_id=pk), copies=copies))
        return len(rows), size

    return measure


MEASURES = {
    "issue_raw": _measure_issue_raw,
    "issue": _measure_issue,
    "render_raw": _measure_render_raw,
    "render": _render(("original", "copy")),
    "render_original": _render(("original",)),
}


def _seed(documents: int) -> None:
    from django.core.management import call_command

    from talad.accounting.books import update_accounting_settings
    from talad.catalog.services import create_product
    from talad.inventory.services import receive_stock
    from talad.orders.inputs import NewOrder
    from talad.orders.services import create_order
    from talad.shops.actors import Actor
    from talad.shops.models import Shop
    from talad.shops.services import create_shop

    call_command("migrate", verbosity=0)
    by = Actor.system("bench")
    shop = Shop.objects.filter(slug=SLUG).first()
    if shop is None:
        shop = create_shop(
            name="ร้านป้าแดงของฝาก",
            slug=SLUG,
            owner_email="bench-documents@example.com",
            password=None,
            by=by,
            address="12 ถนนเจริญราษฎร์ แขวงบางโคล่ เขตบางคอแหลม กรุงเทพมหานคร 10120",
            vat_registered=True,
            tax_id="3100600445694",
        )
        update_accounting_settings(shop=shop, changes={"promptpay_target": "0812345678"}, by=by)
        for n in range(30):
            create_product(
                shop=shop,
                name=PRODUCTS[n % len(PRODUCTS)],
                by=by,
                variants=[{"sku": f"SKU-{n:03d}", "price": Decimal(("45", "159", "289")[n % 3])}],
            )
            receive_stock(
                shop=shop, sku=f"SKU-{n:03d}", quantity=100_000, unit_cost=Decimal("20"), by=by
            )
    rng = random.Random(6)
    for _ in range(documents):
        sub, district, province, postcode = rng.choice(ADDRESSES)
        create_order(
            shop=shop,
            by=by,
            order=NewOrder(
                channel="line",
                customer={
                    "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "phone": f"08{rng.randrange(10**8):08d}",
                    "address": {
                        "line": "99/1 ม.4 ซอยพหลโยธิน 87",
                        "subdistrict": sub,
                        "district": district,
                        "province": province,
                        "postcode": postcode,
                    },
                },
                lines=[
                    {"sku": f"SKU-{k:03d}", "quantity": rng.randint(1, 3)}
                    for k in rng.sample(range(30), rng.randint(1, 4))
                ],
                payment_method="transfer",
                shipping_fee=Decimal("50"),
            ),
        )


def _parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", choices=("seed", *KINDS), help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
