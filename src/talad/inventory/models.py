"""Warehouses, stock levels and the append-only stock ledger (docs/design/stock.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talad.catalog.models import Variant
from talad.shops.scoping import ShopOwned, ShopScopedQuerySet


class Warehouse(ShopOwned):
    name = models.CharField(_("คลังสินค้า"), max_length=120)
    code = models.SlugField(max_length=30)
    is_default = models.BooleanField(default=False)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="warehouse_code_unique_per_shop"),
            models.UniqueConstraint(
                fields=["shop"],
                condition=models.Q(is_default=True),
                name="one_default_warehouse_per_shop",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StockLevel(ShopOwned):
    """What one warehouse holds of one variant. Changed only by inventory.services."""

    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="stock_levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="stock_levels")
    on_hand = models.IntegerField(_("คงเหลือ"), default=0)
    reserved = models.IntegerField(_("ติดจอง"), default=0)
    damaged = models.IntegerField(_("ชำรุด"), default=0)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "warehouse"], name="one_level_per_variant_warehouse"
            ),
            models.CheckConstraint(condition=models.Q(on_hand__gte=0), name="on_hand_not_negative"),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0), name="reserved_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(damaged__gte=0), name="damaged_not_negative"),
        ]

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    RECEIVE = "receive", _("รับสินค้าเข้า")
    ADJUST = "adjust", _("ปรับสต๊อก")
    COUNT = "count", _("นับสต๊อก")
    RESERVE = "reserve", _("ติดจอง")
    RELEASE = "release", _("ยกเลิกจอง")
    SHIP = "ship", _("จัดส่ง")
    RETURN = "return", _("รับคืน")
    DAMAGE = "damage", _("รับคืน (ชำรุด)")


# The reason on a `reserve` movement taken past what was available on the seller's explicit
# "import anyway as backorder", followed by the number of units missing (kept in Thai in
# the ledger, like a count's reason). `talad doctor` accepts the oversold level it explains.
BACKORDER_REASON = "ค้างส่ง (backorder) ขาด"


class Supplier(ShopOwned):
    """Who the shop buys from; named on a receipt so its payable has a name."""

    name = models.CharField(_("ผู้ขาย"), max_length=200)
    tax_id = models.CharField(_("เลขประจำตัวผู้เสียภาษี"), max_length=13, blank=True)
    phone = models.CharField(_("เบอร์โทร"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "name"], name="supplier_name_unique_per_shop")
        ]

    def __str__(self) -> str:
        return self.name


class PaidBy(models.TextChoices):
    """How a receipt was paid for: the account the books credit (docs/design/stock.md#cost)."""

    CREDIT = "credit", _("เงินเชื่อ (ค้างจ่ายผู้ขาย)")
    CASH = "cash", _("เงินสด")
    BANK = "bank", _("โอนจากบัญชีธนาคาร")


class Purchase(ShopOwned):
    """What one receipt of goods cost and how it was paid; its `receive` movements point here.

    Written once with the receipt and never changed: a wrong receipt is undone by an
    adjustment, as on the shelf."""

    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.PROTECT, related_name="purchases"
    )
    reference = models.CharField(_("เลขที่ใบส่งของ / ใบกำกับภาษีผู้ขาย"), max_length=100, blank=True)
    paid_by = models.CharField(_("ชำระโดย"), max_length=10, choices=PaidBy.choices)
    amount = models.DecimalField(_("มูลค่าสินค้า"), max_digits=14, decimal_places=2)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ShopOwned.Meta):
        indexes = [models.Index(fields=["shop", "supplier", "-id"], name="purchases_by_supplier")]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"


class AppendOnlyQuerySet(ShopScopedQuerySet):
    def update(self, **kwargs):
        raise TypeError("the stock ledger is append-only")

    def delete(self):
        raise TypeError("the stock ledger is append-only")


class PlainAppendOnlyQuerySet(models.QuerySet):
    update = AppendOnlyQuerySet.update
    delete = AppendOnlyQuerySet.delete


class StockMovement(ShopOwned):
    """One line of the ledger. The sums of the deltas always equal the level's columns."""

    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="stock_movements")
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="stock_movements"
    )
    kind = models.CharField(max_length=10, choices=MovementKind.choices)
    on_hand_delta = models.IntegerField(default=0)
    reserved_delta = models.IntegerField(default=0)
    damaged_delta = models.IntegerField(default=0)
    unit_cost = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    reference = models.CharField(max_length=80, blank=True, help_text="e.g. order:SO-000123")
    purchase = models.ForeignKey(
        Purchase, null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()
    unscoped = models.Manager.from_queryset(PlainAppendOnlyQuerySet)()

    class Meta(ShopOwned.Meta):
        indexes = [
            models.Index(fields=["shop", "variant", "-id"], name="ledger_by_variant"),
            models.Index(fields=["shop", "-id"], name="ledger_by_shop"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("the stock ledger is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("the stock ledger is append-only")
