"""/api/v1 — the PEAK connection, the outbox and webhook subscriptions (docs/integrations.md).

Mounted at the API root: /integrations/peak, /outbox…, /webhooks…. Secrets are write-only:
the PEAK keys are never answered, a webhook's secret only once, when it is made.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field, StrictBool, StrictInt

from talad.api_types import Limit, Page, error_responses
from talad.errors import NotFound
from talad.integrations import outbox, selectors
from talad.integrations.models import MessageStatus, OutboxMessage, Topic, WebhookSubscription
from talad.integrations.peak import services as peak
from talad.integrations.webhooks import services as webhooks
from talad.orders.models import PaymentMethod
from talad.pagination import DEFAULT_LIMIT, decode_cursor, next_cursor
from talad.shops.permissions import require

router = Router(tags=["integrations"])

RowId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]


class StrictIn(Schema):
    """Unknown fields are refused, not ignored: a client must never believe it set something."""

    model_config = ConfigDict(extra="forbid")


# --- PEAK ---------------------------------------------------------------------------------------


class PeakIn(StrictIn):
    base_url: str | None = Field(None, max_length=300, examples=[peak.PRODUCTION_URL])
    connect_id: str | None = Field(None, min_length=1, max_length=200)
    connect_key: str | None = Field(None, max_length=500, description="write-only")
    user_token: str | None = Field(None, max_length=500, description="write-only")
    signature: Literal["hex", "base64"] | None = None
    timeout: float | None = Field(None, ge=1, le=120)
    enabled: StrictBool | None = None
    document_types: list[str] | None = Field(None, max_length=10)
    send_cod_remittances: StrictBool | None = None
    account_codes: dict[str, Annotated[str, Field(min_length=1, max_length=20)]] | None = None
    # Keyed by Talad's payment methods: a misspelt one would be kept and never used.
    payment_method_ids: dict[PaymentMethod, Annotated[str, Field(max_length=64)]] | None = None
    options: dict[str, Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]] | None = None


class CheckOut(Schema):
    at: datetime | None
    ok: bool | None
    message: str


class CountsOut(Schema):
    pending: int
    sent: int
    failed: int


class PeakOut(Schema):
    connected: bool
    base_url: str
    connect_id: str
    connect_key_set: bool
    user_token_set: bool
    signature: str
    timeout: float
    enabled: bool
    document_types: list[str]
    send_cod_remittances: bool
    account_codes: dict[str, str]
    payment_method_ids: dict[str, str]
    options: dict[str, int]
    last_check: CheckOut
    counts: CountsOut


class PeakTestOut(Schema):
    ok: bool
    message: str


def peak_out(shop) -> PeakOut:
    connection = peak.peak_connection(shop)
    counts = selectors.status_counts(shop=shop, topics=selectors.PEAK_TOPICS)
    if connection is None:
        return PeakOut(
            connected=False,
            base_url="",
            connect_id="",
            connect_key_set=False,
            user_token_set=False,
            signature="hex",
            timeout=30.0,
            enabled=False,
            document_types=[],
            send_cod_remittances=True,
            account_codes={},
            payment_method_ids={},
            options={},
            last_check=CheckOut(at=None, ok=None, message=""),
            counts=CountsOut(**counts),
        )
    return PeakOut(
        connected=True,
        base_url=connection.base_url,
        connect_id=connection.connect_id,
        connect_key_set=bool(connection.connect_key_sealed),
        user_token_set=bool(connection.user_token_sealed),
        signature=connection.signature,
        timeout=connection.timeout,
        enabled=connection.enabled,
        document_types=connection.document_types,
        send_cod_remittances=connection.send_cod_remittances,
        account_codes=connection.account_codes,
        payment_method_ids=connection.payment_method_ids,
        options=connection.options,
        last_check=CheckOut(
            at=connection.last_checked_at,
            ok=connection.last_check_ok,
            message=connection.last_check_message,
        ),
        counts=CountsOut(**counts),
    )


@router.get(
    "/integrations/peak",
    response={200: PeakOut, **error_responses(403)},
    operation_id="getPeakConnection",
    summary="The shop's PEAK connection",
)
def get_peak(request):
    require(request.actor, "view_integrations")
    return peak_out(request.shop)


@router.put(
    "/integrations/peak",
    response={200: PeakOut, **error_responses(403, 409, 413)},
    operation_id="savePeakConnection",
    summary="Connect to PEAK or change the connection (secrets are write-only)",
)
def put_peak(request, payload: PeakIn):
    peak.save_peak_connection(
        shop=request.shop,
        by=request.actor,
        changes=payload.model_dump(exclude_unset=True, mode="json"),
    )
    return peak_out(request.shop)


@router.post(
    "/integrations/peak/test",
    response={200: PeakTestOut, **error_responses(403, 404)},
    operation_id="testPeakConnection",
    summary="Ask PEAK for a client token with the saved credentials",
)
def test_peak(request):
    require(request.actor, "manage_peak")
    connection = peak.peak_connection(request.shop)
    if connection is None:
        raise NotFound(_("ยังไม่ได้เชื่อมต่อ PEAK"))
    result = peak.check_peak_connection(connection=connection)
    return PeakTestOut(ok=result.ok, message=result.message)


# --- The outbox ---------------------------------------------------------------------------------


class AttemptOut(Schema):
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    error: str
    http_status: int | None


class MessageOut(Schema):
    id: int
    topic: str
    key: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    last_http_status: int | None
    sent_at: datetime | None
    created_at: datetime
    result: dict | None
    attempt_log: list[AttemptOut]


class MessagePage(Page):
    items: list[MessageOut]


def message_out(message: OutboxMessage) -> MessageOut:
    return MessageOut(
        id=message.pk,
        topic=message.topic,
        key=message.key,
        status=message.status,
        attempts=message.attempts,
        next_attempt_at=message.next_attempt_at if message.status == "pending" else None,
        last_error=message.last_error,
        last_http_status=message.last_http_status,
        sent_at=message.sent_at,
        created_at=message.created_at,
        result=message.result,
        attempt_log=[
            AttemptOut(
                started_at=a.started_at,
                finished_at=a.finished_at,
                outcome=a.outcome,
                error=a.error,
                http_status=a.http_status,
            )
            for a in message.attempt_log.all()
        ],
    )


@router.get(
    "/outbox",
    response={200: MessagePage, **error_responses(403)},
    operation_id="listOutboxMessages",
    summary="Outgoing messages, newest first (keyset pagination)",
)
def list_outbox(
    request,
    status: MessageStatus | None = None,
    topic: Topic | None = None,
    cursor: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
):
    require(request.actor, "view_integrations")
    rows = selectors.outbox_page(
        shop=request.shop, status=status, topic=topic, before_id=decode_cursor(cursor), limit=limit
    )
    return MessagePage(items=[message_out(m) for m in rows], next_cursor=next_cursor(rows, limit))


@router.get(
    "/outbox/{int:message_id}",
    response={200: MessageOut, **error_responses(403, 404)},
    operation_id="getOutboxMessage",
    summary="One outgoing message and its attempts",
)
def get_message(request, message_id: int):
    require(request.actor, "view_integrations")
    return message_out(selectors.outbox_message(shop=request.shop, message_id=message_id))


@router.post(
    "/outbox/{int:message_id}/retry",
    response={200: MessageOut, **error_responses(403, 404, 409)},
    operation_id="retryOutboxMessage",
    summary="Send a failed message again (due now, with a fresh retry schedule)",
)
def retry(request, message_id: int):
    message = selectors.outbox_message(shop=request.shop, message_id=message_id)
    outbox.retry_message(message=message, by=request.actor)
    return message_out(selectors.outbox_message(shop=request.shop, message_id=message_id))


# --- Webhooks -----------------------------------------------------------------------------------


class WebhookIn(StrictIn):
    url: str = Field(..., min_length=8, max_length=500)
    events: list[Annotated[str, Field(max_length=40)]] = Field(..., min_length=1, max_length=10)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    active: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(..., description="shown once: keep it to check X-Talad-Signature")


class WebhookList(Schema):
    items: list[WebhookOut]


class DeliveryOut(MessageOut):
    event_id: str
    event_type: str


class DeliveryPage(Page):
    items: list[DeliveryOut]


def webhook_out(sub: WebhookSubscription) -> WebhookOut:
    return WebhookOut(
        id=sub.pk, url=sub.url, events=sub.events, active=sub.active, created_at=sub.created_at
    )


def delivery_out(message: OutboxMessage) -> DeliveryOut:
    return DeliveryOut(
        **message_out(message).model_dump(),
        event_id=message.payload.get("event_id", ""),
        event_type=message.payload.get("type", ""),
    )


@router.get(
    "/webhooks",
    response={200: WebhookList, **error_responses(403)},
    operation_id="listWebhooks",
    summary="Webhook subscriptions",
)
def list_webhooks(request):
    require(request.actor, "view_integrations")
    return WebhookList(items=[webhook_out(s) for s in selectors.subscriptions(shop=request.shop)])


@router.post(
    "/webhooks",
    response={201: WebhookCreated, **error_responses(403, 409, 413)},
    operation_id="createWebhook",
    summary="Subscribe a URL to order events (the answer carries the secret, shown once)",
)
def create_webhook(request, payload: WebhookIn):
    sub, secret = webhooks.subscribe(
        shop=request.shop, url=payload.url, events=payload.events, by=request.actor
    )
    return Status(201, WebhookCreated(**webhook_out(sub).model_dump(), secret=secret))


@router.delete(
    "/webhooks/{int:subscription_id}",
    response={204: None, **error_responses(403, 404)},
    operation_id="deleteWebhook",
    summary="Remove a subscription (its delivery log stays)",
)
def delete_webhook(request, subscription_id: int):
    sub = selectors.subscription(shop=request.shop, subscription_id=subscription_id)
    webhooks.unsubscribe(subscription=sub, by=request.actor)
    return Status(204, None)


@router.get(
    "/webhooks/{int:subscription_id}/deliveries",
    response={200: DeliveryPage, **error_responses(403, 404)},
    operation_id="listWebhookDeliveries",
    summary="A subscription's deliveries, newest first, each with its attempts",
)
def deliveries(
    request, subscription_id: int, cursor: str | None = None, limit: Limit = DEFAULT_LIMIT
):
    require(request.actor, "view_integrations")
    sub = selectors.subscription(shop=request.shop, subscription_id=subscription_id)
    rows = selectors.outbox_page(
        shop=request.shop, subscription_id=sub.pk, before_id=decode_cursor(cursor), limit=limit
    )
    return DeliveryPage(items=[delivery_out(m) for m in rows], next_cursor=next_cursor(rows, limit))


@router.post(
    "/webhooks/{int:subscription_id}/deliveries/{int:message_id}/replay",
    response={200: DeliveryOut, **error_responses(403, 404, 409)},
    operation_id="replayWebhookDelivery",
    summary="Send a delivered or failed event again (same event id and body)",
)
def replay(request, subscription_id: int, message_id: int):
    sub = selectors.subscription(shop=request.shop, subscription_id=subscription_id)
    message = selectors.outbox_message(shop=request.shop, message_id=message_id)
    if message.payload.get("subscription_id") != sub.pk:
        raise NotFound(_("ไม่พบรายการส่ง webhook"))
    webhooks.replay(message=message, by=request.actor)
    return delivery_out(selectors.outbox_message(shop=request.shop, message_id=message_id))
