"""Files as sellers upload them, and COD parcels at each step, made through the real services."""

import csv
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from talad.orders.services import transition
from talad.shops.actors import Actor
from tests.orders.factories import make_order

_numbers = itertools.count(1)
SYSTEM = Actor.system("test")


def csv_file(rows, *, encoding="utf-8", delimiter=",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content: bytes, name="file.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def flash_number() -> str:
    return f"TH{next(_numbers):010d}"


def cod_ready_to_ship(shop, variant, quantity=1, **extra):
    order = make_order(shop, variant, quantity, payment_method="cod", **extra)
    order = transition(order=order, action="confirm_cod", by=SYSTEM)
    return transition(order=order, action="pack", by=SYSTEM)


def shipped_cod(shop, variant, *, carrier="flash", tracking=None, quantity=1, **extra):
    order = cod_ready_to_ship(shop, variant, quantity, **extra)
    return transition(
        order=order,
        action="ship",
        by=SYSTEM,
        carrier=carrier,
        tracking_number=tracking or flash_number(),
    )


def delivered_cod(shop, variant, *, carrier="flash", tracking=None, delivered_at=None, **extra):
    order = shipped_cod(shop, variant, carrier=carrier, tracking=tracking, **extra)
    data = {"delivered_at": delivered_at} if delivered_at else {}
    return transition(order=order, action="deliver", by=SYSTEM, **data)
