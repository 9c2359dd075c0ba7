"""/api/v1/cod — carriers' COD statements (upload, summary, rows, settling a mismatched row)
and the outstanding-COD report."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view
from pydantic import Field

from talad.api_types import Limit, MoneyText, ObjectIn, Page, error_responses
from talad.errors import NotFound
from talad.pagination import DEFAULT_LIMIT, decode_cursor, next_cursor
from talad.payments import mismatches, selectors, services
from talad.payments.models import (
    CodColumnMapping,
    CodStatement,
    CodStatementRow,
    ShortfallBooking,
)
from talad.shops.permissions import require
from talad.tabular import read_upload, upload_endpoint

router = Router(tags=["cod"])


class StatementRowOut(Schema):
    row: int
    tracking_number: str
    order_id: int | None
    order_number: str | None
    cod_amount: MoneyText
    fee: MoneyText
    vat_on_fee: MoneyText
    net_amount: MoneyText
    expected_amount: MoneyText | None
    transfer_date: date | None
    reference: str
    result: str = Field(
        description="matched, amount_mismatch, unknown_tracking, … (RemittanceResult)"
    )
    message: str
    shortfall: MoneyText | None = Field(
        None, description="an accepted row: the parcel's COD less what the carrier accounted for"
    )
    shortfall_booked_as: str = Field("", description="expense or carrier_claim (accepted rows)")
    note: str = Field("", description="the seller's note when accepting or disputing")
    settled_by: str = ""
    settled_at: datetime | None = None


class AcceptRowIn(ObjectIn):
    booked_as: ShortfallBooking = Field(
        description="expense: a COD shortfall (loss); carrier_claim: a receivable from the carrier"
    )
    note: str = Field("", max_length=mismatches.MAX_NOTE)


class DisputeRowIn(ObjectIn):
    note: str = Field(min_length=1, max_length=mismatches.MAX_NOTE)


class MoneyTotalsOut(Schema):
    cod_amount: MoneyText
    fee: MoneyText
    vat_on_fee: MoneyText
    net_amount: MoneyText


class StatementSummaryOut(Schema):
    rows: int
    counts: dict[str, int] = Field(description="rows per result")
    totals: MoneyTotalsOut
    matched_totals: MoneyTotalsOut


class StatementOut(Schema):
    id: int
    carrier: str
    reference: str
    file_name: str
    created_at: datetime
    by: str
    summary: StatementSummaryOut
    rows: list[StatementRowOut]


class StatementUploadOut(Schema):
    """The statement as recorded; a dry run records nothing: `id` is null and the statement's
    own fields (carrier … by) are absent."""

    id: int | None
    carrier: str = None
    reference: str = None
    file_name: str = None
    created_at: datetime = None
    by: str = None
    summary: StatementSummaryOut
    rows: list[StatementRowOut]
    dry_run: bool
    created: bool
    mapping: dict[str, str] = Field(
        description="the columns used: Talad's field → the file's header"
    )


class StatementItemOut(Schema):
    id: int
    carrier: str
    reference: str
    file_name: str
    created_at: datetime


class StatementPage(Page):
    items: list[StatementItemOut]


class CarrierOutstandingOut(Schema):
    carrier: str
    parcels: int
    amount: MoneyText
    oldest_days: int


class OutstandingParcelOut(Schema):
    order_id: int
    order_number: str
    carrier: str
    tracking_number: str
    cod_amount: MoneyText
    delivered_at: datetime
    age_days: int


class OutstandingOut(Schema):
    carriers: list[CarrierOutstandingOut]
    total: MoneyText
    parcels: int
    items: list[OutstandingParcelOut] = Field(description="oldest first")


class MappingOut(Schema):
    carrier: str
    columns: dict[str, str]


class MappingList(Schema):
    items: list[MappingOut]


def row_out(row: CodStatementRow) -> dict:
    return {
        "row": row.row_number,
        "tracking_number": row.tracking_number,
        "order_id": row.order_id,
        "order_number": row.order.number if row.order_id else None,
        "cod_amount": f"{row.cod_amount:.2f}",
        "fee": f"{row.fee:.2f}",
        "vat_on_fee": f"{row.vat_on_fee:.2f}",
        "net_amount": f"{row.net_amount:.2f}",
        "expected_amount": None if row.expected_amount is None else f"{row.expected_amount:.2f}",
        "transfer_date": row.transfer_date,
        "reference": row.reference,
        "result": row.result,
        "message": row.message,
        "shortfall": None if row.shortfall is None else f"{row.shortfall:.2f}",
        "shortfall_booked_as": row.shortfall_booked_as,
        "note": row.note,
        "settled_by": row.settled_actor,
        "settled_at": row.settled_at,
    }


def statement_out(statement: CodStatement | None, rows: list[CodStatementRow]) -> dict:
    head = (
        {
            "id": statement.pk,
            "carrier": statement.carrier,
            "reference": statement.reference,
            "file_name": statement.file_name,
            "created_at": statement.created_at,
            "by": statement.actor,
        }
        if statement is not None
        else {"id": None}
    )
    return {**head, "summary": selectors.summarise(rows), "rows": [row_out(r) for r in rows]}


@router.post(
    "/statements",
    response={
        200: StatementUploadOut,
        201: StatementUploadOut,
        **error_responses(403, 413),
    },
    exclude_unset=True,
    operation_id="uploadCodStatement",
    summary="Upload a carrier's COD statement (CSV/xlsx); `?dry_run=true` only shows the matching",
)
@decorate_view(upload_endpoint)
def upload_statement(
    request,
    file: UploadedFile = File(...),
    carrier: str = Form(..., max_length=30),
    mapping: str | None = Form(None, max_length=5000),
    statement_number: str | None = Form(None, max_length=100),
    dry_run: bool = False,
):
    require(request.actor, "reconcile_cod")
    result = services.import_statement(
        shop=request.shop,
        by=request.actor,
        carrier=carrier,
        content=read_upload(file),
        filename=file.name or "",
        mapping=mapping,
        statement_number=statement_number or "",
        dry_run=dry_run,
    )
    body = statement_out(result.statement, result.rows)
    body.update(dry_run=dry_run, created=result.created, mapping=result.mapping)
    return Status(201 if result.created else 200, body)


@router.get(
    "/statements",
    response={200: StatementPage, **error_responses(403)},
    operation_id="listCodStatements",
    summary="COD statements, newest first",
)
def list_statements(request, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT):
    require(request.actor, "reconcile_cod")
    rows = selectors.statements_page(
        shop=request.shop, before_id=decode_cursor(cursor), limit=limit
    )
    return {
        "items": [
            {
                "id": s.pk,
                "carrier": s.carrier,
                "reference": s.reference,
                "file_name": s.file_name,
                "created_at": s.created_at,
            }
            for s in rows
        ],
        "next_cursor": next_cursor(rows, limit),
    }


@router.get(
    "/statements/{int:statement_id}",
    response={200: StatementOut, **error_responses(403, 404)},
    operation_id="getCodStatement",
    summary="A statement: summary and rows",
)
def get_statement(request, statement_id: int):
    require(request.actor, "reconcile_cod")
    if statement_id > 2**63 - 1:
        raise NotFound(_("ไม่พบใบแจ้งยอด COD"))
    statement = selectors.statement_detail(shop=request.shop, statement_id=statement_id)
    rows = list(statement.rows.select_related("order").order_by("row_number"))
    return statement_out(statement, rows)


@router.post(
    "/statements/{int:statement_id}/rows/{int:row}/accept",
    response={200: StatementRowOut, **error_responses(403, 404, 409)},
    operation_id="acceptCodShortfall",
    summary="Accept a mismatched row's payout; the shortfall is booked as an expense or a claim",
)
def accept_row(request, statement_id: int, row: int, payload: AcceptRowIn):
    settled = mismatches.accept_cod_shortfall(
        shop=request.shop,
        by=request.actor,
        statement_id=_row_key(statement_id),
        row_number=_row_key(row),
        booked_as=payload.booked_as,
        note=payload.note,
    )
    return row_out(settled)


@router.post(
    "/statements/{int:statement_id}/rows/{int:row}/dispute",
    response={200: StatementRowOut, **error_responses(403, 404, 409)},
    operation_id="disputeCodRow",
    summary="Mark a mismatched row as disputed with the carrier; the COD stays outstanding",
)
def dispute_row(request, statement_id: int, row: int, payload: DisputeRowIn):
    settled = mismatches.dispute_cod_row(
        shop=request.shop,
        by=request.actor,
        statement_id=_row_key(statement_id),
        row_number=_row_key(row),
        note=payload.note,
    )
    return row_out(settled)


def _row_key(value: int) -> int:
    if value > 2**63 - 1:  # the database could not hold it: no such statement or row
        raise NotFound(_("ไม่พบแถวในใบแจ้งยอด COD"))
    return value


@router.get(
    "/outstanding",
    response={200: OutstandingOut, **error_responses(403)},
    operation_id="outstandingCod",
    summary="COD collected and not yet paid out, per carrier",
)
def outstanding(request, carrier: str | None = None):
    require(request.actor, "reconcile_cod")
    return selectors.outstanding_cod(shop=request.shop, carrier=(carrier or "")[:30] or None)


@router.get(
    "/mappings",
    response={200: MappingList, **error_responses(403)},
    operation_id="listCodMappings",
    summary="The column mapping saved for each carrier",
)
def mappings(request):
    require(request.actor, "reconcile_cod")
    saved = CodColumnMapping.objects.for_shop(request.shop).order_by("carrier")
    return {"items": [{"carrier": m.carrier, "columns": m.columns} for m in saved]}
