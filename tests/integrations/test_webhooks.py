"""A shop's own systems hear about its orders: signed webhooks, retried until they arrive, never
sent for something that did not happen, and never pointed inside the network Talad runs in.

Deliveries are real HTTP to a local receiver (tests/fakes/receiver.py), run in-process by the
same `outbox.deliver` a worker calls."""

import dataclasses
import hashlib
import hmac
import json
import socket
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from talad.accounting.models import Document
from talad.errors import TaladError
from talad.integrations import outbox
from talad.integrations.models import MessageStatus, OutboxMessage, Topic, WebhookSubscription
from talad.integrations.webhooks import delivery
from talad.integrations.webhooks.events import publish_stuck_orders
from talad.inventory.errors import InsufficientStock
from talad.orders.models import Order
from talad.orders.signals import order_action_applied
from tests.accounting.factories import act, goods, prepaid_order, vat_shop
from tests.conftest import ApiClient, make_variant, token_for
from tests.fakes.receiver import Receiver
from tests.integrations.helpers import run_outbox
from tests.orders.factories import make_order

pytestmark = pytest.mark.django_db

PUBLIC_IP = "93.184.216.34"  # a global address: what a real receiver's name resolves to

# orders.services._open_order records the "create" status change but never sends
# order_action_applied for it, so integrations.receivers never hears of a new order. Strict:
# once orders.services sends it, these pass and the marker must go.


@pytest.fixture
def hook(settings):
    """A receiver on 127.0.0.1, which the install is told it may reach."""
    settings.TALAD_WEBHOOKS_ALLOW_PRIVATE = True
    with Receiver() as receiver:
        yield receiver


@pytest.fixture
def private_refused(settings):
    settings.TALAD_WEBHOOKS_ALLOW_PRIVATE = False


class FakeDns:
    """Names whose addresses the test decides: `answer(name, a, b)` makes the first lookup of
    `name` give a, and every later one b; `answer(name)` makes it a name that does not exist.
    Every other name resolves as usual."""

    def __init__(self, monkeypatch):
        self._answers: dict[str, list[str]] = {}
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            name = host.decode() if isinstance(host, bytes) else host
            answers = self._answers.get(name)
            if answers is None:
                return real(host, port, *args, **kwargs)
            if not answers:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            address = answers.pop(0) if len(answers) > 1 else answers[0]
            return real(address, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def answer(self, name: str, *addresses: str) -> None:
        self._answers[name] = list(addresses)


@pytest.fixture
def dns(monkeypatch):
    return FakeDns(monkeypatch)


def vat_shop_with_api():
    shop = vat_shop()
    return shop, ApiClient(token_for(shop))


def subscribe(api, url, events=("*",)):
    response = api.post("/api/v1/webhooks", {"url": url, "events": list(events)})
    assert response.status_code == 201, response.content
    return response.json()


def signed_by(request, secret: str) -> bool:
    """What a receiver does with nothing but the secret: HMAC-SHA256 over the raw bytes."""
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.header("X-Talad-Signature") or "", expected)


def verified(request, secret: str) -> dict:
    """The event a receiver reads, once the signature and the documented headers check out."""
    assert signed_by(request, secret)
    event = json.loads(request.body)
    assert request.header("X-Talad-Event-Id") == event["id"]
    assert request.header("X-Talad-Event") == event["type"]
    return event


def events_of(receiver, secret) -> list[dict]:
    return [verified(r, secret) for r in receiver.requests]


def webhook_messages(shop):
    return OutboxMessage.objects.for_shop(shop).filter(topic=Topic.WEBHOOK).order_by("id")


def pay_for_an_order(shop):
    """A transfer order, paid: `order.status_changed` from pending to to_pack."""
    order = make_order(shop, make_variant(shop, on_hand=1), payment_method="transfer")
    return act(order, "pay")


def deliveries(api, sub) -> list[dict]:
    response = api.get(f"/api/v1/webhooks/{sub['id']}/deliveries")
    assert response.status_code == 200, response.content
    return response.json()["items"]


# --- What a subscriber receives -----------------------------------------------------------------


def test_a_new_order_reaches_the_subscriber_signed_with_the_secret_shown_once(api, shop, hook):
    sub = subscribe(api, f"{hook.url}/talad/hook", ["order.created"])
    assert sub["secret"].startswith("whsec_")
    listed = api.get("/api/v1/webhooks").json()["items"]
    assert [s["id"] for s in listed] == [sub["id"]]
    assert sub["secret"] not in json.dumps(listed)

    order = make_order(shop, make_variant(shop, on_hand=5), 2)
    assert run_outbox() == {"sent": 1}

    (request,) = hook.requests
    assert (request.method, request.path) == ("POST", "/talad/hook")
    assert request.header("Content-Type").startswith("application/json")
    event = verified(request, sub["secret"])
    assert set(event) == {"id", "type", "created_at", "shop", "data"}
    assert event["type"] == "order.created"
    assert event["shop"] == shop.slug
    assert event["data"]["order"]["id"] == order.pk
    assert event["data"]["order"]["number"] == order.number
    assert event["data"]["order"]["status"] == "pending"
    assert event["data"]["order"]["total"] == f"{order.total:.2f}"


def test_a_signature_made_with_another_secret_or_over_a_changed_body_does_not_verify(
    api, shop, hook
):
    sub = subscribe(api, hook.url, ["order.status_changed"])
    pay_for_an_order(shop)
    run_outbox()

    (request,) = hook.requests
    assert signed_by(request, sub["secret"])
    assert not signed_by(request, sub["secret"] + "x")
    changed = dataclasses.replace(request, body=request.body.replace(b"to_pack", b"shipped"))
    assert not signed_by(changed, sub["secret"])


def test_paying_packing_and_shipping_each_tell_the_subscriber_from_where_to_where(hook):
    shop, api = vat_shop_with_api()
    sub = subscribe(api, hook.url, ["order.status_changed", "shipment.updated"])
    order = prepaid_order(shop, goods(shop))
    act(order, "pay")
    act(order, "pack")
    act(order, "ship", carrier="flash", tracking_number="TH1234567890")

    assert run_outbox() == {"sent": 4}
    events = events_of(hook, sub["secret"])
    changes = {
        (e["data"]["action"], e["data"]["from"], e["data"]["to"])
        for e in events
        if e["type"] == "order.status_changed"
    }
    assert changes == {
        ("pay", "pending", "to_pack"),
        ("pack", "to_pack", "to_ship"),
        ("ship", "to_ship", "shipped"),
    }
    assert all(e["data"]["order"]["id"] == order.pk for e in events if "order" in e["data"])
    (shipped,) = [e for e in events if e["type"] == "shipment.updated"]
    assert shipped["data"]["shipment"]["order_id"] == order.pk
    assert shipped["data"]["shipment"]["carrier"] == "flash"
    assert shipped["data"]["shipment"]["tracking_number"] == "TH1234567890"
    assert shipped["data"]["event"]["status"] == "picked_up"
    assert len({e["id"] for e in events}) == 4


def test_a_vat_shop_s_payment_tells_the_subscriber_its_tax_document_was_issued(hook):
    shop, api = vat_shop_with_api()
    sub = subscribe(api, hook.url, ["document.issued"])
    order = prepaid_order(shop, goods(shop))
    act(order, "pay")

    assert run_outbox() == {"sent": 1}
    (event,) = events_of(hook, sub["secret"])
    (document,) = Document.objects.for_shop(shop).filter(order=order)
    assert event["type"] == "document.issued"
    issued = event["data"]["document"]
    assert (issued["id"], issued["number"], issued["order_id"]) == (
        document.pk,
        document.number,
        order.pk,
    )
    assert issued["type"] == document.doc_type
    assert issued["total_amount"] == f"{document.total_amount:.2f}"
    assert issued["vat_amount"] == f"{document.vat_amount:.2f}"


def heard_by(hook, path, sub) -> list[str]:
    return [verified(r, sub["secret"])["type"] for r in hook.requests if r.path == path]


def test_a_subscription_hears_only_the_events_it_chose(api, shop, hook):
    changes_only = subscribe(api, f"{hook.url}/changes", ["order.status_changed"])
    shipments_only = subscribe(api, f"{hook.url}/shipments", ["shipment.updated"])
    order = pay_for_an_order(shop)
    act(order, "cancel")

    run_outbox()

    assert heard_by(hook, "/changes", changes_only) == ["order.status_changed"] * 2
    assert heard_by(hook, "/shipments", shipments_only) == []


def test_a_subscription_to_new_orders_hears_no_status_changes_and_a_star_hears_everything(
    api, shop, hook
):
    created_only = subscribe(api, f"{hook.url}/created", ["order.created"])
    everything = subscribe(api, f"{hook.url}/all", ["*"])
    order = make_order(shop, make_variant(shop, on_hand=3), payment_method="transfer")
    act(order, "pay")
    act(order, "cancel")

    run_outbox()

    assert heard_by(hook, "/created", created_only) == ["order.created"]
    heard = heard_by(hook, "/all", everything)
    assert heard.count("order.created") == 1
    assert heard.count("order.status_changed") == 2
    assert set(heard) <= {"order.created", "order.status_changed", "document.issued"}


def test_subscribing_to_an_event_that_does_not_exist_is_refused_by_name(api, hook):
    response = api.post("/api/v1/webhooks", {"url": hook.url, "events": ["order.paid"]})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"events": "unknown_event"}
    assert "order.paid" in response.json()["error"]["message"]
    assert WebhookSubscription.unscoped.count() == 0


def test_a_subscription_with_an_unknown_field_is_refused_and_not_made(api, hook):
    response = api.post(
        "/api/v1/webhooks", {"url": hook.url, "events": ["*"], "secret": "my-own-secret"}
    )

    assert response.status_code == 422
    assert "secret" in response.json()["error"]["fields"]
    assert WebhookSubscription.unscoped.count() == 0


# --- Retries, the delivery log and replay -------------------------------------------------------


@pytest.mark.usefixtures("no_retry_wait")
def test_a_receiver_that_fails_once_gets_the_same_event_again_and_the_log_shows_both_tries(
    api, shop, hook
):
    sub = subscribe(api, hook.url, ["order.status_changed"])
    hook.answer_next(500)
    pay_for_an_order(shop)

    assert run_outbox() == {"retry": 1, "sent": 1}

    first, second = hook.requests
    assert second.body == first.body
    assert second.header("X-Talad-Event-Id") == first.header("X-Talad-Event-Id")
    assert second.header("X-Talad-Signature") == first.header("X-Talad-Signature")
    event = verified(second, sub["secret"])
    (logged,) = deliveries(api, sub)
    assert (logged["event_id"], logged["event_type"]) == (event["id"], "order.status_changed")
    assert (logged["status"], logged["attempts"], logged["last_http_status"]) == ("sent", 2, 200)
    assert [(a["outcome"], a["http_status"]) for a in logged["attempt_log"]] == [
        ("error", 500),
        ("sent", 200),
    ]
    assert logged["attempt_log"][0]["error"].startswith("HTTP 500")


@pytest.mark.usefixtures("no_retry_wait")
def test_a_receiver_that_keeps_failing_ends_failed_and_replay_sends_the_same_event_again(
    api, shop, hook
):
    sub = subscribe(api, hook.url, ["order.status_changed"])
    hook.answer_next(503, count=4)
    pay_for_an_order(shop)

    assert run_outbox() == {"retry": 3, "failed": 1}
    (logged,) = deliveries(api, sub)
    assert (logged["status"], logged["last_http_status"]) == ("failed", 503)
    assert [a["http_status"] for a in logged["attempt_log"]] == [503, 503, 503, 503]

    replay = f"/api/v1/webhooks/{sub['id']}/deliveries/{logged['id']}/replay"
    replayed = api.post(replay)
    assert replayed.status_code == 200, replayed.content
    assert replayed.json()["status"] == "pending"
    assert api.post(replay).status_code == 409  # already waiting to go

    assert run_outbox() == {"sent": 1}
    assert len(hook.requests) == 5
    assert {r.header("X-Talad-Event-Id") for r in hook.requests} == {logged["event_id"]}
    assert {r.body for r in hook.requests} == {hook.requests[0].body}
    verified(hook.requests[-1], sub["secret"])
    (logged,) = deliveries(api, sub)
    assert logged["status"] == "sent" and len(logged["attempt_log"]) == 5

    # A receiver that lost an event it did get can ask for it again, too.
    assert api.post(replay).status_code == 200
    assert run_outbox() == {"sent": 1}
    assert hook.requests[-1].body == hook.requests[0].body


@pytest.mark.usefixtures("no_retry_wait")
def test_a_receiver_that_is_down_is_retried_and_gets_the_event_once_it_is_back(api, shop, hook):
    sub = subscribe(api, hook.url, ["order.status_changed"])
    pay_for_an_order(shop)
    (message,) = webhook_messages(shop)

    hook.stop()  # the port is closed: connection refused
    assert outbox.deliver(message.pk) == "retry"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.last_http_status is None
    assert message.last_error

    hook.start()
    assert run_outbox() == {"sent": 1}
    verified(hook.requests[0], sub["secret"])
    (logged,) = deliveries(api, sub)
    assert [(a["outcome"], a["http_status"]) for a in logged["attempt_log"]] == [
        ("error", None),
        ("sent", 200),
    ]


@pytest.mark.usefixtures("no_retry_wait")
def test_a_receiver_slower_than_the_timeout_counts_as_a_failure_and_is_retried(
    api, shop, hook, monkeypatch
):
    monkeypatch.setattr(delivery, "TIMEOUT", httpx.Timeout(0.2))
    subscribe(api, hook.url, ["order.status_changed"])
    hook.delay_next(5.0)
    pay_for_an_order(shop)

    assert run_outbox() == {"retry": 1, "sent": 1}
    (message,) = webhook_messages(shop)
    first_try = message.attempt_log.first()
    assert (first_try.outcome, first_try.http_status) == ("error", None)
    assert len(hook.requests) == 2


@pytest.mark.usefixtures("no_retry_wait")
def test_a_secret_that_can_no_longer_be_read_stops_the_delivery_instead_of_signing_wrongly(
    api, shop, hook, settings
):
    subscribe(api, hook.url, ["order.status_changed"])
    pay_for_an_order(shop)
    settings.SECRET_KEY = "a-new-install-key-" + "x" * 40  # sealed secrets no longer open

    assert run_outbox() == {"retry": 3, "failed": 1}
    assert hook.requests == []
    (message,) = webhook_messages(shop)
    assert "SECRET_KEY" in message.last_error


# --- Where a webhook may point (SSRF) -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.0.0.1:8000/admin",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost/",
        "http://0.0.0.0/",
        "https://100.64.0.1/",
    ],
)
def test_a_webhook_pointing_inside_the_network_is_refused_naming_the_url(api, private_refused, url):
    response = api.post("/api/v1/webhooks", {"url": url, "events": ["*"]})

    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == {"url": "private_address"}
    assert WebhookSubscription.unscoped.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "http:///hook",
        "http://user:pw@example.com/",
        "http://[::1/",
        "http://example.com:99999/",
        "http://example.com:port/",
        "http://no-such-host.example.test/",
        "http://exa mple.com/",
        "http://example.com/\r\nX-Injected: 1",
    ],
)
def test_a_malformed_webhook_url_is_a_400_naming_the_url_not_a_crash(
    api, private_refused, dns, url
):
    dns.answer("no-such-host.example.test")
    response = api.post("/api/v1/webhooks", {"url": url, "events": ["*"]})

    assert response.status_code == 400, response.content
    assert set(response.json()["error"]["fields"]) == {"url"}
    assert WebhookSubscription.unscoped.count() == 0


@pytest.mark.usefixtures("no_retry_wait")
def test_a_host_that_now_resolves_to_a_private_address_is_not_called(
    api, shop, private_refused, dns
):
    with Receiver() as hook:
        dns.answer("hooks.example.test", PUBLIC_IP)
        subscribe(api, f"http://hooks.example.test:{hook.port}/hook", ["order.status_changed"])
        dns.answer("hooks.example.test", "127.0.0.1")  # where the receiver listens
        pay_for_an_order(shop)

        assert run_outbox() == {"retry": 3, "failed": 1}
        assert hook.requests == []
    (message,) = webhook_messages(shop)
    assert "127.0.0.1" in message.last_error


@pytest.mark.usefixtures("no_retry_wait")
def test_a_name_that_changes_its_address_between_the_check_and_the_call_is_not_called(
    api, shop, private_refused, dns
):
    """DNS rebinding: the check before sending sees a public address, the connection would be
    made to whatever the name resolves to next."""
    with Receiver() as hook:
        dns.answer("rebind.example.test", PUBLIC_IP)
        subscribe(api, f"http://rebind.example.test:{hook.port}/hook", ["order.status_changed"])
        pay_for_an_order(shop)
        (message,) = webhook_messages(shop)
        dns.answer("rebind.example.test", PUBLIC_IP, "127.0.0.1")

        assert outbox.deliver(message.pk) == "retry"
        assert hook.requests == []


# --- Unsubscribing, and what never happened -----------------------------------------------------


def test_unsubscribing_stops_deliveries_and_parks_what_was_waiting(api, shop, hook):
    sub = subscribe(api, hook.url, ["order.status_changed"])
    pay_for_an_order(shop)
    (waiting,) = webhook_messages(shop)

    response = api._call("delete", f"/api/v1/webhooks/{sub['id']}")
    assert response.status_code == 204

    waiting.refresh_from_db()
    assert waiting.status == MessageStatus.FAILED and waiting.last_error
    pay_for_an_order(shop)
    assert webhook_messages(shop).count() == 1
    assert run_outbox() == {}
    assert hook.requests == []
    assert api.get("/api/v1/webhooks").json()["items"] == []
    assert api.get(f"/api/v1/webhooks/{sub['id']}/deliveries").status_code == 404


def test_removed_subscriptions_do_not_count_toward_the_shop_s_limit(api, hook):
    from talad.integrations.webhooks.services import MAX_SUBSCRIPTIONS

    for _ in range(MAX_SUBSCRIPTIONS):
        sub = subscribe(api, hook.url, ["*"])
        assert api._call("delete", f"/api/v1/webhooks/{sub['id']}").status_code == 204

    subscribe(api, hook.url, ["*"])
    for _ in range(MAX_SUBSCRIPTIONS - 1):
        subscribe(api, hook.url, ["*"])
    response = api.post("/api/v1/webhooks", {"url": hook.url, "events": ["*"]})
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {"url": "too_many"}


def test_an_order_refused_for_want_of_stock_leaves_no_event_behind(api, shop, hook):
    subscribe(api, hook.url, ["*"])
    variant = make_variant(shop, on_hand=1)

    with pytest.raises(InsufficientStock):
        make_order(shop, variant, 2)

    assert webhook_messages(shop).count() == 0
    assert run_outbox() == {}
    assert hook.requests == []


def test_an_action_that_fails_after_its_event_was_written_takes_the_event_back_with_it(
    api, shop, hook
):
    """A receiver that raises rolls the whole action back (docs/architecture.md), and with it
    the webhook message the integrations receiver had already written."""
    subscribe(api, hook.url, ["order.status_changed"])
    order = make_order(shop, make_variant(shop, on_hand=1), payment_method="transfer")
    written_before_the_failure = []

    def printer_jammed(sender, *, action, **kwargs):
        written_before_the_failure.append(webhook_messages(shop).count())
        raise TaladError("the receipt printer is jammed")

    order_action_applied.connect(printer_jammed, sender=Order, weak=False, dispatch_uid="jam")
    try:
        with pytest.raises(TaladError, match="jammed"):
            act(order, "pay")
    finally:
        order_action_applied.disconnect(sender=Order, dispatch_uid="jam")

    assert written_before_the_failure == [1]
    assert webhook_messages(shop).count() == 0
    order.refresh_from_db()
    assert order.status == "pending"
    assert run_outbox() == {}
    assert hook.requests == []
    act(order, "pay")
    assert webhook_messages(shop).count() == 1


# --- Stuck orders -------------------------------------------------------------------------------


def test_a_stuck_order_is_told_once_per_status_it_gets_stuck_in(api, shop, hook):
    sub = subscribe(api, hook.url, ["order.stuck"])
    order = make_order(shop, make_variant(shop, on_hand=1), payment_method="transfer")
    fresh = make_order(shop, make_variant(shop, on_hand=1))
    long_ago = timezone.now() - timedelta(days=10)
    Order.objects.for_shop(shop).filter(pk=order.pk).update(status_changed_at=long_ago)

    assert publish_stuck_orders() == 1
    assert publish_stuck_orders() == 0
    assert run_outbox() == {"sent": 1}
    (event,) = events_of(hook, sub["secret"])
    assert event["type"] == "order.stuck"
    assert event["data"]["order"]["id"] == order.pk != fresh.pk
    assert (event["data"]["status"], event["data"]["reason_code"]) == ("pending", "over_age")
    assert event["data"]["hours_in_status"] >= 240

    order = act(order, "pay")
    Order.objects.for_shop(shop).filter(pk=order.pk).update(
        status_changed_at=long_ago + timedelta(days=5)
    )
    assert publish_stuck_orders() == 1
    assert publish_stuck_orders() == 0
    run_outbox()
    stuck = [e for e in events_of(hook, sub["secret"]) if e["type"] == "order.stuck"]
    assert [e["data"]["status"] for e in stuck] == ["pending", "to_pack"]
