"""COD money on the web: a carrier's statement uploaded and matched, its summary, a
mismatched row settled, the COD the carriers still owe, and a payment's transfer slip.
Thin: the same services and selectors as /api/v1/cod."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from talad.errors import NotFound, TaladError
from talad.forms import act_once, add_domain_error
from talad.orders.actions import CAPABILITY
from talad.payments import mismatches, selectors, services
from talad.payments.forms import SettleRowForm, StatementForm
from talad.payments.models import RemittanceResult, ShortfallBooking
from talad.payments.slips import read_slip
from talad.shipping.registry import active_carriers, carriers_for
from talad.shops.decorators import shop_page
from talad.shops.permissions import can
from talad.tabular import FileTooLarge, read_upload, refuse_large_body, request_body_length

COD = "reconcile_cod"
PAST = 50


def _carrier_names(shop) -> dict[str, str]:
    return {c.code: c.name for c in carriers_for(shop).values()}


@csrf_exempt  # checked in _statements, once the body's size is: CSRF's check reads it all
@shop_page(COD)
def statements(request):
    """Upload a statement (with the carrier's column mapping), and the statements so far."""
    if request.method == "POST":
        try:
            refuse_large_body(request_body_length(request))
        except FileTooLarge as exc:
            messages.error(request, exc.message)
            return _statements_page(request, _new_form(request), status=exc.status)
    return _statements(request)


@csrf_protect
def _statements(request):
    if request.method != "POST":
        return _statements_page(request, _new_form(request), status=200)
    carriers = list(active_carriers(request.shop).values())
    form = StatementForm(request.POST, request.FILES, carriers=carriers)
    status = 400
    if form.is_valid():
        data = form.cleaned_data

        def produce() -> str:
            upload = data["file"]
            result = services.import_statement(
                shop=request.shop,
                by=request.actor,
                carrier=data["carrier"],
                content=read_upload(upload),
                filename=upload.name or "",
                mapping=form.mapping(),
                statement_number=data["reference"],
            )
            if not result.created:
                messages.info(request, _("ไฟล์นี้นำเข้าแล้ว: ตรวจแถวที่ยังไม่ตรงอีกครั้งเท่านั้น"))
            return reverse("payments:cod_statement", args=[result.statement.pk])

        try:
            return redirect(act_once(request, form, produce))
        except TaladError as exc:
            add_domain_error(form, exc)
            status = exc.status
    return _statements_page(request, form, status=status)


def _new_form(request) -> StatementForm:
    carriers = list(active_carriers(request.shop).values())
    codes = [c.code for c in carriers]
    carrier = request.GET.get("carrier", "")
    carrier = carrier if carrier in codes else (codes[0] if codes else "")
    initial = {"carrier": carrier, **services.saved_mapping(request.shop, carrier)}
    return StatementForm(carriers=carriers, initial=initial)


def _statements_page(request, form: StatementForm, *, status: int):
    context = {
        "form": form,
        "past": selectors.statements_page(shop=request.shop, limit=PAST),
        "carrier_names": _carrier_names(request.shop),
    }
    return render(request, "payments/cod_statements.html", context, status=status)


@shop_page(COD)
def statement(request, pk: int):
    return _statement_page(request, pk)


def _statement_page(request, pk: int, *, status: int = 200, bound: tuple | None = None):
    try:
        found = selectors.statement_detail(shop=request.shop, statement_id=pk)
    except NotFound:
        raise Http404 from None
    rows = list(found.rows.select_related("order").order_by("row_number"))
    for row in rows:  # a settle form on each row that can still be settled
        if row.result in (RemittanceResult.AMOUNT_MISMATCH, RemittanceResult.DISPUTED):
            row.settle_form = (
                bound[1]
                if bound and bound[0] == row.row_number
                else SettleRowForm(initial={"booked_as": ShortfallBooking.EXPENSE})
            )
    summary = selectors.summarise(rows)
    context = {
        "statement": found,
        "rows": rows,
        "summary": summary,
        "results": [
            (value, label, summary["counts"][value]) for value, label in RemittanceResult.choices
        ],
        "carrier_names": _carrier_names(request.shop),
    }
    return render(request, "payments/cod_statement.html", context, status=status)


@require_POST
@shop_page(COD)
def settle_row(request, pk: int, row: int):
    """Accept a mismatched row's payout (booking the shortfall) or dispute it with a note."""
    form = SettleRowForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def produce() -> str:
            if data["decision"] == "accept":
                mismatches.accept_cod_shortfall(
                    shop=request.shop,
                    by=request.actor,
                    statement_id=pk,
                    row_number=row,
                    booked_as=data["booked_as"],
                    note=data["note"],
                )
                messages.success(request, _("แถว %(r)s: รับยอดที่ขนส่งโอนแล้ว") % {"r": row})
            else:
                mismatches.dispute_cod_row(
                    shop=request.shop,
                    by=request.actor,
                    statement_id=pk,
                    row_number=row,
                    note=data["note"],
                )
                messages.success(request, _("แถว %(r)s: บันทึกการโต้แย้งแล้ว") % {"r": row})
            return reverse("payments:cod_statement", args=[pk]) + f"#row-{row}"

        try:
            return redirect(act_once(request, form, produce))
        except NotFound:
            raise Http404 from None
        except TaladError as exc:
            add_domain_error(form, exc)
            messages.error(request, _("แถว %(r)s: %(m)s") % {"r": row, "m": exc.message})
    return _statement_page(request, pk, status=400, bound=(row, form))


def slip(request, pk: int):
    """A payment's transfer slip, for members of the payment's shop only. Someone signed in
    to no shop at all gets the same 404 as for another shop's slip: nothing is hinted at."""
    if request.user.is_authenticated and request.shop is None:
        raise Http404
    return _slip(request, pk)


@shop_page("view_orders")
def _slip(request, pk: int):
    try:
        payment = selectors.payment_detail(shop=request.shop, payment_id=pk)
    except NotFound:
        raise Http404 from None
    found = read_slip(payment)
    if found is None:
        raise Http404
    response = HttpResponse(found.content, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = content_disposition_header(
        not found.content_type.startswith("image/"), found.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


@shop_page(COD)
def outstanding(request):
    names = _carrier_names(request.shop)
    carrier = request.GET.get("carrier", "")
    report = selectors.outstanding_cod(
        shop=request.shop, carrier=carrier if carrier in names else None
    )
    context = {
        "report": report,
        "carrier_names": names,
        "carrier": carrier,
        "can_import_status": can(request.actor.role, "manage_orders"),
        "can_import_tracking": can(request.actor.role, CAPABILITY["ship"]),
    }
    return render(request, "payments/cod_outstanding.html", context)
