"""Demo data: a shop with Thai products and stock, and orders that look like a real Thai seller's.

`create_demo_shop` makes the shop a first `talad serve` shows; `add_demo_orders` fills any shop
with customers and orders spread over channels, statuses and the last 60 days (`talad demo`).

Everything goes through the real services, so stock, the ledger, payments, shipments and the
status history agree exactly as they would for real orders. Only timestamps are moved into the
past afterwards (queryset updates), never a status: `talad doctor` stays clean.
"""

import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import geothai
from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from talad.catalog.models import BundleComponent, Variant
from talad.catalog.services import create_product
from talad.errors import Conflict, TaladError
from talad.inventory.models import PaidBy, StockLevel
from talad.inventory.services import (
    adjust_stock,
    count_stock,
    default_warehouse,
    receive_stock,
    stock_needs,
)
from talad.orders.contacts import normalise_phone
from talad.orders.inputs import NewOrder
from talad.orders.models import (
    MARKETPLACES,
    Channel,
    Customer,
    Order,
    PaymentMethod,
    Status,
    StatusChange,
)
from talad.orders.services import create_order, transition
from talad.payments.models import Payment, PaymentKind
from talad.payments.refunds import record_refund
from talad.shipping.models import Shipment
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.services import create_shop

# --- The catalog ---------------------------------------------------------------------------

# (product name, [(sku, variant name, price, cost, units on hand at the start)])
DEMO_PRODUCTS = [
    (
        "เสื้อยืดคอกลม ผ้าฝ้าย",
        [
            ("TS-WHT-M", "สีขาว / M", "199", "85", 40),
            ("TS-WHT-L", "สีขาว / L", "199", "85", 25),
            ("TS-BLK-M", "สีดำ / M", "199", "88", 3),
        ],
    ),
    (
        "แก้วเก็บความเย็น 30 oz",
        [("TUM-30-PNK", "สีชมพู", "259", "120", 18), ("TUM-30-GRN", "สีเขียว", "259", "120", 0)],
    ),
    ("ครีมกันแดด SPF50 50 มล.", [("SUN-50", "", "350", "140", 60)]),
    ("สบู่สมุนไพรขมิ้น", [("SOAP-TUR", "ก้อน 100 กรัม", "45", "12", 200)]),
    (
        "กางเกงยีนส์ขายาว ทรงกระบอก",
        [
            ("JN-28", "เอว 28", "590", "260", 12),
            ("JN-30", "เอว 30", "590", "260", 15),
            ("JN-32", "เอว 32", "590", "260", 10),
        ],
    ),
    ("น้ำพริกเผากุ้ง สูตรคุณยาย", [("NP-KUNG", "กระปุก 200 กรัม", "89", "35", 80)]),
    ("กาแฟดริป คั่วกลาง ดอยช้าง", [("CF-DOI-250", "ถุง 250 กรัม", "320", "150", 30)]),
    (
        "เคสโทรศัพท์ ลายดอกไม้",
        [
            ("CASE-15-FLW", "iPhone 15", "159", "40", 30),
            ("CASE-15P-FLW", "iPhone 15 Pro", "159", "40", 25),
        ],
    ),
    (
        "กระเป๋าผ้าแคนวาส",
        [("BAG-CRM", "สีครีม", "249", "95", 20), ("BAG-NVY", "สีกรมท่า", "249", "95", 15)],
    ),
    ("ยาดมสมุนไพร", [("HB-INH", "ขวด 10 กรัม", "35", "12", 150)]),
]

# (product name, sku, price, [(component sku, quantity)])
DEMO_BUNDLES = [
    ("เซ็ตของขวัญ เสื้อ + แก้ว", "GIFT-SET", "399", [("TS-WHT-M", 1), ("TUM-30-PNK", 1)]),
    ("สบู่สมุนไพรขมิ้น แพ็ค 3 ก้อน", "SOAP-TUR-3", "120", [("SOAP-TUR", 3)]),
    ("ชุดของฝาก น้ำพริก + ยาดม", "SOUVENIR-SET", "115", [("NP-KUNG", 1), ("HB-INH", 1)]),
]

DEMO_COSTS = {sku: Decimal(cost) for _n, vs in DEMO_PRODUCTS for sku, _v, _p, cost, _q in vs}

# Who the demo shop buys from (by SKU prefix), so receipts carry a supplier and a payable.
DEMO_SUPPLIERS = {
    "TS": "หจก. สยามการ์เมนท์",
    "JN": "หจก. สยามการ์เมนท์",
    "BAG": "หจก. สยามการ์เมนท์",
    "TUM": "บริษัท ไทยดริงค์แวร์ จำกัด",
    "CASE": "บริษัท ไทยดริงค์แวร์ จำกัด",
}
DEMO_LOCAL_SUPPLIER = "ร้านสมุนไพรป้าแดง"
CREDIT_SUPPLIERS = {"หจก. สยามการ์เมนท์"}


def demo_supplier(sku: str) -> str:
    return DEMO_SUPPLIERS.get(sku.split("-")[0], DEMO_LOCAL_SUPPLIER)


def add_demo_catalog(shop: Shop, by: Actor) -> None:
    """The demo products, their opening stock and the bundles made of them."""
    for name, variants in DEMO_PRODUCTS:
        create_product(
            shop=shop,
            name=name,
            by=by,
            variants=[
                {"sku": sku, "name": vname, "price": Decimal(price), "low_stock_threshold": 5}
                for sku, vname, price, _cost, _qty in variants
            ],
        )
        for sku, _vname, _price, cost, qty in variants:
            if qty:
                # The garment supplier gives 30 days' credit; the others were paid by transfer.
                supplier = demo_supplier(sku)
                receive_stock(
                    shop=shop,
                    sku=sku,
                    quantity=qty,
                    unit_cost=Decimal(cost),
                    by=by,
                    paid_by=PaidBy.CREDIT if supplier in CREDIT_SUPPLIERS else PaidBy.BANK,
                    supplier=supplier,
                    purchase_reference=f"IV-OPEN-{sku}",
                )
    for name, sku, price, components in DEMO_BUNDLES:
        create_product(
            shop=shop,
            name=name,
            by=by,
            variants=[
                {
                    "sku": sku,
                    "price": Decimal(price),
                    "components": [{"sku": c, "quantity": q} for c, q in components],
                }
            ],
        )


# --- The demo shop -------------------------------------------------------------------------


@dataclass
class DemoLogin:
    email: str
    password: str
    path: Path
    shop: Shop | None = None
    orders: "DemoOrders | None" = None


def create_demo_shop(slug: str = "demo", *, orders: int = 0, seed: int = 0) -> DemoLogin:
    """A shop with an owner, the demo catalog and, if asked, `orders` demo orders.

    The owner's e-mail and a fresh password are written to TALAD_HOME so the seller can log in."""
    by = Actor.system("demo")
    password = secrets.token_urlsafe(9)
    email = f"owner@{slug}.talad.local" if slug != "demo" else "owner@demo.talad.local"
    with transaction.atomic():
        shop = create_shop(
            name="ร้านตัวอย่าง ตลาดดี",
            slug=slug,
            owner_email=email,
            password=password,
            by=by,
            address="99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120",
        )
        add_demo_catalog(shop, by)
        made = add_demo_orders(shop, orders, seed=seed, by=by) if orders else None
    name = "demo-login.txt" if slug == "demo" else f"demo-login-{slug}.txt"
    path = Path(settings.TALAD_HOME) / name
    path.write_text(f"{email}\n{password}\n")
    path.chmod(0o600)
    return DemoLogin(email, password, path, shop, made)


# --- Customers -----------------------------------------------------------------------------

MALE_FIRST = [
    "สมชาย",
    "ธนากร",
    "ณัฐพล",
    "กิตติพงษ์",
    "วีระพงษ์",
    "ประเสริฐ",
    "อนุชา",
    "ศักดิ์ชัย",
    "พงศกร",
    "ธีรวัฒน์",
    "ชัยวัฒน์",
    "สุรเชษฐ์",
    "ภาณุวัฒน์",
    "วรวุฒิ",
    "อภิชาติ",
    "ปิยะพงษ์",
    "จิรายุ",
    "ธนวัฒน์",
    "ณัฐวุฒิ",
    "สมศักดิ์",
]
FEMALE_FIRST = [
    "สุดารัตน์",
    "วรรณา",
    "กนกวรรณ",
    "ปิยะนุช",
    "ศิริพร",
    "อรอุมา",
    "นภัสสร",
    "พิมพ์ชนก",
    "ณัฐธิดา",
    "ชลธิชา",
    "จิราพร",
    "สุภาพร",
    "รัตนาภรณ์",
    "กมลชนก",
    "วิไลวรรณ",
    "มณีรัตน์",
    "ธิดารัตน์",
    "พรทิพย์",
    "อัญชลี",
    "ปวีณา",
]
LAST_NAMES = [
    "ใจดี",
    "ศรีสุข",
    "แสงทอง",
    "วงศ์สวัสดิ์",
    "บุญมา",
    "ทองดี",
    "สุขสวัสดิ์",
    "จันทร์เพ็ญ",
    "รัตนพันธ์",
    "พรหมมา",
    "ศรีวงศ์",
    "แก้วมณี",
    "ชัยมงคล",
    "สมบูรณ์ชัย",
    "เพชรรัตน์",
    "อินทรประเสริฐ",
    "ปัญญาดี",
    "มีสุข",
    "ทองประเสริฐ",
    "เจริญผล",
    "สุวรรณรัตน์",
    "กิตติศักดิ์",
    "วัฒนากุล",
    "ศรีประเสริฐ",
    "บุญเรือง",
    "นาคสวัสดิ์",
    "พูลสวัสดิ์",
    "จันทร์หอม",
    "อ่อนศรี",
    "คำแก้ว",
]
# (Thai nickname, its romanisation for LINE IDs and e-mails)
NICKNAMES = [
    ("พลอย", "ploy"), ("มิ้นท์", "mint"), ("แพรว", "praew"), ("ฝน", "fon"), ("น้ำ", "nam"),
    ("ต้น", "ton"), ("บอล", "ball"), ("เบียร์", "beer"), ("โอ๊ต", "oat"), ("เจ", "jay"),
    ("แนน", "nan"), ("ปอ", "por"), ("กิ๊ฟ", "gift"), ("ไอซ์", "ice"), ("อาร์ม", "arm"),
]  # fmt: skip
MOBILE_PREFIXES = (
    ["06" + d for d in "1234567"]
    + ["08" + d for d in "0123456789"]
    + ["09" + d for d in "0123456789"]
)
# Where the parcels go: Bangkok and its neighbours most, every province sometimes.
PROVINCE_WEIGHTS = {
    "10": 30, "11": 6, "12": 7, "13": 6, "20": 5, "50": 4, "40": 3, "90": 3,
    "30": 3, "74": 2, "73": 2, "21": 2, "83": 2, "34": 2, "65": 1,
}  # fmt: skip
VILLAGES = ["หมู่บ้านพฤกษา", "หมู่บ้านสุขสันต์", "หมู่บ้านร่มเย็น", "หมู่บ้านชัยพฤกษ์"]
CONDOS = ["คอนโดเดอะวิว", "คอนโดริมสวน", "อาคารสุขใจเรสซิเดนซ์"]


@dataclass(frozen=True)
class DemoCustomer:
    name: str
    phone: str  # as the customer typed it
    address: dict
    email: str = ""
    line_id: str = ""
    social_name: str = ""

    def for_order(self, channel: str) -> dict:
        data = {"name": self.name, "phone": self.phone, "address": self.address}
        if self.email:
            data["email"] = self.email
        if channel == Channel.LINE:
            data["line_id"] = self.line_id
        if channel in (Channel.FACEBOOK, Channel.INSTAGRAM):
            data["social_name"] = self.social_name
        return data


@cache
def _places() -> dict[str, list[tuple]]:
    """Per province code: every (subdistrict, district, province, postcode) that exists."""
    places: dict[str, list[tuple]] = {}
    for province in geothai.provinces():
        rows = places.setdefault(province.code, [])
        for district in geothai.districts(province.code):
            for sub in geothai.subdistricts(district.code):
                for postcode in sub.postal_codes:
                    if len(postcode) == 5 and postcode.isdigit():
                        rows.append((sub.name_th, district.name_th, province.name_th, postcode))
    return {code: rows for code, rows in places.items() if rows}


def demo_address(rng: random.Random) -> dict:
    places = _places()
    codes = sorted(places)
    code = rng.choices(codes, weights=[PROVINCE_WEIGHTS.get(c, 0.4) for c in codes])[0]
    subdistrict, district, province, postcode = rng.choice(places[code])
    house = str(rng.randint(1, 199))
    if rng.random() < 0.6:
        house += f"/{rng.randint(1, 250)}"
    parts = [house]
    kind = rng.random()
    if code == "10":
        if kind < 0.3:
            parts = [f"{rng.choice(CONDOS)} ห้อง {rng.randint(2, 30)}{rng.randint(1, 40):02d}"]
        elif kind < 0.7:
            parts.append(f"ซอย {rng.randint(1, 120)}")
    else:
        parts.append(f"หมู่ {rng.randint(1, 15)}")
        if kind < 0.3:
            parts.append(rng.choice(VILLAGES))
    return {
        "line": " ".join(parts),
        "subdistrict": subdistrict,
        "district": district,
        "province": province,
        "postcode": postcode,
    }


def demo_phone(rng: random.Random) -> str:
    """A Thai mobile number that `normalise_phone` accepts, typed the way customers type it."""
    while True:
        number = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 9_999_999):07d}"
        try:
            normalise_phone(number)
        except TaladError:
            continue
        style = rng.random()
        if style < 0.6:
            return number
        if style < 0.9:
            return f"{number[:3]}-{number[3:6]}-{number[6:]}"
        return f"+66 {number[1:3]} {number[3:6]} {number[6:]}"


def demo_customer(rng: random.Random) -> DemoCustomer:
    if rng.random() < 0.55:
        first = rng.choice(FEMALE_FIRST)
        title = "นางสาว" if rng.random() < 0.6 else "นาง"
    else:
        first, title = rng.choice(MALE_FIRST), "นาย"
    nick, roman = rng.choice(NICKNAMES)
    handle = f"{roman}{rng.randint(1, 9999)}"
    return DemoCustomer(
        name=f"{title}{first} {rng.choice(LAST_NAMES)}",
        phone=demo_phone(rng),
        address=demo_address(rng),
        email=f"{handle}@gmail.com" if rng.random() < 0.3 else "",
        line_id=handle,
        social_name=f"{nick} {first}",
    )


# --- Orders --------------------------------------------------------------------------------

DAYS = 60
# The mix of a shop that has been selling for a while: most orders done, some in flight.
STATUS_MIX = {
    Status.DELIVERED: 45,
    Status.SHIPPED: 13,
    Status.TO_PACK: 10,
    Status.PENDING: 8,
    Status.TO_SHIP: 7,
    Status.CANCELLED: 8,
    Status.RETURNED: 5,
    Status.RETURNING: 4,
}
CHANNEL_MIX = {
    Channel.FACEBOOK: 22,
    Channel.LINE: 16,
    Channel.SHOPEE: 18,
    Channel.TIKTOK: 12,
    Channel.LAZADA: 10,
    Channel.WEBSITE: 9,
    Channel.INSTAGRAM: 8,
    Channel.PHONE: 5,
}
DIRECT_PAYMENTS = {PaymentMethod.TRANSFER: 40, PaymentMethod.PROMPTPAY: 30, PaymentMethod.COD: 30}
CARRIERS_BY_CHANNEL = {
    Channel.SHOPEE: ["spx"],
    Channel.LAZADA: ["lex"],
    Channel.TIKTOK: ["jt", "flash"],
}
DIRECT_CARRIERS = ["kex", "flash", "jt", "thaipost_ems", "best", "ninjavan"]
CANCEL_REASONS = {
    Status.PENDING: ["ไม่ได้ชำระเงินภายในเวลาที่กำหนด", "ลูกค้าเปลี่ยนใจ", "ลูกค้าสั่งซ้ำ"],
    Status.TO_PACK: ["ลูกค้าขอยกเลิก", "ลูกค้าขอเปลี่ยนที่อยู่ สั่งใหม่"],
    Status.TO_SHIP: ["ลูกค้าขอยกเลิกก่อนส่ง", "สินค้าชำรุดตอนแพ็ค"],
}
PLATFORM_CANCEL_REASONS = ["ลูกค้ายกเลิกผ่านแพลตฟอร์ม", "แพลตฟอร์มยกเลิก: ชำระเงินไม่สำเร็จ"]
NOTES = ["โทรก่อนส่งนะคะ", "ฝากไว้ที่ป้อมยามได้เลย", "ขอใบกำกับภาษีด้วยค่ะ", "ห่อของขวัญให้ด้วยครับ"]
TAGS = ["ลูกค้าประจำ", "ไลฟ์สด", "โปรวันเกิดร้าน"]
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass
class DemoOrders:
    """What add_demo_orders did."""

    by_status: Counter = field(default_factory=Counter)
    by_channel: Counter = field(default_factory=Counter)
    units_received: int = 0
    seconds: float = 0.0

    @property
    def created(self) -> int:
        return sum(self.by_status.values())


@dataclass
class _Plan:
    status: str
    channel: str
    payment_method: str
    customer: DemoCustomer
    lines: list[tuple[Variant, int]]
    steps: list[tuple[str, dict, datetime]]  # (action, data, when), after creation
    created_at: datetime
    shipping_fee: Decimal = Decimal("0")
    discount: Decimal = Decimal("0")
    note: str = ""
    tags: list[str] = field(default_factory=list)
    external_id: str = ""
    ship_by: datetime | None = None


def add_demo_orders(
    shop: Shop,
    count: int,
    *,
    seed: int = 0,
    by: Actor | None = None,
    now: datetime | None = None,
    batch: int = 100,
) -> DemoOrders:
    """Add `count` demo orders to `shop`, receiving first whatever stock they will need.

    The same shop contents and the same `seed` give the same orders; a second run on a shop
    continues differently (the shop's order count is part of the seed)."""
    started = timezone.now()
    by = by or Actor.system("demo")
    now = now or started
    result = DemoOrders()
    if count <= 0:
        return result
    existing = Order.objects.for_shop(shop).count()
    rng = random.Random(f"talad-demo:{seed}:{existing}")
    sellable = _sellable_variants(shop)
    if not sellable:
        raise TaladError("ร้านนี้ยังไม่มีสินค้าที่เปิดขาย", fields={"shop": "no_products"})
    customers = [demo_customer(rng) for _ in range(max(8, count * 2 // 3))]
    taken_ids = set(
        Order.objects.for_shop(shop).exclude(external_id="").values_list("external_id", flat=True)
    )
    plans = sorted(
        (
            _plan(rng, now, sellable, customers, status, taken_ids)
            for status in _statuses(rng, count)
        ),
        key=lambda p: p.created_at,
    )
    result.units_received = _receive_what_orders_need(shop, plans, rng, by)
    for start in range(0, len(plans), batch):
        with transaction.atomic():
            placed = [_place(shop, plan, rng, by) for plan in plans[start : start + batch]]
            _backdate(shop, placed)
        for order, _p, _m in placed:
            result.by_status[str(order.status)] += 1
            result.by_channel[str(order.channel)] += 1
    _tidy_the_shelves(shop, rng, by)
    # New customers joined when they first ordered.
    first_order = (
        Order.objects.for_shop(shop)
        .filter(customer=OuterRef("pk"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    Customer.objects.for_shop(shop).filter(created_at__gte=started).update(
        created_at=Subquery(first_order)
    )
    result.seconds = (timezone.now() - started).total_seconds()
    return result


def _tidy_the_shelves(shop: Shop, rng: random.Random, by: Actor) -> None:
    """A stock count that finds one unit short and a breakage written off, as a real shop
    has: the books post both to the stock-difference account."""
    warehouse = default_warehouse(shop)
    levels = list(
        StockLevel.objects.for_shop(shop)
        .filter(warehouse=warehouse, variant__is_bundle=False, variant__allow_backorder=False)
        .select_related("variant")
        .order_by("variant_id")
    )
    spare = [lv for lv in levels if lv.on_hand - lv.reserved >= 2]
    if len(spare) < 2:
        return
    counted, broken = rng.sample(spare, 2)
    count_stock(shop=shop, sku=counted.variant.sku, counted=counted.on_hand - 1, by=by)
    adjust_stock(
        shop=shop, sku=broken.variant.sku, quantity_delta=-1, reason="ชำรุดระหว่างจัดเก็บ", by=by
    )


def _sellable_variants(shop: Shop) -> list[Variant]:
    variants = list(
        Variant.objects.for_shop(shop)
        .filter(active=True, product__active=True, price__gt=0)
        .select_related("product")
        .order_by("pk")
    )
    with_parts = set(
        BundleComponent.objects.for_shop(shop).values_list("bundle_id", flat=True).distinct()
    )
    return [v for v in variants if not v.is_bundle or v.pk in with_parts]


def _statuses(rng: random.Random, count: int) -> list[str]:
    """`count` statuses in STATUS_MIX proportions (largest remainder), every status at least
    once when there are enough orders, shuffled."""
    total = sum(STATUS_MIX.values())
    exact = {s: count * w / total for s, w in STATUS_MIX.items()}
    floor = {s: int(x) for s, x in exact.items()}
    if count >= len(STATUS_MIX):
        floor = {s: max(1, n) for s, n in floor.items()}
    while sum(floor.values()) > count:  # the minimum of one pushed us over: take from the largest
        floor[max(floor, key=floor.get)] -= 1
    for s in sorted(exact, key=lambda s: exact[s] - int(exact[s]), reverse=True):
        if sum(floor.values()) >= count:
            break
        floor[s] += 1
    statuses = [s for s, n in floor.items() for _ in range(n)]
    rng.shuffle(statuses)
    return statuses


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _plan(rng, now, sellable, customers, status, taken_ids) -> _Plan:
    channel = _pick(rng, CHANNEL_MIX)
    while status == Status.PENDING and channel in MARKETPLACES:  # marketplaces arrive paid
        channel = _pick(rng, CHANNEL_MIX)
    marketplace = channel in MARKETPLACES
    if marketplace:
        method = PaymentMethod.MARKETPLACE
    elif channel == Channel.PHONE:
        method = PaymentMethod.COD
    else:
        method = _pick(rng, DIRECT_PAYMENTS)
    # Regulars: a fifth of the customers place half the orders.
    regulars = customers[: max(1, len(customers) // 5)]
    customer = rng.choice(regulars if rng.random() < 0.5 else customers)
    lines = _lines(rng, sellable)
    subtotal = sum((v.price * q for v, q in lines), Decimal("0"))
    plan = _Plan(
        status=status,
        channel=channel,
        payment_method=method,
        customer=customer,
        lines=lines,
        steps=[],
        created_at=now,
    )
    if not marketplace:
        plan.shipping_fee = Decimal("0") if subtotal >= 500 else Decimal(rng.choice([40, 50]))
        if subtotal >= 300 and rng.random() < 0.2:
            plan.discount = Decimal(rng.choice([20, 30, 50]))
        if rng.random() < 0.15:
            plan.note = rng.choice(NOTES)
        if rng.random() < 0.2:
            plan.tags = [rng.choice(TAGS)]
    gaps = _path(rng, plan)
    # How long the order has sat in its final status; open ones are recent, some are stuck.
    stuck = rng.random() < 0.12
    linger = {
        Status.PENDING: rng.uniform(2, 5) * DAY if stuck else rng.uniform(0.1, 40) * HOUR,
        Status.TO_PACK: rng.uniform(1.1, 3) * DAY if stuck else rng.uniform(0.1, 20) * HOUR,
        Status.TO_SHIP: rng.uniform(1.1, 2) * DAY if stuck else rng.uniform(0.1, 20) * HOUR,
        Status.SHIPPED: rng.uniform(7.5, 10) * DAY if stuck else rng.uniform(0.2, 5) * DAY,
        Status.RETURNING: rng.uniform(0.5, 10) * DAY,
    }.get(status)
    window = DAYS * DAY - 2 * HOUR - sum(gaps, timedelta())
    if linger is None or linger > window:  # finished orders: any time in the window
        linger = rng.uniform(0, 1) * window
    plan.created_at = now - linger - sum(gaps, timedelta())
    moment, dated = plan.created_at, []
    for (action, data, _unset), gap in zip(plan.steps, gaps, strict=True):
        moment += gap
        dated.append((action, data, moment))
    plan.steps = dated
    if marketplace:
        plan.external_id = _external_id(rng, channel, plan.created_at, taken_ids)
        plan.ship_by = plan.created_at + (3 if channel == Channel.TIKTOK else 2) * DAY
    return plan


def _lines(rng: random.Random, sellable: list[Variant]) -> list[tuple[Variant, int]]:
    how_many = min(len(sellable), rng.choices([1, 2, 3], weights=[65, 25, 10])[0])
    return [
        (variant, rng.choices([1, 2, 3], weights=[75, 18, 7])[0])
        for variant in rng.sample(sellable, how_many)
    ]


def _external_id(rng: random.Random, channel: str, placed: datetime, taken: set[str]) -> str:
    """The platform's order number in its own format, not yet used in this shop."""
    alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    while True:
        if channel == Channel.SHOPEE:
            day = timezone.localtime(placed).strftime("%y%m%d")
            ext = day + "".join(rng.choices(alnum, k=8))
        elif channel == Channel.LAZADA:
            ext = str(rng.randint(10**14, 10**15 - 1))
        else:
            ext = str(rng.randint(5 * 10**17, 6 * 10**17 - 1))
        if ext not in taken:
            taken.add(ext)
            return ext


def _path(rng: random.Random, plan: _Plan) -> list[timedelta]:
    """Fill plan.steps with the actions (times still unset) that lead to plan.status; return
    the time between each step and the one before it."""
    marketplace = plan.channel in MARKETPLACES
    cod = plan.payment_method == PaymentMethod.COD
    steps: list[tuple[str, dict, None]] = []
    gaps: list[timedelta] = []

    def step(action: str, data: dict, low: timedelta, high: timedelta) -> None:
        steps.append((action, data, None))
        gaps.append(low + (high - low) * rng.random())

    cancel_from = None
    if plan.status == Status.CANCELLED:
        cancel_from = rng.choices(
            [Status.PENDING, Status.TO_PACK, Status.TO_SHIP],
            weights=[0 if marketplace else 65, 28, 7],
        )[0]
    target = cancel_from or plan.status
    if marketplace:  # `create` has the platform pay it at once
        step("_marketplace_pay", {}, timedelta(seconds=1), timedelta(minutes=3))
    elif target != Status.PENDING:
        if cod:
            step("confirm_cod", {}, timedelta(minutes=5), 6 * HOUR)
        else:
            step("pay", {"method": plan.payment_method}, timedelta(minutes=10), 12 * HOUR)
    goes_out = target in (Status.SHIPPED, Status.DELIVERED, Status.RETURNING, Status.RETURNED)
    if target == Status.TO_SHIP or (goes_out and rng.random() < 0.9):
        step("pack", {}, HOUR, 20 * HOUR)
    if goes_out:
        step("ship", {}, HOUR, 24 * HOUR)
    if cancel_from:
        reasons = PLATFORM_CANCEL_REASONS if marketplace else CANCEL_REASONS[cancel_from]
        step("cancel", {"reason": rng.choice(reasons)}, HOUR, 2 * DAY)
    elif plan.status == Status.DELIVERED:
        step("deliver", {}, DAY, 4 * DAY)
    elif plan.status == Status.RETURNING:
        step("fail_delivery", {"reason": _fail_reason(rng, cod)}, 2 * DAY, 6 * DAY)
    elif plan.status == Status.RETURNED:
        if rng.random() < 0.75:
            step("fail_delivery", {"reason": _fail_reason(rng, cod)}, 2 * DAY, 6 * DAY)
        else:
            step("deliver", {}, DAY, 4 * DAY)  # and then the customer sent it back
        step("receive_return", {}, 2 * DAY, 7 * DAY)
    plan.steps = steps
    return gaps


def _fail_reason(rng: random.Random, cod: bool) -> str:
    reasons = {"refused": 70 if cod else 20, "nobody_home": 15, "wrong_address": 10, "other": 5}
    return _pick(rng, reasons)


def _receive_what_orders_need(shop: Shop, plans: list[_Plan], rng: random.Random, by: Actor) -> int:
    """Goods in before the orders, so none can fail for lack of stock: per plain SKU, what all
    the orders together take, less what is available, plus a little left over (in lots)."""
    needed = stock_needs(shop, [line for plan in plans for line in plan.lines])
    warehouse = default_warehouse(shop)
    levels = {
        variant_id: on_hand - reserved
        for variant_id, on_hand, reserved in StockLevel.objects.for_shop(shop)
        .filter(warehouse=warehouse, variant_id__in=needed)
        .values_list("variant_id", "on_hand", "reserved")
    }
    variants = Variant.objects.for_shop(shop).in_bulk(list(needed))
    received = 0
    for variant_id in sorted(needed):
        variant = variants[variant_id]
        if variant.allow_backorder:
            continue
        short = needed[variant_id] - levels.get(variant_id, 0)
        if short <= 0:
            continue
        spare = rng.choice([0, 1, 2, 4, 10, 20, 30])  # some SKUs end low on stock
        lot = 12 if short + spare >= 24 else 6
        quantity = -(-(short + spare) // lot) * lot
        unit = DEMO_COSTS.get(variant.sku) or variant.cost or variant.price * Decimal("0.45")
        for part in _split(rng, quantity):
            cost = (Decimal(unit) * Decimal(rng.uniform(0.95, 1.05))).quantize(Decimal("0.01"))
            receive_stock(
                shop=shop,
                sku=variant.sku,
                quantity=part,
                unit_cost=cost,
                by=by,
                reason="demo",
                paid_by=rng.choice([PaidBy.CREDIT, PaidBy.CREDIT, PaidBy.BANK, PaidBy.CASH]),
                supplier=demo_supplier(variant.sku),
                purchase_reference=f"IV-{rng.randint(10000, 99999)}",
            )
        received += quantity
    return received


def _split(rng: random.Random, quantity: int) -> list[int]:
    if quantity < 12 or rng.random() < 0.5:
        return [quantity]
    first = rng.randint(quantity // 3, quantity * 2 // 3)
    return [first, quantity - first]


def _place(shop: Shop, plan: _Plan, rng: random.Random, by: Actor) -> tuple[Order, _Plan, dict]:
    """Create the order and walk it to its status through `transition`; return it with the
    moment each of its actions should have happened."""
    new = NewOrder(
        channel=plan.channel,
        customer=plan.customer.for_order(plan.channel),
        lines=[{"sku": v.sku, "quantity": q} for v, q in plan.lines],
        payment_method=plan.payment_method,
        shipping_fee=plan.shipping_fee,
        discount=plan.discount,
        note=plan.note,
        tags=plan.tags,
        external_id=plan.external_id,
        ship_by=plan.ship_by,
    )
    order, _created = create_order(shop=shop, by=by, order=new)
    moments = {"create": plan.created_at}
    for action, data, when in plan.steps:
        moments[action] = when
        if action == "_marketplace_pay":
            moments["pay"] = when
            continue
        data = dict(data)
        if action == "pay":
            data.update(amount=order.total, reference=_bank_reference(rng, when), paid_at=when)
        elif action == "deliver":
            data["delivered_at"] = when
        elif action == "receive_return":
            data["lines"] = _return_conditions(rng, order)
        if action == "ship":
            order = _ship(order, plan, rng, by)
        else:
            order = transition(order=order, action=action, by=by, **data)
    if order.refund_owed and rng.random() < 0.85:  # a few refunds are still to be paid
        when = moments[plan.steps[-1][0]] + timedelta(hours=rng.randint(2, 30))
        marketplace = plan.channel in MARKETPLACES
        record_refund(
            order=order,
            amount=order.refund_owed,
            method="marketplace" if marketplace else "transfer",
            reference="" if marketplace else _bank_reference(rng, when),
            refunded_at=min(when, timezone.now()),
            by=by,
        )
    return order, plan, moments


def _ship(order: Order, plan: _Plan, rng: random.Random, by: Actor) -> Order:
    carrier = rng.choice(CARRIERS_BY_CHANNEL.get(plan.channel, DIRECT_CARRIERS))
    for _attempt in range(5):
        try:
            return transition(
                order=order,
                action="ship",
                by=by,
                carrier=carrier,
                tracking_number=_tracking(rng, carrier, order.pk),
                weight_grams=rng.choice([250, 400, 600, 900, 1500]),
            )
        except Conflict:  # a real parcel of this shop has the number already: draw another
            continue
    raise RuntimeError(f"no free tracking number for {order.number}")


def _tracking(rng: random.Random, carrier: str, order_id: int) -> str:
    """A number in the carrier's format; the order id inside keeps it unique in the shop."""
    own = f"{order_id % 10**8:08d}"

    def digits(n):
        return "".join(rng.choices("0123456789", k=n))

    return {
        "spx": f"SPXTH0{own}{digits(4)}",
        "lex": f"LEXPU{own}{digits(4)}",
        "jt": f"8{own}{digits(3)}",
        "flash": f"TH{own}{digits(3)}{rng.choice('ABCDEF')}",
        "kex": f"KEX{own}{digits(3)}",
        "thaipost_ems": f"E{rng.choice('BFGHKLMNPRSUVWXY')}{own}{digits(1)}TH",
        "best": f"22{own}{digits(2)}",
        "ninjavan": f"NVTHDT{own}{digits(4)}",
    }.get(carrier, f"DEMO{own}{digits(4)}")


def _bank_reference(rng: random.Random, when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y%m%d") + f"{rng.randint(0, 10**10 - 1):010d}"


def _return_conditions(rng: random.Random, order: Order) -> list[dict]:
    skus = list(order.lines.values_list("sku", flat=True))
    return [{"sku": s, "condition": "damaged" if rng.random() < 0.2 else "sellable"} for s in skus]


def _backdate(shop: Shop, placed: list[tuple[Order, _Plan, dict]]) -> None:
    """Put the orders, their history, payments and parcels at the moments their plans say.

    Timestamps only, a few statements per batch: the status, stock and money are what the
    services made them."""
    orders = {order.pk: (order, plan, moments) for order, plan, moments in placed}
    history: dict[int, list[tuple[int, str]]] = {}
    for pk, order_id, action in (
        StatusChange.objects.for_shop(shop)
        .filter(order_id__in=orders)
        .order_by("id")
        .values_list("pk", "order_id", "action")
    ):
        history.setdefault(order_id, []).append((pk, action))
    changes, dated = [], []
    for order_id, (order, plan, moments) in orders.items():
        expected = ["create"] + [
            "pay" if action == "_marketplace_pay" else action for action, _d, _w in plan.steps
        ]
        if [action for _pk, action in history.get(order_id, [])] != expected:
            raise RuntimeError(f"{order.number}: history {history.get(order_id)} is not {expected}")
        changes += [StatusChange(pk=pk, at=moments[action]) for pk, action in history[order_id]]
        last = moments[expected[-1]]
        dated.append(
            Order(pk=order_id, created_at=plan.created_at, status_changed_at=last, updated_at=last)
        )
    StatusChange.objects.for_shop(shop).bulk_update(changes, ["at"], batch_size=500)
    Order.objects.for_shop(shop).bulk_update(
        dated, ["created_at", "status_changed_at", "updated_at"], batch_size=500
    )
    payments = [
        Payment(pk=pk, paid_at=orders[order_id][2]["pay"], created_at=orders[order_id][2]["pay"])
        for pk, order_id in Payment.objects.for_shop(shop)
        .filter(order_id__in=orders, kind=PaymentKind.PAYMENT)
        .values_list("pk", "order_id")
    ]
    payments += [
        Payment(pk=pk, paid_at=paid_at, created_at=paid_at)
        for pk, paid_at in Payment.objects.for_shop(shop)
        .filter(order_id__in=orders, kind=PaymentKind.REFUND)
        .values_list("pk", "paid_at")
    ]
    Payment.objects.for_shop(shop).bulk_update(payments, ["paid_at", "created_at"], batch_size=500)
    parcels = [
        Shipment(pk=pk, created_at=orders[order_id][2]["ship"])
        for pk, order_id in Shipment.objects.for_shop(shop)
        .filter(order_id__in=orders)
        .values_list("pk", "order_id")
    ]
    Shipment.objects.for_shop(shop).bulk_update(parcels, ["created_at"], batch_size=500)
