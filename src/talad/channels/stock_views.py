"""Stock to sell per channel on the web (/stock/channels/): each channel's safety buffer and
a download of the file its mass-update upload takes. Thin: channels.stock_export."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talad.channels import stock_export
from talad.channels.stock_api import CSV, XLSX
from talad.errors import TaladError
from talad.forms import add_domain_error
from talad.orders.models import MARKETPLACES, Channel
from talad.shops.decorators import shop_page
from talad.shops.permissions import can


class BufferForm(forms.Form):
    units = forms.IntegerField(
        label=_("กันสต๊อกไว้ (ชิ้นต่อ SKU)"), min_value=0, max_value=stock_export.MAX_BUFFER
    )


def _channels() -> list[tuple[str, str]]:
    """The marketplaces first (they have upload layouts), then the shop's other channels."""
    ordered = [c for c in Channel if c in MARKETPLACES] + [
        c for c in Channel if c not in MARKETPLACES
    ]
    return [(c.value, c.label) for c in ordered]


@shop_page("browse_stock")
def stock_to_sell(request):
    return _page(request)


def _page(request, *, status: int = 200, bound: tuple | None = None):
    buffers = stock_export.stock_buffers(shop=request.shop)
    rows = []
    for code, label in _channels():
        layout = stock_export.layout_for(code)
        form = (
            bound[1]
            if bound and bound[0] == code
            else BufferForm(initial={"units": buffers.get(code, 0)})
        )
        rows.append(
            {
                "code": code,
                "label": label,
                "buffer": buffers.get(code, 0),
                "columns": f"{layout.sku}, {layout.quantity}",
                "form": form,
            }
        )
    context = {"channels": rows, "can_change": can(request.actor.role, "change_stock")}
    return render(request, "channels/stock_to_sell.html", context, status=status)


@require_POST
@shop_page("change_stock")
def set_buffer(request, channel: str):
    if channel not in Channel.values:
        raise Http404
    form = BufferForm(request.POST)
    if form.is_valid():
        try:
            stock_export.set_stock_buffer(
                shop=request.shop,
                by=request.actor,
                channel=channel,
                units=form.cleaned_data["units"],
            )
            messages.success(request, _("บันทึกจำนวนที่กันไว้แล้ว"))
            return redirect(reverse("channel_stock:index") + f"#channel-{channel}")
        except TaladError as exc:
            add_domain_error(form, exc)
    return _page(request, status=400, bound=(channel, form))


@shop_page("browse_stock")
def download(request, channel: str, fmt: str):
    if channel not in Channel.values:
        raise Http404
    rows = stock_export.stock_to_sell(shop=request.shop, channel=channel)
    layout = stock_export.layout_for(channel)
    if fmt == "xlsx":
        content, content_type = stock_export.stock_xlsx(rows, layout), XLSX
    else:
        content, content_type = stock_export.stock_csv(rows, layout), CSV
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="stock-{channel}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
