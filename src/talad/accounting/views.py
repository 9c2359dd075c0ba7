"""Accounting screens: documents (list, detail, PDF, issuing, credit notes), the reports
(trial balance, ledger, VAT sales, journal) and the accounting settings.

Thin like the order pages: parse, call one service or selector, render. Another shop's
document or order is a 404; a role without the capability gets 403 from `shop_page`.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.accounting import forms, reports, selectors, services
from talad.accounting.api import EXPORT_TYPES, file_response, pdf_file, settings_out
from talad.accounting.books import (
    accounting_settings,
    allowed_document_types,
    automatic_document_type,
)
from talad.accounting.credit_notes import may_credit
from talad.accounting.models import Account
from talad.errors import NotFound, TaladError
from talad.forms import act_once, add_domain_error
from talad.orders.models import Order, PaymentMethod
from talad.pagination import next_page_query, page_cursor
from talad.shops.decorators import shop_page
from talad.shops.permissions import can

PAGE = 50


# --- Documents ------------------------------------------------------------------------------


@shop_page("view_documents")
def documents(request):
    filters = forms.DocumentFilters(request.GET)
    filters.is_valid()
    f = getattr(filters, "cleaned_data", {})
    date_from = date_to = None
    if f.get("month"):
        try:
            date_from, date_to = reports.month_bounds(*reports.parse_month(f["month"]))
        except TaladError as exc:
            add_domain_error(filters, exc)
    before_id = page_cursor(f.get("cursor"))
    rows = selectors.documents_page(
        shop=request.shop,
        doc_type=f.get("type") or None,
        date_from=date_from,
        date_to=date_to,
        q=f.get("q"),
        before_id=before_id,
        limit=PAGE,
    )
    next_query = next_page_query(request.GET, rows, PAGE)
    return render(
        request,
        "accounting/documents.html",
        {"filters": filters, "rows": rows, "next_query": next_query},
    )


def _document(request, pk: int):
    try:
        return selectors.document_detail(shop=request.shop, document_id=pk)
    except NotFound:
        raise Http404 from None


@shop_page("view_documents")
def document(request, pk: int):
    doc = _document(request, pk)
    # Where it stands in PEAK: no PeakLink row means it was never queued for PEAK.
    peak = getattr(doc, "peak", None)
    context = {
        "doc": doc,
        "lines": list(doc.lines.all()),
        "peak": peak,
        # PEAK's own answer: linked only as a web address, never as any other scheme.
        "peak_link": peak.link if peak and peak.link.startswith(("https://", "http://")) else "",
    }
    if not doc.is_credit_note:
        left = selectors.remaining_basis(doc)
        context["remaining"] = left
        context["credit_notes"] = sorted(doc.credit_notes.all(), key=lambda d: d.pk)
        context["may_credit"] = (
            may_credit(doc) and left > 0 and can(request.actor.role, "issue_documents")
        )
    if can(request.actor.role, "view_books"):
        context["entries"] = list(
            doc.journal_entries.prefetch_related("lines__account").order_by("id")
        )
    return render(request, "accounting/document.html", context)


@shop_page("view_documents")
def document_pdf(request, pk: int) -> HttpResponse:
    copy = request.GET.get("copy", "both")
    return pdf_file(_document(request, pk), copy if copy in ("original", "copy") else "both")


@shop_page("issue_documents")
def issue(request, order_pk: int):
    order = Order.objects.for_shop(request.shop).filter(pk=order_pk).first()
    if order is None:
        raise Http404
    allowed = allowed_document_types(request.shop)
    books = accounting_settings(request.shop)
    initial = {"type": automatic_document_type(request.shop, books, cod=_is_cod(order))}
    form = forms.IssueForm(request.POST or None, allowed=allowed, initial=initial)
    if request.method == "POST" and form.is_valid():

        def produce() -> str:
            issued = services.issue_document(
                order=order, doc_type=form.cleaned_data["type"], by=request.actor
            )
            messages.success(request, _("ออก %(n)s แล้ว") % {"n": issued.number})
            return reverse("accounting:document", args=[issued.pk])

        try:
            return redirect(act_once(request, form, produce))
        except TaladError as exc:
            add_domain_error(form, exc)
    status = 400 if form.errors else 200
    return render(request, "accounting/issue.html", {"form": form, "order": order}, status=status)


def _is_cod(order: Order) -> bool:
    return order.payment_method == PaymentMethod.COD


@shop_page("issue_documents")
def credit_note(request, pk: int):
    original = _document(request, pk)
    if not may_credit(original) or selectors.remaining_basis(original) <= 0:
        messages.error(request, _("เอกสารนี้ออกใบลดหนี้ไม่ได้"))
        return redirect("accounting:document", pk=original.pk)
    form = forms.CreditNoteForm(request.POST or None, document=original)
    if request.method == "POST" and form.is_valid():

        def produce() -> str:
            note = services.issue_credit_note(
                document=original, by=request.actor, **form.service_arguments()
            )
            messages.success(request, _("ออกใบลดหนี้ %(n)s แล้ว") % {"n": note.number})
            return reverse("accounting:document", args=[note.pk])

        try:
            return redirect(act_once(request, form, produce))
        except TaladError as exc:
            add_domain_error(form, exc)
    context = {
        "doc": original,
        "form": form,
        "line_rows": form.lines_field_rows(),
        "remaining": selectors.remaining_basis(original),
    }
    return render(
        request, "accounting/credit_note.html", context, status=400 if form.errors else 200
    )


# --- Settings -------------------------------------------------------------------------------


@shop_page("manage_accounting")
def settings_page(request):
    current = settings_out(request.shop)
    initial = {
        **{k: current[k] for k in ("prepaid_issue", "cod_issue", "promptpay_target")},
        "prepaid_document_type": current["prepaid_document_type"],
        "cod_document_type": current["cod_document_type"],
        **{str(k): v for k, v in current["number_patterns"].items()},
        **{str(k): v for k, v in current["account_codes"].items()},
    }
    allowed = allowed_document_types(request.shop)
    form = forms.SettingsForm(request.POST or None, initial=initial, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        changes = form.changes(current)

        def produce() -> str:
            if changes:
                services.update_accounting_settings(
                    shop=request.shop, changes=changes, by=request.actor
                )
            messages.success(request, _("บันทึกการตั้งค่าบัญชีแล้ว"))
            return reverse("accounting:settings")

        try:
            return redirect(act_once(request, form, produce))
        except TaladError as exc:
            add_domain_error(form, exc)
    context = {"form": form, "current": current, "shop": request.shop}
    return render(request, "accounting/settings.html", context, status=400 if form.errors else 200)


# --- Reports --------------------------------------------------------------------------------


def _with_month(request):
    """The query, with this month as the period when it names none."""
    data = request.GET.copy()
    if "date_from" not in data and "date_to" not in data:
        today = timezone.localdate()
        data["date_from"], data["date_to"] = today.replace(day=1).isoformat(), today.isoformat()
    return data


@shop_page("view_books")
def trial_balance(request):
    form = forms.PeriodForm(_with_month(request))
    context = {"form": form}
    if form.is_valid():
        context["tb"] = reports.trial_balance(
            shop=request.shop,
            date_from=form.cleaned_data.get("date_from"),
            date_to=form.cleaned_data.get("date_to"),
        )
    return render(
        request, "accounting/trial_balance.html", context, status=400 if form.errors else 200
    )


@shop_page("view_books")
def ledger(request):
    accounts = list(Account.objects.for_shop(request.shop).order_by("code"))
    form = forms.LedgerForm(_with_month(request), accounts=accounts)
    context = {"form": form}
    if form.is_valid() and form.cleaned_data.get("account"):
        try:
            context["ledger"] = reports.ledger(
                shop=request.shop,
                account_id=form.cleaned_data["account"],
                date_from=form.cleaned_data.get("date_from"),
                date_to=form.cleaned_data.get("date_to"),
            )
        except NotFound:
            raise Http404 from None
    return render(request, "accounting/ledger.html", context, status=400 if form.errors else 200)


@shop_page("view_books")
def vat_sales(request):
    data = request.GET.copy()
    data.setdefault("month", timezone.localdate().strftime("%Y-%m"))
    form = forms.MonthForm(data)
    report = None
    if form.is_valid():
        try:
            year, month = reports.parse_month(form.cleaned_data["month"])
        except TaladError as exc:
            add_domain_error(form, exc)
        else:
            report = reports.vat_sales_report(shop=request.shop, year=year, month=month)
    if report is not None and request.GET.get("format") in ("xlsx", "pdf"):
        kind = request.GET["format"]
        make = reports.vat_sales_xlsx if kind == "xlsx" else reports.vat_sales_pdf
        name = f"vat-sales-{report.period}.{kind}"
        return file_response(make(report), EXPORT_TYPES[kind], name)
    return render(
        request,
        "accounting/vat_sales.html",
        {"form": form, "report": report},
        status=400 if form.errors else 200,
    )


@shop_page("view_books")
def journal(request):
    form = forms.PeriodForm(request.GET)
    rows, next_query = [], None
    if form.is_valid():
        before_id = page_cursor(request.GET.get("cursor"))
        rows = selectors.journal_page(
            shop=request.shop,
            date_from=form.cleaned_data.get("date_from"),
            date_to=form.cleaned_data.get("date_to"),
            before_id=before_id,
            limit=PAGE,
        )
        next_query = next_page_query(request.GET, rows, PAGE)
    export_query = request.GET.copy()
    export_query.pop("cursor", None)
    context = {
        "form": form,
        "rows": rows,
        "next_query": next_query,
        "export_query": export_query.urlencode(),
    }
    return render(request, "accounting/journal.html", context, status=400 if form.errors else 200)


@shop_page("view_books")
def journal_export(request):
    form = forms.PeriodForm(request.GET)
    if not form.is_valid():
        return redirect("accounting:journal")
    kind = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    make = reports.journal_xlsx if kind == "xlsx" else reports.journal_csv
    date_from, date_to = form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
    content = make(shop=request.shop, date_from=date_from, date_to=date_to)
    span = "-".join(str(d) for d in (date_from, date_to) if d) or "all"
    return file_response(content, EXPORT_TYPES[kind], f"journal-{span}.{kind}")
