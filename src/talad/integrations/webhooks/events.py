"""Order events for webhook subscribers, published into the outbox in the transaction of the
change: one message per event and subscription, so each subscriber's deliveries (and retries)
are its own. The body is fixed when the event happens and sent byte for byte on every retry,
so its signature and `X-Talad-Event-Id` never change."""

import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from talad.integrations.models import OutboxMessage, Topic, WebhookSubscription
from talad.integrations.outbox import publish
from talad.shops.models import Shop

EVENT_TYPES = (
    "order.created",
    "order.status_changed",
    "order.stuck",
    "document.issued",
    "shipment.updated",
)
ANY = "*"


def subscribers(shop_id: int, event_type: str) -> list[WebhookSubscription]:
    return [
        sub
        for sub in WebhookSubscription.objects.for_shop(shop_id).filter(active=True)
        if ANY in sub.events or event_type in sub.events
    ]


def publish_event(*, shop: Shop, event_type: str, data: dict) -> int:
    """Queue the event for every subscription that listens to it; returns how many."""
    subs = subscribers(shop.pk, event_type)
    if subs:
        _queue(shop, subs, event_type, data, mark=None)
    return len(subs)


def _queue(shop: Shop, subs, event_type: str, data: dict, mark: str | None) -> None:
    event_id = f"evt_{uuid.uuid4().hex}"
    body = json.dumps(
        {
            "id": event_id,
            "type": event_type,
            "created_at": timezone.now(),
            "shop": shop.slug,
            "data": data,
        },
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    for sub in subs:
        publish(
            shop=shop,
            topic=Topic.WEBHOOK,
            key=f"{mark or event_id}:{sub.pk}",
            payload={
                "subscription_id": sub.pk,
                "event_id": event_id,
                "type": event_type,
                "body": body,
            },
        )


def order_data(order) -> dict:
    return {
        "id": order.pk,
        "number": order.number,
        "channel": order.channel,
        "external_id": order.external_id,
        "status": order.status,
        "payment_method": order.payment_method,
        "payment_status": order.payment_status,
        "total": f"{order.total:.2f}",
        "customer_name": order.customer_name,
        "carrier": order.carrier,
        "tracking_number": order.tracking_number,
        "created_at": order.created_at,
        "status_changed_at": order.status_changed_at,
    }


def publish_stuck_orders() -> int:
    """The scheduled stuck-order scan: one `order.stuck` event per order and status it got
    stuck in (the outbox key makes a repeat scan add nothing), for shops that listen."""
    from talad.orders.stuck import stuck_orders

    published = 0
    shop_ids = set(
        WebhookSubscription.unscoped.filter(active=True).values_list("shop_id", flat=True)
    )
    for shop in Shop.objects.filter(pk__in=shop_ids):
        subs = subscribers(shop.pk, "order.stuck")
        if not subs:
            continue
        for stuck in stuck_orders(shop=shop):
            since = f"{stuck.order.status_changed_at.timestamp():.0f}"
            mark = f"stuck:{stuck.order.pk}:{stuck.status}:{since}"
            seen = OutboxMessage.objects.for_shop(shop).filter(
                topic=Topic.WEBHOOK, key__startswith=f"{mark}:"
            )
            if seen.exists():
                continue
            data = {
                "order": order_data(stuck.order),
                "status": stuck.status,
                "reason_code": stuck.reason_code,
                "hours_in_status": round(stuck.time_in_status.total_seconds() / 3600, 1),
            }
            try:
                with transaction.atomic():
                    _queue(shop, subs, "order.stuck", data, mark=mark)
            except IntegrityError:  # another worker's scan queued it first
                continue
            published += 1
    return published
