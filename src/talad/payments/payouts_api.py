"""/api/v1/payouts — marketplaces' income/settlement reports (upload, list, one report's rows)."""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view
from pydantic import Field

from talad.api_types import Limit, MoneyText, Page, error_responses
from talad.errors import NotFound
from talad.pagination import DEFAULT_LIMIT, decode_cursor, next_cursor
from talad.payments import payout_selectors, payouts
from talad.payments.models import MarketplacePayout, PayoutRow
from talad.shops.permissions import require
from talad.tabular import read_upload, upload_endpoint

router = Router(tags=["payouts"])


class PayoutRowOut(Schema):
    row: int
    external_id: str = Field(description="the platform's order id, as in the report")
    order_id: int | None
    order_number: str | None
    order_amount: MoneyText
    commission: MoneyText
    transaction_fee: MoneyText
    service_fee: MoneyText
    shipping_subsidy: MoneyText
    vat_on_fees: MoneyText = Field(description="the input VAT inside the three fees")
    net_paid: MoneyText
    expected_amount: MoneyText | None = Field(
        description="what the platform owed for the order (its receivable), when found"
    )
    payout_date: date | None
    result: str = Field(description="settled, amount_mismatch, unknown_order, already_settled")
    column: str = Field(description="the report's column a mismatch is in")
    message: str


class PayoutTotalsOut(Schema):
    order_amount: MoneyText
    fees: MoneyText
    vat_on_fees: MoneyText
    shipping_subsidy: MoneyText
    net_paid: MoneyText


class PayoutSummaryOut(Schema):
    rows: int
    counts: dict[str, int] = Field(description="rows per result")
    totals: PayoutTotalsOut
    settled_totals: PayoutTotalsOut


class PayoutOut(Schema):
    id: int
    channel: str
    file_name: str
    created_at: datetime
    by: str
    summary: PayoutSummaryOut
    rows: list[PayoutRowOut]


class PayoutUploadOut(Schema):
    """The report as recorded; a dry run records nothing: `id` is null and the report's own
    fields (channel … by) are absent."""

    id: int | None
    channel: str = None
    file_name: str = None
    created_at: datetime = None
    by: str = None
    summary: PayoutSummaryOut
    rows: list[PayoutRowOut]
    dry_run: bool
    created: bool
    mapping: dict[str, str] = Field(description="the shop's saved columns: field → header")


class PayoutItemOut(Schema):
    id: int
    channel: str
    file_name: str
    created_at: datetime
    summary: PayoutSummaryOut


class PayoutPage(Page):
    items: list[PayoutItemOut]


def row_out(row: PayoutRow) -> dict:
    def money(value):
        return None if value is None else f"{value:.2f}"

    return {
        "row": row.row_number,
        "external_id": row.external_id,
        "order_id": row.order_id,
        "order_number": row.order.number if row.order_id else None,
        **{
            f: money(getattr(row, f))
            for f in (
                "order_amount",
                "commission",
                "transaction_fee",
                "service_fee",
                "shipping_subsidy",
                "vat_on_fees",
                "net_paid",
                "expected_amount",
            )
        },
        "payout_date": row.payout_date,
        "result": row.result,
        "column": row.column,
        "message": row.message,
    }


def payout_out(payout: MarketplacePayout | None, rows: list[PayoutRow]) -> dict:
    head = (
        {
            "id": payout.pk,
            "channel": payout.channel,
            "file_name": payout.file_name,
            "created_at": payout.created_at,
            "by": payout.actor,
        }
        if payout is not None
        else {"id": None}
    )
    return {
        **head,
        "summary": payout_selectors.summarise(rows),
        "rows": [row_out(r) for r in rows],
    }


@router.post(
    "",
    response={200: PayoutUploadOut, 201: PayoutUploadOut, **error_responses(403, 413)},
    exclude_unset=True,
    operation_id="uploadPayout",
    summary="Upload a marketplace's income/settlement report (CSV/xlsx); `dry_run` only shows "
    "the matching",
)
@decorate_view(upload_endpoint)
def upload_payout(
    request,
    file: UploadedFile = File(...),
    channel: str = Form(..., max_length=20),
    mapping: str | None = Form(None, max_length=5000),
    dry_run: bool = False,
):
    require(request.actor, "record_payments")
    result = payouts.import_payout(
        shop=request.shop,
        by=request.actor,
        channel=channel,
        content=read_upload(file),
        filename=file.name or "",
        mapping=mapping,
        dry_run=dry_run,
    )
    body = payout_out(result.payout, result.rows)
    body.update(dry_run=dry_run, created=result.created, mapping=result.mapping)
    return Status(201 if result.created else 200, body)


@router.get(
    "",
    response={200: PayoutPage, **error_responses(403)},
    operation_id="listPayouts",
    summary="Marketplace payout reports, newest first",
)
def list_payouts(request, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT):
    require(request.actor, "record_payments")
    found = payout_selectors.payouts_page(
        shop=request.shop, before_id=decode_cursor(cursor), limit=limit
    )
    return {
        "items": [
            {
                "id": p.pk,
                "channel": p.channel,
                "file_name": p.file_name,
                "created_at": p.created_at,
                "summary": payout_selectors.summarise(list(p.rows.all())),
            }
            for p in found
        ],
        "next_cursor": next_cursor(found, limit),
    }


@router.get(
    "/{int:payout_id}",
    response={200: PayoutOut, **error_responses(403, 404)},
    operation_id="getPayout",
    summary="A payout report: summary and rows",
)
def get_payout(request, payout_id: int):
    require(request.actor, "record_payments")
    if payout_id > 2**63 - 1:
        raise NotFound(_("ไม่พบรายงานการโอนเงิน"))
    payout = payout_selectors.payout_detail(shop=request.shop, payout_id=payout_id)
    return payout_out(payout, payout_selectors.payout_rows(payout))
