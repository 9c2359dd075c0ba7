import hashlib

import pytest
from django.core.exceptions import ValidationError

from talad.catalog.models import Variant
from talad.errors import Conflict, PermissionDenied
from talad.inventory.models import Warehouse
from talad.shops.actors import Actor
from talad.shops.models import ApiToken, AuditEntry, Membership, Role
from talad.shops.permissions import require
from talad.shops.scoping import UnscopedQuery
from talad.shops.services import authenticate_token, create_api_token, revoke_api_token
from tests.conftest import make_shop, make_variant


def test_a_new_shop_has_its_owner_and_one_default_warehouse(db):
    shop = make_shop(slug="baan-suan")
    membership = Membership.objects.get(shop=shop)
    assert membership.role == Role.OWNER
    warehouses = list(Warehouse.objects.for_shop(shop))
    assert [(w.code, w.is_default) for w in warehouses] == [("main", True)]
    assert AuditEntry.objects.filter(shop=shop, action="shop.create").count() == 1


def test_a_taken_slug_is_refused(db):
    make_shop(slug="same")
    with pytest.raises(Conflict):
        make_shop(slug="same")


def test_tax_id_must_be_a_valid_thai_13_digit_id(db):
    with pytest.raises(ValidationError) as exc:
        make_shop(tax_id="0105556000002")  # wrong check digit
    assert "tax_id" in exc.value.message_dict
    shop = make_shop(tax_id="3100600445694")
    assert shop.tax_id == "3100600445694"


def test_branch_code_is_five_digits(db):
    with pytest.raises(ValidationError) as exc:
        make_shop(branch_code="1")
    assert "branch_code" in exc.value.message_dict


def test_api_token_is_stored_only_as_a_hash_and_shown_once(shop, owner):
    token, plaintext = create_api_token(shop=shop, role=Role.STAFF, by=owner)
    stored = ApiToken.objects.get(pk=token.pk)
    assert plaintext not in (stored.token_hash, stored.prefix, stored.name)
    assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert authenticate_token(plaintext).pk == token.pk
    assert authenticate_token(plaintext + "x") is None


def test_a_revoked_token_no_longer_authenticates(shop, owner):
    token, plaintext = create_api_token(shop=shop, role=Role.STAFF, by=owner)
    revoke_api_token(token=token, by=owner)
    assert authenticate_token(plaintext) is None


def test_querying_a_shop_owned_table_without_a_shop_is_refused(shop):
    make_variant(shop, "X-1")
    with pytest.raises(UnscopedQuery):
        list(Variant.objects.all())
    with pytest.raises(UnscopedQuery):
        Variant.objects.filter(sku="X-1").exists()
    with pytest.raises(UnscopedQuery):
        Variant.objects.filter(sku="X-1").update(price=1)
    assert Variant.objects.for_shop(shop).filter(sku="X-1").count() == 1


def test_scoped_queries_never_see_another_shops_rows(shop, other_shop):
    make_variant(shop, "SAME-SKU")
    make_variant(other_shop, "SAME-SKU")
    mine = Variant.objects.for_shop(shop).get(sku="SAME-SKU")
    assert mine.shop_id == shop.pk
    assert Variant.objects.for_shop(other_shop).filter(pk=mine.pk).exists() is False


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("owner", True), ("admin", True), ("staff", True), ("packer", False), ("accountant", False)],
)
def test_only_operations_roles_change_stock(role, allowed):
    actor = Actor(role=role)
    if allowed:
        require(actor, "change_stock")
    else:
        with pytest.raises(PermissionDenied):
            require(actor, "change_stock")
