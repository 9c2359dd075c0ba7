"""Shipping events for the apps above it (integrations: webhooks out), sent inside the
transaction that records the parcel's event: a receiver that raises rolls it back."""

from django.dispatch import Signal

shipment_updated = Signal()  # kwargs: shipment, event (ShipmentEvent just recorded)
