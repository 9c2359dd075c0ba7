"""Refunds: money paid back to a customer whose paid order was cancelled or returned
(docs/design/money.md#refunds).

Cancelling or returning a paid order records what is owed (`Order.refund_owed`) and books it
as REFUNDS_PAYABLE. `record_refund` is the money actually leaving: a Payment of kind
`refund`, the debt settled on the order (orders.services.record_refund moves its payment
status), and REFUNDS_PAYABLE / BANK, CASH or the platform's balance in the journal — all in
one transaction, or none of it.
"""

from datetime import datetime

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.money import parse_amount
from talad.orders.models import Order
from talad.orders.services import record_refund as settle_refund_owed
from talad.payments.models import Payment, PaymentKind, RefundMethod
from talad.shops.actors import Actor


def record_refund(
    *,
    order: Order,
    amount,
    method: str,
    by: Actor,
    reference: str = "",
    refunded_at: datetime | None = None,
) -> Payment:
    """Pay back `amount` (at most what the order still owes) by `method`; `reference` is the
    transfer's reference or a note. Refused without the `refund_customers` capability."""
    amount = parse_amount(amount, "amount")
    if method not in RefundMethod.values:
        raise TaladError(
            _("วิธีคืนเงินต้องเป็นหนึ่งใน %(a)s") % {"a": ", ".join(RefundMethod.values)},
            fields={"method": "invalid"},
        )
    if not isinstance(reference, str) or len(reference.strip()) > 100:
        raise TaladError(_("เลขอ้างอิงยาวได้ไม่เกิน 100 ตัวอักษร"), fields={"reference": "too_long"})
    with transaction.atomic():
        order = settle_refund_owed(order=order, amount=amount, by=by, reference=reference)
        refund = Payment.objects.create(
            shop_id=order.shop_id,
            order=order,
            kind=PaymentKind.REFUND,
            amount=amount,
            method=method,
            reference=reference.strip(),
            paid_at=refunded_at or timezone.now(),
            user_id=by.user_id,
            actor=by.label[:80],
        )
        _post_refund_to_books(order=order, refund=refund, by=by)
    return refund


def _post_refund_to_books(*, order: Order, refund: Payment, by: Actor) -> None:
    """The seam to accounting, as for COD remittances (services.post_remittance_to_books):
    without the accounting app there are no books to post to."""
    if not apps.is_installed("talad.accounting"):
        return
    from talad.accounting.services import post_refund

    post_refund(
        order=order,
        amount=refund.amount,
        method=refund.method,
        payment_id=refund.pk,
        by=by,
        reference=refund.reference,
    )
