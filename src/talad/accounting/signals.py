"""Accounting events for the apps above it (integrations), sent inside the issuing transaction:
a receiver that raises rolls the document or entry back."""

from django.dispatch import Signal

document_issued = Signal()  # kwargs: document (lines written)
journal_entry_posted = Signal()  # kwargs: entry (lines written)
