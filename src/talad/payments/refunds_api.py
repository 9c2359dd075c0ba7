"""/api/v1/orders/{id}/refunds — a refund paid out to the customer of a cancelled or
returned paid order (docs/design/api.md, docs/design/money.md#refunds)."""

from datetime import datetime

from ninja import Header, Router, Schema, Status
from pydantic import Field

from talad.api_types import Money, MoneyText, ObjectIn, error_responses
from talad.orders.selectors import order_detail
from talad.payments.models import Payment, PaymentKind, RefundMethod
from talad.payments.refunds import record_refund
from talad.shops.idempotency import body_fingerprint, run_once
from talad.shops.permissions import require

router = Router(tags=["orders"])


class RefundIn(ObjectIn):
    amount: Money
    method: RefundMethod
    reference: str = Field("", max_length=100, description="the transfer's reference, or a note")


class RefundOut(Schema):
    id: int
    order_id: int
    amount: MoneyText
    method: str
    reference: str
    refunded_at: datetime
    by: str
    refund_owed: MoneyText = Field(description="what the order still owes its customer")
    payment_status: str


def refund_out(refund: Payment) -> dict:
    return {
        "id": refund.pk,
        "order_id": refund.order_id,
        "amount": f"{refund.amount:.2f}",
        "method": refund.method,
        "reference": refund.reference,
        "refunded_at": refund.paid_at,
        "by": refund.actor,
        "refund_owed": f"{refund.order.refund_owed:.2f}",
        "payment_status": refund.order.payment_status,
    }


@router.post(
    "/orders/{int:order_id}/refunds",
    response={201: RefundOut, **error_responses(403, 404, 409, 413)},
    operation_id="recordRefund",
    summary="Record money paid back to the customer (at most the order's refund_owed)",
)
def create_refund(
    request,
    order_id: int,
    payload: RefundIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    require(request.actor, "refund_customers")

    def produce():
        order = order_detail(shop=request.shop, order_id=order_id)
        refund = record_refund(
            order=order,
            amount=payload.amount,
            method=payload.method,
            reference=payload.reference,
            by=request.actor,
        )
        return 201, refund_out(refund)

    return Status(
        *run_once(
            shop=request.shop,
            key=idempotency_key,
            fingerprint=body_fingerprint(request.path.encode() + request.body),
            produce=produce,
        )
    )


@router.get(
    "/orders/{int:order_id}/refunds",
    response={200: list[RefundOut], **error_responses(403, 404)},
    operation_id="listRefunds",
    summary="The refunds paid out for an order, oldest first",
)
def list_refunds(request, order_id: int):
    require(request.actor, "view_orders")
    order = order_detail(shop=request.shop, order_id=order_id)
    refunds = Payment.objects.for_shop(request.shop).filter(order=order, kind=PaymentKind.REFUND)
    return [refund_out(r) for r in refunds.select_related("order").order_by("id")]
