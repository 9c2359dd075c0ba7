"""Which accounts a sale, its undoing and its money touch (docs/design/money.md#journal).

The account that receives a sale is where the order's money is at that moment: the bank
(or the platform) when the document is issued at payment, the carrier on COD delivery,
customer deposits when the money came before the document, otherwise a trade receivable.
The order's own journal lines tell which (journal.order_balance), so the rules hold for
orders whose documents were issued by hand as well as automatically.
"""

from decimal import Decimal

from talad.accounting.journal import Posting, credit, debit, order_balance, without_zero_lines
from talad.accounting.models import AccountRole as R
from talad.accounting.models import LineKind
from talad.accounting.vat import allocate
from talad.orders.models import Order


def revenue_postings(
    *,
    net: Decimal,
    vat: Decimal,
    goods_basis: Decimal,
    shipping_basis: Decimal,
    money_role: str,
    undo: bool = False,
) -> list[Posting]:
    """A sale: money / sales, shipping income, output VAT. Undone (credit note, return):
    sales returns, shipping income, output VAT / money. The net is shared between goods and
    shipping in proportion to their amounts; the lines that come to nothing are left out."""
    goods_net, shipping_net = allocate(net, [goods_basis, shipping_basis])
    total = net + vat
    if undo:
        postings = [
            debit(R.SALES_RETURNS, goods_net),
            debit(R.SHIPPING_INCOME, shipping_net),
            debit(R.OUTPUT_VAT, vat),
            credit(money_role, total),
        ]
    else:
        postings = [
            debit(money_role, total),
            credit(R.SALES, goods_net),
            credit(R.SHIPPING_INCOME, shipping_net),
            credit(R.OUTPUT_VAT, vat),
        ]
    return without_zero_lines(postings)


def bases(lines) -> tuple[Decimal, Decimal]:
    """(goods, shipping) amounts of document lines (model rows or dicts)."""
    goods = shipping = Decimal("0.00")
    for line in lines:
        kind = line["kind"] if isinstance(line, dict) else line.kind
        amount = line["amount"] if isinstance(line, dict) else line.amount
        if kind == LineKind.SHIPPING:
            shipping += amount
        else:
            goods += amount
    return goods, shipping


def sale_debit_role(order: Order, total: Decimal) -> str:
    """A document issued after its money arrived uses the deposit; otherwise it is on credit."""
    if -order_balance(order, R.CUSTOMER_DEPOSIT) >= total:
        return R.CUSTOMER_DEPOSIT
    return R.AR_TRADE


def money_credit_role(order: Order, amount: Decimal) -> str:
    """Money arriving for a sale already on credit settles the receivable; before any
    document it is a deposit from the customer."""
    if order_balance(order, R.AR_TRADE) >= amount:
        return R.AR_TRADE
    return R.CUSTOMER_DEPOSIT


def refund_role(order: Order | None, amount: Decimal) -> str:
    """What a credit note or a return reduces: the receivable while unpaid; a refund owed to
    the customer when the order records one (cancel or return of a paid order: the money
    leaves later, as a refund payment, payments.refunds); the platform's balance for a
    marketplace order; otherwise the bank (a credit note given by hand is paid from it)."""
    if order is not None:
        if order_balance(order, R.AR_TRADE) >= amount:
            return R.AR_TRADE
        if order.refund_owed > 0:
            return R.REFUNDS_PAYABLE
        if order_balance(order, R.AR_MARKETPLACE) >= amount:
            return R.AR_MARKETPLACE
    return R.BANK
