"""What a manual stock change did to the value of the stock, as the books read it.

`inventory.signals.stock_changed` carries one of these as `change`. The value is the change
in `Σ round(on_hand × moving-average cost, 2)` of the variant, worked out while the variant
is locked, so the inventory account can follow the stock value to the satang
(docs/design/stock.md#cost). Order-driven stock (ship, return) travels in the order's own
effects instead (orders.effects.Shipped, Returned).
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class StockReceived:
    """Goods in: the purchase they came with, what they cost and how that was paid."""

    purchase_id: int
    sku: str
    quantity: int
    amount: Decimal  # quantity × unit cost, to the satang: what is owed or was paid
    paid_by: str  # inventory.models.PaidBy
    supplier: str  # the supplier's name, "" when none was named
    reference: str  # the supplier's delivery note or tax invoice number
    value_change: Decimal  # the change in stock value (differs from amount by rounding only)


@dataclass(frozen=True)
class StockAdjusted:
    """An adjustment or a count: units found or lost, valued at the moving-average cost."""

    movement_id: int
    kind: str  # inventory.models.MovementKind: adjust or count
    sku: str
    quantity_change: int
    value_change: Decimal
    reason: str
