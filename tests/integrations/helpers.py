"""Setup for integration tests: a shop connected to a fake PEAK, and an in-process outbox run
(the same `outbox.deliver` a worker's task calls, without the task queue in between)."""

from django.utils import timezone

from talad.integrations import outbox
from talad.integrations.models import MessageStatus, OutboxMessage
from talad.integrations.peak.services import save_peak_connection
from talad.shops.actors import Actor

BY = Actor.system("test")


def connect_peak(shop, fake, **changes):
    return save_peak_connection(
        shop=shop,
        by=BY,
        changes={
            "base_url": fake.url,
            "connect_id": "CID",
            "connect_key": "CKEY",
            "user_token": "UTOKEN",
            "timeout": 2.0,
            **changes,
        },
    )


def run_outbox(max_rounds: int = 50) -> dict[str, int]:
    """Deliver every due message, round after round, until none is due (retry delays are 0 in
    these tests). Returns how many deliveries ended each way."""
    outcomes: dict[str, int] = {}
    for _ in range(max_rounds):
        due = list(
            OutboxMessage.unscoped.filter(
                status=MessageStatus.PENDING, next_attempt_at__lte=timezone.now()
            ).values_list("pk", flat=True)
        )
        if not due:
            return outcomes
        for message_id in due:
            outcome = outbox.deliver(message_id)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    raise AssertionError(f"the outbox was still busy after {max_rounds} rounds: {outcomes}")
