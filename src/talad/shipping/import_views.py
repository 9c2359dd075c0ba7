"""Importing carriers' files on the web: tracking numbers (preview → apply) and parcel statuses.

Thin: the same services as /api/v1/shipments/tracking-import and /status-import. The uploaded
bytes wait in the session between the preview and the apply (at most tabular.MAX_BYTES), and
the apply runs once per form token (act_once): a double click applies the file once. The
per-row report of an apply is kept in the session so the page after the redirect can show it.
"""

import base64
import uuid
from datetime import datetime

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from talad.errors import TaladError
from talad.forms import OnceForm, act_once, add_domain_error
from talad.orders.actions import CAPABILITY
from talad.shipping.models import ShipmentStatus
from talad.shipping.registry import carriers_for
from talad.shipping.status_import import import_statuses
from talad.shipping.tracking_import import import_tracking
from talad.shops.decorators import shop_page
from talad.tabular import (
    MAX_BYTES,
    FileTooLarge,
    read_upload,
    refuse_large_body,
    request_body_length,
)

KINDS = {
    "tracking": {
        "service": import_tracking,
        "capability": CAPABILITY["ship"],
        "template": "shipping/import_tracking.html",
        "page": "shipping:import_tracking",
    },
    "status": {
        "service": import_statuses,
        "capability": "manage_orders",
        "template": "shipping/import_status.html",
        "page": "shipping:import_status",
    },
}
RESULT_LABELS = {
    "ready": gettext_lazy("พร้อมนำเข้า"),
    "shipped": gettext_lazy("จัดส่งแล้ว"),
    "recorded": gettext_lazy("บันทึกแล้ว"),
    "skipped": gettext_lazy("ข้าม (ทำไปแล้ว)"),
    "error": gettext_lazy("ผิดพลาด"),
}
ORDER_ACTION_LABELS = {
    "deliver": gettext_lazy("ส่งถึงลูกค้าแล้ว"),
    "fail_delivery": gettext_lazy("จัดส่งไม่สำเร็จ → ตีกลับ"),
}


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("ไฟล์ CSV หรือ xlsx"), allow_empty_file=True)


class ApplyForm(OnceForm):
    upload = forms.CharField(widget=forms.HiddenInput, max_length=32)


def _upload_key(request, kind: str, upload_id: str) -> str:
    return f"talad.import.{kind}.{request.shop.pk}.{upload_id}"


def _report_key(request, kind: str, report_id: str) -> str:
    return f"talad.import.{kind}.{request.shop.pk}.report.{report_id}"


def _page(request, kind: str, context: dict, status: int = 200):
    spec = KINDS[kind]
    context.setdefault("upload_form", UploadForm())
    context.update(
        result_labels=RESULT_LABELS,
        action_labels=ORDER_ACTION_LABELS,
        status_labels=dict(ShipmentStatus.choices),
        carrier_names={c.code: c.name for c in carriers_for(request.shop).values()},
        max_mb=MAX_BYTES // (1024 * 1024),
    )
    return render(request, spec["template"], context, status=status)


def _readable(report: dict) -> dict:
    """A report the session can hold (JSON): times as ISO text, turned back for display."""
    rows = []
    for row in report["rows"]:
        row = dict(row)
        if isinstance(row.get("at"), datetime):
            row["at"] = row["at"].isoformat()
        rows.append(row)
    return {**report, "rows": rows}


def _displayable(report: dict) -> dict:
    rows = []
    for row in report["rows"]:
        row = dict(row)
        if isinstance(row.get("at"), str) and row["at"]:
            row["at"] = datetime.fromisoformat(row["at"])
        rows.append(row)
    return {**report, "rows": rows}


def _limited(request, kind: str):
    """An upload larger than allowed is refused before any of it is read (or spooled)."""
    if request.method == "POST":
        try:
            refuse_large_body(request_body_length(request))
        except FileTooLarge as exc:
            return _page(request, kind, {"error": exc.message}, status=exc.status)
    return _import_page(request, kind)


@csrf_protect
def _import_page(request, kind: str):
    """GET: the upload form, or the report of an apply (?report=). POST: upload → preview."""
    if request.method != "POST":
        report_id = request.GET.get("report", "")
        report = request.session.get(_report_key(request, kind, report_id)) if report_id else None
        context = {"report": _displayable(report)} if report else {}
        return _page(request, kind, context)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, kind, {"upload_form": form}, status=400)
    upload = form.cleaned_data["file"]
    try:
        content = read_upload(upload)
        preview = KINDS[kind]["service"](
            shop=request.shop,
            by=request.actor,
            content=content,
            filename=upload.name or "",
            dry_run=True,
        )
    except TaladError as exc:
        add_domain_error(form, exc)
        return _page(request, kind, {"upload_form": form}, status=exc.status)
    upload_id = uuid.uuid4().hex
    request.session[_upload_key(request, kind, upload_id)] = {
        "name": (upload.name or "")[:255],
        "content": base64.b64encode(content).decode("ascii"),
    }
    context = {
        "preview": preview,
        "file_name": upload.name,
        "apply_form": ApplyForm(initial={"upload": upload_id}),
    }
    return _page(request, kind, context)


def _apply(request, kind: str):
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return redirect(KINDS[kind]["page"])
    upload_id = form.cleaned_data["upload"]
    key = _upload_key(request, kind, upload_id)

    def produce() -> str:
        saved = request.session.get(key)
        if saved is None:
            raise TaladError(_("ไม่พบไฟล์ที่อัปโหลด: อัปโหลดใหม่อีกครั้ง"), fields={"file": "expired"})
        report = KINDS[kind]["service"](
            shop=request.shop,
            by=request.actor,
            content=base64.b64decode(saved["content"]),
            filename=saved["name"],
        )
        request.session[_report_key(request, kind, upload_id)] = {
            **_readable(report),
            "file_name": saved["name"],
        }
        request.session.pop(key, None)
        return f"{reverse(KINDS[kind]['page'])}?report={upload_id}"

    try:
        return redirect(act_once(request, form, produce))
    except TaladError as exc:
        return _page(request, kind, {"error": exc.message}, status=exc.status)


@csrf_exempt  # checked in _import_page, once the body's size is: CSRF's check reads it all
@shop_page(KINDS["tracking"]["capability"])
def import_tracking_page(request):
    return _limited(request, "tracking")


@require_POST
@shop_page(KINDS["tracking"]["capability"])
def import_tracking_apply(request):
    return _apply(request, "tracking")


@csrf_exempt  # checked in _import_page, once the body's size is: CSRF's check reads it all
@shop_page(KINDS["status"]["capability"])
def import_status_page(request):
    return _limited(request, "status")


@require_POST
@shop_page(KINDS["status"]["capability"])
def import_status_apply(request):
    return _apply(request, "status")
