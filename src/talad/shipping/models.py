"""Shipments: the parcel, its carrier and tracking number (DESIGN.md §4 `ship`)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from talad.orders.models import Order
from talad.shipping.carriers import CARRIERS
from talad.shops.scoping import ShopOwned


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
        carrier = CARRIERS.get(self.carrier)
        return carrier.tracking_link(self.tracking_number) if carrier else ""
