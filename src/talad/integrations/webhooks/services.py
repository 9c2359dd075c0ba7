"""A shop's webhook subscriptions: made (the secret shown once), removed, and a delivery
replayed (the same event id and body again, for a receiver that lost it)."""

from django.db import transaction
from django.utils.translation import gettext as _

from talad.errors import Conflict, NotFound, TaladError
from talad.integrations.models import MessageStatus, OutboxMessage, Topic, WebhookSubscription
from talad.integrations.outbox import requeue
from talad.integrations.sealed import seal
from talad.integrations.webhooks.addresses import check_webhook_url
from talad.integrations.webhooks.events import ANY, EVENT_TYPES
from talad.integrations.webhooks.signing import new_secret
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

MAX_SUBSCRIPTIONS = 20


def clean_events(events: list[str]) -> list[str]:
    unknown = [e for e in events if e != ANY and e not in EVENT_TYPES]
    if not events or unknown:
        raise TaladError(
            _("เหตุการณ์ที่ไม่รู้จัก: %(e)s") % {"e": ", ".join(unknown)}
            if unknown
            else _("เลือกอย่างน้อยหนึ่งเหตุการณ์"),
            fields={"events": "unknown_event" if unknown else "required"},
            known=[ANY, *EVENT_TYPES],
        )
    return sorted(set(events))


def subscribe(
    *, shop: Shop, url: str, events: list[str], by: Actor
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret (returned once; only a sealed copy is kept)."""
    require(by, "manage_webhooks")
    url = check_webhook_url(url)
    events = clean_events(events)
    with transaction.atomic():
        if WebhookSubscription.objects.for_shop(shop).filter(active=True).count() >= (
            MAX_SUBSCRIPTIONS
        ):
            raise Conflict(
                _("ร้านหนึ่งมี webhook ได้ไม่เกิน %(n)s รายการ") % {"n": MAX_SUBSCRIPTIONS},
                fields={"url": "too_many"},
            )
        secret = new_secret()
        sub = WebhookSubscription.objects.create(
            shop=shop, url=url, events=events, secret_sealed=seal(secret)
        )
        record_audit(
            shop=shop,
            by=by,
            action="webhook.subscribe",
            obj=sub,
            after={"url": url, "events": events},
        )
    return sub, secret


def unsubscribe(*, subscription: WebhookSubscription, by: Actor) -> None:
    """Removed for good; its deliveries still waiting are parked (their log stays)."""
    require(by, "manage_webhooks")
    with transaction.atomic():
        OutboxMessage.objects.for_shop(subscription.shop_id).filter(
            topic=Topic.WEBHOOK,
            status=MessageStatus.PENDING,
            payload__subscription_id=subscription.pk,
        ).update(status=MessageStatus.FAILED, last_error=_("ยกเลิกการสมัครรับ webhook แล้ว"))
        record_audit(
            shop=subscription.shop,
            by=by,
            action="webhook.unsubscribe",
            obj=subscription,
            before={"url": subscription.url, "events": subscription.events},
        )
        subscription.active = False
        subscription.save(update_fields=["active"])


def replay(*, message: OutboxMessage, by: Actor) -> OutboxMessage:
    """Send a delivered or failed event again, with the same event id and body."""
    require(by, "manage_webhooks")
    if message.topic != Topic.WEBHOOK:
        raise NotFound(_("ไม่พบรายการส่ง webhook"))
    return requeue(
        message=message,
        by=by,
        allowed=(MessageStatus.SENT, MessageStatus.FAILED),
        refusal=_("รายการนี้กำลังรอส่งอยู่แล้ว"),
        action="webhook.replay",
    )
