"""What an order action did besides moving the status, as the apps above orders read it.

`order_action_applied` carries one of these as `effects`: payments record a `Paid`, shipping
records a `Shipped` parcel, accounting posts the cost of goods a `Shipped` carries. A typed
attribute, not a dict key: renaming a field breaks loudly instead of posting ฿0.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Effects:
    """Every action has a note for the order's history."""

    note: str = ""


@dataclass(frozen=True)
class Created(Effects):
    """The order, its lines and its reservations are written."""


@dataclass(frozen=True)
class Paid(Effects):
    amount: Decimal = Decimal(0)
    method: str = ""
    reference: str = ""
    paid_at: datetime | None = None
    slip: Any = None  # an uploaded slip image from the web form, if any


@dataclass(frozen=True)
class CodConfirmed(Effects):
    pass


@dataclass(frozen=True)
class Packed(Effects):
    scanned: bool = False


@dataclass(frozen=True)
class Shipped(Effects):
    carrier: str = ""
    tracking_number: str = ""
    cod_amount: Decimal = Decimal(0)
    # What the stock that left cost (moving average); None when the order held no
    # reservation, so there is no sale of stock to post.
    cost_of_goods: Decimal | None = None
    weight_grams: int = 0
    shipping_cost: Decimal = Decimal(0)


@dataclass(frozen=True)
class Delivered(Effects):
    delivered_at: datetime | None = None


@dataclass(frozen=True)
class DeliveryFailed(Effects):
    reason: str = ""


@dataclass(frozen=True)
class Cancelled(Effects):
    reason: str = ""
    refund_owed: Decimal = Decimal(0)


@dataclass(frozen=True)
class Returned(Effects):
    # sku → "sellable" | "damaged", for the lines the seller named
    conditions: dict[str, str] = field(default_factory=dict)
    refund_owed: Decimal = Decimal(0)
    # What the sellable units added to the stock value (they re-enter the moving average at
    # the cost they left at), and what the damaged units cost when they left; both for the
    # books (inventory.services.return_stock).
    value_back_on_shelf: Decimal = Decimal(0)
    cost_of_damaged: Decimal = Decimal(0)
