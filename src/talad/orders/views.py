"""The order desk and the order page. Thin: parse, call one service or selector, render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talad.dates import local_day_start
from talad.errors import NotFound, TaladError
from talad.forms import act_once, add_domain_error
from talad.orders import forms, selectors, services, stuck
from talad.orders.actions import capability_for
from talad.orders.carriers import carrier_choices
from talad.orders.corrections import CORRECTABLE, correct_order
from talad.orders.inputs import OrderCorrection, read
from talad.orders.models import PaymentMethod, Status
from talad.orders.state_machine import ACTIONS, allowed_actions
from talad.orders.timeline import timeline
from talad.pagination import next_page_query, page_cursor
from talad.shops.decorators import shop_page
from talad.shops.permissions import can

PAGE = 50
ACTION_LABELS = {
    "pay": gettext_lazy("ยืนยันการชำระเงิน"),
    "confirm_cod": gettext_lazy("ยืนยันออเดอร์เก็บเงินปลายทาง"),
    "pack": gettext_lazy("แพ็คสินค้า"),
    "ship": gettext_lazy("จัดส่ง"),
    "deliver": gettext_lazy("ลูกค้าได้รับแล้ว"),
    "fail_delivery": gettext_lazy("จัดส่งไม่สำเร็จ"),
    "cancel": gettext_lazy("ยกเลิกออเดอร์"),
    "receive_return": gettext_lazy("รับสินค้าตีกลับ"),
}


@shop_page("view_orders")
def desk(request):
    filters = forms.DeskFilters(request.GET)
    filters.is_valid()
    f = getattr(filters, "cleaned_data", {})
    status = f.get("status") if f.get("status") in Status.values else None
    before_id = page_cursor(f.get("cursor"))
    rows = selectors.orders_page(
        shop=request.shop,
        status=status,
        channel=f.get("channel") or None,
        payment_status=f.get("payment_status") or None,
        created_from=local_day_start(f.get("created_from")),
        created_to=local_day_start(f.get("created_to"), next_day=True),
        q=f.get("q"),
        before_id=before_id,
        limit=PAGE,
    )
    counts = selectors.order_counts(shop=request.shop)
    next_query = next_page_query(request.GET, rows, PAGE)
    tabs = [("", _("ทั้งหมด"), sum(counts.values()))] + [
        (v, label, counts[v]) for v, label in Status.choices
    ]
    context = {
        "filters": filters,
        "rows": rows,
        "tabs": tabs,
        "status": status or "",
        "next_query": next_query,
        "bulk_actions": [
            (a, ACTION_LABELS[a]) for a in ACTIONS if a not in ("pay", "ship", "receive_return")
        ],
        "base_query": _without(request.GET, "status", "cursor"),
        "customers": selectors.customers_matching(shop=request.shop, q=f.get("q"))
        if f.get("q") and not before_id
        else [],
    }
    template = (
        "orders/desk.html#rows"
        if request.htmx and request.GET.get("cursor")
        else "orders/desk.html"
    )
    return render(request, template, context)


def _without(querydict, *keys) -> str:
    q = querydict.copy()
    for key in keys:
        q.pop(key, None)
    return q.urlencode()


@require_POST
@shop_page("manage_orders")
def bulk(request):
    ids = [int(x) for x in request.POST.getlist("order_ids") if x.isdigit()]
    action = request.POST.get("action", "")
    if not ids or action not in ACTIONS:
        messages.error(request, _("เลือกออเดอร์และคำสั่งก่อน"))
        return redirect("orders:desk")
    if action == "cancel" and not request.POST.get("reason", "").strip():
        # Refused once for the whole selection, not once per order on the results page.
        messages.error(request, _("กรอกเหตุผลที่ยกเลิกก่อน"))
        return redirect("orders:desk")
    data = {"reason": request.POST.get("reason", "").strip()} if request.POST.get("reason") else {}
    results = services.bulk_transition(
        shop=request.shop, order_ids=ids, action=action, by=request.actor, data=data
    )
    return render(
        request, "orders/bulk_result.html", {"results": results, "action": ACTION_LABELS[action]}
    )


@shop_page("view_orders")
def detail(request, pk: int):
    order = _order(request, pk)
    return render(request, "orders/detail.html", _detail_context(request, order))


def _order(request, pk: int):
    try:
        return selectors.order_detail(shop=request.shop, order_id=pk)
    except NotFound:
        raise Http404 from None


def _offered_actions(order) -> list[str]:
    """What the order page offers: a COD order waits for confirm_cod, not for a payment."""
    return [a for a in allowed_actions(order.status) if not (a == "pay" and order.is_cod)]


def _detail_context(request, order, bound: dict | None = None) -> dict:
    forms_by_action = {a: _action_form(a, order) for a in _offered_actions(order)}
    forms_by_action.update(bound or {})
    actions = [
        {"name": a, "label": ACTION_LABELS[a], "form": f}
        for a, f in forms_by_action.items()
        if can(request.actor.role, capability_for(a))
    ]
    can_correct = order.status in CORRECTABLE and can(request.actor.role, "manage_orders")
    return {
        "order": order,
        "actions": actions,
        "timeline": timeline(order),
        "can_correct": can_correct,
    }


def _action_form(action: str, order, data=None, files=None):
    if action == "pay":
        return forms.PayForm(data, files, initial={"amount": order.total})
    if action == "ship":
        return forms.ShipForm(data, carriers=carrier_choices(order.shop))
    if action == "cancel":
        return forms.CancelForm(data)
    if action == "fail_delivery":
        return forms.FailDeliveryForm(data)
    if action == "receive_return":
        return forms.ReturnForm(data, lines=list(order.lines.all()))
    return forms.PlainActionForm(data)


@require_POST
@shop_page("view_orders")
def act(request, pk: int, action: str):
    order = _order(request, pk)
    if action not in ACTIONS:
        raise Http404
    form = _action_form(action, order, request.POST, request.FILES)
    if form.is_valid():
        data = {
            k: v for k, v in form.cleaned_data.items() if k != "form_token" and v not in (None, "")
        }
        if action == "receive_return":
            data = {"lines": form.return_lines()}

        def apply() -> str:
            services.transition(order=order, action=action, by=request.actor, **data)
            messages.success(request, _("%(a)s: เรียบร้อย") % {"a": ACTION_LABELS[action]})
            return reverse("orders:detail", args=[order.pk])

        try:
            return redirect(act_once(request, form, apply))
        except TaladError as exc:
            add_domain_error(form, exc)
    order = _order(request, pk)
    context = _detail_context(
        request, order, bound={action: form} if action in allowed_actions(order.status) else {}
    )
    context["open_action"] = action
    if action not in allowed_actions(order.status):
        messages.error(request, _("ออเดอร์นี้อยู่ในสถานะที่ทำรายการนี้ไม่ได้แล้ว"))
    return render(request, "orders/detail.html", context, status=400)


@shop_page("manage_settings")
def stuck_limits(request):
    current = stuck.limits_for(request.shop)
    initial = {
        f"{status}_hours": int(limit.total_seconds() // 3600) for status, limit in current.items()
    }
    initial["cod_unremitted_hours"] = stuck.cod_unremitted_hours(request.shop)
    form = forms.StuckLimitsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_stuck_limits(shop=request.shop, hours=form.cleaned_data, by=request.actor)
        except TaladError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("บันทึกเกณฑ์ออเดอร์ค้างแล้ว"))
            return redirect("orders:stuck_limits")
    return render(
        request, "orders/stuck_limits.html", {"form": form}, status=400 if form.errors else 200
    )


@shop_page("manage_orders")
def correct(request, pk: int):
    """Correct the recipient, lines, amounts and payment method of an order not packed yet."""
    order = _order(request, pk)
    form = forms.CorrectOrderForm(
        request.POST or None,
        initial=_correction_initial(order),
        paid_by_platform=order.payment_method == PaymentMethod.MARKETPLACE,
    )
    if request.method == "POST":
        lines = forms.posted_lines(request.POST)
    else:
        lines = [
            {"sku": li.sku, "quantity": li.quantity, "unit_price": f"{li.unit_price:.2f}"}
            for li in order.lines.all()
        ]
    if request.method == "POST" and form.is_valid():

        def apply() -> str:
            changes = read(OrderCorrection, form.correction(lines))
            correct_order(order=order, changes=changes, by=request.actor)
            messages.success(request, _("แก้ไขออเดอร์ %(n)s แล้ว") % {"n": order.number})
            return reverse("orders:detail", args=[order.pk])

        try:
            return redirect(act_once(request, form, apply))
        except TaladError as exc:
            add_domain_error(form, exc)
    context = {"order": order, "form": form, "lines": lines, "blank_rows": range(3)}
    status = 400 if request.method == "POST" else 200
    return render(request, "orders/correct.html", context, status=status)


def _correction_initial(order) -> dict:
    return {
        "name": order.customer_name,
        "phone": order.customer_phone,
        "address_line": order.address_line,
        "subdistrict": order.subdistrict,
        "district": order.district,
        "province": order.province,
        "postcode": order.postcode,
        "tax_id": order.customer_tax_id,
        "branch_code": order.customer_branch_code,
        "payment_method": order.payment_method,
        "shipping_fee": order.shipping_fee,
        "discount": order.discount,
        "note": order.note,
    }
