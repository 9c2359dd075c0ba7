"""Shipping labels at scale: 1,000 labels for 1,000 orders into one PDF, against baselines.

A benchmark, not a test (docs/performance.md). It makes a scratch SQLite database in a
temporary TALAD_HOME, one shop with 30 SKUs (Thai names, barcodes, two bundles) and --orders
orders (1,000) made through `orders.services.create_order`: Thai names, real GeoThai
addresses (a tenth of them very long), 1–4 lines each, half COD (confirmed) and half paid by
transfer, a third already shipped with a tracking number. Then each measurement runs in a
fresh child process, so its peak memory is its own:

- baseline "fpdf2 core font": the same number of 100 × 150 mm pages, one line of Latin text
  each, plain fpdf2 with Helvetica (no font embedding, no shaping) — fpdf2's own floor;
- baseline "ThaiPDF one line": the same pages, one line of Thai each (the recipient's name),
  through talad.paper.ThaiPDF (Sarabun embedded and subset, HarfBuzz shaping) — the floor
  for any Thai document;
- labels 100 × 150: `labels_document(shop, order_ids, layout="label")`, everything a print
  request does: reading the orders and lines, laying out and drawing each label (text,
  Code 128, QR), and writing the PDF;
- labels A4 × 4: the same with layout="a4" (a quarter of the pages).

Each reports wall time, the process's CPU time (on a busy machine the wall time also counts
waiting for a core), labels per second (by wall time), the PDF's size, and peak memory: the
child's maximum resident set (ru_maxrss, which includes Python, Django and the fonts) and its
resident set before the timed part, so the difference is what printing took.
Target (issue 5): 1,000 labels in ≤ 30 s and ≤ 500 MB on the 2-core machine.

    .venv/bin/python bench/labels.py [--orders 1000] [--repeat 1] [--keep-pdf DIR]
"""

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30
TARGET_MB = 500
KINDS = ("core", "thai", "label", "a4")
TITLES = {
    "core": "baseline: fpdf2 core font, 1 line/page",
    "thai": "baseline: ThaiPDF, 1 Thai line/page",
    "label": "labels 100×150 (one per page)",
    "a4": "labels A4 × 4 (four per page)",
}

FIRST = ["สมชาย", "สมหญิง", "วิภา", "ธนพล", "กาญจนา", "ณัฐวุฒิ", "ปิยะนุช", "อรุณี", "ศุภชัย", "พิมพ์ชนก"]
LAST = ["ใจดี", "สุขสวัสดิ์", "ทองมา", "ศรีสุข", "บุญมี", "แก้วมณี", "วงศ์ไทย", "พึ่งบุญ", "ศรีสุขสวัสดิ์วัฒนากุล"]
ADDRESSES = [  # subdistrict, district, province, postcode: all in GeoThai
    ("คลองหนึ่ง", "คลองหลวง", "ปทุมธานี", "12120"),
    ("ลาดยาว", "จตุจักร", "กรุงเทพมหานคร", "10900"),
    ("สุเทพ", "เมืองเชียงใหม่", "เชียงใหม่", "50200"),
    ("ในเมือง", "เมืองขอนแก่น", "ขอนแก่น", "40000"),
    ("หาดใหญ่", "หาดใหญ่", "สงขลา", "90110"),
    ("บางพูด", "ปากเกร็ด", "นนทบุรี", "11120"),
]
LINES = ["12/3 ซอยสุขุมวิท 31", "99/1 ม.4", "45 ถนนนิมมานเหมินท์ ซอย 7", "88/8 หมู่บ้านพฤกษา 3"]
LONG_LINE = (
    "อาคารสำนักงานใหญ่ชั้นที่สิบสองห้อง 1204 หมู่บ้านพฤกษาวิลล์ 99/123 หมู่ 4 ซอยพหลโยธิน 87 "
    "แยก 3-5 ถนนพหลโยธิน ใกล้เซเว่นอีเลฟเว่นปากซอย ฝากไว้ที่ป้อมยามได้เลยค่ะ"
)
PRODUCTS = [
    "กาแฟคั่วกลาง ดอยช้าง อาราบิก้า 250 ก.",
    "น้ำผึ้งดอกลำไยแท้ 500 มล.",
    "สบู่สมุนไพรขมิ้นชัน",
    "ชาอู่หลงก้านอ่อน 100 ก.",
    "น้ำพริกเผากุ้ง สูตรคุณยาย กระปุก 200 กรัม",
    "เสื้อยืดคอกลมผ้าฝ้ายสีขาว ไซซ์ L",
]


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
    with tempfile.TemporaryDirectory(prefix="talad-bench-labels-") as home:
        started = time.perf_counter()
        _run(["--child", "seed", "--home", home, "--orders", str(args.orders)])
        print(f"seeded {args.orders:,} orders in {time.perf_counter() - started:.1f} s", flush=True)
        results = []
        for _ in range(args.repeat):
            for kind in KINDS:
                out = Path(home) / f"{kind}.json"
                cmd = ["--child", kind, "--home", home, "--result", str(out)]
                if args.keep_pdf:
                    cmd += ["--keep-pdf", args.keep_pdf]
                _run(cmd)
                results.append(json.loads(out.read_text()))
    _print_table(results, args.orders)
    return 0


def _run(child_args: list[str]) -> None:
    cmd = [sys.executable, str(Path(__file__).resolve()), *child_args]
    if subprocess.run(cmd, cwd=ROOT).returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(child_args[:2])}")


def _print_table(results: list[dict], orders: int) -> None:
    print()
    print(
        f"| {orders:,} orders | pages | seconds | CPU s | labels/s | PDF MB"
        " | peak RSS MB | RSS before MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {TITLES[r['kind']]} | {r['pages']:,} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} |"
            f" {r['labels'] / r['seconds']:.1f} | {r['pdf_bytes'] / 2**20:.1f} |"
            f" {r['peak_mb']:.0f} | {r['before_mb']:.0f} |"
        )
    for r in results:
        if r["kind"] == "label":
            ok = r["seconds"] <= TARGET_SECONDS and r["peak_mb"] <= TARGET_MB
            print(
                f"\nlabels 100×150: {r['seconds']:.1f} s (target ≤ {TARGET_SECONDS} s),"
                f" {r['peak_mb']:.0f} MB peak (target ≤ {TARGET_MB} MB): {'OK' if ok else 'MISSED'}"
            )


# --- Children ------------------------------------------------------------------------------


def _setup(home: str) -> None:
    os.environ["TALAD_HOME"] = home
    os.environ["TALAD_DATABASE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talad.settings")
    import django

    django.setup()


def _child(args) -> int:
    _setup(args.home)
    if args.child == "seed":
        _seed(args.orders)
        return 0
    from talad.orders.models import Order
    from talad.shops.models import Shop

    shop = Shop.objects.get(slug="bench-labels")
    ids = list(Order.objects.for_shop(shop).order_by("id").values_list("id", flat=True))
    names = list(
        Order.objects.for_shop(shop).order_by("id").values_list("customer_name", flat=True)
    )
    _warm_up(shop, ids)
    before = _rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    if args.child == "core":
        pdf = _core_font_pages(len(ids))
    elif args.child == "thai":
        pdf = _thai_pages(names)
    else:
        from talad.shipping.labels import labels_document

        pdf = labels_document(shop=shop, order_ids=ids, layout=args.child)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.keep_pdf:
        Path(args.keep_pdf).mkdir(parents=True, exist_ok=True)
        (Path(args.keep_pdf) / f"{args.child}.pdf").write_bytes(pdf)
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    Path(args.result).write_text(
        json.dumps(
            {
                "kind": args.child,
                "labels": len(ids),
                "pages": pages,
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "pdf_bytes": len(pdf),
                "peak_mb": peak,
                "before_mb": before,
            }
        )
    )
    return 0


def _warm_up(shop, ids) -> None:
    """Import and load what any first request would (fonts, fpdf2, HarfBuzz) outside the clock:
    the server has done that long before the morning's print run."""
    from talad.shipping.labels import labels_document

    labels_document(shop=shop, order_ids=ids[:2])


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _core_font_pages(n: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format=(100, 150))
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=12)
    for i in range(n):
        pdf.add_page()
        pdf.cell(90, 8, f"Order SO-{i:06d} label page")
    return bytes(pdf.output())


def _thai_pages(names: list[str]) -> bytes:
    from talad.paper import ThaiPDF

    pdf = ThaiPDF(format=(100, 150))
    pdf.set_auto_page_break(False)
    for name in names:
        pdf.add_page()
        pdf.cell(90, 8, name)
    return pdf.to_bytes()


def _seed(orders: int) -> None:
    from django.core.management import call_command

    from talad.catalog.services import create_product
    from talad.inventory.services import receive_stock
    from talad.orders.inputs import NewOrder
    from talad.orders.services import create_order, transition
    from talad.shops.actors import Actor
    from talad.shops.services import create_shop

    call_command("migrate", verbosity=0)
    by = Actor.system("bench")
    shop = create_shop(
        name="ร้านป้าแดงของฝาก",
        slug="bench-labels",
        owner_email="bench-labels@example.com",
        password=None,
        by=by,
        address="12 ถนนเจริญราษฎร์ แขวงบางโคล่ เขตบางคอแหลม กรุงเทพมหานคร 10120",
    )
    rng = random.Random(5)
    skus = []
    for n in range(30):
        sku = f"SKU-{n:03d}"
        create_product(
            shop=shop,
            name=PRODUCTS[n % len(PRODUCTS)],
            by=by,
            variants=[{"sku": sku, "price": Decimal(rng.choice(["45", "159", "289"])),
                       "barcode": f"885900{n:07d}"}],
        )  # fmt: skip
        receive_stock(shop=shop, sku=sku, quantity=orders * 10, unit_cost=Decimal("20"), by=by)
        skus.append(sku)
    for n in range(2):
        sku = f"SET-{n}"
        create_product(
            shop=shop,
            name="ชุดของฝากเชียงใหม่ (กาแฟ + น้ำผึ้ง)",
            by=by,
            variants=[{"sku": sku, "price": Decimal("420"),
                       "components": [{"sku": skus[n], "quantity": 1}, {"sku": skus[n + 1], "quantity": 2}]}],
        )  # fmt: skip
        skus.append(sku)
    for n in range(orders):
        sub, district, province, postcode = rng.choice(ADDRESSES)
        cod = n % 2 == 0
        order, _created = create_order(
            shop=shop,
            by=by,
            order=NewOrder(
                channel=rng.choice(["line", "facebook", "website"]),
                customer={
                    "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    "phone": f"08{rng.randrange(10**8):08d}",
                    "address": {
                        "line": LONG_LINE if n % 10 == 0 else rng.choice(LINES),
                        "subdistrict": sub,
                        "district": district,
                        "province": province,
                        "postcode": postcode,
                    },
                },
                lines=[
                    {"sku": sku, "quantity": rng.randint(1, 3)}
                    for sku in rng.sample(skus, rng.randint(1, 4))
                ],
                payment_method="cod" if cod else "transfer",
                shipping_fee=Decimal("50"),
            ),
        )
        if cod:
            order = transition(order=order, action="confirm_cod", by=by)
        else:
            order = transition(
                order=order, action="pay", by=by, amount=order.total, method="transfer"
            )
        if n % 3 == 0:
            transition(
                order=order, action="ship", by=by, carrier="flash", tracking_number=f"TH{n:010d}"
            )


def _parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep-pdf", default="", help="write each PDF into this folder")
    parser.add_argument("--child", choices=("seed", *KINDS), help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
