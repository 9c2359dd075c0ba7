"""/api/v1/orders over HTTP: intake, stock, idempotency, the order desk list, actions,
line edits, bulk actions, stuck orders, tenancy and roles (docs/design/orders.md,
docs/design/api.md)."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.utils import timezone

from talad.accounting.books import update_accounting_settings
from talad.inventory.models import StockMovement
from talad.inventory.services import receive_stock
from talad.orders.models import Order, OrderNumberSequence
from talad.shops.actors import Actor
from tests.conftest import ApiClient, make_shop, make_variant, token_for
from tests.orders.factories import CUSTOMER

ORDERS = "/api/v1/orders"


def customer(**changes):
    return {**CUSTOMER, **changes}


def order_body(*lines, **changes):
    """A LINE order paid by transfer; `lines` are (sku, quantity) or (sku, quantity, unit_price)."""
    body = {
        "channel": "line",
        "customer": customer(),
        "lines": [
            {"sku": sku, "quantity": quantity, **({"unit_price": rest[0]} if rest else {})}
            for sku, quantity, *rest in (lines or [("TEE-M", 1)])
        ],
        "payment_method": "transfer",
    }
    body.update(changes)
    return body


def create(api, body, **headers):
    return api.post(ORDERS, body, **headers)


def created(api, body, **headers) -> dict:
    response = create(api, body, **headers)
    assert response.status_code == 201, response.json()
    return response.json()


def act(api, order_id, action, data=None):
    return api.post(f"{ORDERS}/{order_id}/actions/{action}", data or {})


def acted(api, order_id, action, data=None) -> dict:
    response = act(api, order_id, action, data)
    assert response.status_code == 200, response.json()
    return response.json()


def put_lines(api, order_id, lines):
    # conftest's ApiClient has no put(); _call speaks any method with the same headers.
    return api._call("put", f"{ORDERS}/{order_id}/lines", {"lines": lines})


def stock(api, sku) -> dict:
    (row,) = api.get(f"/api/v1/stock?sku={sku}").json()
    return {k: row[k] for k in ("on_hand", "reserved", "available")}


def error_of(response, status, code=None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    error = response.json()["error"]
    if code is not None:
        assert error["code"] == code, error
    return error


def last_number(shop) -> int:
    sequence = OrderNumberSequence.objects.for_shop(shop).first()
    return sequence.last_number if sequence else 0


@pytest.fixture
def tee(shop):
    return make_variant(shop, "TEE-M", on_hand=10, price="250.00")


# --- Intake ------------------------------------------------------------------------------


def test_a_new_order_gets_the_next_number_a_customer_snapshot_and_its_lines(api, shop, tee):
    make_variant(shop, "CAP-1", on_hand=5, price="120.00")
    body = order_body(("TEE-M", 2), ("CAP-1", 1, "99.50"), shipping_fee="50.00", discount="10.00")
    body["customer"] = customer(phone="+66 81 234 5678", email="somchai@example.com")

    order = created(api, body)

    assert order["number"] == "SO-000001"
    assert (order["status"], order["payment_status"]) == ("pending", "unpaid")
    assert (order["channel"], order["payment_method"]) == ("line", "transfer")
    assert order["customer"]["name"] == "สมชาย ใจดี"
    assert order["customer"]["phone"] == "0812345678"
    assert order["customer"]["address"] == {
        "line": "99/1 ม.4",
        "subdistrict": "คลองหนึ่ง",
        "district": "คลองหลวง",
        "province": "ปทุมธานี",
        "postcode": "12120",
    }
    assert [(li["sku"], li["name"], li["quantity"], li["unit_price"]) for li in order["lines"]] == [
        ("TEE-M", "สินค้า TEE-M", 2, "250.00"),
        ("CAP-1", "สินค้า CAP-1", 1, "99.50"),
    ]
    assert [li["line_total"] for li in order["lines"]] == ["500.00", "99.50"]
    # A shop that is not VAT-registered charges no VAT; fee and discount are in the total.
    assert (order["subtotal"], order["shipping_fee"], order["discount"]) == (
        "599.50",
        "50.00",
        "10.00",
    )
    assert (order["net_total"], order["vat_total"], order["total"]) == ("639.50", "0.00", "639.50")
    assert [(h["from"], h["to"], h["action"]) for h in order["history"]] == [
        ("", "pending", "create")
    ]
    assert api.get(f"{ORDERS}/{order['id']}").json() == order


def test_the_line_snapshot_keeps_the_name_and_sku_sold_after_the_product_changes(api, shop, tee):
    order = created(api, order_body())
    tee.name = "เสื้อยืด รุ่นใหม่"
    tee.save()

    (line,) = api.get(f"{ORDERS}/{order['id']}").json()["lines"]

    assert (line["sku"], line["name"]) == ("TEE-M", "สินค้า TEE-M")


def test_order_numbers_run_on_without_gaps_past_refused_orders(api, shop, tee):
    first = created(api, order_body())
    refused = create(api, order_body(("TEE-M", 50)))  # only 9 left
    unknown = create(api, order_body(("NO-SUCH", 1)))
    second = created(api, order_body())

    assert refused.status_code == 409 and unknown.status_code == 400
    assert (first["number"], second["number"]) == ("SO-000001", "SO-000002")
    assert last_number(shop) == 2


def test_each_shop_numbers_its_own_orders_from_one(api, shop, other_shop, tee):
    make_variant(other_shop, "TEE-M", on_hand=5)
    created(api, order_body())
    created(api, order_body())

    theirs = created(ApiClient(token_for(other_shop)), order_body())

    assert theirs["number"] == "SO-000001"


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("+66 81 234 5678", "0812345678"),
        ("081-234-5678", "0812345678"),
        ("0812345678", "0812345678"),
        ("02 123 4567", "021234567"),
    ],
)
def test_the_customer_phone_is_kept_in_one_form(api, tee, phone, expected):
    order = created(api, order_body(customer=customer(phone=phone)))

    assert order["customer"]["phone"] == expected


def test_a_known_phone_attaches_the_order_to_the_same_customer(api, shop, tee):
    first = created(api, order_body(customer=customer(phone="+66 81 234 5678")))
    second = created(api, order_body(customer=customer(name="คุณสมชาย", phone="081 234 5678")))
    stranger = created(api, order_body(customer=customer(name="สมหญิง", phone="0898765432")))

    assert first["customer"]["customer_id"] is not None
    assert second["customer"]["customer_id"] == first["customer"]["customer_id"]
    assert stranger["customer"]["customer_id"] != first["customer"]["customer_id"]
    # The order keeps the name as typed on it, even for a known customer.
    assert second["customer"]["name"] == "คุณสมชาย"


@pytest.mark.parametrize("channel", ["shopee", "lazada", "tiktok"])
def test_a_marketplace_order_arrives_paid_and_ready_to_pack(api, tee, channel):
    order = created(
        api, order_body(channel=channel, external_id="2511230001", payment_method="marketplace")
    )

    assert (order["status"], order["payment_status"]) == ("to_pack", "paid")
    assert [(h["from"], h["to"], h["action"]) for h in order["history"]] == [
        ("", "pending", "create"),
        ("pending", "to_pack", "pay"),
    ]


def test_a_website_order_paid_by_transfer_waits_for_payment(api, tee):
    order = created(api, order_body(channel="website"))

    assert (order["status"], order["payment_status"]) == ("pending", "unpaid")


# --- VAT (docs/design/money.md#vat) -------------------------------------------------------


def _vat_api(**profile):
    shop = make_shop(vat_registered=True, **profile)
    return shop, ApiClient(token_for(shop))


@pytest.mark.parametrize(
    ("price", "net", "vat"),
    [("1070.00", "1000.00", "70.00"), ("99.00", "92.52", "6.48"), ("0.01", "0.01", "0.00")],
)
def test_vat_inclusive_prices_split_the_total_into_net_and_vat(db, price, net, vat):
    shop, api = _vat_api()
    make_variant(shop, "GOODS", on_hand=5, price=price)

    order = created(api, order_body(("GOODS", 1)))

    assert (order["net_total"], order["vat_total"], order["total"]) == (net, vat, price)


def test_vat_is_computed_once_on_the_order_total_with_shipping_and_discount(db):
    shop, api = _vat_api()
    make_variant(shop, "GOODS", on_hand=5, price="33.00")
    # 3 × 33 + 1 shipping − 30 discount = 70 → VAT 70 × 7 / 107 = 4.579… → 4.58
    order = created(api, order_body(("GOODS", 3), shipping_fee="1.00", discount="30.00"))

    assert (order["subtotal"], order["net_total"], order["vat_total"], order["total"]) == (
        "99.00",
        "65.42",
        "4.58",
        "70.00",
    )


def test_vat_exclusive_prices_add_vat_on_top(db):
    shop, api = _vat_api(prices_include_vat=False)
    make_variant(shop, "GOODS", on_hand=5, price="1000.00")

    order = created(api, order_body(("GOODS", 1)))

    assert (order["net_total"], order["vat_total"], order["total"]) == (
        "1000.00",
        "70.00",
        "1070.00",
    )


def test_vat_exclusive_with_shipping_and_discount(db):
    shop, api = _vat_api(prices_include_vat=False)
    make_variant(shop, "GOODS", on_hand=5, price="950.00")

    order = created(api, order_body(("GOODS", 1), shipping_fee="60.00", discount="10.00"))

    assert (order["net_total"], order["vat_total"], order["total"]) == (
        "1000.00",
        "70.00",
        "1070.00",
    )


@pytest.mark.parametrize(
    ("price", "vat", "total"), [("1.50", "0.11", "1.61"), ("3.50", "0.25", "3.75")]
)
def test_vat_on_exclusive_prices_rounds_half_up_to_the_satang(db, price, vat, total):
    # 1.50 × 7% = 0.105 and 3.50 × 7% = 0.245: half up, never to the even satang.
    shop, api = _vat_api(prices_include_vat=False)
    make_variant(shop, "GOODS", on_hand=5, price=price)

    order = created(api, order_body(("GOODS", 1)))

    assert (order["net_total"], order["vat_total"], order["total"]) == (price, vat, total)


def test_a_shop_without_vat_registration_charges_no_vat(api, shop):
    make_variant(shop, "GOODS", on_hand=5, price="1070.00")

    order = created(api, order_body(("GOODS", 1)))

    assert (order["net_total"], order["vat_total"], order["total"]) == (
        "1070.00",
        "0.00",
        "1070.00",
    )


# --- Stock -------------------------------------------------------------------------------


def test_creating_an_order_takes_the_stock_off_available_at_once(api, tee):
    assert stock(api, "TEE-M") == {"on_hand": 10, "reserved": 0, "available": 10}

    created(api, order_body(("TEE-M", 3)))

    assert stock(api, "TEE-M") == {"on_hand": 10, "reserved": 3, "available": 7}


def test_a_shortage_is_refused_naming_every_short_sku_and_writes_nothing(api, shop, tee):
    make_variant(shop, "CAP-1", on_hand=1)
    make_variant(shop, "MUG-1", on_hand=9)
    created(api, order_body(("TEE-M", 8)))
    ledger = StockMovement.objects.for_shop(shop).count()
    orders = Order.objects.for_shop(shop).count()

    response = create(api, order_body(("TEE-M", 3), ("CAP-1", 2), ("MUG-1", 1)))

    error = error_of(response, 409, "insufficient_stock")
    assert sorted((s["sku"], s["requested"], s["available"]) for s in error["short"]) == [
        ("CAP-1", 2, 1),
        ("TEE-M", 3, 2),
    ]
    assert Order.objects.for_shop(shop).count() == orders
    assert StockMovement.objects.for_shop(shop).count() == ledger
    assert last_number(shop) == 1
    assert stock(api, "MUG-1")["reserved"] == 0
    assert stock(api, "TEE-M") == {"on_hand": 10, "reserved": 8, "available": 2}


# --- Idempotency -------------------------------------------------------------------------


def test_the_same_idempotency_key_and_body_replays_the_original_response(api, shop, tee):
    body = order_body(("TEE-M", 2))
    first = create(api, body, **{"Idempotency-Key": "chat-4711"})
    again = create(api, body, **{"Idempotency-Key": "chat-4711"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Order.objects.for_shop(shop).count() == 1
    assert stock(api, "TEE-M")["reserved"] == 2


def test_the_same_idempotency_key_with_another_body_is_a_conflict(api, shop, tee):
    created(api, order_body(("TEE-M", 2)), **{"Idempotency-Key": "chat-4711"})

    response = create(api, order_body(("TEE-M", 3)), **{"Idempotency-Key": "chat-4711"})

    error_of(response, 409, "idempotency_conflict")
    assert Order.objects.for_shop(shop).count() == 1
    assert stock(api, "TEE-M")["reserved"] == 2


def test_an_idempotency_key_belongs_to_one_shop(api, other_shop, tee):
    make_variant(other_shop, "TEE-M", on_hand=5)
    mine = created(api, order_body(), **{"Idempotency-Key": "k-1"})

    theirs = created(ApiClient(token_for(other_shop)), order_body(), **{"Idempotency-Key": "k-1"})

    assert theirs["id"] != mine["id"]


def test_a_refused_request_does_not_burn_its_idempotency_key(api, shop, tee):
    refused = create(api, order_body(("TEE-M", 50)), **{"Idempotency-Key": "k-2"})
    # The seller restocks; the same retry (same body) now goes through.
    receive_stock(
        shop=shop, sku="TEE-M", quantity=40, unit_cost=Decimal("60"), by=Actor.system("t")
    )
    retried = create(api, order_body(("TEE-M", 50)), **{"Idempotency-Key": "k-2"})

    assert refused.status_code == 409
    assert retried.status_code == 201, retried.json()


def test_a_repeated_channel_external_id_returns_the_existing_order(api, shop, tee):
    body = order_body(("TEE-M", 2), channel="facebook", external_id="FB-998")
    first = created(api, body)

    again = create(api, {**body, "lines": [{"sku": "TEE-M", "quantity": 5}]})

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert again.json()["lines"][0]["quantity"] == 2
    assert Order.objects.for_shop(shop).count() == 1
    assert stock(api, "TEE-M")["reserved"] == 2


def test_the_same_external_id_on_another_channel_is_another_order(api, shop, tee):
    first = created(api, order_body(channel="facebook", external_id="998"))

    second = created(api, order_body(channel="instagram", external_id="998"))

    assert second["id"] != first["id"]


# --- The order desk list -----------------------------------------------------------------


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [o["id"] for o in response.json()["items"]]


@pytest.fixture
def desk(api, shop, tee):
    """Four orders: a LINE transfer (pending), a Shopee one (paid), a COD one shipped with a
    tracking number, and a cancelled one — for four different customers."""
    make_variant(shop, "CAP-1", on_hand=10)
    line = created(api, order_body(customer=customer(name="สมชาย ใจดี", phone="0812345678")))
    shopee = created(
        api,
        order_body(
            channel="shopee",
            external_id="SPX-250101ABC",
            payment_method="marketplace",
            customer=customer(name="มานี มีตา", phone="0898765432"),
        ),
    )
    cod = created(
        api,
        order_body(
            ("CAP-1", 1),
            channel="facebook",
            payment_method="cod",
            customer=customer(name="ปิติ ชูใจ", phone="0654443322"),
        ),
    )
    acted(api, cod["id"], "confirm_cod")
    acted(api, cod["id"], "ship", {"carrier": "flash", "tracking_number": "th 0123 4567 89"})
    gone = created(api, order_body(customer=customer(name="วีระ กล้าหาญ", phone="0620001111")))
    acted(api, gone["id"], "cancel", {"reason": "ลูกค้าเปลี่ยนใจ"})
    return {"line": line["id"], "shopee": shopee["id"], "cod": cod["id"], "gone": gone["id"]}


def test_the_list_is_newest_first_and_filters_by_status_channel_and_payment(api, desk):
    assert ids(api.get(ORDERS)) == [desk["gone"], desk["cod"], desk["shopee"], desk["line"]]
    assert ids(api.get(f"{ORDERS}?status=pending")) == [desk["line"]]
    assert ids(api.get(f"{ORDERS}?status=shipped")) == [desk["cod"]]
    assert ids(api.get(f"{ORDERS}?channel=shopee")) == [desk["shopee"]]
    assert ids(api.get(f"{ORDERS}?payment_status=paid")) == [desk["shopee"]]
    assert ids(api.get(f"{ORDERS}?payment_status=cod_pending")) == [desk["cod"]]
    assert ids(api.get(f"{ORDERS}?status=pending&channel=shopee")) == []


def test_the_list_refuses_an_unknown_status_filter(api, desk):
    error = error_of(api.get(f"{ORDERS}?status=lost"), 422)

    assert "status" in error["fields"]


def test_the_list_filters_by_creation_time(api, shop, desk):
    now = timezone.now()
    Order.objects.for_shop(shop).filter(pk=desk["line"]).update(created_at=now - timedelta(days=10))
    Order.objects.for_shop(shop).filter(pk=desk["shopee"]).update(
        created_at=now - timedelta(days=3)
    )
    cut_1 = (now - timedelta(days=5)).isoformat()
    cut_2 = (now - timedelta(days=1)).isoformat()

    older = api.get(f"{ORDERS}?created_to={_q(cut_1)}")
    middle = api.get(f"{ORDERS}?created_from={_q(cut_1)}&created_to={_q(cut_2)}")
    recent = api.get(f"{ORDERS}?created_from={_q(cut_2)}")

    assert ids(older) == [desk["line"]]
    assert ids(middle) == [desk["shopee"]]
    assert ids(recent) == [desk["gone"], desk["cod"]]


def _q(text: str) -> str:
    return quote(text, safe="")


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("SO-000001", "line"),
        ("so-000002", "shopee"),
        ("มานี", "shopee"),
        ("ชูใจ", "cod"),
        ("0654443322", "cod"),
        ("065-444-3322", "cod"),
        ("+66 65 444 3322", "cod"),
        ("SPX-250101ABC", "shopee"),
        ("TH0123456789", "cod"),
        ("th 0123 4567 89", "cod"),
    ],
)
def test_search_finds_an_order_by_number_name_phone_external_id_or_tracking(api, desk, query, who):
    assert ids(api.get(f"{ORDERS}?q={_q(query)}")) == [desk[who]]


def test_search_for_something_nobody_has_finds_nothing(api, desk):
    assert ids(api.get(f"{ORDERS}?q={_q('ไม่มีใครชื่อนี้')}")) == []
    assert ids(api.get(f"{ORDERS}?q=0999999999")) == []


def test_pagination_walks_every_order_once(api, shop):
    make_variant(shop, "TEE-M", on_hand=100)
    made = [created(api, order_body())["id"] for _ in range(23)]
    seen, cursor, pages = [], None, 0

    while True:
        url = f"{ORDERS}?limit=5" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(url).json()
        seen += [o["id"] for o in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert pages == 5
    assert seen == sorted(made, reverse=True)


def test_pagination_keeps_the_filter_on_every_page(api, shop):
    make_variant(shop, "TEE-M", on_hand=100)
    made = [created(api, order_body(channel="line" if i % 2 else "phone"))["id"] for i in range(9)]
    seen, cursor = [], None
    while True:
        page = api.get(f"{ORDERS}?channel=line&limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += ids(page)
        if not (cursor := page.json()["next_cursor"]):
            break

    assert seen == sorted(made[1::2], reverse=True)


@pytest.mark.parametrize("cursor", ["garbage!!", "aWQ6YWJj", "eHg6MTI", "%00", "-1"])
def test_a_bad_cursor_is_a_400_naming_the_cursor(api, desk, cursor):
    error = error_of(api.get(f"{ORDERS}?cursor={cursor}"), 400)

    assert "cursor" in error["fields"]


def test_counts_give_every_status_even_empty_ones(api, desk):
    counts = api.get(f"{ORDERS}/counts").json()

    assert counts == {
        "pending": 1,
        "to_pack": 1,
        "to_ship": 0,
        "shipped": 1,
        "delivered": 0,
        "cancelled": 1,
        "returning": 0,
        "returned": 0,
    }


# --- Actions -----------------------------------------------------------------------------


def test_legal_actions_move_the_order_and_show_in_its_history(api, tee):
    order = created(api, order_body(("TEE-M", 2)))
    total = order["total"]

    paid = acted(
        api, order["id"], "pay", {"amount": total, "method": "promptpay", "reference": "PP1"}
    )
    packed = acted(api, order["id"], "pack")
    shipped = acted(api, order["id"], "ship", {"carrier": "kex", "tracking_number": "KEX123456"})
    delivered = acted(api, order["id"], "deliver")

    assert (paid["status"], paid["payment_status"]) == ("to_pack", "paid")
    assert packed["status"] == "to_ship"
    assert (shipped["status"], shipped["carrier"], shipped["tracking_number"]) == (
        "shipped",
        "kex",
        "KEX123456",
    )
    assert [(s["carrier"], s["tracking_number"]) for s in shipped["shipments"]] == [
        ("kex", "KEX123456")
    ]
    assert delivered["status"] == "delivered"
    assert [(h["from"], h["to"], h["action"]) for h in delivered["history"]] == [
        ("", "pending", "create"),
        ("pending", "to_pack", "pay"),
        ("to_pack", "to_ship", "pack"),
        ("to_ship", "shipped", "ship"),
        ("shipped", "delivered", "deliver"),
    ]
    assert stock(api, "TEE-M") == {"on_hand": 8, "reserved": 0, "available": 8}


def test_cancelling_an_order_gives_its_stock_back(api, tee):
    order = created(api, order_body(("TEE-M", 4)))

    cancelled = acted(api, order["id"], "cancel", {"reason": "ลูกค้าเปลี่ยนใจ"})

    assert cancelled["status"] == "cancelled"
    assert cancelled["history"][-1]["note"] == "ลูกค้าเปลี่ยนใจ"
    assert stock(api, "TEE-M") == {"on_hand": 10, "reserved": 0, "available": 10}


def test_an_illegal_action_is_refused_naming_the_status_and_what_is_allowed(api, shop, tee):
    order = created(api, order_body())

    response = act(api, order["id"], "deliver")

    error = error_of(response, 409, "invalid_transition")
    assert error["status"] == "pending"
    assert error["allowed_actions"] == ["pay", "confirm_cod", "cancel"]
    after = api.get(f"{ORDERS}/{order['id']}").json()
    assert after["status"] == "pending" and len(after["history"]) == 1


def test_an_unknown_action_is_refused_naming_the_action(api, tee):
    order = created(api, order_body())

    error = error_of(act(api, order["id"], "teleport"), 400)

    assert "action" in error["fields"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"tracking_number": "KEX1"}, "carrier"),
        ({"carrier": "kex"}, "tracking_number"),
        ({"carrier": "kex", "tracking_number": ""}, "tracking_number"),
        ({"carrier": "", "tracking_number": "KEX1"}, "carrier"),
    ],
)
def test_shipping_without_carrier_or_tracking_is_refused_naming_the_field(api, tee, data, field):
    order = created(api, order_body(payment_method="cod"))
    acted(api, order["id"], "confirm_cod")

    error = error_of(act(api, order["id"], "ship", data), 400)

    assert field in error["fields"]
    assert api.get(f"{ORDERS}/{order['id']}").json()["status"] == "to_pack"
    assert stock(api, "TEE-M") == {"on_hand": 10, "reserved": 1, "available": 9}


def test_shipping_with_an_unknown_carrier_is_refused(api, tee):
    order = created(api, order_body(payment_method="cod"))
    acted(api, order["id"], "confirm_cod")

    error = error_of(
        act(api, order["id"], "ship", {"carrier": "pigeon", "tracking_number": "P1"}), 400
    )

    assert "carrier" in error["fields"]
    after = api.get(f"{ORDERS}/{order['id']}").json()
    assert (after["status"], after["shipments"]) == ("to_pack", [])
    assert stock(api, "TEE-M") == {"on_hand": 10, "reserved": 1, "available": 9}


def test_a_tracking_number_already_on_another_order_of_the_carrier_is_a_conflict(api, tee):
    first = created(api, order_body(payment_method="cod"))
    second = created(api, order_body(payment_method="cod"))
    for order in (first, second):
        acted(api, order["id"], "confirm_cod")
    acted(api, first["id"], "ship", {"carrier": "flash", "tracking_number": "TH9999"})

    response = act(api, second["id"], "ship", {"carrier": "flash", "tracking_number": "th 9999"})

    error = error_of(response, 409)
    assert "tracking_number" in error["fields"]
    assert first["number"] in error["message"]
    assert error["order_number"] == first["number"]
    assert api.get(f"{ORDERS}/{second['id']}").json()["status"] == "to_pack"
    assert stock(api, "TEE-M") == {"on_hand": 9, "reserved": 1, "available": 8}


def test_the_same_tracking_number_with_another_carrier_is_fine(api, tee):
    first = created(api, order_body(payment_method="cod"))
    second = created(api, order_body(payment_method="cod"))
    for order in (first, second):
        acted(api, order["id"], "confirm_cod")
    acted(api, first["id"], "ship", {"carrier": "flash", "tracking_number": "TH9999"})

    shipped = acted(api, second["id"], "ship", {"carrier": "kex", "tracking_number": "TH9999"})

    assert shipped["status"] == "shipped"


@pytest.mark.parametrize("amount", ["0.00", "249.99", "250.01", "2500.00"])
def test_paying_a_different_amount_than_the_total_is_refused(api, tee, amount):
    order = created(api, order_body())

    error = error_of(act(api, order["id"], "pay", {"amount": amount, "method": "transfer"}), 400)

    assert "amount" in error["fields"]
    after = api.get(f"{ORDERS}/{order['id']}").json()
    assert (after["status"], after["payment_status"]) == ("pending", "unpaid")


def test_paying_without_an_amount_is_refused_naming_the_amount(api, tee):
    order = created(api, order_body())

    error = error_of(act(api, order["id"], "pay", {"method": "transfer"}), 400)

    assert "amount" in error["fields"]


@pytest.mark.parametrize("reason", [None, "", "lost_in_space"])
def test_a_failed_delivery_needs_a_known_reason(api, tee, reason):
    order = created(api, order_body(payment_method="cod"))
    acted(api, order["id"], "confirm_cod")
    acted(api, order["id"], "ship", {"carrier": "jt", "tracking_number": "JT0001"})

    error = error_of(
        act(api, order["id"], "fail_delivery", {} if reason is None else {"reason": reason}), 400
    )

    assert "reason" in error["fields"]
    assert api.get(f"{ORDERS}/{order['id']}").json()["status"] == "shipped"


# --- Editing lines -----------------------------------------------------------------------


def test_editing_lines_moves_the_reservations_with_them(api, shop, tee):
    make_variant(shop, "CAP-1", on_hand=5, price="120.00")
    order = created(api, order_body(("TEE-M", 2)))

    response = put_lines(
        api, order["id"], [{"sku": "TEE-M", "quantity": 5}, {"sku": "CAP-1", "quantity": 1}]
    )

    assert response.status_code == 200, response.json()
    edited = response.json()
    assert [(li["sku"], li["quantity"]) for li in edited["lines"]] == [("TEE-M", 5), ("CAP-1", 1)]
    assert edited["total"] == "1370.00"
    assert stock(api, "TEE-M")["reserved"] == 5
    assert stock(api, "CAP-1")["reserved"] == 1

    put_lines(api, order["id"], [{"sku": "CAP-1", "quantity": 2}])

    assert stock(api, "TEE-M")["reserved"] == 0
    assert stock(api, "CAP-1")["reserved"] == 2


def test_raising_a_line_beyond_stock_is_refused_and_changes_nothing(api, shop, tee):
    make_variant(shop, "CAP-1", on_hand=5)
    order = created(api, order_body(("TEE-M", 2), ("CAP-1", 1)))
    ledger = StockMovement.objects.for_shop(shop).count()

    # CAP-1 drops (a release) while TEE-M rises past what is on the shelf: all or nothing.
    response = put_lines(api, order["id"], [{"sku": "TEE-M", "quantity": 11}])

    error = error_of(response, 409, "insufficient_stock")
    assert [s["sku"] for s in error["short"]] == ["TEE-M"]
    after = api.get(f"{ORDERS}/{order['id']}").json()
    assert after["lines"] == order["lines"] and after["total"] == order["total"]
    assert stock(api, "TEE-M")["reserved"] == 2
    assert stock(api, "CAP-1")["reserved"] == 1
    assert StockMovement.objects.for_shop(shop).count() == ledger


def test_a_paid_order_may_change_lines_only_when_the_total_stays_the_same(api, shop, tee):
    # No receipt at payment in this shop: a receipt would name the lines (test below).
    update_accounting_settings(shop=shop, changes={"prepaid_issue": "manual"}, by=Actor.system("t"))
    order = created(api, order_body(("TEE-M", 2)))  # 500.00
    acted(api, order["id"], "pay", {"amount": "500.00", "method": "transfer"})

    dearer = put_lines(api, order["id"], [{"sku": "TEE-M", "quantity": 3}])
    same = put_lines(api, order["id"], [{"sku": "TEE-M", "quantity": 4, "unit_price": "125.00"}])

    assert "lines" in error_of(dearer, 400)["fields"]
    assert same.status_code == 200, same.json()
    assert (same.json()["total"], same.json()["lines"][0]["quantity"]) == ("500.00", 4)
    assert stock(api, "TEE-M")["reserved"] == 4


def test_a_paid_order_with_its_receipt_is_corrected_by_a_credit_note_not_an_edit(api, tee):
    order = created(api, order_body(("TEE-M", 2)))
    acted(api, order["id"], "pay", {"amount": "500.00", "method": "transfer"})

    refused = put_lines(api, order["id"], [{"sku": "TEE-M", "quantity": 4, "unit_price": "125.00"}])

    error = error_of(refused, 409, "document_already_issued")
    assert "ใบลดหนี้" in error["message"]
    assert stock(api, "TEE-M")["reserved"] == 2


def test_lines_of_a_shipped_order_cannot_be_edited(api, tee):
    order = created(api, order_body(payment_method="cod"))
    acted(api, order["id"], "confirm_cod")
    acted(api, order["id"], "ship", {"carrier": "flash", "tracking_number": "TH77"})

    error = error_of(
        put_lines(api, order["id"], [{"sku": "TEE-M", "quantity": 3}]), 409, "not_correctable"
    )

    assert error["status"] == "shipped"
    assert stock(api, "TEE-M") == {"on_hand": 9, "reserved": 0, "available": 9}


# --- Bulk actions ------------------------------------------------------------------------


def test_a_bulk_action_reports_each_order_on_its_own(api, shop, tee):
    ready = [created(api, order_body(payment_method="cod")) for _ in range(2)]
    for order in ready:
        acted(api, order["id"], "confirm_cod")
    unpaid = created(api, order_body())

    response = api.post(
        f"{ORDERS}/bulk-actions",
        {"order_ids": [ready[0]["id"], unpaid["id"], 999_999, ready[1]["id"]], "action": "pack"},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["succeeded"], body["failed"]) == (2, 2)
    results = {r["order_id"]: r for r in body["results"]}
    assert [r["order_id"] for r in body["results"]] == [
        ready[0]["id"],
        unpaid["id"],
        999_999,
        ready[1]["id"],
    ]
    assert results[ready[0]["id"]]["ok"] and results[ready[0]["id"]]["status"] == "to_ship"
    assert results[ready[1]["id"]]["ok"] and results[ready[1]["id"]]["status"] == "to_ship"
    refused = results[unpaid["id"]]
    assert refused["ok"] is False and refused["number"] == unpaid["number"]
    assert refused["error"]["code"] == "invalid_transition"
    assert results[999_999]["error"]["code"] == "not_found"
    assert api.get(f"{ORDERS}/{unpaid['id']}").json()["status"] == "pending"


def test_a_bulk_action_refuses_each_order_with_its_own_reason(api, shop, tee):
    orders = [created(api, order_body(payment_method="cod")) for _ in range(3)]
    for order in orders:
        acted(api, order["id"], "confirm_cod")
    acted(api, orders[0]["id"], "cancel", {"reason": "ซ้ำ"})

    body = api.post(
        f"{ORDERS}/bulk-actions",
        {"order_ids": [o["id"] for o in orders], "action": "cancel", "data": {}},
    ).json()

    errors = [r["error"] for r in body["results"]]
    assert errors[0]["code"] == "invalid_transition"
    assert "reason" in errors[1]["fields"] and "reason" in errors[2]["fields"]
    assert stock(api, "TEE-M")["reserved"] == 2


def test_a_bulk_cancel_releases_every_order_it_moves(api, tee):
    orders = [created(api, order_body(("TEE-M", 2))) for _ in range(3)]

    body = api.post(
        f"{ORDERS}/bulk-actions",
        {"order_ids": [o["id"] for o in orders], "action": "cancel", "data": {"reason": "หมดโปร"}},
    ).json()

    assert body["succeeded"] == 3
    assert stock(api, "TEE-M") == {"on_hand": 10, "reserved": 0, "available": 10}


def test_a_bulk_action_with_an_unknown_action_is_refused_as_a_whole(api, tee):
    order = created(api, order_body())

    response = api.post(
        f"{ORDERS}/bulk-actions", {"order_ids": [order["id"]], "action": "teleport"}
    )

    error = error_of(response, 400)
    assert "action" in error["fields"]
    assert api.get(f"{ORDERS}/{order['id']}").json()["status"] == "pending"


def test_a_packer_may_bulk_pack_but_not_bulk_cancel(api, shop, tee):
    packer = ApiClient(token_for(shop, "packer"))
    orders = [created(api, order_body(payment_method="cod")) for _ in range(2)]
    for order in orders:
        acted(api, order["id"], "confirm_cod")
    order_ids = [o["id"] for o in orders]

    refused = packer.post(
        f"{ORDERS}/bulk-actions",
        {"order_ids": order_ids, "action": "cancel", "data": {"reason": "x"}},
    )
    packed = packer.post(f"{ORDERS}/bulk-actions", {"order_ids": order_ids, "action": "pack"})

    error_of(refused, 403, "forbidden")
    assert packed.json()["succeeded"] == 2
    assert stock(api, "TEE-M")["reserved"] == 2


# --- Stuck orders ------------------------------------------------------------------------


def _age(shop, order_id, **delta):
    Order.objects.for_shop(shop).filter(pk=order_id).update(
        status_changed_at=timezone.now() - timedelta(**delta)
    )


def test_an_order_past_its_status_limit_is_listed_as_stuck(api, shop, tee):
    fresh = created(api, order_body())
    old = created(api, order_body())
    _age(shop, old["id"], hours=50)

    stuck = api.get(f"{ORDERS}/stuck").json()

    assert [s["id"] for s in stuck["orders"]] == [old["id"]]
    (entry,) = stuck["orders"]
    assert entry["number"] == old["number"]
    assert entry["status"] == "pending"
    assert 49.9 <= entry["hours_in_status"] <= 50.1
    assert entry["limit_hours"] == 48
    assert entry["reason_code"] == "over_age"
    assert "รอชำระเงิน" in entry["reason"] and "2 วัน 2 ชม." in entry["reason"]
    assert fresh["id"] not in [s["id"] for s in stuck["orders"]]


def test_an_order_just_inside_its_limit_is_not_stuck(api, shop, tee):
    order = created(api, order_body(payment_method="cod"))
    acted(api, order["id"], "confirm_cod")
    _age(shop, order["id"], hours=23)

    assert api.get(f"{ORDERS}/stuck").json()["orders"] == []


def test_each_status_has_its_own_limit(api, shop, tee):
    shipped = created(api, order_body(payment_method="cod"))
    acted(api, shipped["id"], "confirm_cod")
    acted(api, shipped["id"], "ship", {"carrier": "flash", "tracking_number": "TH1"})
    to_pack = created(api, order_body(payment_method="cod"))
    acted(api, to_pack["id"], "confirm_cod")
    for order in (shipped, to_pack):
        _age(shop, order["id"], days=2)

    stuck = api.get(f"{ORDERS}/stuck").json()["orders"]

    # Two days is over to_pack's 24 h but within shipped's 7 days.
    assert [(s["id"], s["status"], s["limit_hours"]) for s in stuck] == [
        (to_pack["id"], "to_pack", 24)
    ]


def test_delivered_and_cancelled_orders_are_never_stuck(api, shop, tee):
    order = created(api, order_body())
    acted(api, order["id"], "cancel", {"reason": "x"})
    _age(shop, order["id"], days=400)

    assert api.get(f"{ORDERS}/stuck").json()["orders"] == []


def test_a_marketplace_ship_by_deadline_in_the_past_wins_over_the_age_limit(api, shop, tee):
    deadline = timezone.now() - timedelta(hours=2)
    order = created(
        api,
        order_body(
            channel="shopee",
            external_id="SP-1",
            payment_method="marketplace",
            ship_by=deadline.isoformat(),
        ),
    )

    (entry,) = api.get(f"{ORDERS}/stuck").json()["orders"]

    # Only minutes in to_pack (far under 24 h), but the platform's deadline has passed.
    assert entry["id"] == order["id"] and entry["status"] == "to_pack"
    assert entry["hours_in_status"] < 1
    assert entry["limit_hours"] == 0  # the deadline had passed before it reached to_pack
    assert entry["reason_code"] == "past_ship_by"
    assert "marketplace" in entry["reason"] and "2 ชม." in entry["reason"]
    assert entry["ship_by"] is not None


def test_the_limit_of_an_order_with_a_deadline_is_the_time_it_had_until_then(api, shop, tee):
    order = created(
        api,
        order_body(
            channel="tiktok",
            external_id="TT-1",
            payment_method="marketplace",
            ship_by=(timezone.now() - timedelta(hours=1)).isoformat(),
        ),
    )
    _age(shop, order["id"], hours=10)

    (entry,) = api.get(f"{ORDERS}/stuck").json()["orders"]

    assert 9.9 <= entry["hours_in_status"] <= 10.1
    assert 8.9 <= entry["limit_hours"] <= 9.1


def test_once_shipped_the_deadline_no_longer_counts_only_the_age(api, shop, tee):
    order = created(
        api,
        order_body(
            channel="shopee",
            external_id="SP-2",
            payment_method="marketplace",
            ship_by=(timezone.now() - timedelta(days=3)).isoformat(),
        ),
    )
    acted(api, order["id"], "ship", {"carrier": "spx", "tracking_number": "TH250000001"})
    _age(shop, order["id"], days=3)

    assert api.get(f"{ORDERS}/stuck").json()["orders"] == []

    _age(shop, order["id"], days=8)

    (entry,) = api.get(f"{ORDERS}/stuck").json()["orders"]
    assert (entry["status"], entry["limit_hours"]) == ("shipped", 168)


def test_a_ship_by_deadline_still_ahead_keeps_an_old_order_off_the_list(api, shop, tee):
    order = created(
        api,
        order_body(
            channel="lazada",
            external_id="LZ-1",
            payment_method="marketplace",
            ship_by=(timezone.now() + timedelta(days=2)).isoformat(),
        ),
    )
    _age(shop, order["id"], hours=30)

    assert api.get(f"{ORDERS}/stuck").json()["orders"] == []


def test_age_buckets_count_open_orders_per_status_and_time_in_status(api, shop):
    make_variant(shop, "TEE-M", on_hand=50)
    ages = {"hours": 2}, {"days": 2}, {"days": 2, "hours": 5}, {"days": 5}, {"days": 9}
    for age in ages:
        order = created(api, order_body())
        _age(shop, order["id"], **age)
    packing = created(api, order_body(payment_method="cod"))
    acted(api, packing["id"], "confirm_cod")

    buckets = api.get(f"{ORDERS}/stuck").json()["age_buckets"]

    assert buckets["pending"] == {"lt_1d": 1, "1_3d": 2, "3_7d": 1, "gt_7d": 1}
    assert buckets["to_pack"] == {"lt_1d": 1, "1_3d": 0, "3_7d": 0, "gt_7d": 0}
    assert "cancelled" not in buckets and "delivered" not in buckets


# --- Tenancy and roles -------------------------------------------------------------------


@pytest.fixture
def their_order(other_shop):
    make_variant(other_shop, "THEIRS", on_hand=5)
    return created(ApiClient(token_for(other_shop)), order_body(("THEIRS", 1)))


def test_another_shops_order_is_not_found_everywhere(api, shop, other_shop, their_order):
    oid = their_order["id"]

    assert error_of(api.get(f"{ORDERS}/{oid}"), 404, "not_found")
    assert error_of(act(api, oid, "cancel", {"reason": "x"}), 404, "not_found")
    assert error_of(put_lines(api, oid, [{"sku": "THEIRS", "quantity": 2}]), 404, "not_found")
    bulk = api.post(
        f"{ORDERS}/bulk-actions", {"order_ids": [oid], "action": "cancel", "data": {"reason": "x"}}
    )
    assert bulk.json()["results"][0]["error"]["code"] == "not_found"
    assert ids(api.get(ORDERS)) == []
    assert ids(api.get(f"{ORDERS}?q={their_order['number']}")) == []
    assert oid not in [s["id"] for s in api.get(f"{ORDERS}/stuck").json()["orders"]]
    theirs = Order.objects.for_shop(other_shop).get(pk=oid)
    assert (theirs.status, theirs.lines.get().quantity) == ("pending", 1)


def test_another_shops_customer_is_never_reused(api, shop, other_shop, tee, their_order):
    mine = created(api, order_body())

    assert mine["customer"]["customer_id"] != their_order["customer"]["customer_id"]


def test_a_packer_can_pack_and_ship_but_not_create_or_cancel(api, shop, tee):
    packer = ApiClient(token_for(shop, "packer"))
    order = created(api, order_body(payment_method="cod"))
    acted(api, order["id"], "confirm_cod")

    assert error_of(create(packer, order_body()), 403)
    assert error_of(act(packer, order["id"], "cancel", {"reason": "x"}), 403)
    assert error_of(act(packer, order["id"], "confirm_cod"), 403)
    assert acted(packer, order["id"], "pack")["status"] == "to_ship"
    shipped = acted(packer, order["id"], "ship", {"carrier": "flash", "tracking_number": "TH55"})
    assert shipped["status"] == "shipped"
    assert packer.get(f"{ORDERS}/{order['id']}").status_code == 200
    assert Order.objects.for_shop(shop).count() == 1


def test_an_accountant_can_read_orders_but_change_nothing(api, shop, tee):
    accountant = ApiClient(token_for(shop, "accountant"))
    order = created(api, order_body())

    assert accountant.get(f"{ORDERS}/{order['id']}").status_code == 200
    assert ids(accountant.get(ORDERS)) == [order["id"]]
    assert accountant.get(f"{ORDERS}/counts").status_code == 200
    assert accountant.get(f"{ORDERS}/stuck").status_code == 200
    assert error_of(create(accountant, order_body()), 403)
    assert error_of(act(accountant, order["id"], "cancel", {"reason": "x"}), 403)
    assert error_of(put_lines(accountant, order["id"], [{"sku": "TEE-M", "quantity": 2}]), 403)
    bulk = accountant.post(
        f"{ORDERS}/bulk-actions",
        {"order_ids": [order["id"]], "action": "cancel", "data": {"reason": "x"}},
    )
    error_of(bulk, 403, "forbidden")
    after = api.get(f"{ORDERS}/{order['id']}").json()
    assert (after["status"], after["lines"]) == ("pending", order["lines"])
    assert Order.objects.for_shop(shop).count() == 1


def test_no_token_no_orders(db, tee):
    anonymous = ApiClient(None)

    assert anonymous.get(ORDERS).status_code == 401
    assert anonymous.post(ORDERS, order_body()).status_code == 401
