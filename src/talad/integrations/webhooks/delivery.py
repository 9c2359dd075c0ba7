"""Delivering a webhook: POST the event's body, signed, to the subscription's URL. A 2xx
answer is delivered; anything else (another status, a timeout, a refused connection, a URL
that now resolves to a private address) is retried on the outbox schedule.

The connection itself is made by `CheckedBackend`: it resolves the host once, checks every
address (addresses.py) and connects to the address it checked. Proxies from the environment
are not used: a proxy would make the connection somewhere the check never saw."""

import threading

import httpcore
import httpx
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.integrations.models import OutboxMessage, Topic, WebhookSubscription
from talad.integrations.outbox import Delivered, DeliveryFailed, register
from talad.integrations.sealed import unseal
from talad.integrations.webhooks.addresses import allowed_addresses, check_webhook_url
from talad.integrations.webhooks.signing import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    signature,
)

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
KEPT_BODY = 500  # characters of the receiver's answer kept for the delivery log


class CheckedBackend(httpcore.NetworkBackend):
    """httpcore's own sockets, opened only to addresses `allowed_addresses` let through."""

    def __init__(self) -> None:
        self.sockets = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        refused: httpcore.ConnectError | None = None
        for address in allowed_addresses(host, port):
            try:
                return self.sockets.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:  # like the OS: try the next address
                refused = exc
        raise refused or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise httpcore.ConnectError("webhooks are not sent to unix sockets")

    def sleep(self, seconds: float) -> None:
        self.sockets.sleep(seconds)


def checked_transport() -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    # httpcore takes a network backend; httpx does not pass one through, so it is set here.
    if not hasattr(transport._pool, "_network_backend"):
        raise RuntimeError("httpcore changed: webhooks cannot check where they connect")
    transport._pool._network_backend = CheckedBackend()
    return transport


_lock = threading.Lock()
_client: httpx.Client | None = None


def webhook_client() -> httpx.Client:
    """One per process, like outgoing.http_client (a client per delivery costs its TLS context
    and the connection), but one that connects only where addresses.py allows."""
    global _client
    if _client is None:
        with _lock:
            if _client is None:
                _client = httpx.Client(
                    transport=checked_transport(),
                    follow_redirects=False,
                    trust_env=False,
                    headers={"User-Agent": "Talad-Webhooks/1"},
                )
    return _client


class WebhookDestination:
    def deliver(self, message: OutboxMessage) -> Delivered:
        sub = (
            WebhookSubscription.objects.for_shop(message.shop_id)
            .filter(pk=message.payload["subscription_id"])
            .first()
        )
        if sub is None or not sub.active:
            raise DeliveryFailed(_("การสมัครรับ webhook นี้ถูกลบหรือปิดแล้ว"))
        body = message.payload["body"].encode()
        try:
            url = check_webhook_url(sub.url)
            signed = signature(unseal(sub.secret_sealed), body)
        except TaladError as exc:  # an address it may not reach, or a secret it cannot read
            raise DeliveryFailed(exc.message) from None
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            EVENT_ID_HEADER: message.payload["event_id"],
            EVENT_TYPE_HEADER: message.payload["type"],
            SIGNATURE_HEADER: signed,
        }
        try:
            response = webhook_client().post(url, content=body, headers=headers, timeout=TIMEOUT)
        except TaladError as exc:  # the name now resolves somewhere it may not go
            raise DeliveryFailed(exc.message) from None
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
