"""The order desk's marketplace import page: upload → preview (a dry run) → apply, and the
shop's SKU mappings (docs/design/marketplaces.md#where).

Thin: the same services as `talad import-orders` and POST /api/v1/imports/orders. Between
the preview and the apply the uploaded bytes wait in the seller's session, keyed by shop and
a random upload id (at most tabular.MAX_BYTES, as the carrier imports do); the apply runs
once per form token (act_once), so a double click imports the file once. Mapping an unmapped
SKU from the preview saves the mapping and previews the same stored file again.
"""

import base64
import uuid

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from talad.catalog.models import Variant
from talad.channels.imports.apply import import_orders
from talad.channels.imports.readers import FORMATS
from talad.channels.imports.report import ImportReport
from talad.channels.imports.skus import forget_sku, map_sku, sku_mappings
from talad.errors import NotFound, TaladError
from talad.forms import OnceForm, act_once, add_domain_error
from talad.orders.models import Channel, Status
from talad.shops.decorators import shop_page
from talad.tabular import (
    MAX_BYTES,
    FileTooLarge,
    read_upload,
    refuse_large_body,
    request_body_length,
)

FORMAT_LABELS = {
    "shopee": "Shopee",
    "lazada": "Lazada",
    "tiktok": "TikTok Shop",
    "csv": gettext_lazy("ไฟล์ CSV ของ Talad"),
}
OUTCOME_LABELS = {
    "created": gettext_lazy("สร้างออเดอร์"),
    "updated": gettext_lazy("อัปเดตสถานะ"),
    "unchanged": gettext_lazy("ไม่เปลี่ยน"),
    "skipped": gettext_lazy("ข้าม"),
    "error": gettext_lazy("ผิดพลาด"),
}


class UploadForm(forms.Form):
    format = forms.ChoiceField(
        label=gettext_lazy("ไฟล์จาก"), choices=[(f, FORMAT_LABELS.get(f, f)) for f in FORMATS]
    )
    file = forms.FileField(
        label=gettext_lazy("ไฟล์ส่งออกคำสั่งซื้อ (xlsx หรือ CSV)"), allow_empty_file=True
    )
    backorder = forms.BooleanField(label=gettext_lazy("นำเข้าแม้สต๊อกไม่พอ (ค้างส่ง)"), required=False)


class ApplyForm(OnceForm):
    upload = forms.CharField(widget=forms.HiddenInput, max_length=32)


class MapForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)
    channel = forms.ChoiceField(choices=Channel.choices)
    marketplace_sku = forms.CharField(max_length=100)
    sku = forms.CharField(max_length=64)


def _upload_key(request, upload_id: str) -> str:
    return f"talad.import.orders.{request.shop.pk}.{upload_id}"


def _report_key(request, report_id: str) -> str:
    return f"talad.import.orders.{request.shop.pk}.report.{report_id}"


def _page(request, context: dict, status: int = 200):
    context.setdefault("upload_form", UploadForm())
    for name in ("report", "preview", "error", "map_error", "upload_id", "file_name"):
        context.setdefault(name, "")
    context.update(
        outcome_labels=OUTCOME_LABELS,
        status_labels=dict(Status.choices),
        channel_labels=dict(Channel.choices),
        shop_skus=_shop_skus(request.shop),
        max_mb=MAX_BYTES // (1024 * 1024),
    )
    return render(request, "channels/import_orders.html", context, status=status)


def _shop_skus(shop) -> list[tuple[str, str]]:
    """(SKU, name) of every sellable variant, for the "map to…" selects."""
    variants = Variant.objects.for_shop(shop).filter(active=True).select_related("product")
    return [(v.sku, v.display_name) for v in variants.order_by("sku")]


def _preview(request, upload_id: str, saved: dict, status: int = 200, **extra):
    report = import_orders(
        shop=request.shop,
        by=request.actor,
        format=saved["format"],
        content=base64.b64decode(saved["content"]),
        filename=saved["name"],
        dry_run=True,
        backorder=saved["backorder"],
    )
    context = {
        "preview": _shown(report),
        "file_name": saved["name"],
        "upload_id": upload_id,
        "apply_form": ApplyForm(initial={"upload": upload_id}),
        **extra,
    }
    return _page(request, context, status=status)


def _shown(report: ImportReport) -> dict:
    data = report.as_dict()
    data["ready"] = data["counts"]["created"] + data["counts"]["updated"]
    return data


def _limited(request):
    """An upload larger than allowed is refused before any of it is read (or spooled)."""
    if request.method == "POST":
        try:
            refuse_large_body(request_body_length(request))
        except FileTooLarge as exc:
            return _page(request, {"error": exc.message}, status=exc.status)
    return _import_page(request)


@csrf_protect
def _import_page(request):
    """GET: the upload form, or the report of an apply (?report=). POST: upload → preview."""
    if request.method != "POST":
        report_id = request.GET.get("report", "")
        report = request.session.get(_report_key(request, report_id)) if report_id else None
        return _page(request, {"report": report} if report else {})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, {"upload_form": form}, status=400)
    upload = form.cleaned_data["file"]
    saved = {
        "name": (upload.name or "")[:255],
        "format": form.cleaned_data["format"],
        "backorder": form.cleaned_data["backorder"],
    }
    try:
        saved["content"] = base64.b64encode(read_upload(upload)).decode("ascii")
        upload_id = uuid.uuid4().hex
        response = _preview(request, upload_id, saved)
    except TaladError as exc:
        add_domain_error(form, exc)
        return _page(request, {"upload_form": form}, status=exc.status)
    request.session[_upload_key(request, upload_id)] = saved
    return response


@csrf_exempt  # checked in _import_page, once the body's size is: CSRF's check reads it all
@shop_page("manage_orders")
def import_orders_page(request):
    return _limited(request)


@require_POST
@shop_page("manage_orders")
def import_orders_apply(request):
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return redirect("imports:orders")
    upload_id = form.cleaned_data["upload"]
    key = _upload_key(request, upload_id)

    def produce() -> str:
        saved = request.session.get(key)
        if saved is None:
            raise TaladError(_("ไม่พบไฟล์ที่อัปโหลด: อัปโหลดใหม่อีกครั้ง"), fields={"file": "expired"})
        report = import_orders(
            shop=request.shop,
            by=request.actor,
            format=saved["format"],
            content=base64.b64decode(saved["content"]),
            filename=saved["name"],
            backorder=saved["backorder"],
        )
        request.session[_report_key(request, upload_id)] = {
            **_shown(report),
            "file_name": saved["name"],
        }
        request.session.pop(key, None)
        return f"{reverse('imports:orders')}?report={upload_id}"

    try:
        return redirect(act_once(request, form, produce))
    except TaladError as exc:
        return _page(request, {"error": exc.message}, status=exc.status)


@require_POST
@shop_page("manage_orders")
def map_sku_page(request):
    """Save one mapping; from the preview, preview the same file again with it."""
    form = MapForm(request.POST)
    upload_id = request.POST.get("upload", "")
    saved = request.session.get(_upload_key(request, upload_id)) if upload_id else None
    error = ""
    if form.is_valid():
        try:
            map_sku(
                shop=request.shop,
                by=request.actor,
                channel=form.cleaned_data["channel"],
                marketplace_sku=form.cleaned_data["marketplace_sku"],
                sku=form.cleaned_data["sku"],
            )
        except TaladError as exc:
            error = exc.message
    else:
        error = _("เลือกสินค้าที่จะจับคู่")
    if saved is None:
        if error:
            return _mappings_page(request, error=error, status=400)
        return redirect("imports:skus")
    return _preview(request, upload_id, saved, status=400 if error else 200, map_error=error)


@shop_page("manage_orders")
def sku_mappings_page(request):
    return _mappings_page(request)


def _mappings_page(request, *, error: str = "", status: int = 200):
    context = {
        "mappings": sku_mappings(shop=request.shop),
        "shop_skus": _shop_skus(request.shop),
        "channels": Channel.choices,
        "channel_labels": dict(Channel.choices),
        "error": error,
    }
    return render(request, "channels/sku_mappings.html", context, status=status)


@require_POST
@shop_page("manage_orders")
def forget_sku_page(request, mapping_id: int):
    try:
        forget_sku(shop=request.shop, by=request.actor, mapping_id=mapping_id)
    except NotFound:
        raise Http404 from None  # another shop's mapping, or one already forgotten
    return redirect("imports:skus")
