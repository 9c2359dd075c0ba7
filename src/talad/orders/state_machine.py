"""The order state machine of docs/design/orders.md, as data.

orders.services.transition applies it.
"""

from dataclasses import dataclass

from talad.orders.models import Status


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    target: str
    required: tuple[str, ...] = ()


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("pay", frozenset({Status.PENDING}), Status.TO_PACK, ("amount", "method")),
        Action("confirm_cod", frozenset({Status.PENDING}), Status.TO_PACK),
        Action("pack", frozenset({Status.TO_PACK}), Status.TO_SHIP),
        Action(
            "ship",
            frozenset({Status.TO_SHIP, Status.TO_PACK}),
            Status.SHIPPED,
            ("carrier", "tracking_number"),
        ),
        Action("deliver", frozenset({Status.SHIPPED}), Status.DELIVERED),
        Action("fail_delivery", frozenset({Status.SHIPPED}), Status.RETURNING, ("reason",)),
        Action(
            "cancel",
            frozenset({Status.PENDING, Status.TO_PACK, Status.TO_SHIP}),
            Status.CANCELLED,
            ("reason",),
        ),
        Action("receive_return", frozenset({Status.RETURNING, Status.DELIVERED}), Status.RETURNED),
    )
}

# Statuses in which the order's lines still hold reserved stock.
HOLDS_STOCK = frozenset({Status.PENDING, Status.TO_PACK, Status.TO_SHIP})
# Statuses an order can leave only through an action; the stuck-order monitor watches these.
OPEN = frozenset({Status.PENDING, Status.TO_PACK, Status.TO_SHIP, Status.SHIPPED, Status.RETURNING})

FAILED_DELIVERY_REASONS = ("refused", "nobody_home", "wrong_address", "other")


def allowed_actions(status: str) -> list[str]:
    """The actions the table allows from `status`, in the table's order."""
    return [a.name for a in ACTIONS.values() if status in a.sources]
