"""/api/v1 — documents (issue, read, credit notes), the journal, the trial balance, settings.

Mounted at the API root: its paths are /orders/{id}/documents, /documents…, /journal,
/reports/trial-balance and /accounting/settings.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field, StrictInt

from talad.accounting import reports, selectors, services
from talad.accounting.books import (
    DEFAULT_PATTERNS,
    account_codes,
    accounting_settings,
    number_pattern,
)
from talad.accounting.models import (
    ETAX_CODES,
    CodIssue,
    CreditReason,
    Document,
    DocumentType,
    JournalEntry,
    PrepaidIssue,
)
from talad.accounting.pdf import document_pdf
from talad.api_types import (
    Day,
    Limit,
    Money,
    MoneyText,
    Page,
    Quantity,
    QueryId,
    error_responses,
    file_responses,
)
from talad.errors import TaladError
from talad.orders.api import ObjectIn
from talad.orders.selectors import order_detail
from talad.pagination import DEFAULT_LIMIT, decode_cursor, next_cursor
from talad.shops.idempotency import body_fingerprint, run_once
from talad.shops.permissions import can, require

router = Router(tags=["accounting"])

RowId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]


class IssueIn(ObjectIn):
    type: DocumentType


class CreditLineIn(ObjectIn):
    line_id: RowId
    quantity: Quantity | None = None


class CreditNoteIn(ObjectIn):
    """Either `lines` (all of each line unless `quantity` says less) or `amount` (in the
    original's price basis: with VAT when its prices include VAT)."""

    lines: list[CreditLineIn] | None = Field(None, min_length=1, max_length=200)
    amount: Money | None = None
    reason_code: CreditReason
    reason_text: str = Field("", max_length=500)


class SettingsIn(ObjectIn):
    prepaid_issue: PrepaidIssue | None = None
    cod_issue: CodIssue | None = None
    # "" puts back the default for the shop's VAT status.
    prepaid_document_type: str | None = Field(None, max_length=30)
    cod_document_type: str | None = Field(None, max_length=30)
    number_patterns: dict[str, str] | None = None
    account_codes: dict[str, str] | None = None
    # A mobile number, 13-digit ID or e-wallet ID for the QR on unpaid bills; "" for none.
    promptpay_target: str | None = Field(None, max_length=30)


class PartyOut(Schema):
    name: str
    address: str
    tax_id: str
    branch_code: str
    branch: str = Field(description='สำนักงานใหญ่ / สาขาที่ …, as printed; "" without a tax ID')


class DocumentLineOut(Schema):
    id: int
    position: int
    kind: str
    sku: str
    description: str
    quantity: int
    unit_price: MoneyText
    discount: MoneyText
    amount: MoneyText
    original_line_id: int | None = Field(description="on a credit note: the line it credits")


class CreditNoteInfoOut(Schema):
    original_id: int
    original_number: str
    original_value: MoneyText | None
    corrected_value: MoneyText | None
    difference: MoneyText
    vat: MoneyText
    reason_code: CreditReason
    reason: str
    reason_text: str


class PeakLinkOut(Schema):
    status: str = Field(description="not_sent, queued, sent or failed")
    id: str | None
    code: str | None
    link: str | None
    error: str | None
    outbox_message_id: int | None


class DocumentOut(Schema):
    id: int
    type: DocumentType
    title: str
    etax_code: str
    number: str
    issue_date: date
    issued_at: datetime
    order_id: int | None
    order_number: str | None
    seller: PartyOut
    buyer: PartyOut
    prices_include_vat: bool
    vat_rate: MoneyText
    lines: list[DocumentLineOut]
    lines_total: MoneyText
    discount: MoneyText
    net_amount: MoneyText
    vat_amount: MoneyText
    total_amount: MoneyText
    credit_note: CreditNoteInfoOut | None = Field(description="set on a credit note only")
    peak: PeakLinkOut


class DocumentDetailOut(DocumentOut):
    """One document; what has been credited against it is absent on a credit note itself."""

    credited_amount: MoneyText = None
    remaining_amount: MoneyText = None
    credit_note_ids: list[int] = None
    journal_entry_ids: list[int]


class DocumentPage(Page):
    items: list[DocumentOut]


class EntrySourceOut(Schema):
    type: str
    id: str


class JournalLineOut(Schema):
    account_code: str
    account_name: str
    role: str
    debit: MoneyText
    credit: MoneyText
    memo: str


class JournalEntryOut(Schema):
    id: int
    date: date
    description: str
    source: EntrySourceOut
    order_id: int | None
    document_id: int | None
    reverses_id: int | None
    posted_at: datetime
    by: str
    lines: list[JournalLineOut]


class JournalPage(Page):
    items: list[JournalEntryOut]


class OrderDocumentsOut(Schema):
    order_id: int
    order_number: str
    documents: list[DocumentOut]
    journal_entries: list[JournalEntryOut] = Field(
        None, description="only for a role that may see the books (view_books)"
    )


class VatSalesRowOut(Schema):
    document_id: int
    type: str
    date: date
    number: str
    buyer: str
    buyer_tax_id: str
    branch_code: str
    branch: str
    net: MoneyText = Field(description="negative for a credit note")
    vat: MoneyText
    total: MoneyText
    original_number: str | None


class VatSalesTotalsOut(Schema):
    count: int
    net: MoneyText
    vat: MoneyText
    total: MoneyText


class VatSalesOut(Schema):
    month: str = Field(examples=["2026-11"])
    rows: list[VatSalesRowOut]
    totals: VatSalesTotalsOut


class AccountBalanceOut(Schema):
    code: str
    name: str
    kind: str
    opening: MoneyText = Field(description="debit balance before the period; credit is negative")
    debit: MoneyText
    credit: MoneyText
    closing: MoneyText


class DebitCreditOut(Schema):
    debit: MoneyText
    credit: MoneyText


class TrialBalanceOut(Schema):
    date_from: date | None
    date_to: date | None
    accounts: list[AccountBalanceOut]
    totals: DebitCreditOut
    balanced: bool


class SettingsOut(Schema):
    vat_registered: bool
    vat_rate: MoneyText
    prices_include_vat: bool
    tax_id: str
    branch_code: str
    prepaid_issue: PrepaidIssue
    cod_issue: CodIssue
    prepaid_document_type: str
    cod_document_type: str
    number_patterns: dict[str, str]
    account_codes: dict[str, str]
    promptpay_target: str


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def branch_label(code: str) -> str:
    if not code:
        return ""
    return _("สำนักงานใหญ่") if code == "00000" else _("สาขาที่ %(c)s") % {"c": code}


def document_out(document: Document) -> dict:
    out = {
        "id": document.pk,
        "type": document.doc_type,
        "title": document.get_doc_type_display(),
        "etax_code": ETAX_CODES[document.doc_type],
        "number": document.number,
        "issue_date": document.issue_date,
        "issued_at": document.issued_at,
        "order_id": document.order_id,
        "order_number": document.order.number if document.order_id else None,
        "seller": {
            "name": document.seller_name,
            "address": document.seller_address,
            "tax_id": document.seller_tax_id,
            "branch_code": document.seller_branch_code,
            "branch": branch_label(document.seller_branch_code),
        },
        "buyer": {
            "name": document.buyer_name,
            "address": document.buyer_address,
            "tax_id": document.buyer_tax_id,
            "branch_code": document.buyer_branch_code,
            "branch": branch_label(document.buyer_branch_code) if document.buyer_tax_id else "",
        },
        "prices_include_vat": document.prices_include_vat,
        "vat_rate": _money(document.vat_rate),
        "lines": [
            {
                "id": line.pk,
                "position": line.position,
                "kind": line.kind,
                "sku": line.sku,
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": _money(line.unit_price),
                "discount": _money(line.discount),
                "amount": _money(line.amount),
                "original_line_id": line.original_line_id,
            }
            for line in document.lines.all()
        ],
        "lines_total": _money(document.lines_total),
        "discount": _money(document.discount),
        "net_amount": _money(document.net_amount),
        "vat_amount": _money(document.vat_amount),
        "total_amount": _money(document.total_amount),
        "credit_note": None,
        "peak": peak_out(document),
    }
    if document.is_credit_note:
        out["credit_note"] = {
            "original_id": document.original_id,
            "original_number": document.original.number,
            "original_value": _money(document.original_value),
            "corrected_value": _money(document.corrected_value),
            "difference": _money(document.net_amount),
            "vat": _money(document.vat_amount),
            "reason_code": document.reason_code,
            "reason": document.get_reason_code_display(),
            "reason_text": document.reason_text,
        }
    return out


def peak_out(document: Document) -> dict:
    """Where the document stands in the shop's PEAK: not_sent, queued, sent (with PEAK's id,
    code and link) or failed (with PEAK's message)."""
    link = getattr(document, "peak", None)  # the reverse one-to-one raises when there is none
    if link is None:
        return {
            "status": "not_sent",
            "id": None,
            "code": None,
            "link": None,
            "error": None,
            "outbox_message_id": None,
        }
    return {
        "status": link.status,
        "id": link.peak_id or None,
        "code": link.peak_code or None,
        "link": link.link or None,
        "error": link.error or None,
        "outbox_message_id": link.outbox_message_id,
    }


def entry_out(entry: JournalEntry) -> dict:
    return {
        "id": entry.pk,
        "date": entry.date,
        "description": entry.description,
        "source": {"type": entry.source_type, "id": entry.source_id},
        "order_id": entry.order_id,
        "document_id": entry.document_id,
        "reverses_id": entry.reverses_id,
        "posted_at": entry.posted_at,
        "by": entry.actor,
        "lines": [
            {
                "account_code": line.account.code,
                "account_name": line.account.name,
                "role": line.role,
                "debit": _money(line.debit),
                "credit": _money(line.credit),
                "memo": line.memo,
            }
            for line in entry.lines.all()
        ],
    }


def _detail(request, document_id: int) -> dict:
    document = selectors.document_detail(shop=request.shop, document_id=document_id)
    out = document_out(document)
    if not document.is_credit_note:
        already = selectors.credited(document)
        out["credited_amount"] = _money(already.basis)
        out["remaining_amount"] = _money(document.basis_amount - already.basis)
        out["credit_note_ids"] = [note.pk for note in document.credit_notes.all()]
    out["journal_entry_ids"] = [entry.pk for entry in document.journal_entries.all()]
    return out


# --- Documents ------------------------------------------------------------------------------


@router.post(
    "/orders/{int:order_id}/documents",
    response={201: DocumentDetailOut, **error_responses(403, 404, 409, 413)},
    exclude_unset=True,
    operation_id="issueDocument",
    summary="Issue a document for an order (tax invoice, receipt, …)",
)
def issue_document(
    request,
    order_id: int,
    payload: IssueIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    require(request.actor, "issue_documents")

    def produce():
        order = order_detail(shop=request.shop, order_id=order_id)
        document = services.issue_document(order=order, doc_type=payload.type, by=request.actor)
        return 201, _detail(request, document.pk)

    return Status(
        *run_once(
            shop=request.shop,
            key=idempotency_key,
            fingerprint=body_fingerprint(request.path.encode() + request.body),
            produce=produce,
        )
    )


@router.get(
    "/orders/{int:order_id}/documents",
    response={200: OrderDocumentsOut, **error_responses(403, 404)},
    exclude_unset=True,
    operation_id="listOrderDocuments",
    summary="An order's documents and entries",
)
def order_documents(request, order_id: int):
    require(request.actor, "view_documents")
    order, documents, entries = selectors.order_documents(shop=request.shop, order_id=order_id)
    out = {
        "order_id": order.pk,
        "order_number": order.number,
        "documents": [document_out(d) for d in documents],
    }
    if can(request.actor.role, "view_books"):
        out["journal_entries"] = [entry_out(e) for e in entries]
    return out


@router.get(
    "/documents",
    response={200: DocumentPage, **error_responses(403)},
    operation_id="listDocuments",
    summary="Documents, newest first (keyset pagination)",
)
def list_documents(
    request,
    type: DocumentType | None = None,
    order_id: QueryId | None = None,
    date_from: Day | None = None,
    date_to: Day | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    require(request.actor, "view_documents")
    rows = selectors.documents_page(
        shop=request.shop,
        doc_type=type,
        order_id=order_id,
        date_from=date_from,
        date_to=date_to,
        before_id=decode_cursor(cursor),
        limit=limit,
    )
    return {"items": [document_out(d) for d in rows], "next_cursor": next_cursor(rows, limit)}


@router.get(
    "/documents/{int:document_id}",
    response={200: DocumentDetailOut, **error_responses(403, 404)},
    exclude_unset=True,
    operation_id="getDocument",
    summary="One document, with what has been credited against it and its journal entries",
)
def get_document(request, document_id: int):
    require(request.actor, "view_documents")
    return _detail(request, document_id)


PDF_RESPONSE = file_responses("application/pdf")
COPIES = {"both": ("original", "copy"), "original": ("original",), "copy": ("copy",)}


def file_response(content: bytes, content_type: str, filename: str, *, inline=False):
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"  # buyers' names, tax IDs and amounts
    return response


def pdf_file(document: Document, copy: str = "both") -> HttpResponse:
    content = document_pdf(document, copies=COPIES[copy])
    return file_response(content, "application/pdf", f"{document.number}.pdf", inline=True)


@router.get(
    "/documents/{int:document_id}/pdf",
    response=error_responses(403, 404),
    operation_id="getDocumentPdf",
    summary="The document as an A4 PDF: original and copy (copy=both), or one of them",
    openapi_extra=PDF_RESPONSE,
)
def get_document_pdf(
    request,
    document_id: int,
    which: Literal["both", "original", "copy"] = Query("both", alias="copy"),
):
    require(request.actor, "view_documents")
    return pdf_file(selectors.document_detail(shop=request.shop, document_id=document_id), which)


@router.post(
    "/documents/{int:document_id}/credit-notes",
    response={201: DocumentDetailOut, **error_responses(403, 404, 409, 413)},
    exclude_unset=True,
    operation_id="issueCreditNote",
    summary="Issue a credit note on a tax invoice (some lines or an amount)",
)
def credit_note(
    request,
    document_id: int,
    payload: CreditNoteIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    require(request.actor, "issue_documents")

    def produce():
        original = selectors.document_detail(shop=request.shop, document_id=document_id)
        note = services.issue_credit_note(
            document=original,
            by=request.actor,
            reason_code=payload.reason_code,
            reason_text=payload.reason_text,
            lines=None if payload.lines is None else [line.model_dump() for line in payload.lines],
            amount=payload.amount,
        )
        return 201, _detail(request, note.pk)

    return Status(
        *run_once(
            shop=request.shop,
            key=idempotency_key,
            fingerprint=body_fingerprint(request.path.encode() + request.body),
            produce=produce,
        )
    )


# --- The books ------------------------------------------------------------------------------


@router.get(
    "/journal",
    response={200: JournalPage, **error_responses(403)},
    operation_id="listJournalEntries",
    summary="Journal entries, newest first (keyset pagination)",
)
def journal(
    request,
    date_from: Day | None = None,
    date_to: Day | None = None,
    order_id: QueryId | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    require(request.actor, "view_books")
    _check_period(date_from, date_to)
    rows = selectors.journal_page(
        shop=request.shop,
        date_from=date_from,
        date_to=date_to,
        order_id=order_id,
        before_id=decode_cursor(cursor),
        limit=limit,
    )
    return {"items": [entry_out(e) for e in rows], "next_cursor": next_cursor(rows, limit)}


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get(
    "/journal/export",
    response=error_responses(403),
    operation_id="exportJournal",
    openapi_extra=file_responses("text/csv", EXPORT_TYPES["xlsx"]),
    summary="The journal as a file, one row per line (CSV in UTF-8 with BOM, or xlsx)",
)
def journal_export(
    request,
    format: Literal["csv", "xlsx"] = Query("csv"),
    date_from: Day | None = None,
    date_to: Day | None = None,
):
    require(request.actor, "view_books")
    make = reports.journal_csv if format == "csv" else reports.journal_xlsx
    content = make(shop=request.shop, date_from=date_from, date_to=date_to)
    span = "-".join(str(d) for d in (date_from, date_to) if d) or "all"
    return file_response(content, EXPORT_TYPES[format], f"journal-{span}.{format}")


@router.get(
    "/reports/vat-sales",
    response={200: VatSalesOut, **error_responses(403)},
    operation_id="vatSalesReport",
    openapi_extra=file_responses(EXPORT_TYPES["xlsx"], EXPORT_TYPES["pdf"]),
    summary="The month's VAT sales report (tax invoices and credit notes): JSON, xlsx or PDF",
)
def vat_sales(
    request,
    month: str = Query(..., max_length=7, description="YYYY-MM (Gregorian)"),
    format: Literal["json", "xlsx", "pdf"] = Query("json"),
):
    require(request.actor, "view_books")
    year, number = reports.parse_month(month)
    report = reports.vat_sales_report(shop=request.shop, year=year, month=number)
    if format == "xlsx":
        name = f"vat-sales-{report.period}.xlsx"
        return file_response(reports.vat_sales_xlsx(report), EXPORT_TYPES["xlsx"], name)
    if format == "pdf":
        name = f"vat-sales-{report.period}.pdf"
        return file_response(reports.vat_sales_pdf(report), EXPORT_TYPES["pdf"], name)
    return vat_sales_out(report)


def vat_sales_out(report: reports.VatSalesReport) -> dict:
    return {
        "month": report.period,
        "rows": [
            {
                "document_id": r.document_id,
                "type": r.doc_type,
                "date": r.date,
                "number": r.number,
                "buyer": r.buyer,
                "buyer_tax_id": r.buyer_tax_id,
                "branch_code": r.branch_code if r.buyer_tax_id else "",
                "branch": r.branch,
                "net": _money(r.net),
                "vat": _money(r.vat),
                "total": _money(r.total),
                "original_number": r.original_number or None,
            }
            for r in report.rows
        ],
        "totals": {
            "count": len(report.rows),
            "net": _money(report.net),
            "vat": _money(report.vat),
            "total": _money(report.total),
        },
    }


@router.get(
    "/reports/trial-balance",
    response={200: TrialBalanceOut, **error_responses(403)},
    operation_id="trialBalance",
    summary="Trial balance for a period",
)
def trial_balance(request, date_from: Day | None = None, date_to: Day | None = None):
    require(request.actor, "view_books")
    _check_period(date_from, date_to)
    rows = selectors.trial_balance(shop=request.shop, date_from=date_from, date_to=date_to)
    debit = sum((r.debit for r in rows), 0)
    credit = sum((r.credit for r in rows), 0)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "accounts": [
            {
                "code": r.account.code,
                "name": r.account.name,
                "kind": r.account.kind,
                "opening": _money(r.opening),
                "debit": _money(r.debit),
                "credit": _money(r.credit),
                "closing": _money(r.closing),
            }
            for r in rows
        ],
        "totals": {"debit": _money(debit), "credit": _money(credit)},
        "balanced": debit == credit and sum((r.closing for r in rows), 0) == 0,
    }


def _check_period(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise TaladError(_("วันเริ่มต้องไม่หลังวันสิ้นสุด"), fields={"date_from": "after_date_to"})


# --- Settings -------------------------------------------------------------------------------


def settings_out(shop) -> dict:
    books = accounting_settings(shop)
    return {
        "vat_registered": shop.vat_registered,
        "vat_rate": _money(shop.vat_rate),
        "prices_include_vat": shop.prices_include_vat,
        "tax_id": shop.tax_id,
        "branch_code": shop.branch_code,
        "prepaid_issue": books.prepaid_issue,
        "cod_issue": books.cod_issue,
        "prepaid_document_type": books.prepaid_document_type,
        "cod_document_type": books.cod_document_type,
        "number_patterns": {t: number_pattern(books, t) for t in DEFAULT_PATTERNS},
        "account_codes": account_codes(books),
        "promptpay_target": books.promptpay_target,
    }


@router.get(
    "/accounting/settings",
    response={200: SettingsOut, **error_responses(403)},
    operation_id="getAccountingSettings",
    summary="Accounting settings",
)
def get_settings(request):
    require(request.actor, "view_books")
    return settings_out(request.shop)


@router.patch(
    "/accounting/settings",
    response={200: SettingsOut, **error_responses(403, 413)},
    operation_id="updateAccountingSettings",
    summary="Change accounting settings",
)
def change_settings(request, payload: SettingsIn):
    changes = payload.model_dump(exclude_unset=True)
    services.update_accounting_settings(shop=request.shop, changes=changes, by=request.actor)
    return settings_out(request.shop)
