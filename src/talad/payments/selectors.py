"""Reads for COD money: one statement with its summary, and what the carriers still owe."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from talad.errors import NotFound
from talad.orders.models import PaymentStatus
from talad.payments.models import (
    ZERO,
    CodStatement,
    CodStatementRow,
    Payment,
    RemittanceResult,
)
from talad.shipping.models import Shipment
from talad.shops.models import Shop

MONEY_FIELDS = ("cod_amount", "fee", "vat_on_fee", "net_amount")


def payment_detail(*, shop: Shop, payment_id: int) -> Payment:
    payment = Payment.objects.for_shop(shop).select_related("order").filter(pk=payment_id).first()
    if payment is None:
        raise NotFound(_("ไม่พบการชำระเงิน"))
    return payment


def statement_detail(*, shop: Shop, statement_id: int) -> CodStatement:
    statement = CodStatement.objects.for_shop(shop).filter(pk=statement_id).first()
    if statement is None:
        raise NotFound(_("ไม่พบใบแจ้งยอด COD"))
    return statement


def statements_page(*, shop: Shop, before_id: int | None = None, limit: int = 50):
    qs = CodStatement.objects.for_shop(shop).order_by("-id")
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(qs[:limit])


def summarise(rows: list[CodStatementRow]) -> dict:
    """Rows per result, and COD, fees, VAT on fees and net: as written, and for matched rows."""
    counts = dict.fromkeys(RemittanceResult.values, 0)
    totals = dict.fromkeys(MONEY_FIELDS, ZERO)
    matched = dict.fromkeys(MONEY_FIELDS, ZERO)
    for row in rows:
        counts[row.result] += 1
        for field in MONEY_FIELDS:
            totals[field] += getattr(row, field)
            if row.result == RemittanceResult.MATCHED:
                matched[field] += getattr(row, field)
    return {
        "rows": len(rows),
        "counts": counts,
        "totals": {k: f"{v:.2f}" for k, v in totals.items()},
        "matched_totals": {k: f"{v:.2f}" for k, v in matched.items()},
    }


def outstanding_cod(*, shop: Shop, carrier: str | None = None, now: datetime | None = None) -> dict:
    """COD the carriers collected and have not paid out yet: per carrier, oldest first, with
    each parcel's age in days since it was delivered."""
    now = now or timezone.now()
    parcels = (
        Shipment.objects.for_shop(shop)
        .filter(active=True, order__payment_status=PaymentStatus.COD_COLLECTED)
        .select_related("order")
        .order_by("delivered_at", "id")
    )
    if carrier:
        parcels = parcels.filter(carrier=carrier)
    items = []
    per_carrier: dict[str, dict] = {}
    for parcel in parcels.iterator(chunk_size=2000):
        delivered = parcel.delivered_at or parcel.order.status_changed_at
        age_days = max((now - delivered).days, 0)
        items.append(
            {
                "order_id": parcel.order_id,
                "order_number": parcel.order.number,
                "carrier": parcel.carrier,
                "tracking_number": parcel.tracking_number,
                "cod_amount": f"{parcel.cod_amount:.2f}",
                "delivered_at": delivered,
                "age_days": age_days,
            }
        )
        group = per_carrier.setdefault(
            parcel.carrier,
            {"carrier": parcel.carrier, "parcels": 0, "amount": ZERO, "oldest_days": 0},
        )
        group["parcels"] += 1
        group["amount"] += parcel.cod_amount
        group["oldest_days"] = max(group["oldest_days"], age_days)
    items.sort(key=lambda i: (-i["age_days"], i["order_number"]))
    carriers = sorted(per_carrier.values(), key=lambda g: (-g["amount"], g["carrier"]))
    return {
        "carriers": [{**g, "amount": f"{g['amount']:.2f}"} for g in carriers],
        "total": f"{sum((g['amount'] for g in carriers), ZERO):.2f}",
        "parcels": len(items),
        "items": items,
    }
