"""Signing webhook bodies: `X-Talad-Signature: sha256=<hex HMAC-SHA256 of the raw body>`,
keyed with the subscription's secret. A receiver recomputes it over the bytes it received."""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Talad-Signature"
EVENT_ID_HEADER = "X-Talad-Event-Id"
EVENT_TYPE_HEADER = "X-Talad-Event"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does (and what our tests do): compare in constant time."""
    return hmac.compare_digest(signature(secret, body), header or "")
