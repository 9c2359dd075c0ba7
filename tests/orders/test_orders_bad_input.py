"""Bad input to the orders API: a clear 4xx naming the field, and nothing written.

docs/design/api.md#errors: errors are `{"error": {"code", "message", "fields"}}`, never a 500
for bad input.
"Nothing written" is checked on every table an order touches, across all shops.
"""

import copy
import json
import random
from urllib.parse import quote

import pytest

from talad.inventory.checks import stock_violations
from talad.inventory.models import StockLevel, StockMovement
from talad.orders.checks import order_violations
from talad.orders.models import (
    Customer,
    Order,
    OrderLine,
    OrderNumberSequence,
    StatusChange,
)
from talad.payments.models import Payment
from talad.shipping.models import Shipment
from talad.shops.models import IdempotencyRecord
from tests.conftest import make_variant
from tests.orders.factories import CUSTOMER

ORDERS = "/api/v1/orders"
_MISSING = object()


def database_state():
    """Every row an order, its actions or its stock could write, in a comparable form."""
    return {
        "orders": list(
            Order.unscoped.order_by("pk").values_list(
                "pk", "status", "payment_status", "total", "carrier", "tracking_number"
            )
        ),
        "lines": list(OrderLine.unscoped.order_by("pk").values_list("pk", "sku", "quantity")),
        "customers": list(Customer.unscoped.order_by("pk").values_list("pk", "name", "phone")),
        "history": StatusChange.unscoped.count(),
        "numbers": list(
            OrderNumberSequence.unscoped.order_by("pk").values_list("shop", "last_number")
        ),
        "levels": list(StockLevel.unscoped.order_by("pk").values_list("pk", "on_hand", "reserved")),
        "ledger": StockMovement.unscoped.count(),
        "payments": Payment.unscoped.count(),
        "shipments": Shipment.unscoped.count(),
        "idempotency": IdempotencyRecord.unscoped.count(),
    }


def assert_error(response, status, field=None, code=None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert isinstance(error["message"], str) and error["message"]
    if field is not None:
        assert field in error["fields"], error
    if code is not None:
        assert error["code"] == code, error
    return error


def valid_body() -> dict:
    return {
        "channel": "line",
        "customer": copy.deepcopy(CUSTOMER),
        "lines": [{"sku": "TEE-M", "quantity": 1}],
        "payment_method": "cod",
    }


def body_with(**changes) -> dict:
    """The valid body with top-level changes; `_MISSING` drops a key."""
    body = {**valid_body(), **changes}
    return {k: v for k, v in body.items() if v is not _MISSING}


def customer_with(**changes) -> dict:
    customer = {**copy.deepcopy(CUSTOMER), **changes}
    return body_with(customer={k: v for k, v in customer.items() if v is not _MISSING})


def address_with(**changes) -> dict:
    return customer_with(address={**CUSTOMER["address"], **changes})


def line_with(**changes) -> dict:
    line = {**valid_body()["lines"][0], **changes}
    return body_with(lines=[{k: v for k, v in line.items() if v is not _MISSING}])


@pytest.fixture
def stocked(shop, api):
    """TEE-M with 10 on the shelf and one order already placed (so every table has a row)."""
    make_variant(shop, "TEE-M", on_hand=10, price="250.00")
    make_variant(shop, "CAP-1", on_hand=3, price="120.00")
    response = api.post(ORDERS, valid_body())
    assert response.status_code == 201, response.json()
    return response.json()


CREATE_CASES = [
    # case id, body, status, field
    ("unknown sku", line_with(sku="NO-SUCH"), 400, "lines[0].sku"),
    (
        "unknown sku on the second line",
        body_with(lines=[{"sku": "TEE-M", "quantity": 1}, {"sku": "NO-SUCH", "quantity": 1}]),
        400,
        "lines[1].sku",
    ),
    ("sku with a space", line_with(sku="TEE M"), 422, "lines[0].sku"),
    ("empty sku", line_with(sku=""), 422, "lines[0].sku"),
    ("sku as a number", line_with(sku=5), 422, "lines[0].sku"),
    ("quantity 0", line_with(quantity=0), 422, "lines[0].quantity"),
    ("quantity negative", line_with(quantity=-2), 422, "lines[0].quantity"),
    ("quantity as text", line_with(quantity="2"), 422, "lines[0].quantity"),
    ("quantity fractional", line_with(quantity=1.5), 422, "lines[0].quantity"),
    ("quantity 2.0", line_with(quantity=2.0), 422, "lines[0].quantity"),
    ("quantity true", line_with(quantity=True), 422, "lines[0].quantity"),
    ("quantity null", line_with(quantity=None), 422, "lines[0].quantity"),
    ("quantity missing", line_with(quantity=_MISSING), 422, "lines[0].quantity"),
    ("quantity absurd", line_with(quantity=10**30), 422, "lines[0].quantity"),
    ("price with 3 decimals", line_with(unit_price="10.005"), 422, "lines[0].unit_price"),
    ("price as float with 3 decimals", line_with(unit_price=10.005), 422, "lines[0].unit_price"),
    ("price negative", line_with(unit_price="-1.00"), 422, "lines[0].unit_price"),
    ("price not a number", line_with(unit_price="ฟรี"), 422, "lines[0].unit_price"),
    ("price NaN", line_with(unit_price="NaN"), 422, "lines[0].unit_price"),
    ("price Infinity", line_with(unit_price="Infinity"), 422, "lines[0].unit_price"),
    ("price too large", line_with(unit_price="99999999999.00"), 422, "lines[0].unit_price"),
    ("line discount 3 decimals", line_with(line_discount="0.001"), 422, "lines[0].line_discount"),
    (
        "line discount above the line",
        line_with(unit_price="10.00", line_discount="10.01"),
        400,
        "lines[0].line_discount",
    ),
    ("shipping fee 3 decimals", body_with(shipping_fee="40.125"), 422, "shipping_fee"),
    ("shipping fee negative", body_with(shipping_fee="-40"), 422, "shipping_fee"),
    ("discount 3 decimals", body_with(discount="1.999"), 422, "discount"),
    ("discount above the order", body_with(discount="250.01"), 400, "discount"),
    ("cod without a phone", customer_with(phone=""), 400, "customer.phone"),
    ("cod with the phone missing", customer_with(phone=_MISSING), 400, "customer.phone"),
    ("cod with a blank phone", customer_with(phone="   "), 400, "customer.phone"),
    ("phone too short", customer_with(phone="12345"), 400, "customer.phone"),
    ("phone letters", customer_with(phone="abc"), 400, "customer.phone"),
    ("phone foreign", customer_with(phone="+1 650 253 0000"), 400, "customer.phone"),
    ("phone too many digits", customer_with(phone="08123456789"), 400, "customer.phone"),
    ("phone as a number", customer_with(phone=812345678), 422, "customer.phone"),
    ("postcode 4 digits", address_with(postcode="1234"), 400, "customer.address.postcode"),
    ("postcode nobody has", address_with(postcode="99999"), 400, "customer.address.postcode"),
    ("postcode letters", address_with(postcode="abcde"), 400, "customer.address.postcode"),
    ("postcode 6 digits", address_with(postcode="101100"), 422, "customer.address.postcode"),
    ("email invalid", customer_with(email="somchai@"), 400, "customer.email"),
    ("customer name blank", customer_with(name="  "), 400, "customer.name"),
    ("customer name missing", customer_with(name=_MISSING), 422, "customer.name"),
    ("customer name too long", customer_with(name="ก" * 201), 422, "customer.name"),
    ("customer missing", body_with(customer=_MISSING), 422, "customer"),
    ("customer a string", body_with(customer="สมชาย"), 422, "customer"),
    ("address a list", customer_with(address=["99/1"]), 422, "customer.address"),
    ("unknown channel", body_with(channel="myspace"), 422, "channel"),
    ("channel missing", body_with(channel=_MISSING), 422, "channel"),
    ("channel in capitals", body_with(channel="LINE"), 422, "channel"),
    ("unknown payment method", body_with(payment_method="bitcoin"), 422, "payment_method"),
    ("payment method missing", body_with(payment_method=_MISSING), 422, "payment_method"),
    ("lines missing", body_with(lines=_MISSING), 422, "lines"),
    ("lines empty", body_with(lines=[]), 422, "lines"),
    ("lines not a list", body_with(lines={"sku": "TEE-M", "quantity": 1}), 422, "lines"),
    ("a line not an object", body_with(lines=["TEE-M"]), 422, "lines[0]"),
    ("too many lines", body_with(lines=[{"sku": "TEE-M", "quantity": 1}] * 201), 422, "lines"),
    ("external id too long", body_with(external_id="X" * 101), 422, "external_id"),
    ("tags not a list", body_with(tags="vip"), 422, "tags"),
    ("tags of numbers", body_with(tags=[1, 2]), 422, "tags[0]"),
    ("ship_by not a time", body_with(ship_by="พรุ่งนี้"), 422, "ship_by"),
    ("note too long", body_with(note="x" * 5001), 422, "note"),
    ("NUL in the name", customer_with(name="สม\x00ชาย"), 400, "customer.name"),
]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [c[1:] for c in CREATE_CASES],
    ids=[c[0] for c in CREATE_CASES],
)
def test_a_bad_order_is_refused_naming_the_field_and_writes_nothing(
    api, stocked, body, status, field
):
    before = database_state()

    response = api.post(ORDERS, body, **{"Idempotency-Key": "bad-1"})

    assert_error(response, status, field)
    assert database_state() == before
    # The refused key is not burnt: the good order goes through with it afterwards.
    assert api.post(ORDERS, valid_body(), **{"Idempotency-Key": "bad-1"}).status_code == 201


def test_a_shortage_on_a_later_line_leaves_earlier_lines_unreserved(api, stocked):
    before = database_state()

    response = api.post(
        ORDERS,
        body_with(lines=[{"sku": "TEE-M", "quantity": 2}, {"sku": "CAP-1", "quantity": 4}]),
    )

    error = assert_error(response, 409, code="insufficient_stock")
    assert [s["sku"] for s in error["short"]] == ["CAP-1"]
    assert database_state() == before


def test_a_transfer_order_may_come_without_a_phone_and_makes_no_customer(api, stocked):
    customers = Customer.unscoped.count()

    response = api.post(
        ORDERS, customer_with(phone="", name="ลูกค้าหน้าร้าน") | {"payment_method": "transfer"}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["customer"]["customer_id"] is None
    assert Customer.unscoped.count() == customers


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "{",
        "not json",
        '{"channel": "line",}',
        "[]",
        '"an order"',
        "null",
        "42",
        "\xff\xfe",
        "[" * 100_000,
    ],
    ids=[
        "empty",
        "open-brace",
        "text",
        "trailing-comma",
        "array",
        "string",
        "null",
        "number",
        "bad-bytes",
        "deep-nesting",
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(api, stocked, raw):
    before = database_state()

    response = api.post(ORDERS, raw=raw)

    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert "error" in response.json()
    assert database_state() == before


def test_a_huge_body_is_refused_as_too_large(api, stocked):
    before = database_state()
    body = body_with(note="ก" * 2_000_000)

    response = api.post(ORDERS, body)

    assert_error(response, 413, code="body_too_large")
    assert database_state() == before


def test_a_huge_idempotency_key_is_refused(api, stocked):
    before = database_state()

    response = api.post(ORDERS, valid_body(), **{"Idempotency-Key": "k" * 300})

    assert_error(response, 400, "Idempotency-Key")
    assert database_state() == before


# --- Actions, line edits and bulk actions --------------------------------------------------


def _to_pack(api, stocked):
    response = api.post(f"{ORDERS}/{stocked['id']}/actions/confirm_cod", {})
    assert response.status_code == 200, response.json()
    return response.json()


ACTION_CASES = [
    # action, data, status, field   (the order is pending, total 250.00)
    ("pay", {"amount": "abc", "method": "transfer"}, 422, "amount"),
    ("pay", {"amount": "250.001", "method": "transfer"}, 422, "amount"),
    ("pay", {"amount": "-250.00", "method": "transfer"}, 422, "amount"),
    ("pay", {"amount": "250.00", "method": "bitcoin"}, 422, "method"),
    ("pay", {"amount": "250.00", "method": "cod"}, 400, "method"),
    ("pay", {"amount": "250.00"}, 400, "method"),
    ("pay", {"amount": "250.00", "method": "transfer", "paid_at": "เมื่อวาน"}, 422, "paid_at"),
    ("pay", {"amount": "250.00", "method": "transfer", "reference": "R" * 101}, 422, "reference"),
    ("cancel", {}, 400, "reason"),
    ("cancel", {"reason": ""}, 400, "reason"),
    ("cancel", {"reason": "x" * 256}, 422, "reason"),
    ("cancel", {"reason": 5}, 422, "reason"),
    ("confirm_cod", {"note": "n" * 501}, 422, "note"),
]


@pytest.mark.parametrize(
    ("action", "data", "status", "field"),
    ACTION_CASES,
    ids=[f"{c[0]}-{json.dumps(c[1], ensure_ascii=False)[:60]}" for c in ACTION_CASES],
)
def test_bad_action_data_is_refused_naming_the_field_and_changes_nothing(
    api, stocked, action, data, status, field
):
    before = database_state()

    response = api.post(f"{ORDERS}/{stocked['id']}/actions/{action}", data)

    assert_error(response, status, field)
    assert database_state() == before


SHIP_CASES = [
    ({"carrier": "flash"}, 400, "tracking_number"),
    ({"tracking_number": "TH1"}, 400, "carrier"),
    ({"carrier": "flash", "tracking_number": "   "}, 400, "tracking_number"),
    ({"carrier": "flash", "tracking_number": "T" * 61}, 422, "tracking_number"),
    ({"carrier": "pigeon", "tracking_number": "TH1"}, 400, "carrier"),
    ({"carrier": ["flash"], "tracking_number": "TH1"}, 422, "carrier"),
    ({"carrier": "flash", "tracking_number": "TH1", "weight_grams": -1}, 422, "weight_grams"),
    ({"carrier": "flash", "tracking_number": "TH1", "weight_grams": "1kg"}, 422, "weight_grams"),
    (
        {"carrier": "flash", "tracking_number": "TH1", "shipping_cost": "1.001"},
        422,
        "shipping_cost",
    ),
]


@pytest.mark.parametrize(
    ("data", "status", "field"),
    SHIP_CASES,
    ids=[json.dumps(c[0])[:70] for c in SHIP_CASES],
)
def test_bad_shipping_data_is_refused_naming_the_field_and_ships_nothing(
    api, stocked, data, status, field
):
    _to_pack(api, stocked)
    before = database_state()

    response = api.post(f"{ORDERS}/{stocked['id']}/actions/ship", data)

    assert_error(response, status, field)
    assert database_state() == before


RETURN_CASES = [
    ({"lines": [{"sku": "TEE-M", "condition": "broken"}]}, 422, "lines[0].condition"),
    ({"lines": [{"sku": "CAP-1", "condition": "damaged"}]}, 400, "lines"),
    ({"lines": "all"}, 422, "lines"),
]


@pytest.mark.parametrize(
    ("data", "status", "field"), RETURN_CASES, ids=["condition", "sku", "shape"]
)
def test_bad_return_data_is_refused_and_puts_nothing_back(api, stocked, data, status, field):
    _to_pack(api, stocked)
    oid = stocked["id"]
    ship = {"carrier": "flash", "tracking_number": "TH42"}
    assert api.post(f"{ORDERS}/{oid}/actions/ship", ship).status_code == 200
    fail = {"reason": "refused"}
    assert api.post(f"{ORDERS}/{oid}/actions/fail_delivery", fail).status_code == 200
    before = database_state()

    response = api.post(f"{ORDERS}/{oid}/actions/receive_return", data)

    assert_error(response, status, field)
    assert database_state() == before


@pytest.mark.parametrize("order_id", ["99999999", "99999999999999999999999"])
def test_an_order_id_that_is_no_order_is_not_found(api, stocked, order_id):
    assert_error(api.get(f"{ORDERS}/{order_id}"), 404, code="not_found")


@pytest.mark.parametrize("order_id", ["abc", "-1", "1.5"])
def test_an_order_path_that_is_no_number_is_not_found(api, stocked, order_id):
    response = api.get(f"{ORDERS}/{order_id}")

    # Not matched by any API route, so Django answers (an HTML 404 today, not our JSON shape).
    assert response.status_code == 404


def test_an_action_on_a_missing_order_is_not_found_and_writes_nothing(api, stocked):
    before = database_state()

    response = api.post(f"{ORDERS}/99999999/actions/cancel", {"reason": "x"})

    assert_error(response, 404, code="not_found")
    assert database_state() == before


@pytest.mark.parametrize(
    ("raw", "field"),
    [("[]", "body"), ("{", "body"), ('{"amount": "250.00", "method": "transfer"', "body")],
)
def test_an_action_body_that_is_not_a_json_object_is_refused(api, stocked, raw, field):
    before = database_state()

    response = api.post(f"{ORDERS}/{stocked['id']}/actions/pay", raw=raw)

    assert_error(response, 400, field)
    assert database_state() == before


LINES_CASES = [
    ({"lines": []}, 422, "lines"),
    ({}, 422, "lines"),
    ({"lines": [{"sku": "NO-SUCH", "quantity": 1}]}, 400, "lines[0].sku"),
    ({"lines": [{"sku": "TEE-M", "quantity": 0}]}, 422, "lines[0].quantity"),
    ({"lines": [{"sku": "TEE-M", "quantity": "3"}]}, 422, "lines[0].quantity"),
    (
        {"lines": [{"sku": "TEE-M", "quantity": 1, "unit_price": "1.005"}]},
        422,
        "lines[0].unit_price",
    ),
    ({"lines": [{"sku": "TEE-M", "quantity": 1}, {"sku": "CAP-1", "quantity": 4}]}, 409, None),
]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    LINES_CASES,
    ids=[json.dumps(c[0])[:70] for c in LINES_CASES],
)
def test_bad_line_edits_are_refused_and_change_nothing(api, stocked, body, status, field):
    before = database_state()

    response = api._call("put", f"{ORDERS}/{stocked['id']}/lines", body)

    assert_error(response, status, field)
    assert database_state() == before


BULK_CASES = [
    ({"order_ids": [], "action": "pack"}, 422, "order_ids"),
    ({"order_ids": ["1"], "action": "pack"}, 422, "order_ids[0]"),
    ({"order_ids": [1.5], "action": "pack"}, 422, "order_ids[0]"),
    ({"order_ids": [1, 10**40], "action": "pack"}, 422, "order_ids[1]"),
    ({"order_ids": [2**63], "action": "pack"}, 422, "order_ids[0]"),
    ({"order_ids": [0], "action": "pack"}, 422, "order_ids[0]"),
    ({"order_ids": list(range(1, 502)), "action": "pack"}, 422, "order_ids"),
    ({"order_ids": 1, "action": "pack"}, 422, "order_ids"),
    ({"action": "pack"}, 422, "order_ids"),
    ({"order_ids": [1]}, 422, "action"),
    ({"order_ids": [1], "action": "cancel", "data": "now"}, 422, "data"),
    ({"order_ids": [1], "action": "pay", "data": {"amount": "1.001"}}, 422, "data.amount"),
    ({"order_ids": [1], "action": "teleport"}, 400, "action"),
]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    BULK_CASES,
    ids=[json.dumps(c[0])[:70] for c in BULK_CASES],
)
def test_a_bad_bulk_request_is_refused_as_a_whole_and_changes_nothing(
    api, stocked, body, status, field
):
    before = database_state()

    response = api.post(f"{ORDERS}/bulk-actions", body)

    assert_error(response, status, field)
    assert database_state() == before


@pytest.mark.parametrize(
    "query",
    [
        "status=lost",
        "channel=myspace",
        "payment_status=maybe",
        "created_from=yesterday",
        "created_to=2025-13-45",
        "limit=0",
        "limit=201",
        "limit=ten",
        "cursor=%00",
        "q=%00",
    ],
)
def test_a_bad_list_filter_is_a_4xx_naming_it(api, stocked, query):
    name = query.split("=")[0]

    response = api.get(f"{ORDERS}?{query}")

    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert name in response.json()["error"]["fields"], response.json()


# --- Fuzz: whatever arrives, never a 500 ---------------------------------------------------

_JUNK = [
    None,
    True,
    0,
    -1,
    1.5,
    10**40,
    "",
    " ",
    "ก" * 300,
    "\x00",
    "1e309",
    "-0",
    "NaN",
    "0812345678",
    "TEE-M",
    [],
    [None],
    {},
    {"sku": "TEE-M"},
    "2025-02-30T25:61:00",
    "💥",
]


def _mutate(value, rng: random.Random, depth=0):
    """A copy of `value` with one randomly chosen place broken."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        out = dict(value)
        roll = rng.random()
        if roll < 0.15:
            del out[key]
        elif roll < 0.25:
            out[rng.choice(["extra", "", "ชื่อ", "__proto__"])] = rng.choice(_JUNK)
        else:
            out[key] = _mutate(value[key], rng, depth + 1)
        return out
    if isinstance(value, list) and value and rng.random() < 0.8:
        out = list(value)
        index = rng.randrange(len(out))
        out[index] = _mutate(out[index], rng, depth + 1)
        if rng.random() < 0.2:
            out.append(copy.deepcopy(rng.choice(out)))
        return out
    return copy.deepcopy(rng.choice(_JUNK))


def _garbage(base: dict, rng: random.Random, count: int) -> list:
    bodies = []
    for _ in range(count):
        body = base
        for _ in range(rng.randint(1, 3)):
            body = _mutate(body, rng)
        bodies.append(body)
    return bodies


def _assert_no_500(response, what):
    assert response.status_code < 500, (what, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), what


def test_garbage_order_bodies_never_cause_a_500_or_break_stock(api, shop, stocked):
    rng = random.Random(20251123)
    base = body_with(
        external_id="",
        shipping_fee="40.00",
        discount="0",
        tags=["vip"],
        note="ส่งด่วน",
        ship_by="2030-01-01T10:00:00+07:00",
        lines=[{"sku": "TEE-M", "quantity": 1, "unit_price": "250.00"}],
    )

    for body in _garbage(base, rng, 300):
        response = api.post(ORDERS, body)
        _assert_no_500(response, body)
        if response.status_code >= 400:
            assert set(response.json()["error"]) >= {"code", "message", "fields"}

    assert stock_violations(shop) == []
    assert order_violations(shop) == []


def test_garbage_action_and_bulk_bodies_never_cause_a_500_or_break_stock(api, shop, stocked):
    rng = random.Random(7)
    oid = stocked["id"]
    data = {
        "amount": "250.00",
        "method": "transfer",
        "reference": "KBANK-1",
        "paid_at": "2025-11-01T10:00:00+07:00",
        "carrier": "flash",
        "tracking_number": "TH123",
        "weight_grams": 500,
        "shipping_cost": "35.00",
        "reason": "refused",
        "note": "x",
        "lines": [{"sku": "TEE-M", "condition": "sellable"}],
    }
    actions = [
        "pay",
        "confirm_cod",
        "pack",
        "ship",
        "deliver",
        "fail_delivery",
        "cancel",
        "receive_return",
    ]

    for body in _garbage(data, rng, 200):
        action = rng.choice(actions)
        _assert_no_500(api.post(f"{ORDERS}/{oid}/actions/{action}", body), (action, body))
    bulk = {"order_ids": [oid, oid + 1, 0], "action": "pack", "data": data}
    for body in _garbage(bulk, rng, 150):
        _assert_no_500(api.post(f"{ORDERS}/bulk-actions", body), body)
    lines = {"lines": [{"sku": "TEE-M", "quantity": 2, "unit_price": "250.00"}]}
    for body in _garbage(lines, rng, 100):
        _assert_no_500(api._call("put", f"{ORDERS}/{oid}/lines", body), body)

    assert stock_violations(shop) == []
    assert order_violations(shop) == []


def test_garbage_list_queries_never_cause_a_500(api, stocked):
    rng = random.Random(3)
    names = ["status", "channel", "payment_status", "created_from", "created_to", "q", "cursor"]
    names += ["limit"]
    values = [str(j) for j in _JUNK] + ["%", "_", "\\", "'", "SO-", "+66", "9" * 40, "-5"]
    values += ["2025-01-01T00:00:00+25:00", "aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "aWQ6LTE"]

    for _ in range(200):
        query = "&".join(
            f"{rng.choice(names)}={quote(rng.choice(values), safe='')}"
            for _ in range(rng.randint(1, 3))
        )
        _assert_no_500(api.get(f"{ORDERS}?{query}"), query)
