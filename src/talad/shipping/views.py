"""Warehouse screens: printing the paper for selected orders, and scan-to-pack.

Scan-to-pack keeps the packer's counts on the server, in the session, per shop and order:
each scan is one htmx POST that answers with the whole panel (or the full page without
JavaScript), and packing counts again against the database before it packs.
"""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from talad.errors import NotFound, TaladError
from talad.orders.models import Order, Status
from talad.shipping import packing
from talad.shipping.labels import LAYOUTS, labels_document, parse_order_ids
from talad.shipping.picklists import packing_slips_document, pick_list_document
from talad.shipping.print_api import pdf_response
from talad.shipping.registry import active_carriers
from talad.shops.decorators import shop_page

PACK = "pack_orders"


# --- Printing ------------------------------------------------------------------------------


def _print(request, make, name: str) -> HttpResponse:
    try:
        ids = parse_order_ids(request.GET.getlist("order_ids"))
        return pdf_response(make(ids), name)
    except NotFound:
        raise Http404 from None
    except TaladError as exc:
        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")


@require_GET
@shop_page(PACK)
def print_labels(request):
    layout = request.GET.get("layout") or "label"
    if layout not in LAYOUTS:
        layout = "label"
    return _print(
        request,
        lambda ids: labels_document(shop=request.shop, order_ids=ids, layout=layout),
        "labels",
    )


@require_GET
@shop_page(PACK)
def print_pick_list(request):
    return _print(
        request, lambda ids: pick_list_document(shop=request.shop, order_ids=ids), "pick-list"
    )


@require_GET
@shop_page(PACK)
def print_packing_slips(request):
    return _print(
        request,
        lambda ids: packing_slips_document(shop=request.shop, order_ids=ids),
        "packing-slips",
    )


# --- Scan to pack --------------------------------------------------------------------------


def _key(request, order_id: int) -> str:
    return f"talad.pack.{request.shop.pk}.{order_id}"


def _saved(request, order_id: int) -> dict:
    return request.session.get(_key(request, order_id)) or {}


def _save(request, order_id: int, **changes) -> None:
    state = {**_saved(request, order_id), **changes}
    request.session[_key(request, order_id)] = state


def _forget(request, order_id: int) -> None:
    request.session.pop(_key(request, order_id), None)


def _order(request, pk: int) -> Order:
    order = Order.objects.for_shop(request.shop).filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


def _panel(request, *, order=None, message="", refused=False, done=None, status=200):
    """The pack screen: the order being packed (its box and counts), or the order scan."""
    context = {
        "message": message,
        "refused": refused,
        "done": done,
        "carriers": list(active_carriers(request.shop).values()),
    }
    if order is not None:
        saved = _saved(request, order.pk)
        box = packing.box_for(order, saved.get("counts"))
        context.update(
            order=order,
            box=box,
            carrier=saved.get("carrier") or order.carrier,
            tracking=saved.get("tracking") or order.tracking_number,
        )
    template = "shipping/pack.html#panel" if request.htmx else "shipping/pack.html"
    # htmx swaps only 2xx answers: a refusal is still the panel, shown loudly.
    return render(request, template, context, status=200 if request.htmx else status)


@shop_page(PACK)
def pack(request):
    """The screen, empty (scan an order) or with ?order=<id> open."""
    order_id = request.GET.get("order", "")
    if order_id.isdigit():
        order = _order(request, int(order_id))
        if order.status == Status.TO_PACK:
            return _panel(request, order=order)
    return _panel(request)


@require_POST
@shop_page(PACK)
def pack_find(request):
    try:
        order = packing.find_order_to_pack(shop=request.shop, code=request.POST.get("code", ""))
    except TaladError as exc:
        return _panel(request, message=exc.message, refused=True, status=exc.status)
    if not request.htmx:
        return redirect(f"{reverse('shipping:pack')}?order={order.pk}")
    return _panel(request, order=order)


@require_POST
@shop_page(PACK)
def pack_scan(request, pk: int):
    order = _order(request, pk)
    if order.status != Status.TO_PACK:
        return _not_packable(request, order)
    box = packing.box_for(order, _saved(request, pk).get("counts"))
    try:
        item = packing.scan_item(box, request.POST.get("code", ""))
    except TaladError as exc:
        return _panel(request, order=order, message=exc.message, refused=True, status=exc.status)
    _save(request, pk, counts={str(k): v for k, v in box.counts().items()})
    if box.complete:
        return _complete(request, order)
    message = _("%(sku)s ✓ (%(n)s/%(of)s)") % {
        "sku": item.sku,
        "n": item.scanned,
        "of": item.expected,
    }
    return _panel(request, order=order, message=message)


@require_POST
@shop_page(PACK)
def pack_tracking(request, pk: int):
    order = _order(request, pk)
    if order.status != Status.TO_PACK:
        return _not_packable(request, order)
    if not request.POST.get("tracking_number", "").strip():
        _save(request, pk, carrier="", tracking="")
        return _panel(request, order=order, message=_("ไม่ใส่เลขพัสดุ: แพ็คแล้วรอส่ง"))
    try:
        carrier, tracking = packing.clean_tracking(
            shop=request.shop,
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
        )
    except TaladError as exc:
        return _panel(request, order=order, message=exc.message, refused=True, status=400)
    _save(request, pk, carrier=carrier, tracking=tracking)
    return _panel(request, order=order, message=_("บันทึกเลขพัสดุแล้ว: จัดส่งทันทีเมื่อแพ็คเสร็จ"))


@require_POST
@shop_page(PACK)
def pack_reset(request, pk: int):
    order = _order(request, pk)
    _save(request, pk, counts={})
    return _panel(request, order=order, message=_("เริ่มนับใหม่แล้ว"))


@require_POST
@shop_page(PACK)
def pack_complete(request, pk: int):
    order = _order(request, pk)
    if order.status != Status.TO_PACK:
        return _not_packable(request, order)
    return _complete(request, order)


def _complete(request, order: Order):
    saved = _saved(request, order.pk)
    try:
        done = packing.pack_scanned_order(
            order=order,
            counts=saved.get("counts") or {},
            by=request.actor,
            carrier=saved.get("carrier", ""),
            tracking_number=saved.get("tracking", ""),
        )
    except TaladError as exc:
        return _panel(request, order=order, message=exc.message, refused=True, status=exc.status)
    _forget(request, order.pk)
    message = _("แพ็คเรียบร้อย %(number)s → %(status)s") % {
        "number": done.number,
        "status": done.get_status_display(),
    }
    return _panel(request, message=message, done=done)


def _not_packable(request, order: Order):
    _forget(request, order.pk)
    message = _("ออเดอร์ %(number)s อยู่ในสถานะ “%(status)s” จึงแพ็คไม่ได้") % {
        "number": order.number,
        "status": order.get_status_display(),
    }
    return _panel(request, message=message, refused=True, status=409)
