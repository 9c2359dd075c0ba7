"""Reads for marketplace payouts: one report with its summary, and the reports so far."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from talad.errors import NotFound
from talad.payments.models import ZERO, MarketplacePayout, PayoutResult, PayoutRow
from talad.shops.models import Shop

TOTALS = ("order_amount", "fees", "vat_on_fees", "shipping_subsidy", "net_paid")


def payout_detail(*, shop: Shop, payout_id: int) -> MarketplacePayout:
    payout = MarketplacePayout.objects.for_shop(shop).filter(pk=payout_id).first()
    if payout is None:
        raise NotFound(_("ไม่พบรายงานการโอนเงิน"))
    return payout


def payout_rows(payout: MarketplacePayout) -> list[PayoutRow]:
    return list(payout.rows.select_related("order").order_by("row_number"))


def payouts_page(*, shop: Shop, before_id: int | None = None, limit: int = 50):
    rows = PayoutRow.objects.for_shop(shop).order_by("row_number")
    qs = (
        MarketplacePayout.objects.for_shop(shop)
        .prefetch_related(Prefetch("rows", queryset=rows))
        .order_by("-id")
    )
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(qs[:limit])


def summarise(rows: list[PayoutRow]) -> dict:
    """Rows per result, and the money as written and for the settled rows."""
    counts = dict.fromkeys(PayoutResult.values, 0)
    totals = dict.fromkeys(TOTALS, ZERO)
    settled = dict.fromkeys(TOTALS, ZERO)
    for row in rows:
        counts[row.result] += 1
        for field in TOTALS:
            totals[field] += getattr(row, field)
            if row.result == PayoutResult.SETTLED:
                settled[field] += getattr(row, field)
    return {
        "rows": len(rows),
        "counts": counts,
        "totals": {k: f"{v:.2f}" for k, v in totals.items()},
        "settled_totals": {k: f"{v:.2f}" for k, v in settled.items()},
    }
