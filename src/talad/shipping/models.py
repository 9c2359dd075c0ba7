"""Carriers per shop, shipments (the parcel of the `ship` action, docs/design/orders.md#actions)
and their tracking timeline (docs/design/shipping.md)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from talad.orders.models import Order
from talad.shipping.carriers import Carrier
from talad.shops.scoping import ShopOwned


class CarrierSetting(ShopOwned):
    """A shop's own version of a carrier: overrides the seed in carriers.CARRIERS with the same
    code, or adds a carrier of its own. A shop without rows uses the seed as it is."""

    code = models.CharField(_("รหัสขนส่ง"), max_length=30)
    name_th = models.CharField(_("ชื่อ (ไทย)"), max_length=100)
    name_en = models.CharField(_("ชื่อ (อังกฤษ)"), max_length=100)
    tracking_url = models.CharField(_("ลิงก์ติดตามพัสดุ"), max_length=300, blank=True)
    cod_fee_percent = models.DecimalField(
        _("ค่าธรรมเนียม COD (%)"), max_digits=5, decimal_places=2, default=Decimal("0.00")
    )
    pattern = models.CharField(_("รูปแบบเลขพัสดุ"), max_length=200, blank=True)
    active = models.BooleanField(_("ใช้งาน"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="carrier_code_unique_per_shop")
        ]

    def __str__(self) -> str:
        return self.code

    def as_carrier(self, aliases: tuple[str, ...] = ()) -> Carrier:
        return Carrier(
            code=self.code,
            name_th=self.name_th,
            name_en=self.name_en,
            tracking_url=self.tracking_url,
            cod_fee_percent=self.cod_fee_percent,
            pattern=self.pattern,
            active=self.active,
            aliases=aliases,
        )


class ShipmentStatus(models.TextChoices):
    LABEL_CREATED = "label_created", _("สร้างใบปะหน้าแล้ว")
    PICKED_UP = "picked_up", _("ขนส่งรับพัสดุแล้ว")
    IN_TRANSIT = "in_transit", _("อยู่ระหว่างขนส่ง")
    DELIVERED = "delivered", _("ส่งถึงแล้ว")
    FAILED = "failed", _("ส่งไม่สำเร็จ")
    RETURNING = "returning", _("กำลังตีกลับ")
    RETURNED = "returned", _("ตีกลับแล้ว")


class Shipment(ShopOwned):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="shipments")
    carrier = models.CharField(_("ขนส่ง"), max_length=30)
    tracking_number = models.CharField(_("เลขพัสดุ"), max_length=60)
    status = models.CharField(
        max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.PICKED_UP
    )
    cod_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    weight_grams = models.PositiveIntegerField(default=0)
    shipping_cost = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the carrier handed it over (the carrier's time when imported): COD age counts from it.
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "carrier", "tracking_number"],
                condition=models.Q(active=True),
                name="tracking_unique_per_carrier",
            )
        ]
        indexes = [models.Index(fields=["shop", "tracking_number"], name="shipment_by_tracking")]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"

    @property
    def tracking_url(self) -> str:
        from talad.shipping.registry import carrier_for  # the registry reads this module

        carrier = carrier_for(self.shop_id, self.carrier)
        return carrier.tracking_link(self.tracking_number) if carrier else ""


class EventSource(models.TextChoices):
    ORDER = "order", _("จากสถานะออเดอร์")
    IMPORT = "import", _("นำเข้าจากไฟล์")
    MANUAL = "manual", _("บันทึกเอง")


class ShipmentEvent(ShopOwned):
    """One step of a parcel's journey. The same status at the same time is recorded once,
    which is what makes re-importing a carrier's status file a no-op."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=EventSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "status", "at"], name="one_event_per_status_and_time"
            )
        ]
        indexes = [models.Index(fields=["shipment", "at"], name="events_by_shipment")]

    def __str__(self) -> str:
        return f"{self.shipment} {self.status} {self.at:%Y-%m-%d %H:%M}"
