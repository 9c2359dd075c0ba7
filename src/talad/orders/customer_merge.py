"""Two customer records that are one person (a second phone, a typo) become one.

The duplicate's orders move to the customer kept, what the kept one left blank is filled
from the duplicate, and the duplicate is deleted; one audit row keeps both as they were and
the orders that moved. The orders themselves keep their snapshot of name, phone and address:
a merge changes who they belong to, not what was printed on the parcel."""

from django.db import transaction
from django.utils.translation import gettext as _

from talad.errors import NotFound, TaladError
from talad.orders.customers import PROFILE_FIELDS
from talad.orders.models import Customer, Order
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

SNAPSHOT_FIELDS = ("name", "phone", *PROFILE_FIELDS)


@transaction.atomic
def merge_customers(*, shop: Shop, keep_id: int, duplicate_id: int, by: Actor) -> Customer:
    """Move every order of `duplicate_id` to `keep_id` and delete the duplicate.

    Both must be this shop's customers: another shop's is NotFound, as if it did not exist.
    Locks both customers (in id order), then the duplicate's orders (in id order) so an
    action running on one of them finishes before its customer changes."""
    require(by, "merge_customers")
    if keep_id == duplicate_id:
        raise TaladError(_("เลือกลูกค้าคนละรายกัน"), fields={"duplicate": "same_customer"})
    locked = {
        c.pk: c
        for c in Customer.objects.for_shop(shop)
        .select_for_update()
        .filter(pk__in=(keep_id, duplicate_id))
        .order_by("pk")
    }
    if len(locked) != 2:
        raise NotFound(_("ไม่พบลูกค้า"), fields={"duplicate": "not_found"})
    keep, duplicate = locked[keep_id], locked[duplicate_id]
    orders = list(
        Order.objects.for_shop(shop)
        .select_for_update(no_key=True)
        .filter(customer=duplicate)
        .order_by("pk")
        .values_list("pk", "number")
    )
    before = {"kept": _snapshot(keep), "merged": {"id": duplicate.pk, **_snapshot(duplicate)}}
    Order.objects.for_shop(shop).filter(pk__in=[pk for pk, _n in orders]).update(customer=keep)
    filled = {
        f: getattr(duplicate, f)
        for f in ("phone", *PROFILE_FIELDS)
        if getattr(duplicate, f) and not getattr(keep, f)
    }
    duplicate.delete()  # first: its phone may pass to the kept one (one customer per phone)
    if filled:
        Customer.objects.for_shop(shop).filter(pk=keep.pk).update(**filled)
        for field, value in filled.items():
            setattr(keep, field, value)
    record_audit(
        shop=shop,
        by=by,
        action="customer.merged",
        obj=keep,
        before=before,
        after={
            "kept": _snapshot(keep),
            "orders_moved": [number for _pk, number in orders],
            "filled": sorted(filled),
        },
    )
    return keep


def _snapshot(customer: Customer) -> dict:
    return {f: getattr(customer, f) for f in SNAPSHOT_FIELDS}
