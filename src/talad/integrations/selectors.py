"""Reads for the integrations pages and API: the outbox, its attempts, subscriptions."""

from django.db.models import Count
from django.utils.translation import gettext as _

from talad.errors import NotFound
from talad.integrations.models import (
    MessageStatus,
    OutboxMessage,
    Topic,
    WebhookSubscription,
)
from talad.shops.models import Shop

PEAK_TOPICS = (Topic.PEAK_DOCUMENT, Topic.PEAK_JOURNAL)


def outbox_page(
    *,
    shop: Shop,
    status: str | None = None,
    topic: str | None = None,
    subscription_id: int | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[OutboxMessage]:
    """Newest first, keyset on id."""
    qs = OutboxMessage.objects.for_shop(shop).order_by("-id")
    if status:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topic=topic)
    if subscription_id is not None:
        qs = qs.filter(topic=Topic.WEBHOOK, payload__subscription_id=subscription_id)
    if before_id is not None:
        qs = qs.filter(pk__lt=before_id)
    return list(qs.prefetch_related("attempt_log")[:limit])


def outbox_message(*, shop: Shop, message_id: int) -> OutboxMessage:
    message = (
        OutboxMessage.objects.for_shop(shop)
        .prefetch_related("attempt_log")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise NotFound(_("ไม่พบรายการส่ง"))
    return message


def status_counts(*, shop: Shop, topics=None) -> dict[str, int]:
    qs = OutboxMessage.objects.for_shop(shop)
    if topics:
        qs = qs.filter(topic__in=topics)
    counts = dict.fromkeys(MessageStatus.values, 0)
    for row in qs.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def failed_messages_count(*, shop: Shop) -> int:
    return OutboxMessage.objects.for_shop(shop).filter(status=MessageStatus.FAILED).count()


def subscriptions(*, shop: Shop) -> list[WebhookSubscription]:
    return list(WebhookSubscription.objects.for_shop(shop).filter(active=True).order_by("id"))


def subscription(*, shop: Shop, subscription_id: int) -> WebhookSubscription:
    sub = WebhookSubscription.objects.for_shop(shop).filter(pk=subscription_id, active=True).first()
    if sub is None:
        raise NotFound(_("ไม่พบ webhook"))
    return sub
