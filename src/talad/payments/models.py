"""Money received for orders (transfer slips, PromptPay, card, marketplace payouts) and the
carriers' COD statements that pay out what they collected on delivery."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talad.orders.models import Order, PaymentMethod
from talad.payments.slips import slip_path
from talad.shops.scoping import ShopOwned

ZERO = Decimal("0.00")


class PaymentKind(models.TextChoices):
    """Which way the money went: in from the customer, or back out to them."""

    PAYMENT = "payment", _("รับชำระ")
    REFUND = "refund", _("คืนเงิน")


class RefundMethod(models.TextChoices):
    """How a refund left the shop; the books credit BANK, CASH or the platform's balance."""

    TRANSFER = "transfer", _("โอนเงิน")
    PROMPTPAY = "promptpay", _("พร้อมเพย์")
    CASH = "cash", _("เงินสด")
    CARD = "card", _("คืนเข้าบัตร")
    MARKETPLACE = "marketplace", _("คืนผ่านแพลตฟอร์ม")


class Payment(ShopOwned):
    """Money in for an order (`pay`), or out to its customer (a refund); `amount` is positive
    either way and `kind` says which."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=10, choices=PaymentKind.choices, default=PaymentKind.PAYMENT)
    amount = models.DecimalField(_("ยอดเงิน"), max_digits=14, decimal_places=2)
    method = models.CharField(
        max_length=20,
        choices=[*PaymentMethod.choices, (RefundMethod.CASH, RefundMethod.CASH.label)],
    )
    reference = models.CharField(_("เลขอ้างอิง"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("วันเวลาที่ชำระ"))
    # Private to the shop: never under a public URL, served by payments.views.slip.
    slip = models.FileField(_("สลิปโอนเงิน"), upload_to=slip_path, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def slip_url(self) -> str:
        """The slip through the view that checks the shop; blank when there is no slip."""
        return reverse("payments:slip", args=[self.pk]) if self.slip else ""


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
    # A mismatch the seller settled by hand (payments/mismatches.py).
    ACCEPTED = "accepted", _("ยอมรับยอดที่ขนส่งโอนแล้ว")
    DISPUTED = "disputed", _("โต้แย้งกับขนส่ง")


class ShortfallBooking(models.TextChoices):
    """Where the baht a carrier kept back goes when the seller accepts a short payout."""

    EXPENSE = "expense", _("บันทึกเป็นค่าใช้จ่าย (ผลขาด COD)")
    CARRIER_CLAIM = "carrier_claim", _("เรียกเก็บจากขนส่ง (ลูกหนี้ขนส่ง)")


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
    # How the seller settled a mismatch: accepted (the difference booked as `shortfall_booked_as`)
    # or disputed, with their note, by whom and when.
    shortfall = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    shortfall_booked_as = models.CharField(
        max_length=20, choices=ShortfallBooking.choices, blank=True
    )
    note = models.CharField(_("หมายเหตุ"), max_length=500, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    settled_actor = models.CharField(max_length=80, blank=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            # The database itself refuses paying one order's COD out twice.
            models.UniqueConstraint(
                fields=["shop", "order"],
                condition=models.Q(result__in=["matched", "accepted"]),
                name="cod_remitted_once_per_order",
            )
        ]
        indexes = [models.Index(fields=["statement", "row_number"], name="cod_rows_in_order")]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.result}"


# --- Marketplace payouts (payments/payouts.py; docs/design/money.md#marketplace-payouts) ----


class PayoutColumnMapping(ShopOwned):
    """The shop's own header names for a marketplace's income report, used before the
    built-in aliases (payments.payout_columns): the platforms change their reports."""

    channel = models.CharField(max_length=20)
    columns = models.JSONField(default=dict)  # {"external_id": "Order ID", "net_paid": …}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "channel"], name="one_payout_mapping_per_channel"
            )
        ]

    def __str__(self) -> str:
        return self.channel


class MarketplacePayout(ShopOwned):
    """One uploaded income/settlement report. The same file with the same columns is one
    payout: a second upload re-checks its unsettled rows instead of making another."""

    channel = models.CharField(_("ช่องทางการขาย"), max_length=20)
    file_name = models.CharField(max_length=255, blank=True)
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "fingerprint"], name="payout_once_per_file")
        ]
        indexes = [models.Index(fields=["shop", "-id"], name="payouts_newest")]

    def __str__(self) -> str:
        return f"{self.channel} {self.pk}"


class PayoutResult(models.TextChoices):
    SETTLED = "settled", _("ตรงกัน: รับเงินแล้ว")
    AMOUNT_MISMATCH = "amount_mismatch", _("ยอดเงินไม่ตรง")
    UNKNOWN_ORDER = "unknown_order", _("ไม่พบออเดอร์")
    ALREADY_SETTLED = "already_settled", _("รับเงินแล้วก่อนหน้านี้")


class PayoutRow(ShopOwned):
    """One order's line of the report, as the platform wrote it, and what Talad made of it;
    `column` names the file's column a mismatch is in."""

    payout = models.ForeignKey(MarketplacePayout, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField()
    external_id = models.CharField(max_length=100, blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order_amount = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    commission = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    transaction_fee = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    service_fee = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    shipping_subsidy = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    # The input VAT inside the fees: the report's own column, else worked out from them.
    vat_on_fees = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    net_paid = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    # What the platform owed for the order (its AR_MARKETPLACE balance), when it was found.
    expected_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    payout_date = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=20, choices=PayoutResult.choices)
    column = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=300, blank=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            # The database itself refuses settling one order's payout twice.
            models.UniqueConstraint(
                fields=["shop", "order"],
                condition=models.Q(result="settled"),
                name="payout_settled_once_per_order",
            )
        ]
        indexes = [models.Index(fields=["payout", "row_number"], name="payout_rows_in_order")]

    @property
    def fees(self) -> Decimal:
        return self.commission + self.transaction_fee + self.service_fee

    def __str__(self) -> str:
        return f"{self.external_id} {self.result}"
