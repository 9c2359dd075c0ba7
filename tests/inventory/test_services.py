"""The stock services, one seller's story at a time."""

from decimal import Decimal

import pytest

from talad.catalog.models import Variant
from talad.catalog.services import create_product
from talad.errors import NotFound, PermissionDenied, TaladError
from talad.inventory.checks import stock_violations
from talad.inventory.errors import InsufficientStock, StockRuleBroken
from talad.inventory.models import MovementKind, StockLevel, StockMovement
from talad.inventory.selectors import available_to_sell, low_stock, stock_rows
from talad.inventory.services import (
    adjust_stock,
    count_stock,
    receive_stock,
    release_reservation,
    reserve_stock,
    return_stock,
    ship_stock,
)
from talad.shops.actors import Actor
from tests.conftest import make_variant


def level(shop, sku) -> StockLevel:
    return StockLevel.objects.for_shop(shop).get(variant__sku=sku)


def ledger(shop, sku) -> list[tuple]:
    rows = StockMovement.objects.for_shop(shop).filter(variant__sku=sku).order_by("id")
    return [(m.kind, m.on_hand_delta, m.reserved_delta, m.damaged_delta) for m in rows]


def test_receiving_keeps_a_moving_average_cost(shop, owner):
    variant = make_variant(shop, "MUG", on_hand=10, cost="60.00")
    receive_stock(shop=shop, sku="MUG", quantity=30, unit_cost=Decimal("80.00"), by=owner)
    variant.refresh_from_db()
    assert variant.cost == Decimal("75.0000")  # (10×60 + 30×80) / 40
    assert level(shop, "MUG").on_hand == 40
    assert ledger(shop, "MUG") == [("receive", 10, 0, 0), ("receive", 30, 0, 0)]


def test_reserving_lowers_available_at_once_and_writes_the_ledger(shop, owner):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    reserve_stock(shop=shop, lines=[(shirt, 2)], reference="order:SO-1", by=owner)
    (row,) = stock_rows(shop=shop, sku="SHIRT")
    assert (row.on_hand, row.reserved, row.available) == (5, 2, 3)
    assert ledger(shop, "SHIRT")[-1] == ("reserve", 0, 2, 0)
    assert StockMovement.objects.for_shop(shop).filter(reference="order:SO-1").count() == 1


def test_a_shortage_names_every_short_sku_and_reserves_nothing(shop, owner):
    a = make_variant(shop, "A", on_hand=1)
    b = make_variant(shop, "B", on_hand=10)
    c = make_variant(shop, "C", on_hand=0)
    with pytest.raises(InsufficientStock) as exc:
        reserve_stock(shop=shop, lines=[(a, 2), (b, 3), (c, 1)], reference="order:X", by=owner)
    assert exc.value.short == [
        {"sku": "A", "requested": 2, "available": 1},
        {"sku": "C", "requested": 1, "available": 0},
    ]
    assert [level(shop, s).reserved for s in ("A", "B")] == [0, 0]
    assert StockMovement.objects.for_shop(shop).filter(kind=MovementKind.RESERVE).count() == 0


def test_the_same_variant_on_two_lines_is_reserved_as_one_total(shop, owner):
    a = make_variant(shop, "A", on_hand=3)
    with pytest.raises(InsufficientStock):
        reserve_stock(shop=shop, lines=[(a, 2), (a, 2)], reference="order:X", by=owner)
    reserve_stock(shop=shop, lines=[(a, 1), (a, 2)], reference="order:Y", by=owner)
    assert level(shop, "A").reserved == 3


def test_backorder_variants_may_be_reserved_beyond_stock(shop, owner):
    pre = make_variant(shop, "PRE", on_hand=1, allow_backorder=True)
    reserve_stock(shop=shop, lines=[(pre, 4)], reference="order:P", by=owner)
    assert level(shop, "PRE").available == -3
    assert stock_violations(shop) == []


def test_releasing_gives_stock_back_and_cannot_release_more_than_reserved(shop, owner):
    a = make_variant(shop, "A", on_hand=5)
    reserve_stock(shop=shop, lines=[(a, 3)], reference="order:1", by=owner)
    release_reservation(shop=shop, lines=[(a, 2)], reference="order:1", by=owner)
    assert level(shop, "A").reserved == 1
    with pytest.raises(StockRuleBroken):
        release_reservation(shop=shop, lines=[(a, 2)], reference="order:1", by=owner)
    assert level(shop, "A").reserved == 1


def test_shipping_takes_reserved_stock_off_the_shelf_and_returns_its_cost(shop, owner):
    a = make_variant(shop, "A", on_hand=5, cost="40.00")
    reserve_stock(shop=shop, lines=[(a, 2)], reference="order:1", by=owner)
    cost = ship_stock(shop=shop, lines=[(a, 2)], reference="order:1", by=owner)
    assert cost == Decimal("80.00")
    lv = level(shop, "A")
    assert (lv.on_hand, lv.reserved) == (3, 0)
    assert ledger(shop, "A")[-1] == ("ship", -2, -2, 0)
    assert StockMovement.objects.for_shop(shop).get(kind="ship").unit_cost == Decimal("40.0000")


def test_shipping_what_was_not_reserved_is_refused(shop, owner):
    a = make_variant(shop, "A", on_hand=5)
    with pytest.raises(StockRuleBroken):
        ship_stock(shop=shop, lines=[(a, 1)], reference="order:1", by=owner)
    assert level(shop, "A").on_hand == 5


def test_returns_go_back_to_sellable_or_to_damaged(shop, owner):
    a = make_variant(shop, "A", on_hand=4)
    reserve_stock(shop=shop, lines=[(a, 3)], reference="order:1", by=owner)
    ship_stock(shop=shop, lines=[(a, 3)], reference="order:1", by=owner)
    return_stock(shop=shop, lines=[(a, 2)], condition="sellable", reference="order:1", by=owner)
    return_stock(shop=shop, lines=[(a, 1)], condition="damaged", reference="order:1", by=owner)
    lv = level(shop, "A")
    assert (lv.on_hand, lv.reserved, lv.damaged) == (3, 0, 1)
    assert ledger(shop, "A")[-2:] == [("return", 2, 0, 0), ("damage", 0, 0, 1)]
    with pytest.raises(TaladError):
        return_stock(shop=shop, lines=[(a, 1)], condition="lost", reference="order:1", by=owner)
    assert stock_violations(shop) == []


def test_adjusting_needs_a_reason_and_never_takes_reserved_stock(shop, owner):
    a = make_variant(shop, "A", on_hand=5)
    reserve_stock(shop=shop, lines=[(a, 3)], reference="order:1", by=owner)
    with pytest.raises(TaladError) as exc:
        adjust_stock(shop=shop, sku="A", quantity_delta=-1, reason=" ", by=owner)
    assert exc.value.fields == {"reason": "required"}
    with pytest.raises(StockRuleBroken):
        adjust_stock(shop=shop, sku="A", quantity_delta=-3, reason="แตก", by=owner)
    adjust_stock(shop=shop, sku="A", quantity_delta=-2, reason="แตก", by=owner)
    assert level(shop, "A").available == 0
    adjust_stock(shop=shop, sku="A", quantity_delta=+4, reason="เจอในโกดัง", by=owner)
    assert ledger(shop, "A")[-2:] == [("adjust", -2, 0, 0), ("adjust", 4, 0, 0)]
    assert StockMovement.objects.for_shop(shop).filter(kind="adjust").first().reason == "แตก"


def test_even_backorder_stock_cannot_go_below_zero_on_the_shelf(shop, owner):
    make_variant(shop, "PRE", on_hand=2, allow_backorder=True)
    with pytest.raises(StockRuleBroken):
        adjust_stock(shop=shop, sku="PRE", quantity_delta=-3, reason="หาย", by=owner)


def test_a_count_sets_on_hand_and_the_ledger_keeps_the_difference(shop, owner):
    a = make_variant(shop, "A", on_hand=10)
    count_stock(shop=shop, sku="A", counted=7, by=owner)
    assert level(shop, "A").on_hand == 7
    assert ledger(shop, "A")[-1] == ("count", -3, 0, 0)
    reserve_stock(shop=shop, lines=[(a, 5)], reference="order:1", by=owner)
    with pytest.raises(StockRuleBroken) as exc:
        count_stock(shop=shop, sku="A", counted=4, by=owner)
    assert exc.value.fields == {"counted": "below_reserved"}
    assert level(shop, "A").on_hand == 7
    assert stock_violations(shop) == []


def test_a_bundle_reserves_and_ships_its_components(shop, owner):
    make_variant(shop, "SHIRT", on_hand=10)
    make_variant(shop, "MUG", on_hand=3)
    product = create_product(
        shop=shop,
        name="ชุดของขวัญ",
        by=owner,
        variants=[
            {
                "sku": "GIFT",
                "price": Decimal("399"),
                "components": [{"sku": "SHIRT", "quantity": 2}, {"sku": "MUG", "quantity": 1}],
            }
        ],
    )
    gift = product.variants.get()
    assert gift.is_bundle
    assert available_to_sell(shop=shop, variant=gift) == 3  # the mugs limit it
    reserve_stock(shop=shop, lines=[(gift, 2)], reference="order:G", by=owner)
    assert (level(shop, "SHIRT").reserved, level(shop, "MUG").reserved) == (4, 2)
    assert available_to_sell(shop=shop, variant=gift) == 1
    with pytest.raises(InsufficientStock) as exc:
        reserve_stock(shop=shop, lines=[(gift, 2)], reference="order:H", by=owner)
    assert [s["sku"] for s in exc.value.short] == ["MUG"]
    ship_stock(shop=shop, lines=[(gift, 2)], reference="order:G", by=owner)
    assert (level(shop, "SHIRT").on_hand, level(shop, "MUG").on_hand) == (6, 1)
    assert not StockLevel.objects.for_shop(shop).filter(variant=gift).exists()


def test_stock_of_a_bundle_itself_cannot_be_received(shop, owner):
    make_variant(shop, "SHIRT", on_hand=1)
    create_product(
        shop=shop,
        name="เซ็ต",
        by=owner,
        variants=[{"sku": "SET", "price": 1, "components": [{"sku": "SHIRT", "quantity": 1}]}],
    )
    with pytest.raises(TaladError) as exc:
        receive_stock(shop=shop, sku="SET", quantity=1, unit_cost=Decimal("1"), by=owner)
    assert exc.value.fields == {"sku": "is_bundle"}


def test_low_stock_lists_variants_at_or_below_their_threshold(shop, owner):
    a = make_variant(shop, "LOW", on_hand=6, low_stock_threshold=5)
    make_variant(shop, "PLENTY", on_hand=50, low_stock_threshold=5)
    make_variant(shop, "NEVER-STOCKED", low_stock_threshold=0)
    make_variant(shop, "RETIRED", active=False)
    assert [v.sku for v in low_stock(shop=shop)] == ["NEVER-STOCKED"]
    reserve_stock(shop=shop, lines=[(a, 1)], reference="order:1", by=owner)
    assert [(v.sku, v.available_total) for v in low_stock(shop=shop)] == [
        ("NEVER-STOCKED", 0),
        ("LOW", 5),
    ]


def test_another_shops_variant_cannot_be_reserved(shop, other_shop, owner):
    theirs = make_variant(other_shop, "THEIRS", on_hand=5)
    with pytest.raises(TaladError):
        reserve_stock(shop=shop, lines=[(theirs, 1)], reference="order:1", by=owner)
    with pytest.raises(NotFound):
        receive_stock(shop=shop, sku="THEIRS", quantity=1, unit_cost=Decimal("1"), by=owner)
    assert StockLevel.objects.for_shop(other_shop).get(variant=theirs).reserved == 0


def test_a_packer_cannot_change_stock(shop):
    make_variant(shop, "A", on_hand=1)
    with pytest.raises(PermissionDenied):
        adjust_stock(shop=shop, sku="A", quantity_delta=1, reason="x", by=Actor(role="packer"))


def test_the_ledger_is_append_only(shop):
    make_variant(shop, "A", on_hand=1)
    movement = StockMovement.objects.for_shop(shop).get()
    movement.on_hand_delta = 99
    with pytest.raises(TypeError):
        movement.save()
    with pytest.raises(TypeError):
        movement.delete()
    with pytest.raises(TypeError):
        StockMovement.objects.for_shop(shop).update(on_hand_delta=0)
    with pytest.raises(TypeError):
        StockMovement.unscoped.all().delete()
    assert Variant.objects.for_shop(shop).count() == 1
