"""Sending a Talad document to PEAK exactly once, over an outbox that delivers at least once.

PEAK does not de-duplicate, so the connector does: every document goes under Talad's own
number as its `code`, and a delivery that follows any earlier attempt (an uncertain outcome, a
worker killed mid-call, a person's retry) first looks that code up in PEAK and only sends when
it is not there. After an uncertain outcome the attempt fails without resending at once: the
next attempt, after the retry delay, looks first. A "duplicate code" refusal is answered the
same way. PEAK's collections may ignore a `code` filter, so the lookup filters here.

Contacts and products are created once per code too, recorded in PeakRecord, and looked up
before creating when Talad has no record of them.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from talad.accounting.books import account_codes, accounting_settings
from talad.accounting.models import Document, JournalEntry, LineKind, PeakLink, PeakState
from talad.integrations.models import (
    DeliveryAttempt,
    OutboxMessage,
    PeakConnection,
    PeakRecord,
    Topic,
)
from talad.integrations.outbox import Delivered, DeliveryFailed, register
from talad.integrations.peak import payloads as P
from talad.integrations.peak.client import (
    OK,
    Credentials,
    PeakClient,
    PeakError,
    PeakRefused,
    PeakUncertain,
    envelope_of,
    res_code,
    res_desc,
)


def peak_codes(shop, connection: PeakConnection) -> dict:
    """Role → account code: the shop's chart (PEAK's codes by default), then the connection's."""
    return {**account_codes(accounting_settings(shop)), **(connection.account_codes or {})}


def find(client: PeakClient, collection: P.Collection, code: str) -> dict | None:
    """The row PEAK holds under `code`, filtered here (the server may ignore ?code=)."""
    answer = client.call("GET", collection.path, params={"code": code})
    rows = envelope_of(answer, collection.wrapper).get(collection.rows) or []
    for row in rows:
        if isinstance(row, dict) and _code_of(row) == code:
            return row
    return None


def _code_of(row: dict) -> str:
    nested = row.get("transactions") if isinstance(row.get("transactions"), dict) else {}
    return str(row.get("code") or row.get("creditNoteCode") or nested.get("code") or "")


def create(client: PeakClient, collection: P.Collection, row: dict, code: str) -> dict:
    """POST one row; the row's own resCode is checked as well as the envelope's. A refusal
    for a duplicate code is a lookup: the row is already there."""
    answer = client.call("POST", collection.path, {collection.wrapper: {collection.rows: [row]}})
    envelope = envelope_of(answer, collection.wrapper)
    rows = envelope.get(collection.rows) or []
    if res_code(envelope) != OK:
        raise PeakRefused(res_desc(envelope), res_code=res_code(envelope))
    if not rows or not isinstance(rows[0], dict):
        raise PeakUncertain(_("PEAK ตอบโดยไม่มีรายการที่สร้าง"))
    result = rows[0]
    if res_code(result) != OK:
        if "duplicate" in res_desc(result).lower() and (found := find(client, collection, code)):
            return found
        raise PeakRefused(res_desc(result) or res_code(result), res_code=res_code(result))
    return result


def ensure(client, shop, kind: str, collection: P.Collection, row: dict, *, looked_up: bool) -> str:
    """A contact's or product's code in PEAK, created once."""
    code = row["code"]
    if PeakRecord.objects.for_shop(shop).filter(kind=kind, code=code).exists():
        return code
    found = find(client, collection, code) if looked_up else None
    made = found or create(client, collection, row, code)
    PeakRecord.objects.for_shop(shop).get_or_create(
        shop=shop, kind=kind, code=code, defaults={"peak_id": str(made.get("id") or "")}
    )
    return code


class PeakDestination:
    """Delivers `peak.document` and `peak.journal` messages."""

    def deliver(self, message: OutboxMessage) -> Delivered:
        connection = PeakConnection.objects.for_shop(message.shop_id).first()
        if connection is None or not connection.enabled:
            raise DeliveryFailed(_("ร้านยังไม่ได้เชื่อมต่อ PEAK (หรือปิดการส่งไว้)"))
        # Anything before this attempt (even one a killed worker never finished) means PEAK
        # may already hold the row: look before sending.
        looked_up = (
            DeliveryAttempt.objects.for_shop(message.shop_id).filter(message=message).count() > 1
        )
        try:
            with PeakClient(Credentials.of(connection), connection=connection) as client:
                if message.topic == Topic.PEAK_JOURNAL:
                    link, row = self._journal(client, message, connection, looked_up)
                else:
                    link, row = self._document(client, message, connection, looked_up)
        except PeakError as exc:
            failure = DeliveryFailed(_peak_message(exc), http_status=exc.http_status)
        except DeliveryFailed as exc:
            failure = exc
        else:
            self._record(link, row)
            return Delivered(
                result={"id": link.peak_id, "code": link.peak_code, "link": link.link},
                http_status=200,
            )
        # Still queued (it will be retried), but the seller sees why it has not arrived yet.
        PeakLink.objects.for_shop(message.shop_id).filter(outbox_message_id=message.pk).update(
            error=str(failure)
        )
        raise failure

    def _document(self, client, message, connection, looked_up):
        document = (
            Document.objects.for_shop(message.shop_id)
            .select_related("shop", "order", "original")
            .get(pk=message.payload["document_id"])
        )
        link = PeakLink.objects.for_shop(message.shop_id).get(document=document)
        collection = P.collection_for(document)
        found = find(client, collection, document.number) if looked_up else None
        if found:
            return link, found
        shop = document.shop
        codes = peak_codes(shop, connection)
        contact = ensure(
            client,
            shop,
            "contact",
            P.CONTACTS,
            P.contact_row(document, connection.options),
            looked_up=looked_up,
        )
        for line in document.lines.all():
            if line.kind == LineKind.GOODS and line.sku:
                ensure(
                    client,
                    shop,
                    "product",
                    P.PRODUCTS,
                    P.product_row(line.sku, line.description, line.unit_price, codes),
                    looked_up=looked_up,
                )
        original_id, original_in = self._original(document)
        row = P.document_row(
            document,
            contact=contact,
            codes=codes,
            payment_ids=connection.payment_method_ids or {},
            original_peak_id=original_id,
            original_in=original_in,
            options=connection.options,
        )
        return link, create(client, collection, row, document.number)

    def _original(self, document: Document) -> tuple[str, P.Collection | None]:
        if not document.is_credit_note:
            return "", None
        original_link = (
            PeakLink.objects.for_shop(document.shop_id)
            .filter(document_id=document.original_id)
            .first()
        )
        if original_link is None or not original_link.peak_id:
            raise DeliveryFailed(
                _("เอกสารต้นฉบับ %(n)s ยังไม่อยู่ใน PEAK: ส่งต้นฉบับก่อน") % {"n": document.original.number}
            )
        return original_link.peak_id, P.collection_for(document.original)

    def _journal(self, client, message, connection, looked_up):
        entry = (
            JournalEntry.objects.for_shop(message.shop_id)
            .select_related("shop", "order")
            .get(pk=message.payload["journal_entry_id"])
        )
        link = PeakLink.objects.for_shop(message.shop_id).get(journal_entry=entry)
        code = P.journal_code(entry)
        found = find(client, P.DAILY_JOURNALS, code) if looked_up else None
        if found:
            return link, found
        row = P.journal_row(
            entry, codes=peak_codes(entry.shop, connection), options=connection.options
        )
        return link, create(client, P.DAILY_JOURNALS, row, code)

    def _record(self, link: PeakLink, row: dict) -> None:
        with transaction.atomic():
            link.status = PeakState.SENT
            link.peak_id = str(row.get("id") or "")[:64]
            link.peak_code = _code_of(row)[:64] or link.peak_code
            link.link = str(row.get("documentLink") or "")[:500]
            link.error = ""
            link.save(
                update_fields=["status", "peak_id", "peak_code", "link", "error", "updated_at"]
            )

    def parked(self, message: OutboxMessage) -> None:
        PeakLink.objects.for_shop(message.shop_id).filter(outbox_message_id=message.pk).update(
            status=PeakState.FAILED, error=message.last_error
        )

    def requeued(self, message: OutboxMessage) -> None:
        PeakLink.objects.for_shop(message.shop_id).filter(outbox_message_id=message.pk).update(
            status=PeakState.QUEUED
        )


def _peak_message(exc: PeakError) -> str:
    prefix = _("ไม่แน่ใจว่า PEAK ได้รับหรือไม่") if isinstance(exc, PeakUncertain) else "PEAK"
    code = f" [{exc.res_code}]" if exc.res_code else ""
    return f"{prefix}{code}: {exc.message}"


DESTINATION = PeakDestination()
register(Topic.PEAK_DOCUMENT, DESTINATION)
register(Topic.PEAK_JOURNAL, DESTINATION)
