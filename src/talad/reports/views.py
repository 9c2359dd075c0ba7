from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from talad.integrations.selectors import failed_messages_count
from talad.inventory.selectors import low_stock
from talad.orders.models import Channel, Status
from talad.orders.selectors import order_counts
from talad.orders.stuck import stuck_orders
from talad.reports.charts import COLOURS, sales_chart_svg
from talad.reports.selectors import sales_by_day_and_channel, today_by_channel
from talad.shops.decorators import shop_page
from talad.shops.permissions import can

DAYS = 30


@shop_page("view_dashboard")
def dashboard(request):
    shop = request.shop
    today = timezone.localdate()
    days = sales_by_day_and_channel(shop=shop, days=DAYS, today=today)
    counts = order_counts(shop=shop)
    context = {
        "counts": [(value, label, counts[value]) for value, label in Status.choices],
        "stuck": stuck_orders(shop=shop, limit=20),
        "today": today_by_channel(days, today),
        "channel_labels": dict(Channel.choices),
        "low_stock": low_stock(shop=shop, limit=20),
        "chart": mark_safe(sales_chart_svg(days, days=DAYS, today=today)),
        "legend": [(label, COLOURS[value]) for value, label in Channel.choices],
        "failed_deliveries": (
            failed_messages_count(shop=shop) if can(request.actor.role, "view_integrations") else 0
        ),
    }
    return render(request, "reports/dashboard.html", context)
