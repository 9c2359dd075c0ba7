"""Reads for shipping: the tracking lookup and one parcel with its timeline."""

from django.utils.translation import gettext as _

from talad.errors import NotFound
from talad.orders.actions import normalise_tracking
from talad.shipping.models import Shipment
from talad.shops.models import Shop


def shipments_page(
    *,
    shop: Shop,
    tracking: str | None = None,
    carrier: str | None = None,
    status: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
) -> list[Shipment]:
    """Newest first, keyset on id; `tracking` is normalised as it is stored (`th 0123` → `TH0123`)."""
    qs = Shipment.objects.for_shop(shop).select_related("order").order_by("-id")
    if tracking:
        qs = qs.filter(tracking_number=normalise_tracking(tracking))
    if carrier:
        qs = qs.filter(carrier=carrier)
    if status:
        qs = qs.filter(status=status)
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(qs[:limit])


def shipment_detail(*, shop: Shop, shipment_id: int) -> Shipment:
    shipment = (
        Shipment.objects.for_shop(shop)
        .select_related("order")
        .prefetch_related("events")
        .filter(pk=shipment_id)
        .first()
    )
    if shipment is None:
        raise NotFound(_("ไม่พบพัสดุ"))
    return shipment
