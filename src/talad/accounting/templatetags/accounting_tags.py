"""`{% load accounting_tags %}`: document dates, debit/credit columns, and the order page's
documents block (`{% order_documents order %}`) and an unpaid order's PromptPay QR
(`{% order_promptpay order %}`), so the order page needs no accounting code."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from talad import promptpay
from talad.accounting.books import (
    accounting_settings,
    allowed_document_types,
    automatic_document_type,
)
from talad.accounting.forms import IssueForm
from talad.accounting.models import Document
from talad.accounting.pdf import unpaid_order_qr
from talad.accounting.selectors import open_sales_documents
from talad.orders.models import PaymentMethod, Status
from talad.shops.permissions import can
from talad.thai_dates import be_date

register = template.Library()
CLOSED = frozenset({Status.CANCELLED, Status.RETURNED})


@register.filter
def doc_day(value) -> str:
    """A document's date: "27 พ.ย. 2569" in Thai, "27 Nov 2026" otherwise."""
    if not value:
        return ""
    if (get_language() or "th").startswith("th"):
        return be_date(value, short=True)
    return f"{value:%d %b %Y}"


@register.filter
def debit_side(value: Decimal) -> Decimal | str:
    return value if value and value > 0 else ""


@register.filter
def credit_side(value: Decimal) -> Decimal | str:
    return -value if value and value < 0 else ""


@register.inclusion_tag("accounting/_order_promptpay.html", takes_context=True)
def order_promptpay(context, order):
    """An unpaid order's PromptPay QR for its exact total, as an image the seller can save
    or share into the chat (a PNG data URI: the CSP allows `data:` images)."""
    request = context["request"]
    actor = getattr(request, "actor", None)
    if actor is None or not can(actor.role, "record_payments"):
        return {"show": False}
    bill = unpaid_order_qr(order)
    if bill is None:
        return {"show": False}
    image = promptpay.qr_png_data_uri(bill.payload)
    return {"show": True, "order": order, "bill": bill, "image": image}


@register.inclusion_tag("accounting/_order_documents.html", takes_context=True)
def order_documents(context, order):
    """The order's documents with their PDFs, and the form to issue one when it may be."""
    request = context["request"]
    actor = getattr(request, "actor", None)
    if actor is None or not can(actor.role, "view_documents"):
        return {"show": False}
    documents = list(Document.objects.for_shop(request.shop).filter(order=order).order_by("id"))
    issuing = can(actor.role, "issue_documents") and order.status not in CLOSED
    form = None
    if issuing and not open_sales_documents(order):
        books = accounting_settings(request.shop)
        cod = order.payment_method == PaymentMethod.COD
        form = IssueForm(
            auto_id="issue_%s",
            allowed=allowed_document_types(request.shop),
            initial={"type": automatic_document_type(request.shop, books, cod=cod)},
        )
    return {
        "show": True,
        "order": order,
        "documents": documents,
        "form": form,
        "csrf_token": context.get("csrf_token"),
    }
