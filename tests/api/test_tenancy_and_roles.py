"""A token sees only its own shop, and does only what its role allows (docs/design/tenancy.md,
docs/design/api.md)."""

import pytest

from talad.catalog.models import Product, Variant
from talad.inventory.models import StockLevel, StockMovement
from talad.shops.models import AuditEntry, Role
from tests.conftest import ApiClient, make_variant, token_for


def shop_state(shop):
    """What a write to `shop` could change, in a comparable form."""
    return {
        "products": list(
            Product.objects.for_shop(shop).order_by("pk").values_list("pk", "name", "active")
        ),
        "variants": list(
            Variant.objects.for_shop(shop)
            .order_by("pk")
            .values_list("pk", "sku", "name", "price", "cost", "active")
        ),
        "levels": list(
            StockLevel.objects.for_shop(shop)
            .order_by("pk")
            .values_list("variant", "on_hand", "reserved")
        ),
        "movements": StockMovement.objects.for_shop(shop).count(),
        "audit": AuditEntry.objects.filter(shop=shop).count(),
    }


def assert_not_found(response):
    assert response.status_code == 404, (response.status_code, response.content[:300])
    assert response.json()["error"]["code"] == "not_found"


# --- Tenancy ---------------------------------------------------------------------------------


@pytest.fixture
def theirs(other_shop):
    """Shop B's only product: THEIR-SKU with 10 on hand."""
    return make_variant(other_shop, "THEIR-SKU", on_hand=10, price="500.00")


def test_another_shops_product_cannot_be_read_or_changed_by_id(api, other_shop, theirs):
    before = shop_state(other_shop)

    assert_not_found(api.get(f"/api/v1/products/{theirs.product_id}"))
    assert_not_found(api.patch(f"/api/v1/products/{theirs.product_id}", {"name": "ของฉันแล้ว"}))
    assert_not_found(
        api.patch(
            f"/api/v1/products/{theirs.product_id}",
            {"variants": [{"id": theirs.pk, "price": "1.00"}]},
        )
    )

    assert shop_state(other_shop) == before


def test_another_shops_stock_cannot_be_read_or_changed_by_sku(api, shop, other_shop, theirs):
    make_variant(shop, "MINE", on_hand=1)
    before = shop_state(other_shop)

    assert_not_found(api.get("/api/v1/stock?sku=THEIR-SKU"))
    assert_not_found(api.get("/api/v1/stock/movements?sku=THEIR-SKU"))
    assert_not_found(
        api.post("/api/v1/stock/receive", {"sku": "THEIR-SKU", "quantity": 5, "unit_cost": "1"})
    )
    assert_not_found(
        api.post(
            "/api/v1/stock/adjust", {"sku": "THEIR-SKU", "quantity_delta": -10, "reason": "ขโมย"}
        )
    )
    assert_not_found(api.post("/api/v1/stock/count", {"sku": "THEIR-SKU", "counted": 0}))

    assert shop_state(other_shop) == before


def test_lists_show_only_the_tokens_own_shop(api, shop, other_shop, theirs):
    mine = make_variant(shop, "MINE", on_hand=2)

    products = api.get("/api/v1/products").json()["items"]
    stock = api.get("/api/v1/stock").json()
    movements = api.get("/api/v1/stock/movements").json()["items"]

    assert [p["id"] for p in products] == [mine.product_id]
    assert [row["sku"] for row in stock] == ["MINE"]
    assert {m["sku"] for m in movements} == {"MINE"}


def test_a_variant_of_another_shop_cannot_be_pulled_into_my_product(api, shop, other_shop, theirs):
    mine = make_variant(shop, "MINE")
    before = shop_state(other_shop), shop_state(shop)

    by_id = api.patch(
        f"/api/v1/products/{mine.product_id}", {"variants": [{"id": theirs.pk, "price": "1.00"}]}
    )
    as_component = api.post(
        "/api/v1/products",
        {
            "name": "เซ็ต",
            "variants": [
                {"sku": "SET", "price": "1.00", "components": [{"sku": "THEIR-SKU", "quantity": 1}]}
            ],
        },
    )

    assert by_id.status_code == 404
    assert "variants[0].id" in by_id.json()["error"]["fields"]
    assert as_component.status_code == 400
    assert "variants[0].components[0].sku" in as_component.json()["error"]["fields"]
    assert (shop_state(other_shop), shop_state(shop)) == before


def test_two_shops_may_use_the_same_sku_without_touching_each_other(api, shop, other_shop, theirs):
    before = shop_state(other_shop)

    created = api.post(
        "/api/v1/products", {"name": "ของฉัน", "variants": [{"sku": "THEIR-SKU", "price": "9.00"}]}
    )
    received = api.post(
        "/api/v1/stock/receive", {"sku": "THEIR-SKU", "quantity": 3, "unit_cost": "4.00"}
    )

    assert created.status_code == 201, created.json()
    assert received.status_code == 200, received.json()
    assert received.json()[0]["on_hand"] == 3
    assert shop_state(other_shop) == before
    assert StockLevel.objects.for_shop(other_shop).get(variant=theirs).on_hand == 10


# --- Roles -----------------------------------------------------------------------------------


@pytest.fixture
def stocked(shop):
    return make_variant(shop, "TEE-M", on_hand=10)


def _writes(product_id, variant_id):
    return [
        ("post", "/api/v1/products", {"name": "หมวก", "variants": [{"sku": "HAT", "price": "1"}]}),
        ("patch", f"/api/v1/products/{product_id}", {"name": "ชื่อใหม่"}),
        (
            "patch",
            f"/api/v1/products/{product_id}",
            {"variants": [{"id": variant_id, "price": "1.00"}]},
        ),
        ("post", "/api/v1/stock/receive", {"sku": "TEE-M", "quantity": 1, "unit_cost": "1"}),
        ("post", "/api/v1/stock/adjust", {"sku": "TEE-M", "quantity_delta": -1, "reason": "แตก"}),
        ("post", "/api/v1/stock/count", {"sku": "TEE-M", "counted": 9}),
    ]


def _reads(product_id):
    return [
        "/api/v1/products",
        f"/api/v1/products/{product_id}",
        "/api/v1/stock",
        "/api/v1/stock?sku=TEE-M",
        "/api/v1/stock/movements",
        "/api/v1/stock/movements?sku=TEE-M",
    ]


@pytest.mark.parametrize("role", [Role.PACKER, Role.ACCOUNTANT])
def test_packers_and_accountants_can_read_but_not_change_products_or_stock(shop, stocked, role):
    client = ApiClient(token_for(shop, role))
    before = shop_state(shop)

    for method, path, body in _writes(stocked.product_id, stocked.pk):
        response = getattr(client, method)(path, body)
        assert response.status_code == 403, (role, path, response.content[:300])
        assert response.json()["error"]["code"] == "forbidden"

    assert shop_state(shop) == before
    for path in _reads(stocked.product_id):
        assert client.get(path).status_code == 200, (role, path)


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN, Role.OWNER])
def test_staff_admins_and_owners_can_change_products_and_stock(shop, stocked, role):
    client = ApiClient(token_for(shop, role))

    statuses = [
        getattr(client, method)(path, body).status_code
        for method, path, body in _writes(stocked.product_id, stocked.pk)
    ]

    assert statuses == [201, 200, 200, 200, 200, 200]
    level = StockLevel.objects.for_shop(shop).get(variant=stocked)
    assert level.on_hand == 9  # +1 received, -1 adjusted, then counted 9
    assert Product.objects.for_shop(shop).get(pk=stocked.product_id).name == "ชื่อใหม่"
    for path in _reads(stocked.product_id):
        assert client.get(path).status_code == 200, (role, path)


def test_the_ledger_names_the_token_that_made_each_change(shop, stocked):
    client = ApiClient(token_for(shop, Role.STAFF))

    client.post("/api/v1/stock/adjust", {"sku": "TEE-M", "quantity_delta": 2, "reason": "เจอ"})

    (latest, *_rest) = client.get("/api/v1/stock/movements?sku=TEE-M").json()["items"]
    assert latest["kind"] == "adjust"
    assert latest["actor"].startswith("token:tld_")
    entry = AuditEntry.objects.filter(shop=shop, action="stock.adjust").get()
    assert entry.token is not None and entry.token.role == Role.STAFF


def test_an_unknown_api_url_answers_in_the_api_error_shape(api):
    for path in ("/api/v1/products/abc", "/api/v1/nothing"):
        response = api.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
