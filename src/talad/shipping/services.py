"""Writes for shipping: the shop's carrier settings, the parcel recorded by `ship`, its timeline.

The parcel's own status follows its events: delivered / returning / returned always, a
scan (picked up, in transit, failed attempt) only when it is the latest and the journey
has not ended. The order's status is never set here:
imports move orders only through orders.services.transition().
"""

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.errors import Conflict, TaladError
from talad.money import parse_amount
from talad.orders.actions import normalise_tracking
from talad.orders.effects import Delivered, Effects, Shipped
from talad.orders.models import Order
from talad.shipping.carriers import CARRIERS
from talad.shipping.models import CarrierSetting, EventSource, Shipment, ShipmentEvent
from talad.shipping.registry import carriers_for
from talad.shipping.signals import shipment_updated
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

CARRIER_FIELDS = ("name_th", "name_en", "tracking_url", "cod_fee_percent", "pattern", "active")
MAX_TRACKING = 60


# --- The shop's carriers -----------------------------------------------------------------


@transaction.atomic
def save_carrier(*, shop: Shop, code: str, by: Actor, **changes) -> CarrierSetting:
    """Change a carrier for this shop (a seed carrier is copied first) or add one of its own."""
    require(by, "manage_settings")
    code = str(code or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9_]{2,30}", code):
        raise TaladError(_("รหัสขนส่งต้องเป็น a-z, 0-9 หรือ _ ยาว 2–30 ตัว"), fields={"code": "invalid"})
    unknown = set(changes) - set(CARRIER_FIELDS)
    if unknown:
        raise TaladError(
            _("แก้ไขได้เฉพาะ %(f)s") % {"f": ", ".join(CARRIER_FIELDS)},
            fields={f: "unknown_field" for f in sorted(unknown)},
        )
    row = CarrierSetting.objects.for_shop(shop).select_for_update().filter(code=code).first()
    seed = CARRIERS.get(code)
    if row is None:
        row = CarrierSetting(shop=shop, code=code)
        if seed is not None:
            for field in CARRIER_FIELDS:
                setattr(row, field, getattr(seed, field))
        elif not changes.get("name_th") and not changes.get("name_en"):
            raise TaladError(_("ขนส่งใหม่ต้องมีชื่อ"), fields={"name_th": "required"})
    before = None if row.pk is None else {f: str(getattr(row, f)) for f in CARRIER_FIELDS}
    for field, value in changes.items():
        setattr(row, field, _clean_carrier_field(field, value))
    row.name_th = row.name_th or row.name_en
    row.name_en = row.name_en or row.name_th
    row.save()
    record_audit(
        shop=shop,
        by=by,
        action="carrier.save",
        obj=row,
        before=before,
        after={f: str(getattr(row, f)) for f in CARRIER_FIELDS},
    )
    return row


def _clean_carrier_field(field: str, value):
    if field == "active":
        if not isinstance(value, bool):
            raise TaladError(_("ต้องเป็น true หรือ false"), fields={field: "invalid"})
        return value
    if field == "cod_fee_percent":
        percent = parse_amount(value, field)
        if percent > 100:
            raise TaladError(_("ต้องไม่เกิน 100%"), fields={field: "invalid"})
        return percent
    text = str(value if value is not None else "").strip()
    limits = {"name_th": 100, "name_en": 100, "tracking_url": 300, "pattern": 200}
    if len(text) > limits[field] or "\x00" in text:
        raise TaladError(_("ข้อความยาวเกินไป"), fields={field: "too_long"})
    if field == "tracking_url" and text and not re.match(r"https?://", text):
        raise TaladError(_("ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://"), fields={field: "invalid"})
    if field == "pattern" and text:
        try:
            re.compile(text)
        except re.error:
            raise TaladError(_("รูปแบบเลขพัสดุไม่ถูกต้อง"), fields={field: "invalid"}) from None
    return text


# --- The parcel that `ship` handed over (called by receivers, inside transition()) ----------


def record_shipment(*, order: Order, shipped: Shipped) -> Shipment:
    """The shipment of a `ship`: the carrier must be one the shop uses; the tracking number
    must not be on another active parcel of that carrier (the error names that order)."""
    registry = carriers_for(order.shop_id)
    code = shipped.carrier
    carrier = registry.get(code)
    if carrier is None or not carrier.active:
        known = sorted(c for c, v in registry.items() if v.active)
        raise TaladError(
            _("ไม่รู้จักขนส่ง '%(c)s'") % {"c": code}
            if carrier is None
            else _("ขนส่ง '%(c)s' ถูกปิดใช้งานในร้านนี้") % {"c": code},
            fields={"carrier": "unknown_carrier" if carrier is None else "inactive_carrier"},
            known=known,
        )
    tracking = normalise_tracking(shipped.tracking_number)
    if not tracking or len(tracking) > MAX_TRACKING:
        raise TaladError(_("เลขพัสดุไม่ถูกต้อง"), fields={"tracking_number": "invalid"})
    taken = tracking_taken(order.shop_id, code, tracking)
    if taken:
        raise duplicate_tracking(tracking, taken.order.number)
    now = timezone.now()
    try:
        with transaction.atomic():
            shipment = Shipment.objects.create(
                shop_id=order.shop_id,
                order=order,
                carrier=code,
                tracking_number=tracking,
                cod_amount=shipped.cod_amount,
                weight_grams=shipped.weight_grams,
                shipping_cost=shipped.shipping_cost,
                status="picked_up",
            )
    except IntegrityError:  # a concurrent `ship` took the number between our check and insert
        taken = tracking_taken(order.shop_id, code, tracking)
        raise duplicate_tracking(tracking, taken.order.number if taken else "?") from None
    add_event(shipment, status="picked_up", at=now, note="", source=EventSource.ORDER)
    return shipment


def tracking_taken(shop_id, carrier: str, tracking: str) -> Shipment | None:
    return (
        Shipment.objects.for_shop(shop_id)
        .filter(carrier=carrier, tracking_number=tracking, active=True)
        .select_related("order")
        .first()
    )


def duplicate_tracking(tracking: str, order_number: str) -> Conflict:
    return Conflict(
        _("เลขพัสดุ %(t)s ถูกใช้แล้วกับออเดอร์ %(o)s") % {"t": tracking, "o": order_number},
        fields={"tracking_number": "duplicate"},
        order_number=order_number,
    )


# What each later order action means for the parcel.
ORDER_STEPS = {"deliver": "delivered", "fail_delivery": "returning", "receive_return": "returned"}
# Where a parcel's journey ends (or turns back): a later "in transit" scan does not undo them,
# and they count whatever time the carrier gives them.
SETTLED = frozenset({"delivered", "returning", "returned"})


def follow_order(*, order: Order, action: str, effects: Effects) -> None:
    """Record the parcel's side of deliver / fail_delivery / receive_return. An import that
    already recorded this step (with the carrier's own time) is not recorded twice."""
    shipment = Shipment.objects.for_shop(order.shop_id).filter(order=order, active=True).last()
    if shipment is None:
        return
    status = ORDER_STEPS[action]
    at = effects.delivered_at if isinstance(effects, Delivered) else None
    if action == "deliver":
        shipment.delivered_at = at or timezone.now()
        shipment.save(update_fields=["delivered_at"])
    if not shipment.events.filter(status=status).exists():
        add_event(
            shipment,
            status=status,
            at=at or timezone.now(),
            note=effects.note[:500],
            source=EventSource.ORDER,
        )
    else:
        set_status(shipment, status)


def add_event(
    shipment: Shipment, *, status: str, at: datetime, note: str, source: str
) -> ShipmentEvent:
    event = ShipmentEvent.objects.create(
        shop_id=shipment.shop_id,
        shipment=shipment,
        status=status,
        at=at,
        note=note[:500],
        source=source,
    )
    if status in SETTLED or (
        shipment.status not in SETTLED
        and not shipment.events.filter(at__gt=at).exclude(pk=event.pk).exists()
    ):
        set_status(shipment, status)
    shipment_updated.send(sender=Shipment, shipment=shipment, event=event)
    return event


def set_status(shipment: Shipment, status: str) -> None:
    if shipment.status != status:
        shipment.status = status
        Shipment.objects.for_shop(shipment.shop_id).filter(pk=shipment.pk).update(status=status)
