"""Whatever a shop does to its stock, in any order, the ledger still equals the levels.

A Hypothesis state machine plays a seller's day on a fresh shop with two SKUs and a bundle of
them: goods in, adjustments, shelf counts, orders reserving, cancelling, shipping, and customers
returning goods (sellable or damaged). Alongside it keeps its own simple model of what each level
should be, from the rules in docs/design/stock.md, so every step checks three things:

- an action the rules refuse raises a TaladError and changes nothing (levels and ledger as before);
- an action the rules allow does exactly what it says, and writes one ledger row per SKU touched;
- after every step `stock_violations(shop) == []` (ledger = levels, nothing oversold) and a SKU
  without backorder never has negative available.
"""

import itertools

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from talad.catalog.services import create_product
from talad.errors import TaladError
from talad.inventory.checks import stock_violations
from talad.inventory.errors import InsufficientStock, StockRuleBroken
from talad.inventory.models import StockLevel, StockMovement
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
from talad.shops.services import create_shop

BY = Actor.system("test")
_shops = itertools.count(1)
PLAIN = ("CUP", "LID")
BUNDLE = "CUP-SET"  # 2 cups and 1 lid
BUNDLE_PARTS = {"CUP": 2, "LID": 1}
SKUS = (*PLAIN, BUNDLE)

skus = st.sampled_from(SKUS)
quantities = st.integers(min_value=1, max_value=4)
order_lines = st.lists(st.tuples(skus, quantities), min_size=1, max_size=3)


class SellersDay(RuleBasedStateMachine):
    # --- the shop ---------------------------------------------------------------------------

    @initialize(
        lid_backorder=st.booleans(), cup_stock=st.integers(0, 8), lid_stock=st.integers(0, 8)
    )
    def open_the_shop(self, lid_backorder, cup_stock, lid_stock):
        """Cups never backorder; lids sometimes do; the set is made of both."""
        n = next(_shops)
        # No password: hashing one per example would cost more than the whole day of stock work.
        self.shop = create_shop(
            name=f"ร้านแก้ว {n}",
            slug=f"cups-{n}",
            owner_email=f"cups{n}@example.com",
            password=None,
            by=BY,
        )
        self.backorder = {"CUP": False, "LID": lid_backorder}
        product = create_product(
            shop=self.shop,
            name="แก้วกาแฟ",
            by=BY,
            variants=[
                {"sku": "CUP", "price": "120.00", "cost": "40.00"},
                {"sku": "LID", "price": "30.00", "cost": "10.00", "allow_backorder": lid_backorder},
                {
                    "sku": BUNDLE,
                    "price": "250.00",
                    "components": [{"sku": s, "quantity": q} for s, q in BUNDLE_PARTS.items()],
                },
            ],
        )
        self.variants = {v.sku: v for v in product.variants.all()}
        assert self.variants[BUNDLE].is_bundle
        self.model = {sku: {"on_hand": 0, "reserved": 0, "damaged": 0} for sku in PLAIN}
        self.now, self.rows = self.levels(), self.ledger_rows()  # as last read from the database
        assert (self.now, self.rows) == ({}, 0)
        for sku, quantity in (("CUP", cup_stock), ("LID", lid_stock)):
            if quantity:
                self.receive(sku, quantity)

    # --- what the database says -------------------------------------------------------------

    def levels(self) -> dict[str, tuple[int, int, int]]:
        rows = StockLevel.objects.for_shop(self.shop).values_list(
            "variant__sku", "on_hand", "reserved", "damaged"
        )
        return {sku: (on_hand, reserved, damaged) for sku, on_hand, reserved, damaged in rows}

    def ledger_rows(self) -> int:
        return StockMovement.objects.for_shop(self.shop).count()

    # --- the rules, in plain Python ---------------------------------------------------------

    @staticmethod
    def needs(lines) -> dict[str, int]:
        """Order lines as plain SKUs: a set becomes its parts, repeated SKUs add up."""
        totals: dict[str, int] = {}
        for sku, quantity in lines:
            parts = BUNDLE_PARTS if sku == BUNDLE else {sku: 1}
            for part, per_unit in parts.items():
                totals[part] = totals.get(part, 0) + per_unit * quantity
        return totals

    def attempt(self, action, *, allowed: bool, refusal, change, rows: int):
        """Run `action`; it must be refused (with `refusal`) exactly when the rules say so.

        Refused: nothing changes. Allowed: `change(model)` is applied to the model, the database
        must match it, and the ledger grows by `rows`."""
        # Only this machine touches its shop, so the state read after the last step is "before".
        before_levels, before_rows = self.now, self.rows
        try:
            action()
        except TaladError as exc:
            assert not allowed, f"refused although the rules allow it: {exc.message}"
            assert isinstance(exc, refusal), f"{type(exc).__name__}: {exc.message}"
            self.now, self.rows = self.levels(), self.ledger_rows()
            assert self.now == before_levels, "a refused action changed a stock level"
            assert self.rows == before_rows, "a refused action wrote to the ledger"
            return
        assert allowed, "the rules say this must be refused, but it went through"
        change(self.model)
        self.now, self.rows = self.levels(), self.ledger_rows()
        assert self.rows == before_rows + rows
        expected = {
            sku: (m["on_hand"], m["reserved"], m["damaged"]) for sku, m in self.model.items()
        }
        assert {sku: self.now.get(sku, (0, 0, 0)) for sku in PLAIN} == expected

    # --- manual stock work ------------------------------------------------------------------

    @rule(sku=skus, quantity=quantities)
    def receive(self, sku, quantity):
        def change(model):
            model[sku]["on_hand"] += quantity

        self.attempt(
            lambda: receive_stock(
                shop=self.shop, sku=sku, quantity=quantity, unit_cost="50.00", by=BY
            ),
            allowed=sku != BUNDLE,
            refusal=TaladError,
            change=change,
            rows=1,
        )

    @rule(sku=skus, delta=st.integers(-6, 6).filter(bool))
    def adjust(self, sku, delta):
        def change(model):
            model[sku]["on_hand"] += delta

        allowed = sku != BUNDLE
        if allowed and delta < 0:
            floor = 0 if self.backorder[sku] else self.model[sku]["reserved"]
            allowed = self.model[sku]["on_hand"] + delta >= floor
        self.attempt(
            lambda: adjust_stock(
                shop=self.shop, sku=sku, quantity_delta=delta, reason="ตรวจพบ", by=BY
            ),
            allowed=allowed,
            refusal=TaladError if sku == BUNDLE else StockRuleBroken,
            change=change,
            rows=1,
        )

    @rule(sku=skus, counted=st.integers(0, 10))
    def count(self, sku, counted):
        def change(model):
            model[sku]["on_hand"] = counted

        allowed = sku != BUNDLE and (self.backorder[sku] or counted >= self.model[sku]["reserved"])
        self.attempt(
            lambda: count_stock(shop=self.shop, sku=sku, counted=counted, by=BY),
            allowed=allowed,
            refusal=TaladError if sku == BUNDLE else StockRuleBroken,
            change=change,
            rows=1,
        )

    # --- orders -----------------------------------------------------------------------------

    def _lines(self, lines):
        return [(self.variants[sku], quantity) for sku, quantity in lines]

    @rule(lines=order_lines)
    def reserve(self, lines):
        needs = self.needs(lines)

        def change(model):
            for sku, q in needs.items():
                model[sku]["reserved"] += q

        allowed = all(
            self.backorder[sku] or self.model[sku]["on_hand"] - self.model[sku]["reserved"] >= q
            for sku, q in needs.items()
        )
        self.attempt(
            lambda: reserve_stock(
                shop=self.shop, lines=self._lines(lines), reference="order:SO-1", by=BY
            ),
            allowed=allowed,
            refusal=InsufficientStock,
            change=change,
            rows=len(needs),
        )

    @rule(lines=order_lines)
    def cancel(self, lines):
        needs = self.needs(lines)

        def change(model):
            for sku, q in needs.items():
                model[sku]["reserved"] -= q

        self.attempt(
            lambda: release_reservation(
                shop=self.shop, lines=self._lines(lines), reference="order:SO-1", by=BY
            ),
            allowed=all(self.model[sku]["reserved"] >= q for sku, q in needs.items()),
            refusal=StockRuleBroken,
            change=change,
            rows=len(needs),
        )

    @rule(lines=order_lines)
    def ship(self, lines):
        needs = self.needs(lines)

        def change(model):
            for sku, q in needs.items():
                model[sku]["reserved"] -= q
                model[sku]["on_hand"] -= q

        allowed = all(
            self.model[sku]["reserved"] >= q and self.model[sku]["on_hand"] >= q
            for sku, q in needs.items()
        )
        self.attempt(
            lambda: ship_stock(
                shop=self.shop, lines=self._lines(lines), reference="order:SO-1", by=BY
            ),
            allowed=allowed,
            refusal=StockRuleBroken,
            change=change,
            rows=len(needs),
        )

    def _held_lines(self, data) -> list[tuple[str, int]]:
        """Lines of an order that holds stock: plain SKUs (or sets) within what is reserved."""
        held = {sku: m["reserved"] for sku, m in self.model.items()}
        most = {sku: n for sku, n in held.items() if n > 0}
        sets = min(held[part] // per for part, per in BUNDLE_PARTS.items())
        if sets:
            most[BUNDLE] = sets
        chosen = data.draw(st.lists(st.sampled_from(sorted(most)), min_size=1, unique=True))
        return [(sku, data.draw(st.integers(1, most[sku]))) for sku in chosen]

    @precondition(lambda self: any(m["reserved"] for m in self.model.values()))
    @rule(data=st.data())
    def cancel_an_order_that_holds_stock(self, data):
        self.cancel(self._held_lines(data))

    @precondition(lambda self: any(m["reserved"] for m in self.model.values()))
    @rule(data=st.data())
    def ship_an_order_that_holds_stock(self, data):
        self.ship(self._held_lines(data))

    @rule(lines=order_lines, condition=st.sampled_from(["sellable", "damaged"]))
    def customer_returns(self, lines, condition):
        needs = self.needs(lines)
        column = "on_hand" if condition == "sellable" else "damaged"

        def change(model):
            for sku, q in needs.items():
                model[sku][column] += q

        self.attempt(
            lambda: return_stock(
                shop=self.shop,
                lines=self._lines(lines),
                condition=condition,
                reference="return:RT-1",
                by=BY,
            ),
            allowed=True,
            refusal=TaladError,
            change=change,
            rows=len(needs),
        )

    # --- what must always be true -----------------------------------------------------------

    @invariant()
    def ledger_equals_levels_and_nothing_is_oversold(self):
        assert stock_violations(self.shop) == []
        for sku, (on_hand, reserved, _damaged) in self.now.items():
            if not self.backorder[sku]:
                assert on_hand - reserved >= 0, (
                    f"{sku} oversold: {on_hand} on hand, {reserved} held"
                )


def test_any_day_of_stock_work_keeps_the_ledger_equal_to_the_levels(db):
    run_state_machine_as_test(
        SellersDay,
        settings=settings(
            max_examples=60,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
