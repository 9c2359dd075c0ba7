"""What a marketplace export says, once read: one ImportedOrder per marketplace order.

The readers (one per format) only read: they turn rows into these types and every problem
into an ImportProblem naming the row and column. Applying them to Talad (creating orders,
moving statuses through orders.services.transition, mapping SKUs) is apply.py's job. Both
sides meet here, so a reader can change with the marketplace's export without touching how
orders are made.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

# Where a marketplace status leads in Talad. The order of this tuple is the direction orders
# move: an import applies a later target, reports an earlier one, never applies it.
TARGETS = ("pending", "to_pack", "shipped", "delivered", "returning", "cancelled")


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong in the file: `row` is the spreadsheet's 1-based row number (header
    rows counted), `column` the header as the file spells it (or its letter when unnamed)."""

    row: int
    column: str
    code: str
    message: str
    external_id: str = ""  # the marketplace order the row belongs to, when known


@dataclass(frozen=True)
class ImportedLine:
    row: int
    marketplace_sku: str  # the seller SKU as the marketplace exports it (may be blank)
    item_id: str  # the marketplace's own item / variation id (when SKU is blank)
    name: str
    quantity: int
    unit_price: Decimal  # after the marketplace's own discounts on the item, per piece
    line_discount: Decimal = Decimal(0)  # seller's discount on the whole line


@dataclass(frozen=True)
class ImportedOrder:
    channel: str  # shopee | lazada | tiktok | a Talad channel for the generic csv
    external_id: str  # the marketplace's order id, as text
    status_text: str  # the status as the file says it
    target: str  # one of TARGETS
    rows: tuple[int, ...]
    lines: tuple[ImportedLine, ...]
    recipient_name: str
    phone: str
    address_line: str  # the address text without the parts below (or the one-line address)
    subdistrict: str = ""
    district: str = ""
    province: str = ""
    postcode: str = ""
    one_line_address: bool = False  # True when only a one-line address came: smart paste splits it
    shipping_fee: Decimal = Decimal(0)  # paid by the buyer
    seller_discount: Decimal = Decimal(0)  # on the whole order
    carrier_text: str = ""
    tracking_number: str = ""
    created_at: datetime | None = None
    paid_at: datetime | None = None
    ship_by: datetime | None = None
    buyer_tax_id: str = ""
    buyer_branch: str = ""


@dataclass
class ParsedFile:
    format: str
    rows_read: int = 0
    orders: list[ImportedOrder] = field(default_factory=list)
    problems: list[ImportProblem] = field(
        default_factory=list
    )  # orders with one are not in `orders`
    # Reader field (readers/layout.py FIELDS) → the header as this file spells it, for
    # naming the column of a problem found later, when the order is applied.
    headers: dict[str, str] = field(default_factory=dict)
