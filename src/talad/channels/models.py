"""What the seller taught Talad about a marketplace's listings (docs/design/marketplaces.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from talad.catalog.models import Variant
from talad.shops.scoping import ShopOwned


class ChannelSku(ShopOwned):
    """A marketplace's SKU (or, when the listing has none, its item id) is this Talad variant.

    Remembered per shop and channel: Shopee's `A-RED` and Lazada's `A-RED` may be different
    things. A bundle is mapped like any variant; its components move in stock."""

    channel = models.CharField(_("ช่องทางการขาย"), max_length=20)
    marketplace_sku = models.CharField(_("SKU ในช่องทาง"), max_length=100)
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "channel", "marketplace_sku"], name="one_mapping_per_channel_sku"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.marketplace_sku}"


class ChannelStockBuffer(ShopOwned):
    """Units held back from what a channel is told it may sell (channels.stock_export): a
    marketplace that learns of a sale late must not oversell the last pieces."""

    channel = models.CharField(_("ช่องทางการขาย"), max_length=20)
    units = models.PositiveIntegerField(_("จำนวนที่กันไว้"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "channel"], name="one_stock_buffer_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.units}"
