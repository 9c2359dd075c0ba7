"""/api/v1/stock: levels, goods in, adjustments, shelf counts and the ledger over HTTP."""

from decimal import Decimal

from talad.inventory.models import MovementKind, StockLevel, StockMovement
from talad.inventory.services import reserve_stock
from talad.shops.actors import Actor
from talad.shops.models import AuditEntry
from tests.conftest import make_variant


def _level(shop, sku):
    level = StockLevel.objects.for_shop(shop).get(variant__sku=sku)
    return level.on_hand, level.reserved


def _reserve(shop, variant, quantity):
    reserve_stock(
        shop=shop, lines=[(variant, quantity)], reference="order:SO-1", by=Actor.system("test")
    )


def test_stock_levels_show_on_hand_reserved_and_available_per_warehouse(api, shop):
    tee = make_variant(shop, "TEE-M", on_hand=10)
    _reserve(shop, tee, 4)

    response = api.get("/api/v1/stock?sku=TEE-M")

    assert response.status_code == 200, response.json()
    assert response.json() == [
        {
            "sku": "TEE-M",
            "warehouse": "main",
            "on_hand": 10,
            "reserved": 4,
            "available": 6,
            "is_bundle": False,
        }
    ]


def test_a_sku_never_stocked_shows_zero_in_the_default_warehouse(api, shop):
    make_variant(shop, "NEW-1")

    (row,) = api.get("/api/v1/stock?sku=NEW-1").json()

    assert (row["warehouse"], row["on_hand"], row["reserved"], row["available"]) == (
        "main",
        0,
        0,
        0,
    )


def test_stock_without_a_sku_lists_every_sku_of_the_shop(api, shop):
    make_variant(shop, "A-1", on_hand=1)
    make_variant(shop, "B-1", on_hand=2)

    rows = api.get("/api/v1/stock").json()

    assert [(r["sku"], r["on_hand"]) for r in rows] == [("A-1", 1), ("B-1", 2)]


def test_receiving_goods_adds_to_on_hand_and_writes_the_ledger(api, shop):
    make_variant(shop, "TEE-M", on_hand=2)

    response = api.post(
        "/api/v1/stock/receive",
        {"sku": "TEE-M", "quantity": 10, "unit_cost": "55.50", "reason": "ล็อตใหม่"},
    )

    assert response.status_code == 200, response.json()
    (row,) = response.json()
    assert (row["sku"], row["on_hand"], row["available"]) == ("TEE-M", 12, 12)
    assert _level(shop, "TEE-M") == (12, 0)
    movement = StockMovement.objects.for_shop(shop).latest("id")
    assert (movement.kind, movement.on_hand_delta, movement.reason) == (
        MovementKind.RECEIVE,
        10,
        "ล็อตใหม่",
    )
    assert movement.unit_cost == Decimal("55.50")
    assert movement.actor.startswith("token:")
    assert AuditEntry.objects.filter(shop=shop, action="stock.receive").exists()


def test_receiving_at_two_prices_sets_the_moving_average_cost(api, shop):
    variant = make_variant(shop, "MUG")

    api.post("/api/v1/stock/receive", {"sku": "MUG", "quantity": 10, "unit_cost": "60"})
    api.post("/api/v1/stock/receive", {"sku": "MUG", "quantity": 10, "unit_cost": 80})

    (product_variant,) = api.get(f"/api/v1/products/{variant.product_id}").json()["variants"]
    assert product_variant["cost"] == "70.00"
    assert _level(shop, "MUG") == (20, 0)


def test_adjusting_stock_up_and_down_records_the_reason(api, shop):
    make_variant(shop, "TEE-M", on_hand=10)

    found = api.post(
        "/api/v1/stock/adjust", {"sku": "TEE-M", "quantity_delta": 3, "reason": "เจอในโกดัง"}
    )
    broken = api.post(
        "/api/v1/stock/adjust", {"sku": "TEE-M", "quantity_delta": -2, "reason": "ชำรุด"}
    )

    assert found.status_code == 200, found.json()
    assert found.json()[0]["on_hand"] == 13
    assert broken.status_code == 200, broken.json()
    assert broken.json()[0]["on_hand"] == 11
    assert _level(shop, "TEE-M") == (11, 0)
    adjustments = StockMovement.objects.for_shop(shop).filter(kind=MovementKind.ADJUST)
    assert sorted(adjustments.values_list("on_hand_delta", "reason")) == [
        (-2, "ชำรุด"),
        (3, "เจอในโกดัง"),
    ]


def test_adjusting_down_may_use_exactly_what_is_available(api, shop):
    tee = make_variant(shop, "TEE-M", on_hand=10)
    _reserve(shop, tee, 4)

    response = api.post(
        "/api/v1/stock/adjust", {"sku": "TEE-M", "quantity_delta": -6, "reason": "หาย"}
    )

    assert response.status_code == 200, response.json()
    assert _level(shop, "TEE-M") == (4, 4)


def test_a_shelf_count_sets_on_hand_and_the_ledger_records_the_difference(api, shop):
    make_variant(shop, "TEE-M", on_hand=10)

    response = api.post("/api/v1/stock/count", {"sku": "TEE-M", "counted": 7})

    assert response.status_code == 200, response.json()
    assert response.json()[0]["on_hand"] == 7
    assert _level(shop, "TEE-M") == (7, 0)
    movement = StockMovement.objects.for_shop(shop).latest("id")
    assert (movement.kind, movement.on_hand_delta) == (MovementKind.COUNT, -3)
    ledger_total = sum(
        StockMovement.objects.for_shop(shop)
        .filter(variant__sku="TEE-M")
        .values_list("on_hand_delta", flat=True)
    )
    assert ledger_total == 7


def test_a_count_of_zero_empties_the_shelf(api, shop):
    make_variant(shop, "TEE-M", on_hand=5)

    response = api.post("/api/v1/stock/count", {"sku": "TEE-M", "counted": 0})

    assert response.status_code == 200, response.json()
    assert _level(shop, "TEE-M") == (0, 0)


def test_the_ledger_of_one_sku_is_listed_newest_first(api, shop):
    make_variant(shop, "TEE-M", on_hand=10, cost="60.00")
    make_variant(shop, "OTHER", on_hand=1)
    api.post("/api/v1/stock/adjust", {"sku": "TEE-M", "quantity_delta": -1, "reason": "แจก"})

    response = api.get("/api/v1/stock/movements?sku=TEE-M")

    assert response.status_code == 200, response.json()
    items = response.json()["items"]
    assert [(m["kind"], m["on_hand_delta"]) for m in items] == [("adjust", -1), ("receive", 10)]
    adjust, receive = items
    assert (adjust["sku"], adjust["warehouse"], adjust["reason"]) == ("TEE-M", "main", "แจก")
    assert adjust["unit_cost"] == "60.00"  # valued at the moving average, as the books post it
    assert receive["unit_cost"] == "60.00"
    assert "T" in receive["created_at"]  # ISO 8601
    assert response.json()["next_cursor"] is None


def test_the_ledger_can_be_filtered_by_kind(api, shop):
    make_variant(shop, "TEE-M", on_hand=10)
    api.post("/api/v1/stock/count", {"sku": "TEE-M", "counted": 9})

    items = api.get("/api/v1/stock/movements?sku=TEE-M&kind=count").json()["items"]

    assert [(m["kind"], m["on_hand_delta"]) for m in items] == [("count", -1)]


def test_walking_the_ledger_page_by_page_sees_every_movement_exactly_once(api, shop):
    make_variant(shop, "TEE-M", on_hand=1)
    make_variant(shop, "OTHER", on_hand=1)
    for n in range(6):
        api.post("/api/v1/stock/receive", {"sku": "TEE-M", "quantity": n + 1, "unit_cost": "1"})
    expected = list(
        StockMovement.objects.for_shop(shop)
        .filter(variant__sku="TEE-M")
        .order_by("-id")
        .values_list("id", flat=True)
    )
    assert len(expected) == 7

    seen, pages, cursor = [], 0, None
    while True:
        url = "/api/v1/stock/movements?sku=TEE-M&limit=3" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(url)
        assert response.status_code == 200, response.json()
        page = response.json()
        assert len(page["items"]) <= 3
        seen += [m["id"] for m in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert pages < 10, "pagination does not end"

    assert seen == expected
    assert pages == 3
