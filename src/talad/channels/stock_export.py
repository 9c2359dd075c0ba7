"""Stock to sell per channel: what each marketplace may offer, in the columns of its
mass-update upload (docs/design/stock.md#stock-to-sell-per-channel).

Per SKU the channel is told Talad's available-to-sell over all warehouses (a bundle: the
complete sets its components allow, as inventory.selectors counts them) less the channel's
safety buffer, never below zero. The SKUs are the channel's own: each marketplace SKU mapped
to a variant (channels.models.ChannelSku), then every other active variant under its Talad
SKU (the seller who uses one code everywhere maps nothing). A variant closed for sale is
told 0, so its listings stop selling.
"""

import csv
import io
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from talad.catalog.models import Variant
from talad.channels.models import ChannelSku, ChannelStockBuffer
from talad.errors import TaladError
from talad.inventory.selectors import stock_rows
from talad.orders.models import Channel
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

MAX_BUFFER = 1_000_000


@dataclass(frozen=True)
class Layout:
    """The header row a channel's stock upload expects: its SKU column and its stock column."""

    sku: str
    quantity: str


# The SKU headers are the ones the marketplaces' own exports use (docs/design/stock.md);
# the quantity headers are unverified: the mass-update templates change with each version.
LAYOUTS = {
    Channel.SHOPEE: Layout("เลขอ้างอิง SKU (SKU Reference No.)", "จำนวน"),
    Channel.LAZADA: Layout("sellerSku", "quantity"),
    Channel.TIKTOK: Layout("Seller SKU", "Quantity"),
}
GENERIC = Layout("sku", "available")


@dataclass(frozen=True)
class StockToSell:
    sku: str  # as the channel knows it
    talad_sku: str
    available: int  # over all warehouses, before the buffer
    to_sell: int  # what the channel is told: available − buffer, at least 0


def layout_for(channel: str) -> Layout:
    return LAYOUTS.get(channel, GENERIC)


def known_channel(code) -> str:
    code = str(code or "").strip()
    if code not in Channel.values:
        raise TaladError(
            _("ไม่รู้จักช่องทาง '%(c)s'") % {"c": code},
            fields={"channel": "unknown_channel"},
            known=Channel.values,
        )
    return code


def stock_buffer(*, shop: Shop, channel: str) -> int:
    row = ChannelStockBuffer.objects.for_shop(shop).filter(channel=channel).first()
    return row.units if row else 0


def stock_buffers(*, shop: Shop) -> dict[str, int]:
    return dict(ChannelStockBuffer.objects.for_shop(shop).values_list("channel", "units"))


@transaction.atomic
def set_stock_buffer(*, shop: Shop, by: Actor, channel: str, units) -> ChannelStockBuffer:
    """Hold back `units` of every SKU from what `channel` is told it may sell."""
    require(by, "change_stock")
    channel = known_channel(channel)
    if isinstance(units, bool) or not isinstance(units, int | str):
        raise TaladError(_("จำนวนที่กันไว้ต้องเป็นจำนวนเต็ม 0 ขึ้นไป"), fields={"units": "invalid"})
    try:
        units = int(str(units).strip())
    except ValueError:
        raise TaladError(
            _("จำนวนที่กันไว้ต้องเป็นจำนวนเต็ม 0 ขึ้นไป"), fields={"units": "invalid"}
        ) from None
    if not 0 <= units <= MAX_BUFFER:
        raise TaladError(_("จำนวนที่กันไว้ต้องเป็นจำนวนเต็ม 0 ขึ้นไป"), fields={"units": "out_of_range"})
    buffers = ChannelStockBuffer.objects.for_shop(shop)
    try:
        with transaction.atomic():  # two first settings at once: one makes the row
            buffers.get_or_create(shop=shop, channel=channel)
    except IntegrityError:
        pass
    row = buffers.select_for_update().get(channel=channel)
    before = {"units": row.units}
    row.units = units
    row.save()
    record_audit(
        shop=shop,
        by=by,
        action="channel.stock_buffer_set",
        obj=row,
        before=before,
        after={"channel": channel, "units": units},
    )
    return row


def stock_to_sell(*, shop: Shop, channel: str) -> list[StockToSell]:
    """One row per SKU the channel knows, by that SKU."""
    channel = known_channel(channel)
    buffer = stock_buffer(shop=shop, channel=channel)
    available: dict[str, int] = {}
    for row in stock_rows(shop=shop):
        available[row.sku] = available.get(row.sku, 0) + row.available
    active = set(Variant.objects.for_shop(shop).filter(active=True).values_list("sku", flat=True))

    def told(sku: str) -> int:
        return max(available.get(sku, 0) - buffer, 0) if sku in active else 0

    rows = {
        m.marketplace_sku: m.variant.sku
        for m in ChannelSku.objects.for_shop(shop).filter(channel=channel).select_related("variant")
    }
    mapped = set(rows.values())
    for sku in active - mapped:  # a variant the seller mapped is known by its mapped codes only
        rows.setdefault(sku, sku)  # a mapping of the same code wins
    return [
        StockToSell(
            sku=code,
            talad_sku=talad,
            available=available.get(talad, 0) if talad in active else 0,
            to_sell=told(talad),
        )
        for code, talad in sorted(rows.items())
    ]


def stock_csv(rows: list[StockToSell], layout: Layout) -> bytes:
    """UTF-8 with a BOM, so a spreadsheet opens Thai headers as Thai."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([layout.sku, layout.quantity])
    for row in rows:
        writer.writerow([row.sku, row.to_sell])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def stock_xlsx(rows: list[StockToSell], layout: Layout) -> bytes:
    """One sheet, the header row first and nothing above it: an upload reads row 1. SKUs are
    written as text, so a numeric SKU keeps its leading zeros."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("stock")
    sheet.append([layout.sku, layout.quantity])
    for row in rows:
        sheet.append([row.sku, row.to_sell])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
