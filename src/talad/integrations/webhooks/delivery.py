"""Delivering a webhook: POST the event's body, signed, to the subscription's URL. A 2xx
answer is delivered; anything else (another status, a timeout, a refused connection, a URL
that now resolves to a private address) is retried on the outbox schedule."""

import httpx
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.integrations.models import OutboxMessage, Topic, WebhookSubscription
from talad.integrations.outbox import Delivered, DeliveryFailed, register
from talad.integrations.sealed import unseal
from talad.integrations.webhooks.addresses import check_webhook_url
from talad.integrations.webhooks.signing import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    signature,
)

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
KEPT_BODY = 500  # characters of the receiver's answer kept for the delivery log


class WebhookDestination:
    def deliver(self, message: OutboxMessage) -> Delivered:
        sub = (
            WebhookSubscription.objects.for_shop(message.shop_id)
            .filter(pk=message.payload["subscription_id"])
            .first()
        )
        if sub is None or not sub.active:
            raise DeliveryFailed(_("การสมัครรับ webhook นี้ถูกลบหรือปิดแล้ว"))
        try:
            url = check_webhook_url(sub.url)
        except TaladError as exc:
            raise DeliveryFailed(exc.message) from None
        body = message.payload["body"].encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Talad-Webhooks/1",
            EVENT_ID_HEADER: message.payload["event_id"],
            EVENT_TYPE_HEADER: message.payload["type"],
            SIGNATURE_HEADER: signature(unseal(sub.secret_sealed), body),
        }
        try:
            response = httpx.post(
                url, content=body, headers=headers, timeout=TIMEOUT, follow_redirects=False
            )
        except httpx.TimeoutException:
            raise DeliveryFailed(_("ผู้รับไม่ตอบภายในเวลาที่กำหนด")) from None
        except httpx.HTTPError as exc:
            raise DeliveryFailed(_("ติดต่อผู้รับไม่ได้: %(e)s") % {"e": exc}) from None
        answer = response.text[:KEPT_BODY]
        if not response.is_success:
            raise DeliveryFailed(
                f"HTTP {response.status_code}: {answer}", http_status=response.status_code
            )
        return Delivered(
            result={"status": response.status_code, "body": answer},
            http_status=response.status_code,
        )

    def parked(self, message: OutboxMessage) -> None:
        """The delivery log and the integrations page show it; nothing else to update."""

    def requeued(self, message: OutboxMessage) -> None:
        """Nothing beyond the message itself."""


register(Topic.WEBHOOK, WebhookDestination())
