"""A marketplace's payout of one order, in the books (called by payments.payouts, in the
payout row's transaction; docs/design/money.md#marketplace-payouts).

    BANK             net paid
    PLATFORM_FEES    the fees less the VAT in them
    INPUT_VAT        the VAT in the fees (VAT-registered shops only)
      SHIPPING_INCOME  the platform's shipping subsidy
      AR_MARKETPLACE   the order amount: what the platform owed for the order
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talad.accounting.books import in_thai
from talad.accounting.journal import (
    credit,
    debit,
    order_balance,
    post_journal_entry,
    without_zero_lines,
)
from talad.accounting.models import AccountRole as R
from talad.accounting.models import JournalEntry, JournalLine, SourceType
from talad.accounting.vat import split_inclusive
from talad.errors import Conflict, TaladError
from talad.money import parse_amount
from talad.orders.models import Order
from talad.orders.services import lock_order
from talad.shops.actors import Actor
from talad.shops.permissions import require

ZERO = Decimal("0.00")


def post_marketplace_payout(
    *,
    order: Order,
    order_amount,
    fees,
    vat_on_fees,
    shipping_subsidy,
    by: Actor,
    source_id: str,
    day=None,
) -> JournalEntry:
    """Settle what the platform owed for `order` (`order_amount`, exactly its AR_MARKETPLACE
    balance) with the money it paid; `fees` include `vat_on_fees`. Refused when the order
    amount is not what is owed, so a receivable is never over- or under-settled."""
    require(by, "record_payments")
    amount = parse_amount(order_amount, "order_amount")
    fees = parse_amount(fees, "fees")
    vat = parse_amount(vat_on_fees, "vat_on_fees")
    subsidy = parse_amount(shipping_subsidy, "shipping_subsidy")
    if vat > fees:
        raise TaladError(_("VAT มากกว่าค่าธรรมเนียม"), fields={"vat_on_fees": "exceeds_fees"})
    net = amount - fees + subsidy
    if net < 0:
        raise TaladError(_("ค่าธรรมเนียมมากกว่ายอดที่ได้รับ"), fields={"fees": "exceeds_amount"})
    with transaction.atomic():
        order = lock_order(order.shop, order.pk)
        owed = order_balance(order, R.AR_MARKETPLACE)
        if amount <= 0 or amount != owed:
            raise Conflict(
                _("แพลตฟอร์มค้างชำระออเดอร์ %(o)s อยู่ %(d)s") % {"o": order.number, "d": f"{owed:.2f}"},
                fields={"order_amount": "not_owed"},
                owed=f"{owed:.2f}",
            )
        return post_journal_entry(
            shop=order.shop,
            description=in_thai(gettext_lazy("แพลตฟอร์มโอนเงินขาย (%(o)s)")) % {"o": order.number},
            postings=without_zero_lines(
                [
                    debit(R.BANK, net),
                    debit(R.PLATFORM_FEES, fees - vat),
                    debit(R.INPUT_VAT, vat),
                    credit(R.SHIPPING_INCOME, subsidy),
                    credit(R.AR_MARKETPLACE, amount),
                ]
            ),
            source_type=SourceType.MARKETPLACE_PAYOUT,
            source_id=source_id,
            by=by,
            day=day or timezone.localdate(),
            order=order,
        )


def vat_in_fees(*, shop, fees: Decimal) -> Decimal:
    """The input VAT inside VAT-inclusive platform fees; none for a shop not registered for
    VAT (it cannot claim it: the whole fee is its expense)."""
    if not shop.vat_registered or fees <= 0:
        return ZERO
    return split_inclusive(fees, shop.vat_rate)[1]


def marketplace_owed(*, shop, order_ids) -> dict[int, Decimal]:
    """order id → what the platform still owes for it (AR_MARKETPLACE debits less credits),
    in one query for the lot."""
    rows = (
        JournalLine.objects.for_shop(shop)
        .filter(entry__order_id__in=list(order_ids), role=R.AR_MARKETPLACE)
        .values("entry__order_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    return {r["entry__order_id"]: (r["d"] or ZERO) - (r["c"] or ZERO) for r in rows}
