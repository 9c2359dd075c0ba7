"""Idempotency-Key for API writes (docs/design/api.md#idempotency-keys).

Same key + same body → the first response again; same key + another body → 409
`idempotency_conflict`. The key is claimed by inserting its row in the same transaction as
the work, so concurrent requests with one key wait for the first and then replay it. A
request that fails (4xx) stores nothing: retrying it runs it again.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from talad.errors import Conflict, TaladError
from talad.shops.models import IdempotencyRecord, Shop


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"


def body_fingerprint(body: bytes) -> str:
    """The same JSON with other spacing or key order is the same request."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    return hashlib.sha256(canonical).hexdigest()


def run_once(
    *, shop: Shop, key: str | None, fingerprint: str, produce: Callable[[], tuple[int, dict]]
) -> tuple[int, dict]:
    """Run `produce` (returning status and JSON body) at most once per (shop, key)."""
    if not key:
        return produce()
    if len(key) > 255:
        raise TaladError(
            _("Idempotency-Key ยาวเกิน 255 ตัวอักษร"), fields={"Idempotency-Key": "too_long"}
        )
    if (replay := _replay(shop, key, fingerprint)) is not None:
        return replay
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                shop=shop, key=key, request_hash=fingerprint, status_code=0, response={}
            )
            status, body = produce()
            record.status_code = status
            record.response = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
            record.save(update_fields=["status_code", "response"])
    except IntegrityError:
        replay = _replay(shop, key, fingerprint)
        if replay is None:
            raise
        return replay
    return status, record.response


def _replay(shop: Shop, key: str, fingerprint: str) -> tuple[int, dict] | None:
    record = IdempotencyRecord.objects.for_shop(shop).filter(key=key).first()
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyConflict(
            _("Idempotency-Key นี้ถูกใช้กับคำขออื่นแล้ว"), fields={"Idempotency-Key": "reused"}
        )
    return record.status_code, record.response
