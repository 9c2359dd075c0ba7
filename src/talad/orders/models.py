"""Customers, orders, their lines and their status history (docs/design/orders.md)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talad.catalog.models import Variant
from talad.shops.scoping import ShopOwned

ZERO = Decimal("0.00")


class Status(models.TextChoices):
    PENDING = "pending", _("รอชำระเงิน")
    TO_PACK = "to_pack", _("รอแพ็ค")
    TO_SHIP = "to_ship", _("รอส่ง")
    SHIPPED = "shipped", _("จัดส่งแล้ว")
    DELIVERED = "delivered", _("ได้รับสินค้าแล้ว")
    CANCELLED = "cancelled", _("ยกเลิก")
    RETURNING = "returning", _("กำลังตีกลับ")
    RETURNED = "returned", _("ตีกลับแล้ว")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("ยังไม่ชำระ")
    PAID = "paid", _("ชำระแล้ว")
    COD_PENDING = "cod_pending", _("เก็บเงินปลายทาง (รอเก็บเงิน)")
    COD_COLLECTED = "cod_collected", _("ขนส่งเก็บเงินแล้ว")
    COD_REMITTED = "cod_remitted", _("ได้รับเงิน COD แล้ว")
    REFUNDED = "refunded", _("คืนเงินแล้ว")
    PARTIALLY_REFUNDED = "partially_refunded", _("คืนเงินบางส่วน")


class Channel(models.TextChoices):
    WEBSITE = "website", _("เว็บไซต์")
    FACEBOOK = "facebook", "Facebook"
    LINE = "line", "LINE"
    INSTAGRAM = "instagram", "Instagram"
    SHOPEE = "shopee", "Shopee"
    LAZADA = "lazada", "Lazada"
    TIKTOK = "tiktok", "TikTok Shop"
    PHONE = "phone", _("โทรศัพท์")
    WALK_IN = "walk_in", _("หน้าร้าน")
    OTHER = "other", _("อื่น ๆ")


MARKETPLACES = frozenset({Channel.SHOPEE, Channel.LAZADA, Channel.TIKTOK})


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("โอนเงิน")
    PROMPTPAY = "promptpay", _("พร้อมเพย์")
    COD = "cod", _("เก็บเงินปลายทาง (COD)")
    CARD = "card", _("บัตร")
    MARKETPLACE = "marketplace", _("ชำระผ่านแพลตฟอร์ม")


class Address(models.Model):
    """A structured Thai address (docs/design/shipping.md#addresses); the parts are kept apart
    for labels and PEAK."""

    address_line = models.CharField(_("ที่อยู่"), max_length=255, blank=True)
    subdistrict = models.CharField(_("แขวง / ตำบล"), max_length=100, blank=True)
    district = models.CharField(_("เขต / อำเภอ"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    postcode = models.CharField(_("รหัสไปรษณีย์"), max_length=5, blank=True)

    class Meta:
        abstract = True


class Customer(ShopOwned, Address):
    name = models.CharField(_("ชื่อลูกค้า"), max_length=200)
    phone = models.CharField(_("เบอร์โทร"), max_length=10, blank=True)
    email = models.EmailField(blank=True)
    line_id = models.CharField("LINE ID", max_length=100, blank=True)
    social_name = models.CharField(_("ชื่อ Facebook / Instagram"), max_length=200, blank=True)
    tax_id = models.CharField(_("เลขประจำตัวผู้เสียภาษี"), max_length=13, blank=True)
    branch_code = models.CharField(_("รหัสสาขา"), max_length=5, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "phone"],
                condition=~models.Q(phone=""),
                name="one_customer_per_phone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.phone}".strip()


class OrderNumberSequence(ShopOwned):
    """The last order number used by a shop; bumped under a row lock so numbers have no gaps."""

    prefix = models.CharField(max_length=10, default="SO-")
    last_number = models.PositiveBigIntegerField(default=0)

    class Meta(ShopOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["shop"], name="one_order_sequence_per_shop")]


class Order(ShopOwned, Address):
    number = models.CharField(_("เลขที่ออเดอร์"), max_length=30)
    channel = models.CharField(_("ช่องทางการขาย"), max_length=20, choices=Channel.choices)
    external_id = models.CharField(_("เลขออเดอร์จากช่องทาง"), max_length=100, blank=True)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    # A snapshot: the order keeps what was true when it was placed.
    customer_name = models.CharField(_("ชื่อผู้รับ"), max_length=200)
    customer_phone = models.CharField(_("เบอร์โทร"), max_length=10, blank=True)
    customer_tax_id = models.CharField(max_length=13, blank=True)
    customer_branch_code = models.CharField(max_length=5, blank=True)
    status = models.CharField(
        _("สถานะ"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    status_changed_at = models.DateTimeField()
    payment_method = models.CharField(_("วิธีชำระเงิน"), max_length=20, choices=PaymentMethod.choices)
    payment_status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    subtotal = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    shipping_fee = models.DecimalField(_("ค่าส่ง"), max_digits=12, decimal_places=2, default=ZERO)
    discount = models.DecimalField(_("ส่วนลด"), max_digits=12, decimal_places=2, default=ZERO)
    net_total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    vat_total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    total = models.DecimalField(_("ยอดรวม"), max_digits=14, decimal_places=2, default=ZERO)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=ZERO)
    prices_include_vat = models.BooleanField(default=True)
    refund_owed = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    holds_reservation = models.BooleanField(
        default=True, help_text="stock is reserved for its lines"
    )
    note = models.TextField(_("หมายเหตุ"), blank=True)
    tags = models.JSONField(default=list, blank=True)
    ship_by = models.DateTimeField(_("ต้องส่งภายใน"), null=True, blank=True)
    # The latest parcel, copied here by `ship` so the order desk can search by it.
    carrier = models.CharField(_("ขนส่ง"), max_length=30, blank=True)
    tracking_number = models.CharField(_("เลขพัสดุ"), max_length=60, blank=True)
    cancel_reason = models.CharField(max_length=255, blank=True)
    failed_delivery_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="order_number_unique_per_shop"),
            models.UniqueConstraint(
                fields=["shop", "channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="external_id_unique_per_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "-id"], name="orders_newest"),
            models.Index(fields=["shop", "status", "-id"], name="orders_by_status"),
            # The stuck-order monitor reads open orders oldest first (orders/stuck.py). Partial:
            # it holds only orders that can be stuck, and PostgreSQL uses it only while every
            # arm of the monitor's query names one of these statuses; keep them in step.
            models.Index(
                fields=["shop", "status_changed_at"],
                name="orders_open_by_age",
                condition=models.Q(
                    status__in=["pending", "to_pack", "to_ship", "shipped", "returning"]
                )
                | models.Q(status="delivered", payment_status="cod_collected"),
            ),
            models.Index(fields=["shop", "customer_phone"], name="orders_by_phone"),
            # Covering (PostgreSQL): the dashboard's sales per day and channel read the index only.
            models.Index(
                fields=["shop", "created_at"],
                name="orders_by_created_cover",
                include=["status", "channel", "total", "id"],
            ),
            models.Index(fields=["shop", "tracking_number"], name="orders_by_tracking"),
            # Search by a marketplace's order id without its channel (orders/selectors.py).
            models.Index(
                fields=["shop", "external_id"],
                name="orders_by_external_id",
                condition=~models.Q(external_id=""),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_cod(self) -> bool:
        return self.payment_method == PaymentMethod.COD

    @property
    def status_label(self) -> str:
        """The status as a seller reads it: a COD order in `pending` is not waiting for a
        payment but for the seller to confirm it (confirm_cod)."""
        if self.status == Status.PENDING and self.is_cod:
            return str(_("รอยืนยันออเดอร์เก็บเงินปลายทาง"))
        return self.get_status_display()


class OrderLine(ShopOwned):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    line_discount = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    line_total = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="line_quantity_positive"
            )
        ]


class StatusChange(ShopOwned):
    """One step of an order's life. Written only by orders.services; never edited."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    action = models.CharField(max_length=30)
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta(ShopOwned.Meta):
        indexes = [models.Index(fields=["order", "id"], name="history_by_order")]


class StuckLimits(ShopOwned):
    """How long an order may stay in each status before it counts as stuck (hours)."""

    pending_hours = models.PositiveIntegerField(_("รอชำระเงิน (ชั่วโมง)"), default=48)
    to_pack_hours = models.PositiveIntegerField(_("รอแพ็ค (ชั่วโมง)"), default=24)
    to_ship_hours = models.PositiveIntegerField(_("รอส่ง (ชั่วโมง)"), default=24)
    shipped_hours = models.PositiveIntegerField(_("จัดส่งแล้ว (ชั่วโมง)"), default=7 * 24)
    returning_hours = models.PositiveIntegerField(_("กำลังตีกลับ (ชั่วโมง)"), default=14 * 24)
    cod_unremitted_hours = models.PositiveIntegerField(_("COD ยังไม่โอน (ชั่วโมง)"), default=10 * 24)

    class Meta(ShopOwned.Meta):
        constraints = [models.UniqueConstraint(fields=["shop"], name="one_stuck_limits_per_shop")]
