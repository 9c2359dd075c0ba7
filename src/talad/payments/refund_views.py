"""The order page's refund form: money paid back to the customer (payments.refunds)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talad.errors import NotFound, TaladError
from talad.forms import act_once, add_domain_error
from talad.orders.selectors import order_detail
from talad.payments.forms import RefundForm
from talad.payments.refunds import record_refund
from talad.shops.decorators import shop_page


@require_POST
@shop_page("refund_customers")
def refund(request, pk: int):
    try:
        order = order_detail(shop=request.shop, order_id=pk)
    except NotFound:
        raise Http404 from None
    page = reverse("orders:detail", args=[order.pk])
    form = RefundForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def apply() -> str:
            record_refund(
                order=order,
                amount=data["amount"],
                method=data["method"],
                reference=data["reference"],
                by=request.actor,
            )
            messages.success(
                request, _("บันทึกคืนเงิน %(a)s บาท เรียบร้อย") % {"a": f"{data['amount']:,.2f}"}
            )
            return page

        try:
            return redirect(act_once(request, form, apply))
        except TaladError as exc:
            add_domain_error(form, exc)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(page)
