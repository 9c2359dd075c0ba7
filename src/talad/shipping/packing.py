"""Scan-to-pack (สแกนแพ็คสินค้า): check each item into the box by its barcode, then pack.

The packer scans an order (its number, or the tracking number of its parcel), then every
item. What counts is what goes into the box: a bundle's components, as on the pick list,
so a set is checked piece by piece; scanning the set's own barcode checks one whole set.
A code that is not in the order, or one more than the order needs, is refused and counts
nothing. Counts live with the caller (the web screen keeps them in the session); when they
are complete, `pack_scanned_order` counts again against the order as it is in the database,
packs it through the state machine, and ships it at once if a tracking number is known.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from talad.catalog.models import BundleComponent, Variant
from talad.errors import NotFound, TaladError
from talad.inventory.services import stock_needs
from talad.orders.actions import normalise_tracking
from talad.orders.models import Order, Status
from talad.orders.numbering import number_from_digits
from talad.orders.services import lock_order, transition
from talad.shipping.registry import active_carriers
from talad.shops.actors import Actor
from talad.shops.models import Shop

MAX_CODE = 100  # a barcode, SKU, order or tracking number; longer input is not a scan


class NotPackable(TaladError):
    """The order was found but is not waiting to be packed."""

    code = "not_packable"
    status = 409


class WrongItem(TaladError):
    code = "wrong_item"
    status = 409


class ExtraItem(TaladError):
    code = "extra_item"
    status = 409


class CountsIncomplete(TaladError):
    code = "counts_incomplete"
    status = 409


@dataclass
class BoxItem:
    """One kind of thing that goes into the box, and how many of it."""

    variant_id: int
    sku: str
    name: str
    barcode: str
    expected: int
    scanned: int = 0

    @property
    def done(self) -> bool:
        return self.scanned >= self.expected


@dataclass
class Box:
    order: Order
    items: list[BoxItem]
    # What each code on this order puts into the box: {variant id: units}.
    codes: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def expected(self) -> int:
        return sum(item.expected for item in self.items)

    @property
    def scanned(self) -> int:
        return sum(min(item.scanned, item.expected) for item in self.items)

    @property
    def complete(self) -> bool:
        return all(item.done for item in self.items)

    def counts(self) -> dict[int, int]:
        return {item.variant_id: item.scanned for item in self.items if item.scanned}


def clean_code(code: str) -> str:
    """What a scanner typed: trimmed, inner spaces kept out, at most MAX_CODE characters."""
    return "".join(str(code or "").split())[:MAX_CODE]


def find_order_to_pack(*, shop: Shop, code: str) -> Order:
    """The order a scanned code names: its number (with or without the prefix), the parcel's
    tracking number, or the marketplace's order id. Refused (NotPackable) unless it is waiting to be packed."""
    code = clean_code(code)
    if not code:
        raise NotFound(_("สแกนเลขที่ออเดอร์หรือเลขพัสดุก่อน"))
    orders = Order.objects.for_shop(shop)
    short = number_from_digits(shop, code)  # `123` for SO-000123, as the order desk takes it
    order = (
        orders.filter(number=code.upper()).first()
        or (orders.filter(number=short).first() if short else None)
        or orders.filter(tracking_number=normalise_tracking(code)).order_by("-id").first()
        or orders.filter(external_id=code).order_by("-id").first()
    )
    if order is None:
        raise NotFound(_("ไม่พบออเดอร์ %(code)s") % {"code": code})
    if order.status != Status.TO_PACK:
        raise NotPackable(
            _("ออเดอร์ %(number)s อยู่ในสถานะ “%(status)s” จึงแพ็คไม่ได้")
            % {"number": order.number, "status": order.get_status_display()}
        )
    return order


def box_for(order: Order, counts: dict | None = None) -> Box:
    """What goes into `order`'s box, sorted by SKU, with `counts` ({variant id: units}
    scanned so far; anything not in the box is ignored)."""
    shop = order.shop
    lines = list(order.lines.select_related("variant"))
    needs = stock_needs(shop, [(line.variant, line.quantity) for line in lines])
    variants = Variant.objects.for_shop(shop).select_related("product").filter(pk__in=list(needs))
    counts = {int(k): int(v) for k, v in (counts or {}).items()}
    items = sorted(
        (
            BoxItem(
                variant_id=v.pk,
                sku=v.sku,
                name=v.display_name,
                barcode=v.barcode,
                expected=needs[v.pk],
                scanned=min(max(counts.get(v.pk, 0), 0), needs[v.pk]),
            )
            for v in variants
        ),
        key=lambda item: item.sku,
    )
    box = Box(order=order, items=items)
    bundles = [line.variant for line in lines if line.variant.is_bundle]
    if bundles:
        parts: dict[int, dict[int, int]] = {}
        for c in BundleComponent.objects.for_shop(shop).filter(bundle__in=bundles):
            parts.setdefault(c.bundle_id, {})[c.component_id] = c.quantity
        for bundle in bundles:
            _learn(box.codes, bundle, parts.get(bundle.pk, {}))
    for item in items:  # an item's own codes win over a set's that happen to be the same
        box.codes[item.sku.upper()] = {item.variant_id: 1}
        if item.barcode:
            box.codes[clean_code(item.barcode)] = {item.variant_id: 1}
    return box


def _learn(codes: dict[str, dict[int, int]], variant: Variant, units: dict[int, int]) -> None:
    if units:
        codes[variant.sku.upper()] = units
        if variant.barcode:
            codes[clean_code(variant.barcode)] = units


def scan_item(box: Box, code: str) -> BoxItem:
    """Count one scan into `box` (in place) and return the item it counted; a code that is
    not in this order, or more than the order needs, is refused and changes nothing."""
    code = clean_code(code)
    units = box.codes.get(code) or box.codes.get(code.upper())
    if units is None:
        raise WrongItem(_wrong_item_message(box.order.shop, code))
    by_id = {item.variant_id: item for item in box.items}
    for variant_id, quantity in units.items():
        item = by_id[variant_id]
        if item.scanned + quantity > item.expected:
            raise ExtraItem(
                _("เกินจำนวน: %(sku)s ออเดอร์นี้ต้องการ %(n)s ชิ้น สแกนครบแล้ว")
                % {"sku": item.sku, "n": item.expected}
            )
    for variant_id, quantity in units.items():
        by_id[variant_id].scanned += quantity
    return by_id[next(iter(units))]


def _wrong_item_message(shop: Shop, code: str) -> str:
    """Say what was scanned when the catalogue knows it: the packer has it in hand."""
    if not code:
        return _("สแกนบาร์โค้ดหรือรหัสสินค้าก่อน")
    known = (
        Variant.objects.for_shop(shop)
        .select_related("product")
        .filter(Q(sku__iexact=code) | Q(barcode=code))
        .first()
    )
    if known is not None:
        return _("ผิดรายการ: %(sku)s %(name)s ไม่อยู่ในออเดอร์นี้") % {
            "sku": known.sku,
            "name": known.display_name,
        }
    return _("ผิดรายการ: ไม่รู้จักรหัส %(code)s ในออเดอร์นี้") % {"code": code}


def clean_tracking(*, shop: Shop, carrier: str, tracking_number: str) -> tuple[str, str]:
    """A parcel the packer scanned before packing: (carrier code, normalised number)."""
    tracking = normalise_tracking(tracking_number)[:60]
    if not tracking:
        raise TaladError(_("ใส่เลขพัสดุ"), fields={"tracking_number": "required"})
    if carrier not in active_carriers(shop):
        raise TaladError(_("เลือกขนส่ง"), fields={"carrier": "invalid"})
    return carrier, tracking


@transaction.atomic
def pack_scanned_order(
    *, order: Order, counts: dict, by: Actor, carrier: str = "", tracking_number: str = ""
) -> Order:
    """Pack `order` once every item is scanned, and ship it when its tracking number is known
    (given here, or already on the order). The counts are checked again against the order
    as it is now, under its row lock, so lines edited while scanning are not packed unseen."""
    locked = lock_order(order.shop, order.pk)
    if locked.status != Status.TO_PACK:
        raise NotPackable(
            _("ออเดอร์ %(number)s อยู่ในสถานะ “%(status)s” จึงแพ็คไม่ได้")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    box = box_for(locked, counts)
    scanned = {int(k): int(v) for k, v in counts.items() if int(v)}
    if not box.complete or scanned != {item.variant_id: item.expected for item in box.items}:
        raise CountsIncomplete(
            _("ยังสแกนไม่ครบ (%(done)s/%(all)s ชิ้น) จึงยังแพ็คไม่ได้")
            % {"done": box.scanned, "all": box.expected}
        )
    packed = transition(order=locked, action="pack", by=by, scanned=True)
    carrier = carrier or locked.carrier
    tracking_number = tracking_number or locked.tracking_number
    if carrier and tracking_number:
        packed = transition(
            order=packed, action="ship", by=by, carrier=carrier, tracking_number=tracking_number
        )
    return packed
