"""`{% load refund_tags %}`: the order page's refund block (`{% order_refund order %}`), so
the order page needs no payments code."""

from django import template

from talad.payments.forms import RefundForm
from talad.shops.permissions import can

register = template.Library()


@register.inclusion_tag("payments/_order_refund.html", takes_context=True)
def order_refund(context, order):
    """The form that pays back what the order owes its customer, for those who may."""
    request = context["request"]
    actor = getattr(request, "actor", None)
    if not order.refund_owed or actor is None or not can(actor.role, "refund_customers"):
        return {"show": False}
    form = RefundForm(auto_id="refund_%s", initial={"amount": order.refund_owed})
    return {"show": True, "order": order, "form": form}
