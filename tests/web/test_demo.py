"""`talad demo` (and the demo `talad serve` makes): realistic Thai orders that `talad doctor` accepts."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import geothai
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from talad.catalog.models import Variant
from talad.orders.contacts import normalise_phone
from talad.orders.models import (
    MARKETPLACES,
    Customer,
    Order,
    OrderLine,
    PaymentStatus,
    Status,
    StatusChange,
)
from talad.payments.models import Payment
from talad.shipping.carriers import suggest_carriers
from talad.shipping.models import Shipment
from talad.shops.models import Membership, Shop
from talad.web.demo import create_demo_shop
from tests.conftest import make_variant

TITLES = ("นางสาว", "นาง", "นาย")


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def doctor() -> str:
    return run("doctor")  # a violation would exit 1 (SystemExit) and fail the test


def orders_of(shop):
    return Order.objects.for_shop(shop)


def test_demo_creates_a_missing_shop_with_orders_in_every_status_over_the_last_60_days(
    db, settings, tmp_path
):
    settings.TALAD_HOME = tmp_path
    before = timezone.now()
    out = run("demo", "--shop", "baan-suay", "--orders", "40")
    after = timezone.now()

    shop = Shop.objects.get(slug="baan-suay")
    assert Membership.objects.get(shop=shop).role == "owner"
    assert (tmp_path / "demo-login-baan-suay.txt").exists()
    orders = list(orders_of(shop).prefetch_related("status_changes"))
    assert len(orders) == 40
    assert {o.status for o in orders} == set(Status.values)
    assert len({o.channel for o in orders}) >= 4
    assert sum(o.status == Status.DELIVERED for o in orders) > 40 // 4  # a shop that sells
    for status in Status.values:
        assert re.search(rf"{status}\s+{sum(o.status == status for o in orders)}\b", out)

    window_start = before - timedelta(days=60)
    for order in orders:
        history = sorted(order.status_changes.all(), key=lambda c: c.pk)
        moments = [c.at for c in history]
        assert window_start <= order.created_at == moments[0], order.number
        assert moments == sorted(moments) and moments[-1] <= after, order.number
        assert (history[-1].to_status, order.status_changed_at) == (order.status, moments[-1])
    spread = max(o.created_at for o in orders) - min(o.created_at for o in orders)
    assert spread > timedelta(days=20)
    # Numbers follow time: SO-000001 is the oldest order.
    by_number = sorted(orders, key=lambda o: o.number)
    assert [o.created_at for o in by_number] == sorted(o.created_at for o in orders)
    assert "ok" in doctor()


def test_demo_customers_have_thai_names_mobile_phones_and_addresses_that_exist(shop):
    run("demo", "--shop", shop.slug, "--orders", "30")

    customers = list(Customer.objects.for_shop(shop))
    assert len(customers) >= 8
    assert any(c.orders.count() > 1 for c in customers)  # regulars come back
    people = [
        (c.name, c.phone, c.subdistrict, c.district, c.province, c.postcode) for c in customers
    ] + [
        (o.customer_name, o.customer_phone, o.subdistrict, o.district, o.province, o.postcode)
        for o in orders_of(shop)
    ]
    for name, phone, subdistrict, district, province, postcode in people:
        assert name.startswith(TITLES) and len(name.split()) == 2, name
        assert re.fullmatch(r"0[689]\d{8}", phone) and normalise_phone(phone) == phone
        found = geothai.match(subdistrict, district=district, province=province)
        assert found, (subdistrict, district, province)
        assert any(postcode in a.subdistrict.postal_codes for a in found), (subdistrict, postcode)


def test_demo_orders_carry_payments_parcels_and_stock_like_real_ones(shop):
    run("demo", "--shop", shop.slug, "--orders", "40")
    orders = list(orders_of(shop))

    for order in orders:
        paid = Payment.objects.for_shop(shop).filter(order=order, kind="payment")
        refunds = Payment.objects.for_shop(shop).filter(order=order, kind="refund")
        shipped = Shipment.objects.for_shop(shop).filter(order=order)
        if order.channel in MARKETPLACES:
            assert order.external_id and order.ship_by and order.payment_method == "marketplace"
            assert timedelta(0) < paid.get().paid_at - order.created_at < timedelta(minutes=5)
        if order.status in (Status.SHIPPED, Status.DELIVERED, Status.RETURNING):
            parcel = shipped.get()
            assert parcel.carrier in suggest_carriers(parcel.tracking_number), parcel
            assert order.tracking_number == parcel.tracking_number
        if order.status == Status.DELIVERED and order.is_cod:
            assert order.payment_status == PaymentStatus.COD_COLLECTED
        if order.status == Status.PENDING:
            assert order.payment_status == PaymentStatus.UNPAID and not paid.exists()
        if order.status == Status.CANCELLED:
            assert order.cancel_reason and not order.holds_reservation
        if paid.exists():
            history = order.status_changes.get(action="pay")
            assert paid.get().paid_at == history.at
        for refund in refunds:  # paid back after the cancel or return that made it owed
            assert refund.paid_at > order.status_changes.get(action="pay").at
            assert order.status in (Status.CANCELLED, Status.RETURNED)
    externals = [(o.channel, o.external_id) for o in orders if o.external_id]
    assert len(externals) == len(set(externals))
    assert "ok" in doctor()


def test_running_demo_twice_adds_more_orders_and_doctor_stays_clean(shop):
    run("demo", "--shop", shop.slug, "--orders", "20")
    first_numbers = set(orders_of(shop).values_list("number", flat=True))
    products = Variant.objects.for_shop(shop).count()

    run("demo", "--shop", shop.slug, "--orders", "20")

    assert orders_of(shop).count() == 40
    assert first_numbers < set(orders_of(shop).values_list("number", flat=True))
    assert Variant.objects.for_shop(shop).count() == products  # the catalog is added only once
    phones = list(Customer.objects.for_shop(shop).values_list("phone", flat=True))
    assert len(phones) == len(set(phones))
    assert "ok" in doctor()


def test_demo_sells_a_shops_own_products_and_receives_the_stock_they_need(shop):
    make_variant(shop, "OWN-1", on_hand=1, price="150.00")
    make_variant(shop, "OWN-2", price="80.00")  # nothing on hand yet

    run("demo", "--shop", shop.slug, "--orders", "20")

    assert orders_of(shop).count() == 20
    sold = set(OrderLine.objects.for_shop(shop).values_list("sku", flat=True))
    assert sold <= {"OWN-1", "OWN-2"}
    assert set(Variant.objects.for_shop(shop).values_list("sku", flat=True)) == {"OWN-1", "OWN-2"}
    assert "ok" in doctor()


def test_demo_fills_an_empty_shop_with_thai_products_variants_and_bundles(shop):
    run("demo", "--shop", shop.slug, "--orders", "10")

    variants = Variant.objects.for_shop(shop).select_related("product")
    assert variants.filter(is_bundle=True).exists()
    assert any(v.product.variants.count() > 1 for v in variants)  # sizes and colours
    assert all(re.search(r"[\u0E00-\u0E7F]", v.product.name) for v in variants)
    assert "ok" in doctor()


def test_the_same_seed_on_the_same_shop_contents_gives_the_same_orders(db):
    def story(slug):
        run("demo", "--shop", slug, "--orders", "10", "--seed", "42")
        return [
            (o.status, o.channel, o.customer_name, o.customer_phone, o.total)
            for o in Order.objects.for_shop(Shop.objects.get(slug=slug)).order_by("number")
        ]

    first = story("first")
    assert story("second") == first
    assert story("first")[10:] != first  # a second run on a shop goes on differently


def test_demo_refuses_a_shop_with_nothing_for_sale_and_writes_nothing(shop):
    make_variant(shop, "OFF", on_hand=5, active=False)

    with pytest.raises(CommandError, match="no_products"):
        run("demo", "--shop", shop.slug, "--orders", "5")

    assert not orders_of(shop).exists()


def test_the_demo_shop_of_a_first_serve_comes_with_orders(db, settings, tmp_path):
    settings.TALAD_HOME = tmp_path

    login = create_demo_shop(orders=20)

    shop = Shop.objects.get(slug="demo")
    assert login.orders.created == orders_of(shop).count() == 20
    assert StatusChange.objects.for_shop(shop).filter(action="create").count() == 20
    assert (tmp_path / "demo-login.txt").read_text().split() == [login.email, login.password]
    assert "ok" in doctor()


def test_the_trial_balance_after_the_demo_shows_inventory_at_stock_value(db, settings, tmp_path):
    from talad.accounting.reports import trial_balance
    from talad.inventory.models import StockLevel

    settings.TALAD_HOME = tmp_path
    shop = create_demo_shop("books-demo", orders=60, seed=7).shop

    doctor()
    report = trial_balance(shop=shop)
    closing = {row.account.code: row.closing for row in report.rows}
    worth = sum(
        (
            (level.variant.cost * level.on_hand).quantize(Decimal("0.01"))
            for level in StockLevel.objects.for_shop(shop).select_related("variant")
        ),
        Decimal("0.00"),
    )
    assert report.balanced
    assert closing["114101"] == worth > 0  # สินค้าคงเหลือ in debit, at the stock's value
    assert closing["212101"] < 0  # lots bought on credit are owed to the suppliers
    assert closing.get("214102", Decimal("0.00")) <= 0  # refunds still to pay, never paid twice
    assert Payment.objects.for_shop(shop).filter(kind="refund").exists()
