"""Parcels coming back and back: the orders in `returning` or `returned`, with why and what
came back in which condition.

Why: the failed delivery's reason (`fail_delivery`), or none when a delivered order was sent
back by the customer; the seller's notes on `fail_delivery` and `receive_return`. What came
back: the order's `return` (sellable, back on the shelf) and `damage` movements in the stock
ledger, which `receive_return` writes with the reference `order:<number>`."""

from dataclasses import dataclass, field
from datetime import date, datetime

from talad.dates import local_day_start
from talad.inventory.models import MovementKind, StockMovement
from talad.orders.models import Order, Status, StatusChange
from talad.shops.models import Shop

RETURN_STATUSES = (Status.RETURNING, Status.RETURNED)
ORDER_REFERENCE = "order:"


@dataclass(frozen=True)
class CameBack:
    sku: str
    quantity: int
    condition: str  # "sellable" | "damaged"


@dataclass
class ReturnRow:
    order: Order
    since: datetime  # when it started coming back, or when it was received
    reason: str  # a FAILED_DELIVERY_REASONS code, or "" (sent back after delivery)
    notes: list[str] = field(default_factory=list)
    came_back: list[CameBack] = field(default_factory=list)


def returns_page(
    *,
    shop: Shop,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[ReturnRow]:
    """Newest first (keyset on id); the period is the local days the order last changed status
    (became `returning`, or was received back)."""
    orders = Order.objects.for_shop(shop).filter(
        status__in=[status] if status in RETURN_STATUSES else RETURN_STATUSES
    )
    if date_from:
        orders = orders.filter(status_changed_at__gte=local_day_start(date_from))
    if date_to:
        orders = orders.filter(status_changed_at__lt=local_day_start(date_to, next_day=True))
    if before_id:
        orders = orders.filter(pk__lt=before_id)
    rows = {
        o.pk: ReturnRow(o, o.status_changed_at, o.failed_delivery_reason)
        for o in orders.order_by("-id")[:limit]
    }
    if not rows:
        return []
    notes = (
        StatusChange.objects.for_shop(shop)
        .filter(order_id__in=rows, action__in=("fail_delivery", "receive_return"))
        .exclude(note="")
        .order_by("id")
    )
    for change in notes:
        if note := _seller_note(change):
            rows[change.order_id].notes.append(note)
    by_reference = {f"{ORDER_REFERENCE}{r.order.number}": r for r in rows.values()}
    movements = (
        StockMovement.objects.for_shop(shop)
        .filter(reference__in=by_reference, kind__in=(MovementKind.RETURN, MovementKind.DAMAGE))
        .select_related("variant")
        .order_by("id")
    )
    for m in movements:
        sellable = m.kind == MovementKind.RETURN
        quantity = m.on_hand_delta if sellable else m.damaged_delta
        by_reference[m.reference].came_back.append(
            CameBack(m.variant.sku, quantity, "sellable" if sellable else "damaged")
        )
    return list(rows.values())


def _seller_note(change: StatusChange) -> str:
    """What the seller typed: `fail_delivery` stores "<reason>: <note>", the reason is shown
    apart."""
    note = change.note
    if change.action == "fail_delivery" and ":" in note:
        return note.split(":", 1)[1].strip()
    return "" if change.action == "fail_delivery" else note
