"""A shop's PEAK connection: saved (secrets sealed; a blank secret keeps the one on file) and
tested by asking PEAK for a client token."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.accounting.models import AccountRole, DocumentType
from talad.errors import Conflict, TaladError
from talad.integrations.models import PeakConnection
from talad.integrations.peak.client import Credentials, PeakClient, PeakError
from talad.integrations.sealed import seal
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

PRODUCTION_URL = "https://api.peakaccount.com/api/v1"
UAT_URL = "https://peakengineapidev.azurewebsites.net/api/v1"
SIGNATURES = ("hex", "base64")
OPTION_KEYS = ("juristic_type", "prefix_name_type", "receipt_credit_type", "journal_type_id")
PLAIN_FIELDS = (
    "base_url",
    "connect_id",
    "signature",
    "timeout",
    "enabled",
    "document_types",
    "send_cod_remittances",
    "account_codes",
    "payment_method_ids",
    "options",
)


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str


def peak_connection(shop: Shop) -> PeakConnection | None:
    return PeakConnection.objects.for_shop(shop).first()


def save_peak_connection(*, shop: Shop, by: Actor, changes: dict) -> PeakConnection:
    """Create or change the connection. `connect_key` / `user_token`: a new value replaces
    the sealed one; absent or blank keeps it (they are never shown again)."""
    require(by, "manage_peak")
    with transaction.atomic():
        connection = PeakConnection.objects.for_shop(
            shop
        ).select_for_update().first() or PeakConnection(shop=shop)
        before = _public(connection) if connection.pk else None
        for field in PLAIN_FIELDS:
            if field in changes and changes[field] is not None:
                setattr(connection, field, _clean(field, changes[field]))
        for secret in ("connect_key", "user_token"):
            if changes.get(secret):
                setattr(connection, f"{secret}_sealed", seal(changes[secret]))
        if (
            before is None
            or any(before[f] != getattr(connection, f) for f in ("base_url", "connect_id"))
            or changes.get("connect_key")
        ):
            # Another PEAK, or other credentials: the cached client token is not theirs.
            connection.client_token_sealed = ""
            connection.client_token_expires_at = None
        _check_complete(connection)
        try:
            with transaction.atomic():
                connection.save()
        except IntegrityError:  # another first connection of this shop won the race
            raise Conflict(
                _("มีการเชื่อมต่อ PEAK ของร้านนี้พร้อมกันอีกรายการ: ลองใหม่อีกครั้ง"),
                fields={"shop": "concurrent_change"},
            ) from None
        record_audit(
            shop=shop,
            by=by,
            action="peak.save",
            obj=connection,
            before=before,
            after=_public(connection),
        )
    return connection


def check_peak_connection(*, connection: PeakConnection) -> ConnectionCheck:
    """Ask PEAK for a client token with the saved credentials; remember how it went."""
    try:
        with PeakClient(Credentials.of(connection), connection=connection) as client:
            client.new_token()
        result = ConnectionCheck(True, _("เชื่อมต่อ PEAK สำเร็จ"))
    except PeakError as exc:
        code = f" [{exc.res_code}]" if exc.res_code else ""
        result = ConnectionCheck(False, f"PEAK{code}: {exc.message}")
    except TaladError as exc:
        result = ConnectionCheck(False, exc.message)
    PeakConnection.unscoped.filter(pk=connection.pk).update(
        last_checked_at=timezone.now(), last_check_ok=result.ok, last_check_message=result.message
    )
    return result


def _check_complete(connection: PeakConnection) -> None:
    missing = [
        name
        for name, value in (
            ("base_url", connection.base_url),
            ("connect_id", connection.connect_id),
            ("connect_key", connection.connect_key_sealed),
            ("user_token", connection.user_token_sealed),
        )
        if not value
    ]
    if missing:
        raise TaladError(
            _("ต้องกรอก: %(f)s") % {"f": ", ".join(missing)},
            fields=dict.fromkeys(missing, "required"),
        )


def _clean(field: str, value):
    if field == "base_url":
        value = str(value).strip().rstrip("/")
        if not value.startswith(("https://", "http://")):
            raise TaladError(_("URL ของ PEAK ต้องขึ้นต้นด้วย https://"), fields={"base_url": "invalid"})
    if field == "signature" and value not in SIGNATURES:
        raise TaladError(_("ลายเซ็นต้องเป็น hex หรือ base64"), fields={"signature": "invalid"})
    if field == "timeout" and not 1 <= float(value) <= 120:
        raise TaladError(_("เวลารอต้องอยู่ระหว่าง 1–120 วินาที"), fields={"timeout": "out_of_range"})
    if field == "document_types":
        unknown = sorted(set(value) - set(DocumentType.values))
        if unknown:
            raise TaladError(
                _("ไม่รู้จักประเภทเอกสาร: %(t)s") % {"t": ", ".join(unknown)},
                fields={"document_types": "unknown"},
            )
    if field == "account_codes":
        unknown = sorted(set(value) - set(AccountRole.values))
        if unknown:
            raise TaladError(
                _("ไม่รู้จักบทบาทบัญชี: %(r)s") % {"r": ", ".join(unknown)},
                fields={"account_codes": "unknown_role"},
            )
    if field == "options":
        unknown = sorted(set(value) - set(OPTION_KEYS))
        if unknown:
            raise TaladError(
                _("ไม่รู้จักตัวเลือก: %(o)s") % {"o": ", ".join(unknown)},
                fields={"options": "unknown"},
            )
    return value


def _public(connection: PeakConnection) -> dict:
    """What the audit keeps: everything but the secrets."""
    return {field: getattr(connection, field) for field in PLAIN_FIELDS}
