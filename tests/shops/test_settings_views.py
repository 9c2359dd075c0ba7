"""Settings pages: shop profile, members (owner only), API tokens shown once, stuck limits."""

import re

from talad.orders.models import StuckLimits
from talad.shops.models import ApiToken, Membership, Shop
from talad.shops.services import authenticate_token
from tests.orders.test_views import signed_in, token_of


def test_owner_updates_the_tax_profile_and_a_bad_tax_id_is_shown_beside_the_field(shop):
    client = signed_in(shop)
    form = {
        "form": "profile",
        "name": "ร้านใหม่",
        "tax_id": "0105556000002",
        "branch_code": "00000",
        "address": "1 ถนนสุขุมวิท",
        "vat_registered": "on",
        "prices_include_vat": "on",
        "vat_rate": "7.00",
    }
    page = client.post("/shop/settings/", form)
    assert page.status_code == 200
    assert "field-error" in page.content.decode()
    assert Shop.objects.get(pk=shop.pk).name != "ร้านใหม่"
    form["tax_id"] = "3100600445694"
    assert client.post("/shop/settings/", form).status_code == 302
    shop.refresh_from_db()
    assert (shop.name, shop.tax_id, shop.vat_registered) == ("ร้านใหม่", "3100600445694", True)


def test_an_api_token_is_shown_once_and_works(shop):
    client = signed_in(shop)
    page = client.get("/shop/settings/")
    client.post(
        "/shop/settings/tokens/",
        {"form_token": token_of(page), "name": "LINE bot", "role": "staff"},
    )
    shown = client.get("/shop/settings/").content.decode()
    plaintext = re.search(r'data-testid="new-token">([^<]+)<', shown).group(1)
    assert authenticate_token(plaintext).name == "LINE bot"
    again = client.get("/shop/settings/").content.decode()
    assert plaintext not in again
    assert ApiToken.objects.filter(shop=shop, name="LINE bot").count() == 1


def test_only_the_owner_manages_members_and_the_last_owner_stays(shop):
    owner_client = signed_in(shop)
    page = owner_client.get("/shop/settings/")
    owner_client.post(
        "/shop/settings/members/",
        {
            "form_token": token_of(page),
            "email": "pack@example.com",
            "role": "packer",
            "password": "pw-12345678",
        },
    )
    assert Membership.objects.filter(
        shop=shop, user__username="pack@example.com", role="packer"
    ).exists()
    admin_client = signed_in(shop, "admin")
    assert (
        admin_client.post(
            "/shop/settings/members/", {"email": "x@example.com", "role": "owner"}
        ).status_code
        == 403
    )
    owners = Membership.objects.filter(shop=shop, role="owner")
    first_owner = owners.order_by("id").first()
    for membership in owners.exclude(pk=first_owner.pk):
        owner_client.post(f"/shop/settings/members/{membership.pk}/remove/")
    owner_client.post(f"/shop/settings/members/{first_owner.pk}/remove/")
    assert Membership.objects.filter(shop=shop, role="owner").count() == 1


def test_stuck_limits_are_saved_per_shop_and_bad_hours_refused(shop):
    client = signed_in(shop)
    form = {
        "pending_hours": "12",
        "to_pack_hours": "24",
        "to_ship_hours": "24",
        "shipped_hours": "168",
        "returning_hours": "336",
        "cod_unremitted_hours": "240",
    }
    assert client.post("/orders/stuck-limits/", form).status_code == 302
    assert StuckLimits.objects.for_shop(shop).get().pending_hours == 12
    form["pending_hours"] = "0"
    assert client.post("/orders/stuck-limits/", form).status_code == 400
    assert StuckLimits.objects.for_shop(shop).get().pending_hours == 12


def test_staff_cannot_open_settings(shop):
    assert signed_in(shop, "staff").get("/shop/settings/").status_code == 403
