"""Every write of the accounting app, in one place to look (each lives in its own module)."""

from talad.accounting.autopost import post_cod_remittance
from talad.accounting.books import update_accounting_settings
from talad.accounting.credit_notes import issue_credit_note
from talad.accounting.documents import issue_document
from talad.accounting.journal import Posting, post_journal_entry, reverse_journal_entry
from talad.accounting.payouts import post_marketplace_payout
from talad.accounting.refunds import post_refund

__all__ = [
    "Posting",
    "issue_credit_note",
    "issue_document",
    "post_cod_remittance",
    "post_journal_entry",
    "post_marketplace_payout",
    "post_refund",
    "reverse_journal_entry",
    "update_accounting_settings",
]
