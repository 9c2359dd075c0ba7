"""/api/v1/products: a seller creates, lists, reads and edits products over HTTP."""

from talad.catalog.models import Product, Variant
from talad.catalog.services import create_product
from talad.shops.actors import Actor
from talad.shops.models import AuditEntry
from tests.conftest import ApiClient, make_variant


def _product(shop, name, skus):
    return create_product(
        shop=shop,
        name=name,
        by=Actor.system("test"),
        variants=[{"sku": sku, "price": "10.00"} for sku in skus],
    )


def test_creating_a_product_with_variants_returns_it_with_money_as_two_decimal_strings(api, shop):
    response = api.post(
        "/api/v1/products",
        {
            "name": "เสื้อยืดคอกลม",
            "description": "ผ้าฝ้าย 100%",
            "variants": [
                {"sku": "TEE-M", "name": "M", "price": "199", "barcode": "885000000001"},
                {"sku": "TEE-L", "name": "L", "price": 250.5, "weight_grams": 180},
            ],
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "เสื้อยืดคอกลม"
    assert body["description"] == "ผ้าฝ้าย 100%"
    assert body["active"] is True
    medium, large = body["variants"]
    assert (medium["sku"], medium["name"], medium["price"], medium["cost"]) == (
        "TEE-M",
        "M",
        "199.00",
        "0.00",
    )
    assert medium["barcode"] == "885000000001"
    assert (large["sku"], large["price"], large["weight_grams"]) == ("TEE-L", "250.50", 180)
    assert medium["is_bundle"] is False and medium["components"] == []
    # Thai stays readable in the body, not \u0e.. escapes.
    assert "เสื้อยืด".encode() in response.content

    product = Product.objects.for_shop(shop).get(pk=body["id"])
    assert sorted(product.variants.values_list("sku", flat=True)) == ["TEE-L", "TEE-M"]
    assert AuditEntry.objects.filter(shop=shop, action="product.create").count() == 1


def test_a_bundle_is_created_from_existing_skus_and_lists_its_components(api, shop):
    make_variant(shop, "MUG", on_hand=10)
    make_variant(shop, "SPOON", on_hand=3)

    response = api.post(
        "/api/v1/products",
        {
            "name": "ชุดของขวัญ",
            "variants": [
                {
                    "sku": "GIFT-SET",
                    "price": "349.00",
                    "components": [{"sku": "MUG", "quantity": 2}, {"sku": "SPOON", "quantity": 1}],
                }
            ],
        },
    )

    assert response.status_code == 201, response.json()
    (bundle,) = response.json()["variants"]
    assert bundle["is_bundle"] is True
    assert sorted((c["sku"], c["quantity"]) for c in bundle["components"]) == [
        ("MUG", 2),
        ("SPOON", 1),
    ]
    # Its stock is what the components allow: 10 mugs make 5 sets, 3 spoons make 3.
    (row,) = api.get("/api/v1/stock?sku=GIFT-SET").json()
    assert (row["is_bundle"], row["available"]) == (True, 3)


def test_a_bundle_and_its_components_can_arrive_in_one_request(api, shop):
    response = api.post(
        "/api/v1/products",
        {
            "name": "แก้วพร้อมฝา",
            "variants": [
                {"sku": "CUP", "price": "90.00"},
                {"sku": "LID", "price": "20.00"},
                {
                    "sku": "CUP-SET",
                    "price": "100.00",
                    "components": [{"sku": "CUP", "quantity": 1}, {"sku": "LID", "quantity": 1}],
                },
            ],
        },
    )

    assert response.status_code == 201, response.json()
    bundles = [v["sku"] for v in response.json()["variants"] if v["is_bundle"]]
    assert bundles == ["CUP-SET"]


def test_reading_a_product_by_id_gives_the_same_product_that_was_created(api):
    created = api.post(
        "/api/v1/products", {"name": "หมวก", "variants": [{"sku": "HAT", "price": "150.00"}]}
    ).json()

    response = api.get(f"/api/v1/products/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


def test_reading_a_product_that_does_not_exist_is_a_404_in_the_error_shape(api):
    response = api.get("/api/v1/products/987654")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert set(response.json()["error"]) >= {"code", "message", "fields"}


def _walk(api, url):
    """Every page of a cursor-paginated list: (all item ids in order, number of pages)."""
    seen, pages, cursor = [], 0, None
    while True:
        response = api.get(url + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.json()
        page = response.json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, pages
        assert pages < 20, "pagination does not end"


def test_walking_the_product_list_page_by_page_sees_every_product_exactly_once(
    api, shop, other_shop
):
    ids = [_product(shop, f"สินค้า {n}", [f"P-{n}"]).pk for n in range(7)]
    _product(other_shop, "ของร้านอื่น", ["OTHER-1"])

    seen, pages = _walk(api, "/api/v1/products?limit=3")

    assert seen == sorted(ids, reverse=True)  # newest first, no duplicates, none missing
    assert pages == 3


def test_a_product_list_that_fills_its_last_page_exactly_still_ends(api, shop):
    ids = [_product(shop, f"สินค้า {n}", [f"Q-{n}"]).pk for n in range(4)]

    seen, pages = _walk(api, "/api/v1/products?limit=2")

    assert seen == sorted(ids, reverse=True)
    assert pages in (2, 3)  # the last page may come back empty, but the walk ends


def test_a_product_page_never_holds_more_than_the_limit(api, shop):
    for n in range(5):
        _product(shop, f"สินค้า {n}", [f"R-{n}"])

    page = api.get("/api/v1/products?limit=2").json()

    assert len(page["items"]) == 2
    assert page["next_cursor"]


def test_renaming_a_product_keeps_its_variants(api, shop):
    variant = make_variant(shop, "BAG-1", price="590.00")

    response = api.patch(f"/api/v1/products/{variant.product_id}", {"name": "กระเป๋าผ้า รุ่นใหม่"})

    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "กระเป๋าผ้า รุ่นใหม่"
    assert [(v["sku"], v["price"]) for v in response.json()["variants"]] == [("BAG-1", "590.00")]
    assert Product.objects.for_shop(shop).get(pk=variant.product_id).name == "กระเป๋าผ้า รุ่นใหม่"
    entry = AuditEntry.objects.get(shop=shop, action="product.update")
    assert entry.after["name"] == "กระเป๋าผ้า รุ่นใหม่"


def test_changing_one_variants_price_by_id_leaves_the_others_alone(api, shop):
    product = _product(shop, "เสื้อ", ["SHIRT-S", "SHIRT-M"])
    small = product.variants.get(sku="SHIRT-S")

    response = api.patch(
        f"/api/v1/products/{product.pk}", {"variants": [{"id": small.pk, "price": "129.5"}]}
    )

    assert response.status_code == 200, response.json()
    prices = {v["sku"]: v["price"] for v in response.json()["variants"]}
    assert prices == {"SHIRT-S": "129.50", "SHIRT-M": "10.00"}
    assert str(Variant.objects.for_shop(shop).get(pk=small.pk).price) == "129.50"


def test_patching_with_a_new_sku_adds_a_variant(api, shop):
    product = _product(shop, "รองเท้า", ["SHOE-40"])

    response = api.patch(
        f"/api/v1/products/{product.pk}",
        {"variants": [{"sku": "SHOE-41", "name": "41", "price": "890.00"}]},
    )

    assert response.status_code == 200, response.json()
    variants = {v["sku"]: v for v in response.json()["variants"]}
    assert set(variants) == {"SHOE-40", "SHOE-41"}
    assert (variants["SHOE-41"]["name"], variants["SHOE-41"]["price"]) == ("41", "890.00")
    assert product.variants.count() == 2


def test_the_api_describes_itself_in_openapi_without_a_token(db):
    response = ApiClient(None).get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/products",
        "/api/v1/products/{product_id}",
        "/api/v1/stock",
        "/api/v1/stock/receive",
        "/api/v1/stock/adjust",
        "/api/v1/stock/count",
        "/api/v1/stock/movements",
    ):
        assert path in paths
    assert {"get", "post"} <= set(paths["/api/v1/products"])
    assert {"get", "patch"} <= set(paths["/api/v1/products/{product_id}"])
