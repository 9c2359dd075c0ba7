"""Bad input over HTTP: a clear 4xx in the one error shape, naming the field, and nothing written.

docs/design/api.md#errors: errors are `{"error": {"code", "message", "fields"}}` and never a
500 for bad input.
"""

import base64
import json

import pytest
from django.db import transaction

from talad.catalog.models import BundleComponent, Product, Variant
from talad.catalog.services import create_product
from talad.inventory.models import StockLevel, StockMovement
from talad.inventory.services import reserve_stock
from talad.shops.actors import Actor
from talad.shops.models import AuditEntry, Role
from talad.shops.services import create_api_token, revoke_api_token
from tests.conftest import ApiClient, make_variant


def database_state():
    """Everything a write could touch, across all shops, in a comparable form."""
    return {
        "products": list(
            Product.unscoped.order_by("pk").values_list("pk", "name", "description", "active")
        ),
        "variants": list(
            Variant.unscoped.order_by("pk").values_list(
                "pk", "sku", "name", "price", "cost", "active", "is_bundle"
            )
        ),
        "components": list(
            BundleComponent.unscoped.order_by("pk").values_list("bundle", "component", "quantity")
        ),
        "levels": list(
            StockLevel.unscoped.order_by("pk").values_list("variant", "on_hand", "reserved")
        ),
        "movements": StockMovement.unscoped.count(),
        "audit": AuditEntry.objects.count(),
    }


def assert_error(response, status, field=None, code=None):
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


@pytest.fixture
def stocked(shop):
    """TEE-M: 10 on hand, 4 reserved by an order. GIFT-SET: a bundle of two TEE-M."""
    tee = make_variant(shop, "TEE-M", on_hand=10)
    reserve_stock(shop=shop, lines=[(tee, 4)], reference="order:SO-1", by=Actor.system("test"))
    create_product(
        shop=shop,
        name="ชุดคู่",
        by=Actor.system("test"),
        variants=[
            {"sku": "GIFT-SET", "price": "350.00", "components": [{"sku": "TEE-M", "quantity": 2}]}
        ],
    )
    return tee


RECEIVE = {"sku": "TEE-M", "quantity": 5, "unit_cost": "60.00"}
ADJUST = {"sku": "TEE-M", "quantity_delta": 1, "reason": "เจอเพิ่ม"}
COUNT = {"sku": "TEE-M", "counted": 8}
PRODUCT = {"name": "หมวก", "variants": [{"sku": "HAT-1", "price": "150.00"}]}


def _with(base, **changes):
    body = {**base, **changes}
    return {k: v for k, v in body.items() if v is not _MISSING}


def _variant(**changes):
    return {"name": "หมวก", "variants": [_with(PRODUCT["variants"][0], **changes)]}


_MISSING = object()

STOCK_CASES = [
    # path, body, status, field
    ("receive", _with(RECEIVE, quantity=0), 422, "quantity"),
    ("receive", _with(RECEIVE, quantity=-5), 422, "quantity"),
    ("receive", _with(RECEIVE, quantity="5"), 422, "quantity"),
    ("receive", _with(RECEIVE, quantity=True), 422, "quantity"),
    ("receive", _with(RECEIVE, quantity=1.5), 422, "quantity"),
    ("receive", _with(RECEIVE, quantity=2_000_000), 422, "quantity"),
    ("receive", _with(RECEIVE, quantity=_MISSING), 422, "quantity"),
    ("receive", _with(RECEIVE, sku=_MISSING), 422, "sku"),
    ("receive", _with(RECEIVE, sku=""), 422, "sku"),
    ("receive", _with(RECEIVE, sku="TEE M"), 422, "sku"),
    ("receive", _with(RECEIVE, sku=5), 422, "sku"),
    ("receive", _with(RECEIVE, sku="NO-SUCH-SKU"), 404, "sku"),
    ("receive", _with(RECEIVE, sku="GIFT-SET"), 400, "sku"),
    ("receive", _with(RECEIVE, unit_cost="abc"), 422, "unit_cost"),
    ("receive", _with(RECEIVE, unit_cost="1.234"), 422, "unit_cost"),
    ("receive", _with(RECEIVE, unit_cost=-5), 422, "unit_cost"),
    ("receive", _with(RECEIVE, unit_cost="NaN"), 422, "unit_cost"),
    ("receive", _with(RECEIVE, unit_cost="Infinity"), 422, "unit_cost"),
    ("receive", _with(RECEIVE, unit_cost=[60]), 422, "unit_cost"),
    ("receive", _with(RECEIVE, unit_cost=_MISSING), 422, "unit_cost"),
    ("receive", _with(RECEIVE, reason=None), 422, "reason"),
    ("adjust", _with(ADJUST, quantity_delta=0), 400, "quantity_delta"),
    ("adjust", _with(ADJUST, quantity_delta="5"), 422, "quantity_delta"),
    ("adjust", _with(ADJUST, quantity_delta=True), 422, "quantity_delta"),
    ("adjust", _with(ADJUST, quantity_delta=1.5), 422, "quantity_delta"),
    ("adjust", _with(ADJUST, quantity_delta=_MISSING), 422, "quantity_delta"),
    ("adjust", _with(ADJUST, reason=_MISSING), 422, "reason"),
    ("adjust", _with(ADJUST, reason="   "), 400, "reason"),
    ("adjust", _with(ADJUST, sku="NO-SUCH-SKU"), 404, "sku"),
    ("adjust", _with(ADJUST, sku="GIFT-SET"), 400, "sku"),
    # 10 on hand, 4 reserved: taking 7 would leave 3 on the shelf for 4 promised units.
    ("adjust", _with(ADJUST, quantity_delta=-7), 409, "quantity_delta"),
    ("adjust", _with(ADJUST, quantity_delta=-11), 409, "quantity_delta"),
    ("count", _with(COUNT, counted=-1), 422, "counted"),
    ("count", _with(COUNT, counted="8"), 422, "counted"),
    ("count", _with(COUNT, counted=8.0), 422, "counted"),
    ("count", _with(COUNT, counted=None), 422, "counted"),
    ("count", _with(COUNT, counted=_MISSING), 422, "counted"),
    ("count", _with(COUNT, counted=3), 409, "counted"),  # below the 4 reserved
    ("count", _with(COUNT, sku="NO-SUCH-SKU"), 404, "sku"),
    ("count", _with(COUNT, sku="GIFT-SET"), 400, "sku"),
]


@pytest.mark.parametrize(
    ("action", "body", "status", "field"),
    STOCK_CASES,
    ids=[f"{c[0]}-{json.dumps(c[1], ensure_ascii=False)}" for c in STOCK_CASES],
)
def test_bad_stock_input_is_refused_naming_the_field_and_changes_nothing(
    api, stocked, action, body, status, field
):
    before = database_state()

    response = api.post(f"/api/v1/stock/{action}", body)

    assert_error(response, status, field)
    assert database_state() == before


def test_taking_stock_below_what_orders_hold_is_a_conflict_that_says_how_much_is_free(api, stocked):
    response = api.post(
        "/api/v1/stock/adjust", {"sku": "TEE-M", "quantity_delta": -7, "reason": "หาย"}
    )

    error = assert_error(response, 409, "quantity_delta", code="stock_rule")
    assert "6" in error["message"]  # what could have been taken


def test_a_count_below_reserved_is_a_conflict(api, stocked):
    response = api.post("/api/v1/stock/count", {"sku": "TEE-M", "counted": 3})

    assert_error(response, 409, "counted", code="stock_rule")


CREATE_CASES = [
    (_variant(price="abc"), 422, "variants[0].price"),
    (_variant(price="1.234"), 422, "variants[0].price"),
    (_variant(price=-5), 422, "variants[0].price"),
    (_variant(price="NaN"), 422, "variants[0].price"),
    (_variant(price=[1]), 422, "variants[0].price"),
    (_variant(price=_MISSING), 422, "variants[0].price"),
    (_variant(cost="-0.01"), 422, "variants[0].cost"),
    (_variant(sku="HAT 1"), 422, "variants[0].sku"),
    (_variant(sku="x" * 65), 422, "variants[0].sku"),
    (_variant(weight_grams="100"), 422, "variants[0].weight_grams"),
    (_variant(allow_backorder="yes"), 422, "variants[0].allow_backorder"),
    (
        _variant(components=[{"sku": "NO-SUCH", "quantity": 1}]),
        400,
        "variants[0].components[0].sku",
    ),
    (
        _variant(components=[{"sku": "TEE-M", "quantity": 0}]),
        422,
        "variants[0].components[0].quantity",
    ),
    (
        _variant(components=[{"sku": "GIFT-SET", "quantity": 1}]),
        400,
        "variants[0].components[0].sku",
    ),
    (
        _variant(components=[{"sku": "TEE-M", "quantity": 1}, {"sku": "TEE-M", "quantity": 2}]),
        400,
        "variants[0].components",
    ),
    (_with(PRODUCT, name=_MISSING), 422, "name"),
    (_with(PRODUCT, name=""), 422, "name"),
    (_with(PRODUCT, name="   "), 400, "name"),
    (_with(PRODUCT, name=["หมวก"]), 422, "name"),
    (_with(PRODUCT, variants=_MISSING), 422, "variants"),
    (_with(PRODUCT, variants=[]), 422, "variants"),
    (_with(PRODUCT, variants={"sku": "HAT-1", "price": "1"}), 422, "variants"),
    (_with(PRODUCT, active="true"), 422, "active"),
    # Duplicate SKUs: within one request, and against one the shop already has.
    (
        _with(PRODUCT, variants=[{"sku": "HAT-1", "price": "1"}, {"sku": "HAT-1", "price": "2"}]),
        409,
        "variants[1].sku",
    ),
    (
        _with(PRODUCT, variants=[{"sku": "HAT-1", "price": "1"}, {"sku": "TEE-M", "price": "2"}]),
        409,
        "variants[1].sku",
    ),
]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    CREATE_CASES,
    ids=[json.dumps(c[0], ensure_ascii=False)[:80] for c in CREATE_CASES],
)
def test_a_bad_new_product_is_refused_naming_the_field_and_nothing_is_created(
    api, stocked, body, status, field
):
    before = database_state()

    response = api.post("/api/v1/products", body)

    assert_error(response, status, field)
    assert database_state() == before


@pytest.fixture
def shirt(shop, stocked):
    """A product with SHIRT-S and SHIRT-M, next to TEE-M and GIFT-SET in other products."""
    return create_product(
        shop=shop,
        name="เสื้อเชิ้ต",
        by=Actor.system("test"),
        variants=[{"sku": "SHIRT-S", "price": "300.00"}, {"sku": "SHIRT-M", "price": "300.00"}],
    )


def _patch_cases(small_id, medium_id, other_id):
    return [
        ({"variants": [{"id": small_id, "price": "abc"}]}, 422, "variants[0].price"),
        ({"variants": [{"id": small_id, "price": "1.234"}]}, 422, "variants[0].price"),
        ({"variants": [{"id": small_id, "price": -5}]}, 422, "variants[0].price"),
        ({"variants": [{"id": small_id, "price": [300]}]}, 422, "variants[0].price"),
        ({"variants": [{"id": "1", "price": "1.00"}]}, 422, "variants[0].id"),
        ({"variants": [{"id": 987654, "price": "1.00"}]}, 404, "variants[0].id"),
        # A variant of another product is not this product's to change.
        ({"variants": [{"id": other_id, "price": "1.00"}]}, 404, "variants[0].id"),
        ({"variants": [{"sku": "SHIRT-L"}]}, 400, "variants[0].price"),
        ({"name": ""}, 422, "name"),
        ({"name": None}, 400, "name"),
        ({"name": 5}, 422, "name"),
        ({"active": "no"}, 422, "active"),
        ({"variants": {"id": small_id}}, 422, "variants"),
        # A new SKU that the shop already has, in the second entry: the error names that entry.
        (
            {"variants": [{"id": small_id, "price": "1.00"}, {"sku": "TEE-M", "price": "1.00"}]},
            409,
            "variants[1].sku",
        ),
        (
            {"variants": [{"sku": "SHIRT-L", "price": "1"}, {"sku": "SHIRT-L", "price": "2"}]},
            409,
            "variants[1].sku",
        ),
        # Renaming a variant's SKU to one already taken.
        ({"variants": [{"id": small_id, "sku": "TEE-M"}]}, 409, "variants[0].sku"),
        ({"variants": [{"id": small_id, "sku": "SHIRT-M"}]}, 409, "variants[0].sku"),
        (
            {"variants": [{"id": medium_id, "price": "1"}, {"id": small_id, "sku": "TEE-M"}]},
            409,
            "variants[1].sku",
        ),
        (
            {"variants": [{"id": small_id, "components": [{"sku": "NO-SUCH", "quantity": 1}]}]},
            400,
            "variants[0].components[0].sku",
        ),
    ]


def test_a_bad_product_change_is_refused_naming_the_field_and_nothing_changes(
    api, shop, stocked, shirt
):
    small = shirt.variants.get(sku="SHIRT-S")
    medium = shirt.variants.get(sku="SHIRT-M")
    cases = _patch_cases(small.pk, medium.pk, stocked.pk)
    before = database_state()

    for body, status, field in cases:
        response = api.patch(f"/api/v1/products/{shirt.pk}", body)

        assert_error(response, status, field)
        assert database_state() == before, body


MALFORMED_BODIES = [
    ("{not json", 400, "body"),
    ('{"sku": "TEE-M",}', 400, "body"),
    (b"\xff\xfe\x00garbage", 400, "body"),
    ("[]", 400, "body"),
    ('[{"sku": "TEE-M", "quantity": 1, "unit_cost": "1"}]', 400, "body"),
    ('"TEE-M"', 400, "body"),
    ("null", 400, "body"),
    ("5", 400, "body"),
    ("[" * 100_000 + "]" * 100_000, 400, "body"),
]

WRITE_ENDPOINTS = [
    ("post", "/api/v1/products"),
    ("post", "/api/v1/stock/receive"),
    ("post", "/api/v1/stock/adjust"),
    ("post", "/api/v1/stock/count"),
]


@pytest.mark.parametrize(("method", "path"), WRITE_ENDPOINTS)
@pytest.mark.parametrize(
    ("raw", "status", "field"), MALFORMED_BODIES, ids=[str(c[0])[:20] for c in MALFORMED_BODIES]
)
def test_a_body_that_is_not_a_json_object_is_a_400_naming_the_body(
    api, stocked, method, path, raw, status, field
):
    before = database_state()

    response = getattr(api, method)(path, raw=raw)

    assert_error(response, status, field)
    assert database_state() == before


def test_a_product_change_that_is_not_a_json_object_is_a_400(api, stocked):
    before = database_state()

    response = api.patch(f"/api/v1/products/{stocked.product_id}", raw="[1, 2, 3]")

    assert_error(response, 400, "body")
    assert database_state() == before


@pytest.mark.parametrize(("method", "path"), WRITE_ENDPOINTS)
def test_an_empty_body_is_refused(api, stocked, method, path):
    before = database_state()

    response = getattr(api, method)(path, raw="")

    assert_error(response, 422, "body")
    assert database_state() == before


@pytest.mark.parametrize(("method", "path"), WRITE_ENDPOINTS)
def test_a_body_over_one_mebibyte_is_a_413(api, stocked, method, path):
    before = database_state()
    huge = json.dumps({**RECEIVE, "reason": "x" * (1024 * 1024 + 1)})

    response = getattr(api, method)(path, raw=huge)

    assert_error(response, 413, code="body_too_large")
    assert database_state() == before


def test_a_nul_character_is_refused_naming_the_field(api, stocked):
    """PostgreSQL cannot store NUL in text; it must be a 400, not a failed write."""
    before = database_state()

    receive = api.post("/api/v1/stock/receive", {**RECEIVE, "sku": "TEE-M\x00"})
    create = api.post(
        "/api/v1/products", {"name": "หมวก\x00", "variants": [{"sku": "HAT-1", "price": "1"}]}
    )
    nested = api.post("/api/v1/products", _variant(name="M\x00"))
    query = api.get("/api/v1/stock?sku=TEE-M%00")

    assert_error(receive, 400, "sku")
    assert_error(create, 400, "name")
    assert_error(nested, 400, "variants[0].name")
    assert_error(query, 400, "sku")
    assert database_state() == before


# --- Tokens ----------------------------------------------------------------------------------

ALL_ENDPOINTS = [
    ("get", "/api/v1/products", None),
    ("post", "/api/v1/products", PRODUCT),
    ("get", "/api/v1/products/{product}", None),
    ("patch", "/api/v1/products/{product}", {"name": "ชื่อใหม่"}),
    ("get", "/api/v1/stock?sku=TEE-M", None),
    ("post", "/api/v1/stock/receive", RECEIVE),
    ("post", "/api/v1/stock/adjust", ADJUST),
    ("post", "/api/v1/stock/count", COUNT),
    ("get", "/api/v1/stock/movements?sku=TEE-M", None),
]


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer tld_not-a-real-token",
        "Bearer ",
        "Bearer " + "tld_" + "x" * 500,
        "Token tld_whatever",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_every_endpoint_needs_a_valid_token(stocked, authorization):
    client = ApiClient(None)
    headers = {"Authorization": authorization} if authorization else {}
    before = database_state()

    for method, path, body in ALL_ENDPOINTS:
        path = path.format(product=stocked.product_id)
        if method == "get":
            response = client.get(path, **headers)
        else:
            response = getattr(client, method)(path, body, **headers)
        assert_error(response, 401, code="unauthenticated")

    assert database_state() == before


def test_a_revoked_token_no_longer_works(shop, stocked):
    token, plaintext = create_api_token(shop=shop, role=Role.OWNER, by=Actor.system("test"))
    client = ApiClient(plaintext)
    assert client.get("/api/v1/stock?sku=TEE-M").status_code == 200

    revoke_api_token(token=token, by=Actor.system("test"))
    before = database_state()

    assert_error(client.get("/api/v1/stock?sku=TEE-M"), 401)
    assert_error(client.post("/api/v1/stock/receive", RECEIVE), 401)
    assert database_state() == before


# --- Lists -----------------------------------------------------------------------------------


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        _b64(b"id:"),
        _b64(b"id:-5"),
        _b64(b"id:abc"),
        _b64(b"offset:10"),
        _b64(b"\xff\xfe"),
        _b64(b"id:1:2"),
        "ทดสอบ",
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/stock/movements"])
def test_an_invalid_cursor_is_a_400_naming_the_cursor(api, stocked, path, cursor):
    response = api.get(f"{path}?cursor={cursor}")

    assert_error(response, 400, "cursor")


@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/stock/movements"])
def test_a_cursor_past_any_real_id_is_simply_an_empty_page(api, stocked, path):
    response = api.get(f"{path}?cursor={_b64(b'id:1')}")

    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("limit", ["0", "-1", "201", "abc", "1.5"])
@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/stock/movements"])
def test_a_limit_outside_one_to_two_hundred_is_refused(api, stocked, path, limit):
    response = api.get(f"{path}?limit={limit}")

    assert_error(response, 422, "limit")


def test_an_unknown_movement_kind_is_refused(api, stocked):
    assert_error(api.get("/api/v1/stock/movements?kind=steal"), 422, "kind")


def test_stock_of_an_unknown_sku_is_a_404_naming_the_sku(api, stocked):
    assert_error(api.get("/api/v1/stock?sku=NO-SUCH"), 404, "sku")
    assert_error(api.get("/api/v1/stock/movements?sku=NO-SUCH"), 404, "sku")


# --- Never a 500 -----------------------------------------------------------------------------

GARBAGE_VALUES = [
    None,
    True,
    0,
    -1,
    1.5,
    10**30,
    -(10**30),
    "",
    " ",
    "abc",
    "NaN",
    "-Infinity",
    "1e400",
    "\x00",
    "\ud800",
    "🙂" * 300,
    "ก" * 70_000,
    [],
    [None],
    {},
    {"sku": "TEE-M"},
]

GARBAGE_RAW = [
    "",
    "{",
    "}",
    "[]",
    "{}",
    "null",
    "true",
    "1e999",
    '"x"',
    '{"sku": NaN, "quantity": Infinity}',
    '{"quantity": 1' + "0" * 5000 + "}",
    '{"sku": "\\ud800", "name": "\\udfff"}',
    '{"variants": [' + "{}," * 1000 + "{}]}",
    '{"variants": [[[[[[[[[[]]]]]]]]]]}',
    '{"name": {"$gt": ""}}',
    "{" * 50_000,
    b"\x80\x81\x82",
    "\ufeff{}",
]


def _garbage_bodies(valid: dict) -> list:
    bodies = [None, *GARBAGE_RAW]
    for field in valid:
        for value in GARBAGE_VALUES:
            bodies.append(json.dumps({**valid, field: value}))
        bodies.append(json.dumps({k: v for k, v in valid.items() if k != field}))
    return bodies


VALID_BODIES = {
    ("post", "/api/v1/products"): {
        "name": "หมวก",
        "description": "",
        "active": True,
        "variants": [
            {
                "sku": "HAT-1",
                "price": "1.00",
                "components": [{"sku": "TEE-M", "quantity": 1}],
            }
        ],
    },
    ("patch", "/api/v1/products/{product}"): {
        "name": "ชื่อใหม่",
        "variants": [{"sku": "TEE-M", "price": "1.00"}],
    },
    ("post", "/api/v1/stock/receive"): {**RECEIVE, "reason": "ล็อต"},
    ("post", "/api/v1/stock/adjust"): ADJUST,
    ("post", "/api/v1/stock/count"): COUNT,
}


@pytest.mark.parametrize(("method", "template"), list(VALID_BODIES), ids=lambda v: str(v))
def test_garbage_sent_to_any_write_endpoint_never_causes_a_server_error(
    api, stocked, method, template
):
    path = template.format(product=stocked.product_id)
    send = getattr(api, method)

    for raw in _garbage_bodies(VALID_BODIES[method, template]):
        before = database_state()
        with transaction.atomic():
            response = send(path) if raw is None else send(path, raw=raw)
            after = database_state()
            # Undo what a body that happened to be acceptable wrote, so that each garbage
            # body meets the same shop (a created HAT-1 would turn later bodies into 409s).
            transaction.set_rollback(True)

        sent = raw if raw is None else raw[:200]
        assert response.status_code < 500, (sent, response.content)
        assert response["Content-Type"].startswith("application/json"), sent
        if response.status_code >= 400:
            assert_error(response, response.status_code)
            assert after == before, sent


GARBAGE_QUERIES = [
    "sku=%00",
    "sku=" + "x" * 5000,
    "sku=%ff%fe",
    "sku=TEE-M&sku=GIFT-SET",
    "cursor=%00",
    "limit=%00",
    "limit=99999999999999999999999",
    "kind=%00",
    "cursor=" + _b64(b"id:99999999999999999999999999"),
    "%00=1",
]


@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/stock", "/api/v1/stock/movements"])
def test_garbage_in_the_query_string_never_causes_a_server_error(api, stocked, path):
    for query in GARBAGE_QUERIES:
        response = api.get(f"{path}?{query}")

        assert response.status_code < 500, (query, response.content)
        assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("product_id", ["0", "-1", "99999999999999999999999", "abc", "1.5", "%00"])
def test_a_product_id_that_cannot_exist_is_never_a_server_error(api, stocked, product_id):
    for response in (
        api.get(f"/api/v1/products/{product_id}"),
        api.patch(f"/api/v1/products/{product_id}", {"name": "x"}),
    ):
        assert 400 <= response.status_code < 500, (product_id, response.content)
