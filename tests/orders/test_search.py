"""Order desk search: each shape of `q` finds what a seller typed, through an index."""

from talad.orders.selectors import orders_page
from tests.conftest import make_variant
from tests.orders.factories import CUSTOMER, make_order


def numbers(shop, q):
    return {o.number for o in orders_page(shop=shop, q=q)}


def test_a_phone_prefix_finds_every_order_whose_phone_starts_with_it(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    a = make_order(shop, shirt, customer={**CUSTOMER, "phone": "0812345678"})
    b = make_order(shop, shirt, customer={**CUSTOMER, "name": "มาลี", "phone": "0812349999"})
    c = make_order(shop, shirt, customer={**CUSTOMER, "name": "ชูใจ", "phone": "0912345678"})
    assert numbers(shop, "081234") == {a.number, b.number}
    assert numbers(shop, "081-2349") == {b.number}
    assert numbers(shop, "+66 91 234 5678") == {c.number}
    assert numbers(shop, "099999") == set()


def test_names_are_found_by_any_part_and_numbers_by_their_exact_value(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=10)
    a = make_order(shop, shirt, customer={**CUSTOMER, "name": "สมชาย ใจดี"})
    b = make_order(shop, shirt, customer={**CUSTOMER, "name": "มาลี ใจดี", "phone": "0899999999"})
    assert numbers(shop, "ใจดี") == {a.number, b.number}
    assert numbers(shop, "มาลี") == {b.number}
    assert numbers(shop, a.number.lower()) == {a.number}
    assert numbers(shop, str(int(b.number.removeprefix("SO-")))) == {b.number}
    # Text with a digit is read as a number, code or phone, never as part of a name.
    assert numbers(shop, "ใจดี2") == set()


def test_a_partial_phone_finds_the_customers_and_their_orders(shop):
    from talad.orders.selectors import customers_matching

    shirt = make_variant(shop, "SHIRT", on_hand=10)
    nok = make_order(shop, shirt, customer={**CUSTOMER, "name": "นก", "phone": "0877777777"})
    again = make_order(shop, shirt, customer={**CUSTOMER, "name": "นก", "phone": "0877777777"})
    pla = make_order(shop, shirt, customer={**CUSTOMER, "name": "ปลา", "phone": "0917777777"})
    make_order(shop, shirt, customer={**CUSTOMER, "name": "ไก่", "phone": "0812345678"})

    assert numbers(shop, "7777777") == {nok.number, again.number, pla.number}
    assert numbers(shop, "777-7777") == {nok.number, again.number, pla.number}
    found = customers_matching(shop=shop, q="7777777")
    assert {(c.name, c.phone, c.order_count) for c in found} == {
        ("นก", "0877777777", 2),
        ("ปลา", "0917777777", 1),
    }
    assert customers_matching(shop=shop, q="ปลา")[0].phone == "0917777777"
    assert numbers(shop, "5555555") == set()


def test_a_partial_phone_never_finds_another_shops_customers(shop, other_shop):
    from talad.orders.selectors import customers_matching

    mine = make_order(shop, make_variant(shop, "SHIRT", on_hand=5))
    theirs = make_variant(other_shop, "SHIRT", on_hand=5)
    make_order(other_shop, theirs, customer={**CUSTOMER, "phone": "0897777777"})
    assert numbers(shop, "7777777") == set()
    assert customers_matching(shop=shop, q="7777777") == []
    assert numbers(shop, "2345678") == {mine.number}
