"""Marketplace payouts on the web: an income report uploaded and matched, and one report's
rows with their results. Thin: the same service and selectors as /api/v1/payouts."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from talad.errors import NotFound, TaladError
from talad.forms import act_once, add_domain_error
from talad.orders.models import MARKETPLACES, Channel
from talad.payments import payout_selectors, payouts
from talad.payments.forms import PayoutForm
from talad.payments.models import PayoutResult
from talad.shops.decorators import shop_page
from talad.tabular import FileTooLarge, read_upload, refuse_large_body, request_body_length

PAYOUTS = "record_payments"
PAST = 50


def _channels() -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in Channel if c in MARKETPLACES]


@csrf_exempt  # checked in _payouts, once the body's size is: CSRF's check reads it all
@shop_page(PAYOUTS)
def payouts_page(request):
    """Upload a marketplace's income report, and the reports so far."""
    if request.method == "POST":
        try:
            refuse_large_body(request_body_length(request))
        except FileTooLarge as exc:
            messages.error(request, exc.message)
            return _render_list(request, _new_form(request), status=exc.status)
    return _payouts(request)


@csrf_protect
def _payouts(request):
    if request.method != "POST":
        return _render_list(request, _new_form(request), status=200)
    form = PayoutForm(request.POST, request.FILES, channels=_channels())
    status = 400
    if form.is_valid():
        data = form.cleaned_data

        def produce() -> str:
            upload = data["file"]
            result = payouts.import_payout(
                shop=request.shop,
                by=request.actor,
                channel=data["channel"],
                content=read_upload(upload),
                filename=upload.name or "",
                mapping=form.mapping(),
            )
            if not result.created:
                messages.info(request, _("ไฟล์นี้นำเข้าแล้ว: ตรวจแถวที่ยังไม่ตรงอีกครั้งเท่านั้น"))
            return reverse("payments:payout", args=[result.payout.pk])

        try:
            return redirect(act_once(request, form, produce))
        except TaladError as exc:
            add_domain_error(form, exc)
            status = exc.status
    return _render_list(request, form, status=status)


def _new_form(request) -> PayoutForm:
    codes = [code for code, _label in _channels()]
    channel = request.GET.get("channel", "")
    channel = channel if channel in codes else codes[0]
    saved = payouts.saved_mapping(request.shop, channel)
    initial = {"channel": channel, **{f"col_{k}": v for k, v in saved.items()}}
    return PayoutForm(channels=_channels(), initial=initial)


def _render_list(request, form: PayoutForm, *, status: int):
    context = {
        "form": form,
        "past": payout_selectors.payouts_page(shop=request.shop, limit=PAST),
        "channel_names": dict(Channel.choices),
    }
    return render(request, "payments/payouts.html", context, status=status)


@shop_page(PAYOUTS)
def payout(request, pk: int):
    try:
        found = payout_selectors.payout_detail(shop=request.shop, payout_id=pk)
    except NotFound:
        raise Http404 from None
    rows = payout_selectors.payout_rows(found)
    summary = payout_selectors.summarise(rows)
    context = {
        "payout": found,
        "rows": rows,
        "summary": summary,
        "results": [
            (value, label, summary["counts"][value]) for value, label in PayoutResult.choices
        ],
        "channel_names": dict(Channel.choices),
    }
    return render(request, "payments/payout.html", context)
