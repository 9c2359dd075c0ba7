"""Integration screens: the outbox's failures (retry), the PEAK connection (save, test) and
webhook subscriptions (add with the secret shown once, remove, deliveries, replay).

Thin like the other pages: parse, call one service or selector, render; the same services
and selectors as /api/v1. Another shop's message or subscription is a 404; a role without
the capability gets 403 from `shop_page`.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talad.accounting.books import account_codes, accounting_settings
from talad.errors import NotFound, TaladError
from talad.forms import act_once, add_domain_error
from talad.integrations import outbox, selectors
from talad.integrations.forms import EVENT_LABELS, PeakForm, WebhookForm
from talad.integrations.models import MessageStatus
from talad.integrations.peak import services as peak
from talad.integrations.webhooks import services as webhooks
from talad.pagination import next_page_query, page_cursor
from talad.shops.decorators import shop_page

PAGE = 50


# --- The outbox -----------------------------------------------------------------------------


@shop_page("view_integrations")
def index(request):
    shop = request.shop
    rows = selectors.outbox_page(
        shop=shop,
        status=MessageStatus.FAILED,
        before_id=page_cursor(request.GET.get("cursor")),
        limit=PAGE,
    )
    context = {
        "connection": peak.peak_connection(shop),
        "peak_counts": selectors.status_counts(shop=shop, topics=selectors.PEAK_TOPICS),
        "rows": rows,
        "next_query": next_page_query(request.GET, rows, PAGE),
    }
    return render(request, "integrations/index.html", context)


def _message(request, pk: int):
    try:
        return selectors.outbox_message(shop=request.shop, message_id=pk)
    except NotFound:
        raise Http404 from None


def _back(request, default: str) -> str:
    """Where the button was pressed (a page of this site), else `default`."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else default


@require_POST
@shop_page("retry_deliveries")
def retry(request, pk: int):
    message = _message(request, pk)
    try:
        outbox.retry_message(message=message, by=request.actor)
        messages.success(request, _("นำกลับเข้าคิวส่งแล้ว จะส่งอีกครั้งในไม่ช้า"))
    except TaladError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, reverse("integrations:index")))


# --- PEAK -----------------------------------------------------------------------------------


@shop_page("manage_peak")
def peak_settings(request):
    connection = peak.peak_connection(request.shop)
    chart = account_codes(accounting_settings(request.shop))  # what a blank code falls back to
    form = PeakForm(request.POST or None, connection=connection, chart=chart)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()

        def produce() -> str:
            peak.save_peak_connection(shop=request.shop, by=request.actor, changes=changes)
            messages.success(request, _("บันทึกการเชื่อมต่อ PEAK แล้ว"))
            return reverse("integrations:peak")

        try:
            return redirect(act_once(request, form, produce))
        except TaladError as exc:
            add_domain_error(form, exc)
    context = {
        "form": form,
        "connection": connection,
        "production_url": peak.PRODUCTION_URL,
        "uat_url": peak.UAT_URL,
    }
    return render(request, "integrations/peak.html", context, status=400 if form.errors else 200)


@require_POST
@shop_page("manage_peak")
def peak_test(request):
    connection = peak.peak_connection(request.shop)
    if connection is None:
        messages.error(request, _("ยังไม่ได้เชื่อมต่อ PEAK"))
    else:
        result = peak.check_peak_connection(connection=connection)
        (messages.success if result.ok else messages.error)(request, result.message)
    return redirect("integrations:peak")


# --- Webhooks -------------------------------------------------------------------------------


def _webhooks_page(request, form=None, *, secret=None, created=None, status=200):
    context = {
        "subscriptions": selectors.subscriptions(shop=request.shop),
        "form": form or WebhookForm(),
        "event_labels": EVENT_LABELS,
        "new_secret": secret,
        "created": created,
    }
    return render(request, "integrations/webhooks.html", context, status=status)


@shop_page("view_integrations")
def webhook_list(request):
    return _webhooks_page(request)


@require_POST
@shop_page("manage_webhooks")
def subscribe(request):
    """The secret is answered in this one page and kept nowhere but sealed on the row: the
    form token's replay record holds only the next URL."""
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _webhooks_page(request, form, status=400)
    made = {}

    def produce() -> str:
        made["sub"], made["secret"] = webhooks.subscribe(
            shop=request.shop,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            by=request.actor,
        )
        return reverse("integrations:webhooks")

    try:
        next_url = act_once(request, form, produce)
    except TaladError as exc:
        add_domain_error(form, exc)
        return _webhooks_page(request, form, status=400)
    if not made:  # a second click on the same form: made already, its secret shown then
        return redirect(next_url)
    return _webhooks_page(request, secret=made["secret"], created=made["sub"])


def _subscription(request, pk: int):
    try:
        return selectors.subscription(shop=request.shop, subscription_id=pk)
    except NotFound:
        raise Http404 from None


@require_POST
@shop_page("manage_webhooks")
def unsubscribe(request, pk: int):
    sub = _subscription(request, pk)
    webhooks.unsubscribe(subscription=sub, by=request.actor)
    messages.success(request, _("ลบ webhook %(u)s แล้ว") % {"u": sub.url})
    return redirect("integrations:webhooks")


@shop_page("view_integrations")
def deliveries(request, pk: int):
    sub = _subscription(request, pk)
    rows = selectors.outbox_page(
        shop=request.shop,
        subscription_id=sub.pk,
        before_id=page_cursor(request.GET.get("cursor")),
        limit=PAGE,
    )
    context = {
        "sub": sub,
        "rows": rows,
        "event_labels": EVENT_LABELS,
        "next_query": next_page_query(request.GET, rows, PAGE),
    }
    return render(request, "integrations/deliveries.html", context)


@require_POST
@shop_page("manage_webhooks")
def replay(request, pk: int, message_id: int):
    sub = _subscription(request, pk)
    message = _message(request, message_id)
    if message.payload.get("subscription_id") != sub.pk:
        raise Http404
    try:
        webhooks.replay(message=message, by=request.actor)
        messages.success(request, _("นำกลับเข้าคิวส่งแล้ว จะส่งอีกครั้งในไม่ช้า"))
    except TaladError as exc:
        messages.error(request, exc.message)
    return redirect("integrations:webhook", pk=sub.pk)
