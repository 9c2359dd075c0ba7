from django.utils.translation import gettext as _

from talad.errors import Conflict


class InvalidTransition(Conflict):
    """The action is not allowed from the order's current status."""

    code = "invalid_transition"

    def __init__(self, *, order, action: str, allowed: list[str]):
        super().__init__(
            _("ออเดอร์ %(number)s อยู่ในสถานะ '%(status)s': ทำ '%(action)s' ไม่ได้")
            % {"number": order.number, "status": order.get_status_display(), "action": action},
            status=order.status,
            allowed_actions=allowed,
        )


class CodNotCollected(Conflict):
    """A COD remittance for an order the carrier has not collected (or already paid out)."""

    code = "cod_not_collected"

    def __init__(self, *, order):
        super().__init__(
            _("ออเดอร์ %(number)s ไม่ได้อยู่ในสถานะ 'ขนส่งเก็บเงินแล้ว' (%(status)s)")
            % {"number": order.number, "status": order.get_payment_status_display()},
            fields={"payment_status": order.payment_status},
            payment_status=order.payment_status,
        )


class NotCorrectable(Conflict):
    """The order is past the point where it can be corrected (packed, shipped, closed)."""

    code = "not_correctable"

    def __init__(self, *, order, reason: str):
        super().__init__(
            _("แก้ไขออเดอร์ %(number)s ไม่ได้: %(reason)s")
            % {"number": order.number, "reason": reason},
            status=order.status,
        )
