"""A refund paid out, in the books (called by payments.refunds, in its transaction).

Cancelling or returning a paid order credits REFUNDS_PAYABLE (postings.refund_role): the
customer is owed the money. Paying it debits that back and credits where the money left
from: BANK for a transfer, PromptPay or a card, CASH, or the platform's balance
(AR_MARKETPLACE) when the marketplace refunded the buyer out of the seller's payout.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy

from talad.accounting.books import in_thai
from talad.accounting.journal import credit, debit, order_balance, post_journal_entry
from talad.accounting.models import AccountRole as R
from talad.accounting.models import JournalEntry, SourceType
from talad.orders.models import Order
from talad.shops.actors import Actor
from talad.shops.permissions import require

PAID_FROM = {
    "transfer": R.BANK,
    "promptpay": R.BANK,
    "card": R.BANK,
    "cash": R.CASH,
    "marketplace": R.AR_MARKETPLACE,
}


def post_refund(
    *,
    order: Order,
    amount: Decimal,
    method: str,
    payment_id: int,
    by: Actor,
    reference: str = "",
) -> JournalEntry | None:
    """REFUNDS_PAYABLE / the money's account, for at most what the books still owe the
    customer on this order. An order whose refund was taken straight from the bank when it
    was cancelled (before refunds were booked as owed) owes nothing here, and posting the
    refund again would count the money out twice."""
    require(by, "refund_customers")
    owed = max(-order_balance(order, R.REFUNDS_PAYABLE), Decimal("0.00"))
    posted = min(amount, owed)
    if posted <= 0:
        return None
    return post_journal_entry(
        shop=order.shop,
        description=in_thai(gettext_lazy("คืนเงินลูกค้า (%(o)s)")) % {"o": order.number},
        postings=[
            debit(R.REFUNDS_PAYABLE, posted),
            credit(PAID_FROM[method], posted, reference),
        ],
        source_type=SourceType.REFUND,
        source_id=str(payment_id),
        by=by,
        order=order,
    )
