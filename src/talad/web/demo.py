"""A demo shop with Thai products and stock, so a first `talad serve` shows something real."""

import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from talad.catalog.services import create_product
from talad.inventory.services import receive_stock
from talad.shops.actors import Actor
from talad.shops.services import create_shop

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
]


@dataclass
class DemoLogin:
    email: str
    password: str
    path: Path


@transaction.atomic
def create_demo_shop(slug: str = "demo") -> DemoLogin:
    by = Actor.system("demo")
    password = secrets.token_urlsafe(9)
    email = "owner@demo.talad.local"
    shop = create_shop(
        name="ร้านตัวอย่าง ตลาดดี",
        slug=slug,
        owner_email=email,
        password=password,
        by=by,
        address="99/1 ม.4 ต.คลองหนึ่ง อ.คลองหลวง จ.ปทุมธานี 12120",
    )
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
                receive_stock(shop=shop, sku=sku, quantity=qty, unit_cost=Decimal(cost), by=by)
    create_product(
        shop=shop,
        name="เซ็ตของขวัญ เสื้อ + แก้ว",
        by=by,
        variants=[
            {
                "sku": "GIFT-SET",
                "price": Decimal("399"),
                "components": [
                    {"sku": "TS-WHT-M", "quantity": 1},
                    {"sku": "TUM-30-PNK", "quantity": 1},
                ],
            }
        ],
    )
    path = Path(settings.TALAD_HOME) / "demo-login.txt"
    path.write_text(f"{email}\n{password}\n")
    path.chmod(0o600)
    return DemoLogin(email, password, path)
