"""Money received for orders (transfer slips, PromptPay, card, marketplace payouts) and the
carriers' COD statements that pay out what they collected on delivery."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talad.orders.models import Order, PaymentMethod
from talad.shops.scoping import ShopOwned

ZERO = Decimal("0.00")


class Payment(ShopOwned):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("ยอดเงิน"), max_digits=14, decimal_places=2)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("เลขอ้างอิง"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("วันเวลาที่ชำระ"))
    slip = models.FileField(_("สลิปโอนเงิน"), upload_to="slips/%Y/%m/", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class CodColumnMapping(ShopOwned):
    """Which column of a carrier's statement holds which field; saved per carrier because
    no carrier publishes its layout (docs/design/shipping.md#statements-remittance)."""

    carrier = models.CharField(max_length=30)
    columns = models.JSONField(default=dict)  # {"tracking": "Tracking No.", "fee": "ค่าธรรมเนียม", …}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "carrier"], name="one_cod_mapping_per_carrier")
        ]

    def __str__(self) -> str:
        return self.carrier


class CodStatement(ShopOwned):
    """One uploaded statement. The same file with the same mapping is one statement: a
    second upload re-checks its unresolved rows instead of making another."""

    carrier = models.CharField(_("ขนส่ง"), max_length=30)
    reference = models.CharField(_("เลขที่ใบแจ้งยอด"), max_length=100, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "fingerprint"], name="cod_statement_once_per_file"
            )
        ]
        indexes = [models.Index(fields=["shop", "-id"], name="cod_statements_newest")]

    def __str__(self) -> str:
        return f"{self.carrier} {self.reference or self.pk}"


class RemittanceResult(models.TextChoices):
    MATCHED = "matched", _("ตรงกัน: รับเงินแล้ว")
    AMOUNT_MISMATCH = "amount_mismatch", _("ยอดเงินไม่ตรง")
    UNKNOWN_TRACKING = "unknown_tracking", _("ไม่พบเลขพัสดุ")
    ALREADY_REMITTED = "already_remitted", _("รับเงินแล้วก่อนหน้านี้")
    NOT_DELIVERED = "not_delivered", _("ยังไม่ได้ส่งถึง / ไม่ได้เก็บเงิน")


class CodStatementRow(ShopOwned):
    statement = models.ForeignKey(CodStatement, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()
    tracking_number = models.CharField(max_length=60, blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cod_amount = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    fee = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    vat_on_fee = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    net_amount = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    # What the parcel should have collected (its shipment's COD amount), when it was found.
    expected_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    transfer_date = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    result = models.CharField(max_length=20, choices=RemittanceResult.choices)
    message = models.CharField(max_length=300, blank=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            # The database itself refuses paying one order's COD out twice.
            models.UniqueConstraint(
                fields=["shop", "order"],
                condition=models.Q(result="matched"),
                name="cod_remitted_once_per_order",
            )
        ]
        indexes = [models.Index(fields=["statement", "row_number"], name="cod_rows_in_order")]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.result}"
