"""What each order action writes in the books, inside the action's own transaction
(docs/design/money.md#journal; the shop's issue policy decides when documents are issued).

pay            → the prepaid document (receipt/tax invoice) and BANK / SALES, SHIPPING_INCOME,
                 OUTPUT_VAT; with no document: BANK / CUSTOMER_DEPOSIT (or AR_TRADE)
ship           → COGS / INVENTORY at the moving-average cost of the goods shipped
deliver (COD)  → the COD document (tax invoice or invoice) and AR_COD_CARRIER / SALES, OUTPUT_VAT;
                 with no document: AR_COD_CARRIER / CUSTOMER_DEPOSIT (or AR_TRADE)
cancel         → a credit note for what is left of each tax invoice (or, without one, the
                 sale's reversal) and the deposit back; a paid order's money is then owed
                 back (REFUNDS_PAYABLE) until the refund is paid (payments.refunds)
receive_return → the same as cancel, INVENTORY / COGS for the goods back on the shelf, and
                 DAMAGED_GOODS / COGS for the goods back damaged
COD remitted   → post_cod_remittance: BANK, COD_FEE, INPUT_VAT / AR_COD_CARRIER
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talad.accounting.books import accounting_settings, automatic_document_type, in_thai
from talad.accounting.credit_notes import credit_document, may_credit
from talad.accounting.documents import (
    issue_sales_document,
    may_issue_automatically,
)
from talad.accounting.journal import (
    credit,
    debit,
    order_balance,
    post_journal_entry,
    without_zero_lines,
)
from talad.accounting.models import AccountRole as R
from talad.accounting.models import (
    CodIssue,
    CreditReason,
    JournalEntry,
    PrepaidIssue,
    SourceType,
)
from talad.accounting.postings import bases, money_credit_role, refund_role, revenue_postings
from talad.accounting.selectors import credited, open_sales_documents
from talad.errors import Conflict, TaladError
from talad.money import parse_amount
from talad.orders.effects import Cancelled, Delivered, Paid, Returned, Shipped
from talad.orders.models import PaymentMethod, PaymentStatus
from talad.orders.services import lock_order
from talad.shops.actors import Actor
from talad.shops.permissions import require

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _post(order, by, change, description: str, postings) -> JournalEntry | None:
    postings = without_zero_lines(postings)
    if not postings:
        return None
    return post_journal_entry(
        shop=order.shop,
        description=f"{in_thai(description)} ({order.number})",
        postings=postings,
        source_type=SourceType.ORDER_ACTION,
        source_id=str(change.pk),
        by=by,
        order=order,
    )


def _money_arrives(order, by, change, *, money_role: str, policy_issues: bool, cod: bool, what):
    """Issue the document now if the policy says so, else record the money against the
    receivable (document issued earlier) or as a deposit (document to come)."""
    shop = order.shop
    books = accounting_settings(shop)
    if policy_issues and may_issue_automatically(shop) and not open_sales_documents(order):
        doc_type = automatic_document_type(shop, books, cod=cod)
        issue_sales_document(order=order, doc_type=doc_type, by=by, money_role=money_role)
        return
    amount = order.total
    _post(
        order,
        by,
        change,
        what,
        [debit(money_role, amount), credit(money_credit_role(order, amount), amount)],
    )


def on_pay(order, effects: Paid, by, change) -> None:
    books = accounting_settings(order.shop)
    marketplace = effects.method == PaymentMethod.MARKETPLACE
    _money_arrives(
        order,
        by,
        change,
        money_role=R.AR_MARKETPLACE if marketplace else R.BANK,
        policy_issues=books.prepaid_issue == PrepaidIssue.AT_PAYMENT,
        cod=False,
        what=gettext_lazy("รับชำระเงิน"),
    )


def on_deliver(order, effects: Delivered, by, change) -> None:
    if order.payment_status != PaymentStatus.COD_COLLECTED:
        return  # prepaid: the sale was booked at payment
    books = accounting_settings(order.shop)
    _money_arrives(
        order,
        by,
        change,
        money_role=R.AR_COD_CARRIER,
        policy_issues=books.cod_issue == CodIssue.AT_DELIVERY,
        cod=True,
        what=gettext_lazy("ขนส่งเก็บเงินปลายทาง"),
    )


def on_ship(order, effects: Shipped, by, change) -> None:
    if effects.cost_of_goods is None:
        return  # the order held no reservation: no stock left, no cost of goods to post
    cost = effects.cost_of_goods
    _post(
        order, by, change, gettext_lazy("ต้นทุนขาย"), [debit(R.COGS, cost), credit(R.INVENTORY, cost)]
    )


def on_cancel(order, effects: Cancelled, by, change) -> None:
    _undo_sale(order, by, change, CreditReason.ADVANCE_REFUNDED, effects.reason)


def on_receive_return(order, effects: Returned, by, change) -> None:
    """The sale undone; the sellable goods back in INVENTORY at what they add to the stock
    value (out of the order's COGS, any rounding beyond it to STOCK_DIFFERENCE); the damaged
    goods' cost moved from COGS to DAMAGED_GOODS: they were not sold, but they are lost."""
    _undo_sale(order, by, change, CreditReason.GOODS_RETURNED, effects.note)
    cogs = max(order_balance(order, R.COGS), ZERO)
    value = effects.value_back_on_shelf
    if value > 0:
        back = min(value, cogs)
        cogs -= back
        _post(
            order,
            by,
            change,
            gettext_lazy("รับคืนสินค้าเข้าคลัง"),
            [
                debit(R.INVENTORY, value),
                credit(R.COGS, back),
                credit(R.STOCK_DIFFERENCE, value - back),
            ],
        )
    elif value < 0:  # rounding only: a unit back at no cost can lower the rounded value
        _post(
            order,
            by,
            change,
            gettext_lazy("รับคืนสินค้าเข้าคลัง"),
            [debit(R.STOCK_DIFFERENCE, -value), credit(R.INVENTORY, -value)],
        )
    damaged = min(effects.cost_of_damaged, cogs)
    if damaged > 0:
        _post(
            order,
            by,
            change,
            gettext_lazy("สินค้ารับคืนชำรุด"),
            [debit(R.DAMAGED_GOODS, damaged), credit(R.COGS, damaged)],
        )


def _undo_sale(order, by, change, reason_code: str, reason_text: str) -> None:
    """Take back what is left of every sales document, and any deposit, of a closed order."""
    for document in open_sales_documents(order):
        if may_credit(document):
            credit_document(
                original=document,
                by=by,
                reason_code=reason_code,
                reason_text=reason_text,
                amount=document.basis_amount - credited(document).basis,
            )
        else:
            _reverse_without_credit_note(order, by, change, document)
    deposit = -order_balance(order, R.CUSTOMER_DEPOSIT)
    if deposit > 0:
        _post(
            order,
            by,
            change,
            gettext_lazy("คืนเงินรับล่วงหน้า"),
            [debit(R.CUSTOMER_DEPOSIT, deposit), credit(refund_role(order, deposit), deposit)],
        )


def _reverse_without_credit_note(order, by, change, document) -> None:
    """Receipts and invoices (and any sale of a shop not registered for VAT) have no credit
    note: the sale is reversed in the journal only, linked to the order action."""
    goods, shipping = bases(document.lines.all())
    _post(
        order,
        by,
        change,
        in_thai(gettext_lazy("รับคืน/ยกเลิกการขาย %(n)s")) % {"n": document.number},
        revenue_postings(
            net=document.net_amount,
            vat=document.vat_amount,
            goods_basis=goods,
            shipping_basis=shipping,
            money_role=refund_role(order, document.total_amount),
            undo=True,
        ),
    )


# --- COD remittance (called by shipping when the carrier pays out) --------------------------


def post_cod_remittance(
    *,
    shop,
    order,
    amount,
    fee,
    vat_on_fee,
    by: Actor,
    reference: str = "",
    shortfall=0,
    shortfall_role: str = R.COD_SHORTFALL,
) -> JournalEntry:
    """The carrier paid out an order's COD: BANK (amount − fee − VAT on the fee), COD_FEE,
    INPUT_VAT / AR_COD_CARRIER (amount). `amount` is what the carrier collected; it cannot
    exceed what the carrier still owes for the order. Journal only: the order's payment
    status is shipping's to change.

    A `shortfall` the seller accepted (the carrier paid less than the parcel's COD) comes out
    of the bank line and is debited to COD_SHORTFALL (a loss) or CARRIER_CLAIMS (still to be
    claimed), so the carrier's COD receivable for the order is cleared in full."""
    require(by, "record_payments")
    amount = parse_amount(amount, "amount")
    fee = parse_amount(fee, "fee")
    vat_on_fee = parse_amount(vat_on_fee, "vat_on_fee")
    shortfall = parse_amount(shortfall, "shortfall")
    if shortfall_role not in (R.COD_SHORTFALL, R.CARRIER_CLAIMS):
        raise TaladError(
            _("บันทึกยอดขาดได้เป็นค่าใช้จ่ายหรือลูกหนี้ขนส่งเท่านั้น"), fields={"shortfall_role": "invalid"}
        )
    if fee + vat_on_fee + shortfall > amount:
        raise TaladError(_("ค่าธรรมเนียมมากกว่ายอดเงิน"), fields={"fee": "exceeds_amount"})
    with transaction.atomic():
        order = lock_order(order.shop, order.pk)
        if order.shop_id != shop.pk:
            raise TaladError(_("ออเดอร์ไม่ใช่ของร้านนี้"), fields={"order": "other_shop"})
        owed = order_balance(order, R.AR_COD_CARRIER)
        if amount <= 0 or amount > owed:
            raise Conflict(
                _("ขนส่งค้างโอนออเดอร์ %(o)s อยู่ %(d)s") % {"o": order.number, "d": owed},
                fields={"amount": "not_owed"},
                owed=f"{owed:.2f}",
            )
        return post_journal_entry(
            shop=order.shop,
            description=in_thai(gettext_lazy("ขนส่งโอนเงิน COD (%(o)s)")) % {"o": order.number},
            postings=without_zero_lines(
                [
                    debit(R.BANK, amount - fee - vat_on_fee - shortfall),
                    debit(R.COD_FEE, fee),
                    debit(R.INPUT_VAT, vat_on_fee),
                    debit(shortfall_role, shortfall),
                    credit(R.AR_COD_CARRIER, amount),
                ]
            ),
            source_type=SourceType.COD_REMITTANCE,
            source_id=reference or order.number,
            by=by,
            day=timezone.localdate(),
            order=order,
        )


EVENTS = {
    "pay": on_pay,
    "ship": on_ship,
    "deliver": on_deliver,
    "cancel": on_cancel,
    "receive_return": on_receive_return,
}
