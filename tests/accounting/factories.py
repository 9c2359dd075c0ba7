"""Shops, orders and readings of the books for accounting tests (all through the real services)."""

from decimal import Decimal

from talad.accounting.models import Document, JournalEntry, JournalLine
from talad.orders.services import transition
from talad.shops.actors import Actor
from tests.conftest import make_shop, make_variant
from tests.orders.factories import make_order

BY = Actor.system("test")
SELLER_TAX_ID = "3100600445694"  # a valid 13-digit Thai tax ID
BUYER_TAX_ID = "0994000165111"


def vat_shop(**profile):
    """A VAT-registered shop (7%, prices include VAT) with its tax ID and address."""
    return make_shop(
        vat_registered=True,
        tax_id=SELLER_TAX_ID,
        address="99/1 ถ.พหลโยธิน แขวงสามเสนใน เขตพญาไท กรุงเทพมหานคร 10400",
        **profile,
    )


def goods(shop, sku="MUG", *, price="1070.00", cost="600.00", on_hand=100):
    return make_variant(shop, sku, on_hand=on_hand, price=price, cost=cost)


def act(order, action, **data):
    if action == "pay":
        data.setdefault("amount", order.total)
        data.setdefault("method", "transfer")
    if action == "ship":
        data.setdefault("carrier", "flash")
        data.setdefault("tracking_number", f"TH{order.pk:010d}")
    if action == "cancel":
        data.setdefault("reason", "ลูกค้าเปลี่ยนใจ")
    return transition(order=order, action=action, by=BY, **data)


def prepaid_order(shop, variant, quantity=1, **extra):
    return make_order(shop, variant, quantity, payment_method="transfer", **extra)


def cod_order(shop, variant, quantity=1, **extra):
    return make_order(shop, variant, quantity, payment_method="cod", **extra)


def entry_lines(entry: JournalEntry) -> list[tuple[str, str, str]]:
    """(role, debit, credit) of each line, debits first, as docs/design/money.md#journal's tables read."""
    rows = [(line.role, str(line.debit), str(line.credit)) for line in entry.lines.all()]
    return sorted(rows, key=lambda r: (r[1] == "0.00", r[0]))


def entries(order) -> list[JournalEntry]:
    return list(JournalEntry.objects.for_shop(order.shop_id).filter(order=order).order_by("id"))


def documents(order) -> list[Document]:
    return list(Document.objects.for_shop(order.shop_id).filter(order=order).order_by("id"))


def balance(shop, role) -> Decimal:
    """Debit balance of a role's lines across the shop's whole journal."""
    rows = JournalLine.objects.for_shop(shop).filter(role=role)
    return sum((line.debit - line.credit for line in rows), Decimal("0.00"))
