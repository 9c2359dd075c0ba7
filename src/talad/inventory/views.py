"""The stock pages: levels, one SKU with its ledger, and the receive / adjust / count forms.

Thin: parse, call one service or selector, render. A SKU travels as a query parameter or a
form field, never in the path, so any SKU the catalogue accepts has a working page.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talad.catalog.selectors import variant_by_sku
from talad.dates import local_day_start
from talad.errors import NotFound, TaladError
from talad.forms import act_once, add_domain_error
from talad.inventory import selectors, services
from talad.inventory.forms import STOCK_FORMS, LedgerFilters, StockFilters
from talad.inventory.models import MovementKind, PaidBy
from talad.pagination import next_page_query, page_cursor
from talad.shops.decorators import shop_page
from talad.shops.permissions import can

PAGE = 50
ACTION_LABELS = {
    "receive": gettext_lazy("รับสินค้าเข้า"),
    "adjust": gettext_lazy("ปรับสต๊อก"),
    "count": gettext_lazy("นับสต๊อก"),
}


@shop_page("browse_stock")
def levels(request):
    filters = StockFilters(request.GET)
    filters.is_valid()
    f = getattr(filters, "cleaned_data", {})
    lines = selectors.stock_page(
        shop=request.shop,
        q=f.get("q") or None,
        low_only=bool(f.get("low")),
        after_sku=f.get("after") or None,
        limit=PAGE,
    )
    next_query = None
    if len(lines) == PAGE:
        query = request.GET.copy()
        query["after"] = lines[-1].variant.sku
        next_query = query.urlencode()
    context = {
        "filters": filters,
        "lines": lines,
        "next_query": next_query,
        "warehouse_names": selectors.warehouse_names(shop=request.shop),
    }
    template = (
        "inventory/levels.html#lines"
        if request.htmx and request.GET.get("after")
        else "inventory/levels.html"
    )
    return render(request, template, context)


@shop_page("browse_stock")
def sku_page(request):
    variant = _variant(request, request.GET.get("sku", ""))
    context = _sku_context(request, variant)
    if request.htmx and request.GET.get("cursor"):
        return render(request, "inventory/sku.html#ledger_rows", context)
    return render(request, "inventory/sku.html", context)


@require_POST
@shop_page("change_stock")
def act(request, action: str):
    form = STOCK_FORMS[action](request.POST, prefix=action)
    variant = _variant(request, request.POST.get(f"{action}-sku", ""))
    if form.is_valid():
        data = form.cleaned_data

        def apply() -> str:
            _apply(request, action, variant.sku, data)
            messages.success(
                request,
                _("%(a)s %(sku)s: เรียบร้อย") % {"a": ACTION_LABELS[action], "sku": variant.sku},
            )
            return sku_url(variant.sku)

        try:
            return redirect(act_once(request, form, apply))
        except TaladError as exc:
            add_domain_error(form, exc)
    context = _sku_context(request, variant, bound={action: form})
    context["open_action"] = action
    return render(request, "inventory/sku.html", context, status=400)


def _apply(request, action: str, sku: str, data: dict) -> None:
    common = {"shop": request.shop, "sku": sku, "by": request.actor}
    if action == "receive":
        services.receive_stock(
            **common,
            quantity=data["quantity"],
            unit_cost=data["unit_cost"],
            reason=data["reason"],
            paid_by=data["paid_by"] or PaidBy.CREDIT,
            supplier=data["supplier"],
            purchase_reference=data["purchase_reference"],
        )
    elif action == "adjust":
        services.adjust_stock(
            **common, quantity_delta=data["quantity_delta"], reason=data["reason"]
        )
    else:
        services.count_stock(**common, counted=data["counted"])


def sku_url(sku: str) -> str:
    return f"{reverse('inventory:sku')}?{urlencode({'sku': sku})}"


def _variant(request, sku: str):
    """The SKU of the current shop, or 404: another shop's SKU looks exactly like a missing one."""
    try:
        return variant_by_sku(shop=request.shop, sku=sku.strip())
    except NotFound:
        raise Http404 from None


def _sku_context(request, variant, bound: dict | None = None) -> dict:
    filters = LedgerFilters(request.GET)
    filters.is_valid()
    f = getattr(filters, "cleaned_data", {})
    before_id = page_cursor(f.get("cursor"))
    movements = selectors.movements_page(
        shop=request.shop,
        sku=variant.sku,
        kind=f.get("kind") or None,
        created_from=local_day_start(f.get("date_from")),
        created_to=local_day_start(f.get("date_to"), next_day=True),
        before_id=before_id,
        limit=PAGE,
    )
    next_query = next_page_query(request.GET, movements, PAGE)
    stock_forms = {}
    if can(request.actor.role, "change_stock") and not variant.is_bundle:
        stock_forms = {
            name: form_class(prefix=name, initial={"sku": variant.sku})
            for name, form_class in STOCK_FORMS.items()
        }
        stock_forms.update(bound or {})
    return {
        "variant": variant,
        "rows": selectors.stock_rows(shop=request.shop, sku=variant.sku),
        "warehouse_names": selectors.warehouse_names(shop=request.shop),
        "stock_forms": [
            {
                "name": name,
                "label": ACTION_LABELS[name],
                "form": form,
                "url": reverse(f"inventory:{name}"),
            }
            for name, form in stock_forms.items()
        ],
        "filters": filters,
        "movements": movements,
        "kinds": dict(MovementKind.choices),
        "next_query": next_query,
        "filter_query": urlencode({"sku": variant.sku}),
    }
