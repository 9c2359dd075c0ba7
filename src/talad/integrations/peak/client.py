"""Talking to PEAK's Open API (docs/integrations.md#peak) over httpx.

Every call is signed: `Time-Stamp` (UTC yyyyMMddHHmmss) and `Time-Signature` (HMAC-SHA1 of
the time stamp keyed with the Connect ID, hex or base64 as the shop's setting says). A client
token from `POST /clienttoken` is cached (sealed) on the connection for 23 hours; a `resCode`
600 renews it and the call is made once more. PEAK answers errors as HTTP 200 with a
`resCode`, on the envelope and on each row: both are checked here.

Two kinds of failure, because they call for different care:
- `PeakRefused`: PEAK answered and said no (a resCode). Nothing was stored.
- `PeakUncertain`: we cannot know what PEAK did (timeout, connection dropped, 5xx, an answer
  that is not JSON). Whoever sent a document must look its code up before sending it again.
"""

import base64
import datetime as dt
import hashlib
import hmac
import logging
from dataclasses import dataclass

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.integrations.models import PeakConnection
from talad.integrations.outgoing import http_client
from talad.integrations.sealed import seal, unseal

log = logging.getLogger(__name__)

TOKEN_LIFETIME = dt.timedelta(hours=23)  # PEAK's are valid 24 h
TOKEN_EXPIRED = "600"
OK = "200"
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


class PeakError(Exception):
    def __init__(self, message: str, *, res_code: str = "", http_status: int | None = None):
        super().__init__(message)
        self.message = message
        self.res_code = res_code
        self.http_status = http_status


class PeakRefused(PeakError):
    """PEAK answered and refused (a resCode other than 200)."""


class PeakUncertain(PeakError):
    """The outcome is unknown: PEAK may or may not have stored what was sent."""


@dataclass(frozen=True)
class Credentials:
    base_url: str
    connect_id: str
    connect_key: str
    user_token: str
    signature: str = "hex"
    timeout: float = 30.0

    @classmethod
    def of(cls, connection: PeakConnection) -> "Credentials":
        return cls(
            base_url=connection.base_url.rstrip("/"),
            connect_id=connection.connect_id,
            connect_key=unseal(connection.connect_key_sealed),
            user_token=unseal(connection.user_token_sealed),
            signature=connection.signature,
            timeout=connection.timeout,
        )


def time_headers(connect_id: str, encoding: str, now: dt.datetime | None = None) -> dict:
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d%H%M%S")
    mac = hmac.new(connect_id.encode(), stamp.encode(), hashlib.sha1)
    signed = mac.hexdigest() if encoding == "hex" else base64.b64encode(mac.digest()).decode()
    return {"Time-Stamp": stamp, "Time-Signature": signed}


def envelope_of(body: dict, wrapper: str) -> dict:
    """`PeakInvoices` or `peakInvoices`: PEAK's casing varies."""
    for key in (wrapper, wrapper[0].lower() + wrapper[1:]):
        if isinstance(body.get(key), dict):
            return body[key]
    return body


def res_code(part: dict) -> str:
    return str(part.get("resCode", OK) if isinstance(part, dict) else OK)


def res_desc(part: dict) -> str:
    return str(part.get("resDesc") or part.get("message") or "") if isinstance(part, dict) else ""


class PeakClient:
    """One shop's PEAK, for one delivery (or one connection test)."""

    def __init__(self, credentials: Credentials, *, connection: PeakConnection | None = None):
        self.credentials = credentials
        self.connection = connection  # where the client token is cached, when there is one
        self.timeout = httpx.Timeout(credentials.timeout, connect=min(credentials.timeout, 10.0))
        self._token: str | None = None

    def close(self) -> None:
        """The HTTP client is shared by the process (talad.integrations.outgoing)."""

    def __enter__(self) -> "PeakClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the token --------------------------------------------------------------------------

    def new_token(self) -> str:
        c = self.credentials
        body = {"PeakClientToken": {"connectId": c.connect_id, "password": c.connect_key}}
        answer = self._send(
            "POST", "/clienttoken", body, headers=time_headers(c.connect_id, c.signature)
        )
        envelope = envelope_of(answer, "PeakClientToken")
        if res_code(envelope) != OK or not envelope.get("token"):
            raise PeakRefused(
                res_desc(envelope) or _("PEAK ไม่ออก client token ให้"), res_code=res_code(envelope)
            )
        token = str(envelope["token"])
        self._token = token
        if self.connection is not None:
            self.connection.client_token_sealed = seal(token)
            self.connection.client_token_expires_at = timezone.now() + TOKEN_LIFETIME
            PeakConnection.unscoped.filter(pk=self.connection.pk).update(
                client_token_sealed=self.connection.client_token_sealed,
                client_token_expires_at=self.connection.client_token_expires_at,
            )
        return token

    def token(self) -> str:
        if self._token:
            return self._token
        conn = self.connection
        fresh = (
            conn and conn.client_token_expires_at and conn.client_token_expires_at > timezone.now()
        )
        if fresh and conn.client_token_sealed:
            self._token = unseal(conn.client_token_sealed)
            return self._token
        return self.new_token()

    # --- calls ------------------------------------------------------------------------------

    def call(self, method: str, path: str, body: dict | None = None, params=None) -> dict:
        """A signed call; an expired client token is renewed and the call made once more."""
        answer = self._signed(method, path, body, params)
        if res_code(answer) == TOKEN_EXPIRED or _invalid_token(answer):
            log.info("PEAK client token expired; renewing")
            self.new_token()
            answer = self._signed(method, path, body, params)
        if res_code(answer) != OK:
            raise PeakRefused(
                res_desc(answer) or _("PEAK ตอบรหัส %(c)s") % {"c": res_code(answer)},
                res_code=res_code(answer),
            )
        return answer

    def _signed(self, method, path, body, params) -> dict:
        c = self.credentials
        headers = {
            "Client-Token": self.token(),
            "User-Token": c.user_token,
            **time_headers(c.connect_id, c.signature),
        }
        return self._send(method, path, body, headers=headers, params=params)

    def _send(self, method, path, body, *, headers, params=None) -> dict:
        try:
            response = http_client().request(
                method,
                self.credentials.base_url + path,
                json=body,
                headers={**JSON_HEADERS, **headers},
                params=params,
                timeout=self.timeout,
            )
        except httpx.TimeoutException:
            raise PeakUncertain(
                _("PEAK ไม่ตอบภายใน %(s)s วินาที") % {"s": self.credentials.timeout}
            ) from None
        except httpx.HTTPError as exc:
            raise PeakUncertain(_("ติดต่อ PEAK ไม่ได้: %(e)s") % {"e": type(exc).__name__}) from None
        if response.status_code >= 500:
            raise PeakUncertain(
                _("PEAK ตอบ HTTP %(s)s") % {"s": response.status_code},
                http_status=response.status_code,
            )
        try:
            answer = response.json()
        except ValueError:
            raise PeakUncertain(
                _("อ่านคำตอบของ PEAK ไม่ได้ (HTTP %(s)s)") % {"s": response.status_code},
                http_status=response.status_code,
            ) from None
        if response.status_code >= 400 or not isinstance(answer, dict):
            raise PeakRefused(
                res_desc(answer) if isinstance(answer, dict) else str(answer)[:200],
                http_status=response.status_code,
            )
        return answer


def _invalid_token(answer: dict) -> bool:
    return "invalid client token" in res_desc(answer).lower()
