"""New order from a chat: paste → fields filled, pick products with live stock, save.

The order is created by orders.services.create_order, the same service as the API."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talad.catalog.models import Variant
from talad.catalog.selectors import find_variants
from talad.channels.forms import NewOrderForm
from talad.channels.selectors import paste_catalogue
from talad.channels.smart_paste import parse_contact
from talad.errors import TaladError
from talad.forms import act_once, add_domain_error
from talad.inventory.selectors import available_to_sell
from talad.money import parse_amount
from talad.orders.contacts import normalise_phone
from talad.orders.customers import known_customer
from talad.orders.forms import posted_lines
from talad.orders.inputs import NewLines, NewOrder, read
from talad.orders.services import create_order, quote_order
from talad.shops.decorators import shop_page


@shop_page("manage_orders")
def new_order(request):
    form = NewOrderForm(request.POST or None)
    lines = posted_lines(request.POST) if request.method == "POST" else []
    line_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            return redirect(
                act_once(request, form, lambda: _create(request, form.cleaned_data, lines))
            )
        except TaladError as exc:
            if exc.code == "insufficient_stock" or any(
                path.startswith("lines") for path in exc.fields
            ):
                line_error = exc.message
            else:
                add_domain_error(form, exc)
    context = {"form": form, "lines": _line_rows(request.shop, lines), "line_error": line_error}
    context.update(_totals(request.shop, lines, form))
    return render(
        request, "channels/new_order.html", context, status=400 if request.method == "POST" else 200
    )


def _create(request, data: dict, lines: list[dict]) -> tuple[str, str]:
    customer = {
        "name": data["name"],
        "phone": data["phone"],
        "address": {
            "line": data["address_line"],
            "subdistrict": data["subdistrict"],
            "district": data["district"],
            "province": data["province"],
            "postcode": data["postcode"],
        },
        "tax_id": data["tax_id"].replace("-", "").replace(" ", ""),
        "branch_code": data["branch_code"],
    }
    new = read(
        NewOrder,
        {
            "channel": data["channel"],
            "customer": customer,
            "lines": lines,
            "payment_method": data["payment_method"],
            "shipping_fee": data["shipping_fee"] or 0,
            "discount": data["discount"] or 0,
            "note": data["note"],
        },
    )
    order, _created = create_order(shop=request.shop, by=request.actor, order=new)
    notice = _("ออเดอร์นี้บันทึกแล้ว: %(n)s (ไม่ได้สร้างซ้ำ)") % {"n": order.number}
    return reverse("orders:detail", args=[order.pk]), notice


def _line_rows(shop, lines: list[dict]) -> list[dict]:
    variants = {
        v.sku: v
        for v in Variant.objects.for_shop(shop)
        .select_related("product")
        .filter(sku__in=[li["sku"] for li in lines])
    }
    rows = []
    for line in lines:
        variant = variants.get(line["sku"])
        rows.append(
            {
                **line,
                "name": variant.display_name if variant else _("ไม่พบสินค้า"),
                "unit_price": line["unit_price"] or (variant.price if variant else ""),
                "available": available_to_sell(shop=shop, variant=variant) if variant else 0,
            }
        )
    return rows


def _totals(shop, lines: list[dict], form) -> dict:
    """Totals as saving will compute them (orders.services.quote_order); while the lines or
    amounts cannot be saved yet, no total is shown."""
    try:
        _priced, totals = quote_order(
            shop=shop,
            lines=read(NewLines, {"lines": lines}).lines,
            shipping_fee=parse_amount(form.data.get("shipping_fee") or 0, "shipping_fee"),
            discount=parse_amount(form.data.get("discount") or 0, "discount"),
        )
    except TaladError:
        return {"totals": None}
    return {"totals": totals}


@require_POST
@shop_page("manage_orders")
def parse(request):
    """The customer fields filled from the pasted chat text (an htmx fragment), with the
    products it asks for offered to add and the payment method set when the chat says it
    (both swapped out of band: they live further down the page)."""
    text = request.POST.get("chat_text", "")[:5000]
    parsed = parse_contact(text, paste_catalogue(shop=request.shop))
    initial = {field: getattr(parsed, field) for field in NewOrderForm.CUSTOMER_FIELDS}
    form = NewOrderForm(initial={**initial, "payment_method": parsed.payment_method})
    customer = None
    if parsed.phone:
        try:
            customer = known_customer(shop=request.shop, phone=normalise_phone(parsed.phone))
        except TaladError:
            customer = None
    context = {
        "form": form,
        "candidates": parsed.candidates,
        "customer": customer,
        "parsed": parsed,
        "raw_text": text,
    }
    proposed = _line_rows(
        request.shop,
        [{"sku": li.sku, "quantity": li.quantity, "unit_price": None} for li in parsed.lines],
    )
    for row, line in zip(proposed, parsed.lines, strict=True):
        row["said"] = line.said
    html = render_to_string("channels/new_order.html#customer", context, request)
    html += render_to_string(
        "channels/new_order.html#proposed", {"proposed": proposed, "oob": True}, request
    )
    if parsed.payment_method:
        html += render_to_string(
            "channels/new_order.html#payment", {"form": form, "oob": True}, request
        )
    return HttpResponse(html)


@shop_page("manage_orders")
def product_search(request):
    q = request.GET.get("q", "").strip()[:100]
    variants = find_variants(shop=request.shop, q=q)
    rows = [
        {"variant": v, "available": available_to_sell(shop=request.shop, variant=v)}
        for v in variants
    ]
    return render(request, "channels/new_order.html#picker", {"results": rows, "q": q})


@shop_page("manage_orders")
def line_row(request):
    sku = request.GET.get("sku", "")
    qty = request.GET.get("qty", "")  # a line proposed from the chat comes with its count
    quantity = int(qty) if qty.isdigit() and 0 < int(qty) <= 999 else 1
    rows = _line_rows(request.shop, [{"sku": sku, "quantity": quantity, "unit_price": None}])
    return render(request, "channels/new_order.html#line", {"line": rows[0]})


@require_POST
@shop_page("manage_orders")
def totals(request):
    form = NewOrderForm(request.POST)
    return render(
        request,
        "channels/new_order.html#totals",
        _totals(request.shop, posted_lines(request.POST), form),
    )
