"""The customer list a seller checks before confirming a COD order, and merging the same person
who ordered from two phone numbers."""

from decimal import Decimal

import pytest

from talad.errors import NotFound, PermissionDenied
from talad.orders.customer_merge import merge_customers
from talad.orders.customers import customer_summary, customers_page
from talad.orders.models import Customer, Order
from talad.shops.actors import Actor
from talad.shops.models import AuditEntry
from tests.conftest import make_shop, make_variant
from tests.orders.factories import CUSTOMER, make_order, order_in_status
from tests.orders.test_views import signed_in

pytestmark = pytest.mark.django_db
BY = Actor.system("test")

SECOND_PHONE = {**CUSTOMER, "phone": "089-999-0000", "line_id": "somchai.j"}


def _story(shop):
    """สมชาย: 100 and 200 paid, 300 cancelled, one COD parcel refused (100, coming back)."""
    shirt = make_variant(shop, "SHIRT", on_hand=50, price="100.00")
    make_order(shop, shirt, 1, payment_method="transfer")
    make_order(shop, shirt, 2, payment_method="transfer")
    cancelled = make_order(shop, shirt, 3, payment_method="transfer")
    from talad.orders.services import transition

    transition(order=cancelled, action="cancel", by=BY, reason="ลูกค้าเปลี่ยนใจ")
    order_in_status(shop, shirt, "returning")
    return shirt


def test_the_list_shows_each_customers_orders_spend_and_refused_cod_parcels(shop):
    _story(shop)
    (somchai,) = customers_page(shop=shop)
    assert somchai.order_count == 3  # the cancelled one was never bought
    assert somchai.spend == Decimal("300.00")  # nor is the refused parcel kept
    assert somchai.refused_cod_count == 1

    html = signed_in(shop).get("/orders/customers/").content.decode()
    assert "สมชาย ใจดี" in html and "฿300.00" in html
    assert '<td class="num refused"><b class="field-error">1</b>' in html


def test_the_list_finds_a_customer_by_phone_digits_line_id_or_facebook_name(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    make_order(shop, shirt, customer={**CUSTOMER, "social_name": "Somchai Jaidee"})
    make_order(
        shop,
        shirt,
        customer={**CUSTOMER, "name": "มานี", "phone": "0899990000", "line_id": "manee99"},
    )
    names = lambda q: [c.name for c in customers_page(shop=shop, q=q)]  # noqa: E731
    assert names("234-5678") == ["สมชาย ใจดี"]
    assert names("manee") == ["มานี"]
    assert names("jaidee") == ["สมชาย ใจดี"]
    assert names("12") == []  # too few digits to mean a phone


def test_a_customer_page_lists_their_orders_and_another_shops_customer_is_not_found(shop):
    _story(shop)
    customer = Customer.objects.for_shop(shop).get()
    client = signed_in(shop)
    page = client.get(f"/orders/customers/{customer.pk}/").content.decode()
    assert 'data-testid="order-count">3<' in page and 'data-testid="spend">฿300.00<' in page
    assert page.count("data-order=") == 4  # every order, the cancelled one too

    other = make_shop()
    assert signed_in(other).get(f"/orders/customers/{customer.pk}/").status_code == 404


def test_a_packer_does_not_see_the_customer_list(shop):
    assert signed_in(shop, "packer").get("/orders/customers/").status_code == 403


# --- Merging duplicates ----------------------------------------------------------------------


def test_merging_moves_the_duplicates_orders_sums_their_counts_and_audits_it(shop):
    shirt = _story(shop)
    second = make_order(shop, shirt, 5, payment_method="transfer", customer=SECOND_PHONE)
    keep = Customer.objects.for_shop(shop).get(phone="0812345678")
    duplicate = Customer.objects.for_shop(shop).get(phone="0899990000")

    merge_customers(shop=shop, keep_id=keep.pk, duplicate_id=duplicate.pk, by=BY)

    second.refresh_from_db()
    assert second.customer_id == keep.pk
    assert not Customer.objects.for_shop(shop).filter(pk=duplicate.pk).exists()
    merged = customer_summary(shop=shop, customer_id=keep.pk)
    assert merged.order_count == 4 and merged.spend == Decimal("800.00")
    assert merged.refused_cod_count == 1
    assert merged.line_id == "somchai.j"  # what the kept one left blank
    audit = AuditEntry.objects.get(shop=shop, action="customer.merged")
    assert audit.object_id == str(keep.pk)
    assert audit.before["merged"]["phone"] == "0899990000"
    assert audit.after["orders_moved"] == [second.number]


def test_a_customer_of_another_shop_cannot_be_merged_in_and_nothing_moves(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    make_order(shop, shirt)
    other = make_shop()
    theirs = make_order(other, make_variant(other, "CAP", on_hand=5), customer=SECOND_PHONE)
    keep = Customer.objects.for_shop(shop).get()

    with pytest.raises(NotFound):
        merge_customers(shop=shop, keep_id=keep.pk, duplicate_id=theirs.customer_id, by=BY)
    with pytest.raises(NotFound):  # nor the other way round, from the other shop
        merge_customers(shop=other, keep_id=theirs.customer_id, duplicate_id=keep.pk, by=BY)

    assert Order.objects.for_shop(other).get(pk=theirs.pk).customer_id == theirs.customer_id
    assert Customer.objects.for_shop(other).filter(pk=theirs.customer_id).exists()
    assert not AuditEntry.objects.filter(action="customer.merged").exists()


def test_staff_may_not_merge_customers(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    make_order(shop, shirt)
    make_order(shop, shirt, customer=SECOND_PHONE)
    keep, duplicate = Customer.objects.for_shop(shop).order_by("id")
    staff = Actor(role="staff", label="staff")
    with pytest.raises(PermissionDenied):
        merge_customers(shop=shop, keep_id=keep.pk, duplicate_id=duplicate.pk, by=staff)
    response = signed_in(shop, "staff").post(
        f"/orders/customers/{keep.pk}/merge/", {"duplicate": "0899990000"}
    )
    assert response.status_code == 403
    assert Customer.objects.for_shop(shop).count() == 2


def test_the_owner_merges_from_the_customer_page_by_the_duplicates_phone(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=5)
    make_order(shop, shirt)
    moved = make_order(shop, shirt, customer=SECOND_PHONE)
    keep = Customer.objects.for_shop(shop).get(phone="0812345678")
    client = signed_in(shop)
    page = client.get(f"/orders/customers/{keep.pk}/").content.decode()
    assert 'data-duplicate="0899990000"' in page  # the same name, suggested

    wrong = client.post(f"/orders/customers/{keep.pk}/merge/", {"duplicate": "0811111111"})
    assert wrong.status_code == 400 and "ไม่พบลูกค้าเบอร์นี้ในร้าน" in wrong.content.decode()

    done = client.post(f"/orders/customers/{keep.pk}/merge/", {"duplicate": "089 999 0000"})
    assert done.status_code == 302
    moved.refresh_from_db()
    assert moved.customer_id == keep.pk
    assert Customer.objects.for_shop(shop).count() == 1
