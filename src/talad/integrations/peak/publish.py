"""Queueing for PEAK, inside the transaction that issues the document or posts the entry:
only when the shop is connected, the connection is on, and the document type is one it sends.
The document's PeakLink is made at the same time, so its PEAK state shows from the start."""

from talad.accounting.models import Document, JournalEntry, PeakLink, SourceType
from talad.integrations.models import PeakConnection, Topic
from talad.integrations.outbox import publish


def connection_for(shop_id: int) -> PeakConnection | None:
    return PeakConnection.objects.for_shop(shop_id).filter(enabled=True).first()


def sends(connection: PeakConnection, doc_type: str) -> bool:
    return not connection.document_types or doc_type in connection.document_types


def queue_document(document: Document) -> None:
    connection = connection_for(document.shop_id)
    if connection is None or not sends(connection, document.doc_type):
        return
    message = publish(
        shop=document.shop_id,
        topic=Topic.PEAK_DOCUMENT,
        key=str(document.pk),
        payload={"document_id": document.pk, "number": document.number},
    )
    PeakLink.objects.create(
        shop_id=document.shop_id,
        document=document,
        peak_code=document.number,
        outbox_message_id=message.pk,
    )


def queue_journal_entry(entry: JournalEntry) -> None:
    """COD remittances (the carrier's fee and the VAT on it) and marketplace payouts (the
    platform's fees, their VAT, the shipping subsidy) go to PEAK as daily journals."""
    if entry.source_type not in (SourceType.COD_REMITTANCE, SourceType.MARKETPLACE_PAYOUT):
        return
    connection = connection_for(entry.shop_id)
    if connection is None:
        return
    if entry.source_type == SourceType.COD_REMITTANCE and not connection.send_cod_remittances:
        return
    message = publish(
        shop=entry.shop_id,
        topic=Topic.PEAK_JOURNAL,
        key=str(entry.pk),
        payload={"journal_entry_id": entry.pk},
    )
    PeakLink.objects.create(
        shop_id=entry.shop_id, journal_entry=entry, outbox_message_id=message.pk
    )
