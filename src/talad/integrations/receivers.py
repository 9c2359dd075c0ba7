"""What the rest of Talad tells the outside world: every signal below is sent inside the
transaction of its change, so the outbox message it writes commits (or rolls back) with it."""

from django.dispatch import receiver

from talad.accounting.models import Document, JournalEntry
from talad.accounting.signals import document_issued, journal_entry_posted
from talad.integrations.peak import delivery as _peak_delivery  # noqa: F401 (registers it)
from talad.integrations.peak.publish import queue_document, queue_journal_entry
from talad.integrations.webhooks import delivery as _webhook_delivery  # noqa: F401 (registers it)
from talad.integrations.webhooks.events import order_data, publish_event
from talad.orders.models import Order
from talad.orders.signals import order_action_applied
from talad.shipping.models import Shipment
from talad.shipping.signals import shipment_updated


@receiver(order_action_applied, sender=Order)
def tell_about_order(sender, *, order, action, change, **kwargs) -> None:
    if action == "create":
        publish_event(
            shop=order.shop, event_type="order.created", data={"order": order_data(order)}
        )
        return
    publish_event(
        shop=order.shop,
        event_type="order.status_changed",
        data={
            "order": order_data(order),
            "action": action,
            "from": change.from_status,
            "to": change.to_status,
        },
    )


@receiver(document_issued, sender=Document)
def tell_about_document(sender, *, document, **kwargs) -> None:
    queue_document(document)
    publish_event(
        shop=document.shop,
        event_type="document.issued",
        data={
            "document": {
                "id": document.pk,
                "type": document.doc_type,
                "number": document.number,
                "order_id": document.order_id,
                "original_id": document.original_id,
                "issue_date": document.issue_date,
                "net_amount": f"{document.net_amount:.2f}",
                "vat_amount": f"{document.vat_amount:.2f}",
                "total_amount": f"{document.total_amount:.2f}",
            }
        },
    )


@receiver(journal_entry_posted, sender=JournalEntry)
def tell_about_entry(sender, *, entry, **kwargs) -> None:
    queue_journal_entry(entry)


@receiver(shipment_updated, sender=Shipment)
def tell_about_shipment(sender, *, shipment, event, **kwargs) -> None:
    publish_event(
        shop=shipment.order.shop,
        event_type="shipment.updated",
        data={
            "shipment": {
                "id": shipment.pk,
                "order_id": shipment.order_id,
                "order_number": shipment.order.number,
                "carrier": shipment.carrier,
                "tracking_number": shipment.tracking_number,
                "status": shipment.status,
                "cod_amount": f"{shipment.cod_amount:.2f}",
            },
            "event": {"status": event.status, "at": event.at, "note": event.note},
        },
    )
