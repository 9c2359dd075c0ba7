"""Which Talad variant a marketplace line is: the seller's mapping, else the same SKU.

Order of trust: a mapping of the line's SKU, a mapping of its item id (a listing without a
seller SKU), then a sellable Talad variant whose SKU is the marketplace SKU (a seller who
uses the same codes everywhere maps nothing). A mapping always wins over the same-SKU rule,
so a seller can re-point a code that happens to collide with another product's SKU.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from talad.catalog.models import Variant
from talad.channels.imports.rows import ImportedLine
from talad.channels.models import ChannelSku
from talad.errors import NotFound, TaladError
from talad.orders.models import Channel
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit


def line_code(line: ImportedLine) -> str:
    """What the seller maps for this line: its SKU, or its item id when the SKU is blank."""
    return (line.marketplace_sku or line.item_id).strip()


def variants_for_lines(
    *, shop: Shop, channel: str, lines: list[ImportedLine]
) -> dict[str, Variant]:
    """line code → the sellable variant it is, for every code that resolves (one query each
    for mappings and SKUs, whatever the number of lines)."""
    codes = {c for line in lines for c in (line.marketplace_sku.strip(), line.item_id.strip()) if c}
    mapped = {
        m.marketplace_sku: m.variant
        for m in ChannelSku.objects.for_shop(shop)
        .filter(channel=channel, marketplace_sku__in=codes)
        .select_related("variant")
    }
    same = {
        v.sku: v
        for v in Variant.objects.for_shop(shop).filter(sku__in=codes - set(mapped), active=True)
    }
    found = {}
    for line in lines:
        sku, item = line.marketplace_sku.strip(), line.item_id.strip()
        variant = mapped.get(sku) or mapped.get(item) or same.get(sku)
        if variant is not None and variant.active:
            found[line_code(line)] = variant
    return found


@transaction.atomic
def map_sku(*, shop: Shop, by: Actor, channel: str, marketplace_sku: str, sku: str) -> ChannelSku:
    """Remember that `marketplace_sku` on `channel` is the shop's variant `sku` (replacing
    what it was mapped to before)."""
    require(by, "manage_orders")
    channel = _channel(channel)
    code = (marketplace_sku or "").strip()
    if not code or len(code) > 100:
        raise TaladError(
            _("กรอก SKU ในช่องทาง (ไม่เกิน 100 ตัวอักษร)"), fields={"marketplace_sku": "invalid"}
        )
    variant = Variant.objects.for_shop(shop).filter(sku=(sku or "").strip(), active=True).first()
    if variant is None:
        raise TaladError(_("ไม่พบสินค้า SKU '%(sku)s'") % {"sku": sku}, fields={"sku": "unknown_sku"})
    mapping = (
        ChannelSku.objects.for_shop(shop)
        .select_for_update()
        .filter(channel=channel, marketplace_sku=code)
        .first()
    )
    before = {"sku": mapping.variant.sku} if mapping else None
    if mapping is None:
        mapping = ChannelSku(shop=shop, channel=channel, marketplace_sku=code)
    mapping.variant = variant
    mapping.save()
    record_audit(
        shop=shop,
        by=by,
        action="channel_sku.map",
        obj=mapping,
        before=before,
        after={"channel": channel, "marketplace_sku": code, "sku": variant.sku},
    )
    return mapping


@transaction.atomic
def forget_sku(*, shop: Shop, by: Actor, mapping_id: int) -> None:
    """Delete a mapping: the next import reads that code by the same-SKU rule again."""
    require(by, "manage_orders")
    mapping = (
        ChannelSku.objects.for_shop(shop).filter(pk=mapping_id).select_related("variant").first()
    )
    if mapping is None:
        raise NotFound(_("ไม่พบการจับคู่ SKU"))
    record_audit(
        shop=shop,
        by=by,
        action="channel_sku.forget",
        obj=mapping,
        before={
            "channel": mapping.channel,
            "marketplace_sku": mapping.marketplace_sku,
            "sku": mapping.variant.sku,
        },
    )
    mapping.delete()


def sku_mappings(*, shop: Shop, channel: str = "") -> list[ChannelSku]:
    """The shop's mappings, by channel then marketplace SKU."""
    rows = ChannelSku.objects.for_shop(shop).select_related("variant__product")
    if channel:
        rows = rows.filter(channel=channel)
    return list(rows.order_by("channel", "marketplace_sku"))


def _channel(channel: str) -> str:
    if channel not in Channel.values:
        raise TaladError(_("ไม่รู้จักช่องทางการขาย"), fields={"channel": "invalid_choice"})
    return channel
