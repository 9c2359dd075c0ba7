"""`{% load labels %}`: stored codes drawn as the seller's words (docs/design/orders.md#labels).

Codes stay in the database; the label is chosen here, in the reader's language, when the page
is drawn: `{{ shipment.carrier|carrier_name:order.shop }}` → "แฟลช เอ็กซ์เพรส",
`{{ order.failed_delivery_reason|reason_label }}` → "ลูกค้าปฏิเสธรับ",
`{% ledger_reference movement %}` → a link "ออเดอร์ SO-000133"."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from talad.orders import labels
from talad.orders.carriers import carrier_name as _carrier_name
from talad.orders.models import Order

register = template.Library()

ORDER_REFERENCE = "order:"


@register.filter
def carrier_name(code: str, shop) -> str:
    return _carrier_name(shop, code)


@register.filter
def reason_label(code: str) -> str:
    return labels.reason_label(code or "")


@register.simple_tag(takes_context=True)
def ledger_reference(context, movement) -> str:
    """A stock movement's reference; an order's is a link to that order's page.

    Order numbers are looked up once per page draw (one indexed query per order number)."""
    reference = movement.reference or ""
    if not reference.startswith(ORDER_REFERENCE):
        return reference
    number = reference.removeprefix(ORDER_REFERENCE)
    text = _("ออเดอร์ %(number)s") % {"number": number}
    found = context.render_context.setdefault("talad_order_ids", {})
    if number not in found:
        found[number] = (
            Order.objects.for_shop(movement.shop_id)
            .filter(number=number)
            .values_list("pk", flat=True)
            .first()
        )
    if found[number] is None:
        return text
    return format_html('<a href="{}">{}</a>', reverse("orders:detail", args=[found[number]]), text)


@register.filter
def action_style(action: str, order) -> str:
    """`{{ a.name|action_style:order }}` → the button class for that action on the order page."""
    return labels.action_style(order, action)
