"""Orders for tests, made through the real services."""

from talad.orders.inputs import NewOrder
from talad.orders.services import create_order, transition
from talad.shops.actors import Actor

CUSTOMER = {
    "name": "สมชาย ใจดี",
    "phone": "081-234-5678",
    "address": {
        "line": "99/1 ม.4",
        "subdistrict": "คลองหนึ่ง",
        "district": "คลองหลวง",
        "province": "ปทุมธานี",
        "postcode": "12120",
    },
}

# The actions (and their data) that bring a new order to each status.
PATH_TO = {
    "pending": [],
    "to_pack": [("pay", {"method": "transfer"})],
    "to_ship": [("pay", {"method": "transfer"}), ("pack", {})],
    "shipped": [
        ("confirm_cod", {}),
        ("pack", {}),
        ("ship", {"carrier": "flash", "tracking_number": "TH0000000001"}),
    ],
    "delivered": [
        ("confirm_cod", {}),
        ("pack", {}),
        ("ship", {"carrier": "flash", "tracking_number": "TH0000000002"}),
        ("deliver", {}),
    ],
    "cancelled": [("cancel", {"reason": "ลูกค้าเปลี่ยนใจ"})],
    "returning": [
        ("confirm_cod", {}),
        ("pack", {}),
        ("ship", {"carrier": "flash", "tracking_number": "TH0000000003"}),
        ("fail_delivery", {"reason": "refused"}),
    ],
    "returned": [
        ("confirm_cod", {}),
        ("pack", {}),
        ("ship", {"carrier": "flash", "tracking_number": "TH0000000004"}),
        ("fail_delivery", {"reason": "refused"}),
        ("receive_return", {}),
    ],
}


def make_order(
    shop, variant, quantity=1, *, payment_method="cod", channel="line", by=None, **extra
):
    order, _created = create_order(
        shop=shop,
        by=by or Actor.system("test"),
        order=NewOrder(
            channel=channel,
            customer=extra.pop("customer", CUSTOMER),
            lines=[{"sku": variant.sku, "quantity": quantity}],
            payment_method=payment_method,
            **extra,
        ),
    )
    return order


def order_in_status(shop, variant, status, quantity=1, *, tracking_suffix=""):
    order = make_order(shop, variant, quantity)
    for action, data in PATH_TO[status]:
        data = dict(data)
        if action == "pay":
            data["amount"] = order.total
        if action == "ship":
            data["tracking_number"] += tracking_suffix or str(order.pk)
        order = transition(order=order, action=action, by=Actor.system("test"), **data)
    return order
