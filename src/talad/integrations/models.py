"""The road out of Talad: the outbox, each delivery attempt, and what a shop connects to.

An OutboxMessage is written in the transaction of the change that causes it, so a rolled-back
action leaves none. Workers deliver it at least once (outbox.py); the receiving side makes that
exactly once where it matters (PEAK: look the code up before resending; webhooks: the event id).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talad.shops.scoping import ShopOwned


class MessageStatus(models.TextChoices):
    # "รอส่ง" is also an order status ("to ship"): the context keeps the English apart.
    PENDING = "pending", pgettext_lazy("outbox", "รอส่ง")
    SENT = "sent", pgettext_lazy("outbox", "ส่งแล้ว")
    FAILED = "failed", pgettext_lazy("outbox", "ส่งไม่สำเร็จ")


class Topic(models.TextChoices):
    PEAK_DOCUMENT = "peak.document", _("เอกสารเข้า PEAK")
    PEAK_JOURNAL = "peak.journal", _("สมุดรายวันเข้า PEAK")
    WEBHOOK = "webhook", _("Webhook")


class OutboxMessage(ShopOwned):
    """Something the outside world must hear about. `key` makes a message unique per topic
    (a document id, an event id and subscription), so the same change is never queued twice."""

    topic = models.CharField(max_length=40, choices=Topic.choices)
    key = models.CharField(max_length=120)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    last_http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    # A worker delivering the message holds it until `locked_until`; a killed worker's hold
    # simply runs out and the message is delivered again.
    locked_until = models.DateTimeField(null=True, blank=True)
    locked_by = models.CharField(max_length=120, blank=True)
    # When a delivery task was last put on the task queue for it (so the sweep does not pile
    # up tasks for a message that is already waiting in the queue).
    queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "topic", "key"], name="outbox_one_message_per_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["shop", "status", "-id"], name="outbox_by_status"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.key} ({self.status})"


class AttemptOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("กำลังส่ง")
    SENT = "sent", _("สำเร็จ")
    ERROR = "error", _("ผิดพลาด")


class DeliveryAttempt(ShopOwned):
    """One try at delivering a message. Written when the try starts, so a worker killed in the
    middle leaves an attempt that is still `in_progress`: the trace of the interruption."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=12, choices=AttemptOutcome.choices, default=AttemptOutcome.IN_PROGRESS
    )
    error = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    worker = models.CharField(max_length=120, blank=True)

    class Meta(ShopOwned.Meta):
        ordering = ["id"]

    def __str__(self) -> str:
        return f"attempt {self.pk} of message {self.message_id}: {self.outcome}"


class PeakConnection(ShopOwned):
    """A shop's PEAK account: where to call, the credentials (sealed: talad.integrations.sealed)
    and what to send. Account codes and payment-method ids are maps the shop fills in."""

    base_url = models.URLField(max_length=300)
    connect_id = models.CharField(max_length=200)
    connect_key_sealed = models.TextField()
    user_token_sealed = models.TextField()
    signature = models.CharField(max_length=10, default="hex")
    timeout = models.FloatField(default=30.0)
    enabled = models.BooleanField(default=True)
    # Which Talad document types go to PEAK; empty means every type.
    document_types = models.JSONField(default=list, blank=True)
    send_cod_remittances = models.BooleanField(default=True)
    # Account role → PEAK account code, over the shop's own chart (accounting settings).
    account_codes = models.JSONField(default=dict, blank=True)
    # Talad payment method (transfer, cod, cash, promptpay, …) → PEAK payment method id.
    payment_method_ids = models.JSONField(default=dict, blank=True)
    # Values PEAK has not published (docs/integrations.md#peak), with defaults in
    # peak/payloads.py: juristic_type, prefix_name_type, receipt_credit_type, journal_type_id.
    options = models.JSONField(default=dict, blank=True)
    # The client token PEAK gave, sealed, and until when we use it (PEAK: 24 h; we renew at 23).
    client_token_sealed = models.TextField(blank=True)
    client_token_expires_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check_ok = models.BooleanField(null=True)
    last_check_message = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop"], name="one_peak_connection_per_shop")
        ]

    def __str__(self) -> str:
        return f"PEAK for shop #{self.shop_id} at {self.base_url}"


class PeakRecord(ShopOwned):
    """A contact or product Talad already created in the shop's PEAK, re-used by its code."""

    kind = models.CharField(max_length=10, choices=[("contact", "contact"), ("product", "product")])
    code = models.CharField(max_length=64)
    peak_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "kind", "code"], name="one_peak_record_per_code"
            )
        ]

    def __str__(self) -> str:
        return f"PEAK {self.kind} {self.code}"


class WebhookSubscription(ShopOwned):
    """A URL of the shop's that hears about its orders. The secret signs every body; it is
    sealed at rest and shown once, when the subscription is made."""

    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret_sealed = models.TextField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(ShopOwned.Meta):
        ordering = ["id"]

    def __str__(self) -> str:
        return f"webhook {self.url}"
