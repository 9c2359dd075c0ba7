"""What the seller reads for the codes the order domain stores (docs/design/orders.md#labels).

The database keeps codes (`refused`, `flash`, `order:SO-000133`) and the notes services write
keep them too; the words are chosen here when a page is drawn, in the reader's language. So an
English session never stores English, and a Thai page never shows a code."""

from django.utils.translation import gettext, gettext_noop, override
from django.utils.translation import gettext_lazy as _

from talad.orders.carriers import carrier_name
from talad.orders.models import PaymentMethod, Status

REASON_LABELS = {
    "refused": _("ลูกค้าปฏิเสธรับ"),
    "nobody_home": _("ไม่มีคนรับ"),
    "wrong_address": _("ที่อยู่ผิด"),
    "other": _("อื่น ๆ"),
}

# Notes a service writes itself. Stored as the Thai source text and translated when shown;
# a row written in an English session before that was fixed is recognised by its English text.
MARKETPLACE_PAID = gettext_noop("ชำระผ่านแพลตฟอร์ม")
SYSTEM_NOTES = (MARKETPLACE_PAID,)


def reason_label(code: str) -> str:
    """A failed delivery's reason in words; an unknown code is shown as it is."""
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else code


def history_note(*, shop, action: str, note: str) -> str:
    """An order history note as the seller reads it.

    `ship` writes "<carrier code> <tracking>" and `fail_delivery` "<reason code>: <note>"
    (orders.actions); the codes become names here."""
    if action == "ship":
        code, _sep, tracking = note.partition(" ")
        return f"{carrier_name(shop, code)} {tracking}".strip() if code else note
    if action == "fail_delivery":
        code, sep, rest = note.partition(":")
        if code in REASON_LABELS:
            return f"{reason_label(code)}{sep}{rest}"
        return note
    for source in SYSTEM_NOTES:
        with override("en"):
            english = gettext(source)
        if note in (source, english):
            return gettext(source)
    return note


# How the order page draws each action's button: the step an order normally takes next is the
# primary button, a destructive one is red and secondary, the rest are secondary.
DESTRUCTIVE = frozenset({"cancel"})
NEXT_STEP = {
    Status.PENDING: "pay",
    Status.TO_PACK: "pack",
    Status.TO_SHIP: "ship",
    Status.SHIPPED: "deliver",
    Status.RETURNING: "receive_return",
}


def action_style(order, action: str) -> str:
    """`danger`, `primary` or `secondary` for `action`'s button on `order`'s page."""
    if action in DESTRUCTIVE:
        return "danger"
    step = NEXT_STEP.get(order.status)
    if step == "pay" and order.payment_method == PaymentMethod.COD:
        step = "confirm_cod"
    return "primary" if action == step else "secondary"
