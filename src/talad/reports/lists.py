"""The seller's lists: sales per product and per channel for a period (table, chart, xlsx) and
the returns list. Thin: parse the period, call the selectors, render."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from talad.orders.models import Channel
from talad.pagination import next_page_query, page_cursor
from talad.reports import forms
from talad.reports.charts import COLOURS, bars_svg
from talad.reports.exports import sales_xlsx
from talad.reports.returns import returns_page
from talad.reports.sales import sales_by_channel, sales_by_product
from talad.shops.decorators import shop_page

TOP_PRODUCTS_IN_CHART = 10
PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@shop_page("view_dashboard")
def sales(request):
    form = forms.PeriodForm(request.GET)
    context = {"form": form}
    if form.is_valid():
        period = {k: form.cleaned_data[k] for k in ("date_from", "date_to")}
        products = sales_by_product(shop=request.shop, **period)
        channels = sales_by_channel(shop=request.shop, **period)
        names = dict(Channel.choices)
        context.update(
            period=period,
            products=products,
            channels=channels,
            channel_names=names,
            total=sum((c.sales for c in channels), start=0),
            order_count=sum(c.orders for c in channels),
            export_query=request.GET.urlencode(),
            product_chart=mark_safe(
                bars_svg(
                    [(p.name, p.sales, "#0b7a53") for p in products[:TOP_PRODUCTS_IN_CHART]],
                    title=_("ยอดขายตามสินค้า"),
                )
            ),
            channel_chart=mark_safe(
                bars_svg(
                    [(str(names[c.channel]), c.sales, COLOURS[c.channel]) for c in channels],
                    title=_("ยอดขายตามช่องทาง"),
                )
            ),
        )
    return render(request, "reports/sales.html", context, status=400 if form.errors else 200)


@shop_page("view_dashboard")
def sales_export(request):
    form = forms.PeriodForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/sales.html", {"form": form}, status=400)
    period = {k: form.cleaned_data[k] for k in ("date_from", "date_to")}
    content = sales_xlsx(
        shop_name=request.shop.name,
        products=sales_by_product(shop=request.shop, **period),
        channels=sales_by_channel(shop=request.shop, **period),
        **period,
    )
    response = HttpResponse(content, content_type=XLSX)
    name = f"sales-{period['date_from']}-{period['date_to']}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@shop_page("view_dashboard")
def returns(request):
    form = forms.ReturnFilters(request.GET)
    rows, next_query = [], None
    if form.is_valid():
        f = form.cleaned_data
        rows = returns_page(
            shop=request.shop,
            status=f.get("status") or None,
            date_from=f.get("date_from"),
            date_to=f.get("date_to"),
            before_id=page_cursor(f.get("cursor")),
            limit=PAGE,
        )
        next_query = next_page_query(request.GET, [r.order for r in rows], PAGE)
    context = {"form": form, "rows": rows, "next_query": next_query}
    return render(request, "reports/returns.html", context, status=400 if form.errors else 200)
