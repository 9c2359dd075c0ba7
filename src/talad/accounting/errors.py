"""Accounting errors, in the seller's and the accountant's words."""

from talad.errors import Conflict, TaladError


class ImmutableRecord(TypeError):
    """Code tried to change or delete an issued document or a posted journal entry."""


class DocumentAlreadyIssued(Conflict):
    """The order already has a sales document that no credit note has cancelled."""

    code = "document_already_issued"


class DocumentNotAllowed(TaladError):
    """The shop may not issue this type (e.g. a tax invoice from a shop not registered for VAT)."""

    code = "document_not_allowed"
    status = 422


class CreditTooLarge(TaladError):
    """A credit note for more than what is left of the original document."""

    code = "credit_exceeds_original"
    status = 422


class UnbalancedEntry(TaladError):
    """A journal entry whose debits and credits differ, or that has no lines."""

    code = "unbalanced_entry"
    status = 422
