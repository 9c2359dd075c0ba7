"""Products, their sellable variants (each one SKU) and bundles made of other variants."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from talad.shops.scoping import ShopOwned


class Product(ShopOwned):
    name = models.CharField(_("ชื่อสินค้า"), max_length=255)
    description = models.TextField(_("รายละเอียด"), blank=True)
    active = models.BooleanField(_("เปิดขาย"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        indexes = [models.Index(fields=["shop", "id"])]

    def __str__(self) -> str:
        return self.name


class Variant(ShopOwned):
    """One sellable thing with its own SKU. A bundle variant holds no stock of its own."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(_("รหัสสินค้า (SKU)"), max_length=64)
    name = models.CharField(_("ตัวเลือกสินค้า"), max_length=255, blank=True)
    barcode = models.CharField(_("บาร์โค้ด"), max_length=64, blank=True)
    price = models.DecimalField(_("ราคาขาย"), max_digits=12, decimal_places=2)
    # Moving-average unit cost, kept by inventory.services.receive_stock.
    cost = models.DecimalField(_("ต้นทุน"), max_digits=14, decimal_places=4, default=Decimal("0"))
    weight_grams = models.PositiveIntegerField(_("น้ำหนัก (กรัม)"), default=0)
    allow_backorder = models.BooleanField(_("ขายได้แม้สต๊อกหมด"), default=False)
    low_stock_threshold = models.PositiveIntegerField(_("แจ้งเตือนเมื่อเหลือไม่เกิน"), default=0)
    active = models.BooleanField(_("เปิดขาย"), default=True)
    is_bundle = models.BooleanField(_("สินค้าเซ็ต"), default=False)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku"], name="sku_unique_per_shop"),
            models.CheckConstraint(
                condition=models.Q(price__gte=0), name="variant_price_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(cost__gte=0), name="variant_cost_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["shop", "barcode"])]

    def __str__(self) -> str:
        return self.sku

    @property
    def display_name(self) -> str:
        return f"{self.product.name} {self.name}".strip()


class BundleComponent(ShopOwned):
    """`quantity` units of `component` go into one unit of `bundle`."""

    bundle = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="used_in_bundles")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["bundle", "component"], name="component_once_per_bundle"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="component_quantity_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(bundle=models.F("component")),
                name="bundle_not_its_own_component",
            ),
        ]
