"""The outbox: publish in the caller's transaction, deliver at least once, park what keeps
failing where a person sees it and can retry it.

- `publish` writes the message inside the transaction of the change that causes it and puts
  a delivery task on the task queue once that transaction commits.
- `deliver` is what a task runs. It first *holds* the message with one conditional UPDATE
  (pending, due, and not held by a live lease): two workers can never deliver the same message
  at the same time, on SQLite or PostgreSQL. The hold is a lease, not a transaction, so no
  database lock is kept while the other side is called; a worker killed mid-delivery leaves a
  lease that runs out, and the message is delivered again.
- `enqueue_due` (the worker's scheduled sweep) queues every due message: retries whose delay
  has passed, and messages whose task was lost (a crash between commit and enqueue, a
  flushed Redis).

Each topic's destination (PEAK, webhooks) registers a `Destination` for its topic.
"""

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.errors import Conflict
from talad.integrations.models import (
    AttemptOutcome,
    DeliveryAttempt,
    MessageStatus,
    OutboxMessage,
)
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

log = logging.getLogger(__name__)

MAX_ERROR = 2000


@dataclass(frozen=True)
class Delivered:
    """What the other side answered, kept on the message as its `result`."""

    result: dict = field(default_factory=dict)
    http_status: int | None = None


class DeliveryFailed(Exception):
    """This attempt did not get through; the message is retried on the schedule."""

    def __init__(self, message: str, *, http_status: int | None = None):
        super().__init__(message)
        self.http_status = http_status


class Destination(Protocol):
    def deliver(self, message: OutboxMessage) -> Delivered: ...

    def parked(self, message: OutboxMessage) -> None:
        """The message failed for good: show it where the seller looks."""

    def requeued(self, message: OutboxMessage) -> None:
        """A person put the message back in the queue."""


DESTINATIONS: dict[str, Destination] = {}


def register(topic: str, destination: Destination) -> None:
    DESTINATIONS[topic] = destination


# --- Publishing (inside the caller's transaction) ---------------------------------------------


def publish(*, shop: Shop | int, topic: str, key: str, payload: dict) -> OutboxMessage:
    """Queue a message in the current transaction; its delivery task is enqueued on commit."""
    now = timezone.now()
    message = OutboxMessage.objects.create(
        shop_id=getattr(shop, "pk", shop),
        topic=topic,
        key=key[:120],
        payload=payload,
        next_attempt_at=now,
        queued_at=now,
    )
    transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


def enqueue_delivery(message_id: int) -> None:
    """Put one delivery on the task queue. If the queue cannot be reached the message is not
    lost: it stays pending in the outbox and the worker's sweep queues it later."""
    from talad.integrations.tasks import deliver_message

    try:
        deliver_message.enqueue(message_id)
    except Exception:  # the task queue (Redis) may be down; the outbox row is the truth
        log.warning("could not enqueue delivery of outbox message %s", message_id, exc_info=True)


# --- Delivering (a worker) ----------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def retry_delays() -> list[int]:
    return list(settings.TALAD_OUTBOX_RETRY_DELAYS)


def hold(message_id: int, *, worker: str, now: datetime) -> bool:
    """Take the lease on a due message, or learn that it is not ours to deliver."""
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    taken = OutboxMessage.unscoped.filter(
        free, pk=message_id, status=MessageStatus.PENDING, next_attempt_at__lte=now
    ).update(
        locked_until=now + timedelta(seconds=settings.TALAD_OUTBOX_LEASE),
        locked_by=worker[:120],
        queued_at=None,
    )
    return taken == 1


def deliver(message_id: int, *, worker: str | None = None) -> str:
    """Deliver one message if it is due and nobody else holds it: 'sent', 'retry', 'failed'
    or 'skipped'."""
    worker = worker or worker_name()
    now = timezone.now()
    if not hold(message_id, worker=worker, now=now):
        return "skipped"
    message = OutboxMessage.unscoped.select_related("shop").get(pk=message_id)
    attempt = DeliveryAttempt.objects.create(
        shop_id=message.shop_id, message=message, started_at=now, worker=worker[:120]
    )
    destination = DESTINATIONS.get(message.topic)
    try:
        if destination is None:
            raise DeliveryFailed(_("ไม่รู้จักปลายทางของหัวข้อ %(t)s") % {"t": message.topic})
        delivered = destination.deliver(message)
    except DeliveryFailed as exc:
        return _failed(message, attempt, str(exc), exc.http_status, destination)
    except Exception as exc:  # a bug in a destination must not stop the worker: log and retry
        log.exception("delivering outbox message %s failed unexpectedly", message_id)
        return _failed(message, attempt, f"{type(exc).__name__}: {exc}", None, destination)
    return _sent(message, attempt, delivered)


def _sent(message: OutboxMessage, attempt: DeliveryAttempt, delivered: Delivered) -> str:
    now = timezone.now()
    with transaction.atomic():
        OutboxMessage.unscoped.filter(pk=message.pk).update(
            status=MessageStatus.SENT,
            attempts=message.attempts + 1,
            sent_at=now,
            result=delivered.result,
            last_error="",
            last_http_status=delivered.http_status,
            locked_until=None,
            locked_by="",
        )
        DeliveryAttempt.unscoped.filter(pk=attempt.pk).update(
            outcome=AttemptOutcome.SENT, finished_at=now, http_status=delivered.http_status
        )
    return "sent"


def _failed(message, attempt, error: str, http_status, destination) -> str:
    now = timezone.now()
    attempts = message.attempts + 1
    delays = retry_delays()
    parked = attempts > len(delays)
    error = error[:MAX_ERROR]
    with transaction.atomic():
        OutboxMessage.unscoped.filter(pk=message.pk).update(
            status=MessageStatus.FAILED if parked else MessageStatus.PENDING,
            attempts=attempts,
            next_attempt_at=now if parked else now + timedelta(seconds=delays[attempts - 1]),
            last_error=error,
            last_http_status=http_status,
            locked_until=None,
            locked_by="",
        )
        DeliveryAttempt.unscoped.filter(pk=attempt.pk).update(
            outcome=AttemptOutcome.ERROR, finished_at=now, error=error, http_status=http_status
        )
        if parked and destination is not None:
            message.refresh_from_db()
            destination.parked(message)
    if parked:
        log.warning("outbox message %s parked after %s attempts: %s", message.pk, attempts, error)
    return "failed" if parked else "retry"


# --- The sweep, and draining -------------------------------------------------------------------


def _due(now: datetime):
    free = Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    return OutboxMessage.unscoped.filter(
        free, status=MessageStatus.PENDING, next_attempt_at__lte=now
    )


def enqueue_due(*, now: datetime | None = None, limit: int = 1000, everything=False) -> int:
    """Queue a delivery for every due message that has no task waiting (all due messages
    when `everything`: `talad worker --drain` runs the queue dry right after)."""
    now = now or timezone.now()
    due = _due(now)
    if not everything:
        stale = now - timedelta(seconds=max(60.0, settings.TALAD_WORKER_TICK * 12))
        due = due.filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale))
    ids = list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    if ids:
        OutboxMessage.unscoped.filter(pk__in=ids).update(queued_at=now)
    for message_id in ids:
        enqueue_delivery(message_id)
    return len(ids)


def next_wake() -> datetime | None:
    """When the earliest pending message can next be delivered: its retry time, or the end of
    the lease of the worker that holds it. None when nothing is pending."""
    free_at = Greatest("next_attempt_at", Coalesce("locked_until", "next_attempt_at"))
    return OutboxMessage.unscoped.filter(status=MessageStatus.PENDING).aggregate(at=Min(free_at))[
        "at"
    ]


def pending_count() -> int:
    return OutboxMessage.unscoped.filter(status=MessageStatus.PENDING).count()


# --- People ------------------------------------------------------------------------------------


def retry_message(*, message: OutboxMessage, by: Actor) -> OutboxMessage:
    """Put a failed message back in the queue, due now, with a fresh retry schedule (every
    earlier attempt stays in its log)."""
    require(by, "retry_deliveries")
    return requeue(
        message=message,
        by=by,
        allowed=(MessageStatus.FAILED,),
        refusal=_("ส่งซ้ำได้เฉพาะรายการที่ส่งไม่สำเร็จ"),
        action="outbox.retry",
    )


def requeue(
    *, message: OutboxMessage, by: Actor, allowed: tuple[str, ...], refusal: str, action: str
) -> OutboxMessage:
    """Make a message pending and due now, if its status is one of `allowed`."""
    with transaction.atomic():
        locked = (
            OutboxMessage.objects.for_shop(message.shop_id)
            .select_for_update()
            .select_related("shop")
            .filter(pk=message.pk)
            .first()
        )
        if locked is None or locked.status not in allowed:
            raise Conflict(refusal, fields={"status": locked.status if locked else "missing"})
        now = timezone.now()
        locked.status = MessageStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = now
        locked.queued_at = now
        locked.save(update_fields=["status", "attempts", "next_attempt_at", "queued_at"])
        record_audit(shop=locked.shop, by=by, action=action, obj=locked, after={"key": locked.key})
        if destination := DESTINATIONS.get(locked.topic):
            destination.requeued(locked)
        transaction.on_commit(lambda: enqueue_delivery(locked.pk))
    return locked


def failed_count(shop: Shop | None = None) -> int:
    failed = OutboxMessage.unscoped.filter(status=MessageStatus.FAILED)
    return (failed.filter(shop=shop) if shop else failed).count()
