from talad.errors import Conflict


class InvalidTransition(Conflict):
    """The action is not allowed from the order's current status."""

    code = "invalid_transition"

    def __init__(self, *, order, action: str, allowed: list[str]):
        super().__init__(
            f"ออเดอร์ {order.number} อยู่ในสถานะ '{order.status}': ทำ '{action}' ไม่ได้",
            status=order.status,
            allowed_actions=allowed,
        )
