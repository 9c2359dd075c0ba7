"""Tenants, the people who work in them, the machines that call them, and the audit trail."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from talad.shops.scoping import ShopOwned
from talad.shops.validators import validate_thai_tax_id

branch_code_validator = RegexValidator(
    r"^\d{5}$", _("รหัสสาขาต้องเป็นตัวเลข 5 หลัก (00000 = สำนักงานใหญ่)")
)


class Role(models.TextChoices):
    """docs/design/tenancy.md#people-members-and-roles. The order is from most to least powerful."""

    OWNER = "owner", _("เจ้าของร้าน")
    ADMIN = "admin", _("ผู้ดูแล")
    STAFF = "staff", _("พนักงาน")
    PACKER = "packer", _("พนักงานแพ็ค")
    ACCOUNTANT = "accountant", _("นักบัญชี")


class Shop(models.Model):
    name = models.CharField(_("ชื่อร้าน"), max_length=200)
    slug = models.SlugField(_("รหัสร้าน"), max_length=60, unique=True)
    tax_id = models.CharField(
        _("เลขประจำตัวผู้เสียภาษี"), max_length=13, blank=True, validators=[validate_thai_tax_id]
    )
    branch_code = models.CharField(
        _("รหัสสาขา"), max_length=5, default="00000", validators=[branch_code_validator]
    )
    address = models.TextField(_("ที่อยู่"), blank=True)
    vat_registered = models.BooleanField(_("จดทะเบียนภาษีมูลค่าเพิ่ม"), default=False)
    prices_include_vat = models.BooleanField(_("ราคารวมภาษีมูลค่าเพิ่มแล้ว"), default=True)
    vat_rate = models.DecimalField(
        _("อัตราภาษีมูลค่าเพิ่ม (%)"), max_digits=5, decimal_places=2, default=Decimal("7.00")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def is_head_office(self) -> bool:
        return self.branch_code == "00000"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "shop"], name="one_membership_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.shop.slug} ({self.role})"


class ApiToken(models.Model):
    """A machine's key to one shop with one role. Only a SHA-256 of the token is kept."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="api_tokens")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="first characters, to recognise a token")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.shop.slug}, {self.role})"


class AuditEntry(models.Model):
    """Who changed what, when, and how it looked before and after. Never edited."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="audit_entries")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.ForeignKey(
        ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["shop", "object_type", "object_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class IdempotencyRecord(ShopOwned):
    """The first response to an API write with an Idempotency-Key, replayed for repeats."""

    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "key"], name="idempotency_key_unique_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.status_code}"
