"""/api/v1/channels/{channel}/stock — stock to sell per channel, as JSON or as the file the
marketplace's mass-update upload takes, and the channel's safety buffer."""

from django.http import HttpResponse
from ninja import Router, Schema
from pydantic import Field, StrictInt

from talad.api_types import ObjectIn, error_responses, file_responses
from talad.channels import stock_export
from talad.shops.permissions import require

router = Router(tags=["channels"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


class StockToSellOut(Schema):
    sku: str = Field(description="the SKU as the channel knows it (a mapped code, else Talad's)")
    talad_sku: str
    available: int = Field(description="available to sell over all warehouses")
    to_sell: int = Field(description="what the channel is told: available − buffer, at least 0")


class ChannelStockOut(Schema):
    channel: str
    buffer: int
    columns: list[str] = Field(description="the header row of the file export")
    items: list[StockToSellOut]


class BufferIn(ObjectIn):
    units: StrictInt = Field(ge=0, le=stock_export.MAX_BUFFER)


class BufferOut(Schema):
    channel: str
    units: int


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _rows(request, channel: str):
    require(request.actor, "view_stock")
    channel = stock_export.known_channel(channel)
    return channel, stock_export.stock_to_sell(shop=request.shop, channel=channel)


@router.get(
    "/{channel}/stock",
    response={200: ChannelStockOut, **error_responses(403)},
    operation_id="channelStock",
    summary="Stock to sell on a channel: each SKU's available less the channel's buffer",
)
def channel_stock(request, channel: str):
    channel, rows = _rows(request, channel)
    layout = stock_export.layout_for(channel)
    return {
        "channel": channel,
        "buffer": stock_export.stock_buffer(shop=request.shop, channel=channel),
        "columns": [layout.sku, layout.quantity],
        "items": [r.__dict__ for r in rows],
    }


@router.get(
    "/{channel}/stock.xlsx",
    response=error_responses(403),
    operation_id="channelStockXlsx",
    openapi_extra=file_responses(XLSX),
    summary="Stock to sell on a channel as xlsx, in the columns of its mass-update upload",
)
def channel_stock_xlsx(request, channel: str):
    channel, rows = _rows(request, channel)
    content = stock_export.stock_xlsx(rows, stock_export.layout_for(channel))
    return _file(content, XLSX, f"stock-{channel}.xlsx")


@router.get(
    "/{channel}/stock.csv",
    response=error_responses(403),
    operation_id="channelStockCsv",
    openapi_extra=file_responses("text/csv"),
    summary="Stock to sell on a channel as CSV (UTF-8 with BOM), in its upload's columns",
)
def channel_stock_csv(request, channel: str):
    channel, rows = _rows(request, channel)
    content = stock_export.stock_csv(rows, stock_export.layout_for(channel))
    return _file(content, CSV, f"stock-{channel}.csv")


@router.put(
    "/{channel}/stock-buffer",
    response={200: BufferOut, **error_responses(403)},
    operation_id="setChannelStockBuffer",
    summary="Units of every SKU held back from what the channel is told it may sell",
)
def set_buffer(request, channel: str, payload: BufferIn):
    row = stock_export.set_stock_buffer(
        shop=request.shop, by=request.actor, channel=channel, units=payload.units
    )
    return {"channel": row.channel, "units": row.units}
