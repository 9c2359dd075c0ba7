"""What stock work writes in the books, inside the stock change's own transaction
(docs/design/money.md#journal; the stock value is docs/design/stock.md#cost).

receipt        → INVENTORY / AP_TRADE (on credit, the supplier named on the line), CASH or
                 BANK, at quantity × unit cost; the satang the moving average rounds away
                 go to STOCK_DIFFERENCE, so INVENTORY moves by exactly the stock value
adjust, count  → INVENTORY / STOCK_DIFFERENCE for units found, the reverse for units lost,
                 at the moving-average cost

Order-driven stock (ship, return) is posted with the order action (autopost.py).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy

from talad.accounting.books import in_thai
from talad.accounting.journal import Posting, credit, debit, post_journal_entry, without_zero_lines
from talad.accounting.models import AccountRole as R
from talad.accounting.models import JournalEntry, SourceType
from talad.inventory.effects import StockAdjusted, StockReceived
from talad.inventory.models import PaidBy
from talad.shops.actors import Actor
from talad.shops.models import Shop

ZERO = Decimal("0.00")
PAID_FROM = {PaidBy.CREDIT: R.AP_TRADE, PaidBy.CASH: R.CASH, PaidBy.BANK: R.BANK}


def post_stock_received(shop: Shop, change: StockReceived, by: Actor) -> JournalEntry | None:
    memo = change.supplier
    if change.reference:
        memo = f"{memo} {change.reference}".strip()
    postings = [
        *_inventory_moves(change.value_change),
        credit(PAID_FROM[change.paid_by], change.amount, memo),
        *_stock_difference(change.value_change - change.amount),
    ]
    description = in_thai(gettext_lazy("รับสินค้าเข้า %(sku)s × %(q)s")) % {
        "sku": change.sku,
        "q": change.quantity,
    }
    return _post(shop, by, description, postings, SourceType.PURCHASE, change.purchase_id)


def post_stock_adjusted(shop: Shop, change: StockAdjusted, by: Actor) -> JournalEntry | None:
    value = change.value_change
    postings = [*_inventory_moves(value), *_stock_difference(value)]
    what = gettext_lazy("นับสต๊อก") if change.kind == "count" else gettext_lazy("ปรับสต๊อก")
    description = f"{in_thai(what)} {change.sku} {change.quantity_change:+d}"
    if change.reason:
        description = f"{description}: {change.reason}"
    return _post(shop, by, description, postings, SourceType.STOCK_ADJUSTMENT, change.movement_id)


def _inventory_moves(value: Decimal) -> list[Posting]:
    return [debit(R.INVENTORY, value)] if value >= 0 else [credit(R.INVENTORY, -value)]


def _stock_difference(gain: Decimal) -> list[Posting]:
    """What balances the entry on STOCK_DIFFERENCE: stock gained is a credit, lost a debit."""
    if gain >= 0:
        return [credit(R.STOCK_DIFFERENCE, gain)]
    return [debit(R.STOCK_DIFFERENCE, -gain)]


def _post(shop, by, description, postings, source_type, source_id) -> JournalEntry | None:
    postings = without_zero_lines(postings)
    if not postings:
        return None  # nothing of value moved (a unit at no cost)
    return post_journal_entry(
        shop=shop,
        description=description,
        postings=postings,
        source_type=source_type,
        source_id=str(source_id),
        by=by,
    )
