"""Each shop's carriers: seeded from the list in docs/design/shipping.md#carriers-per-shop,
editable, and only ever *suggested* by a number."""

from decimal import Decimal

import pytest
from django.utils import translation

from talad.errors import PermissionDenied, TaladError
from talad.orders.services import transition
from talad.shipping.carriers import CARRIERS, suggest_carriers
from talad.shipping.models import Shipment
from talad.shipping.registry import active_carriers, carriers_for, resolve_carrier
from talad.shipping.services import save_carrier
from talad.shops.actors import Actor
from tests.conftest import make_variant
from tests.shipping.helpers import SYSTEM, cod_ready_to_ship, shipped_cod

SEEDED = {
    "thaipost_ems",
    "thaipost_reg",
    "kex",
    "flash",
    "jt",
    "ninjavan",
    "best",
    "scg",
    "dhl_ecommerce",
    "spx",
    "lex",
    "own",
}


def test_a_new_shop_has_every_common_carrier_with_thai_and_english_names(shop):
    registry = carriers_for(shop)

    assert set(registry) == SEEDED
    assert registry["kex"].name_th == "KEX (เคอรี่)"
    assert registry["thaipost_ems"].name_en == "Thailand Post EMS"
    assert registry["thaipost_ems"].cod_fee_percent == Decimal("3")
    assert registry["own"].tracking_url == ""
    with translation.override("en"):
        assert registry["own"].name == "Own delivery"
    with translation.override("th"):
        assert registry["own"].name == "ส่งเอง"


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("EB123456789TH", ["thaipost_ems"]),
        ("rb 123 456 789 th", ["thaipost_reg"]),
        ("TH01234567890", ["flash"]),
        ("KEX1234567890", ["kex"]),
        ("SPXTH0123456789", ["spx"]),
        ("NVTHDT0000012345", ["ninjavan"]),
        ("221234567890", ["jt", "best"]),  # twelve digits: two carriers could have issued it
        ("hello", []),
        ("", []),
    ],
)
def test_a_typed_number_only_suggests_carriers(typed, suggested):
    assert suggest_carriers(typed) == suggested


def test_the_carrier_stored_is_the_one_chosen_not_the_one_the_number_suggests(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=2)
    order = shipped_cod(shop, shirt, carrier="best", tracking="221234567890")

    assert suggest_carriers("221234567890")[0] == "jt"
    assert Shipment.objects.for_shop(shop).get(order=order).carrier == "best"


def test_a_changed_tracking_link_applies_to_parcels_already_sent(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=2)
    order = shipped_cod(shop, shirt, carrier="kex", tracking="KEX1234567890")

    save_carrier(shop=shop, code="kex", by=SYSTEM, tracking_url="https://track.example/kex/{no}/")

    parcel = Shipment.objects.for_shop(shop).get(order=order)
    assert parcel.tracking_url == "https://track.example/kex/KEX1234567890/"
    # The rest of the carrier was copied from the seed and stays as it was.
    assert carriers_for(shop)["kex"].name_th == "KEX (เคอรี่)"


def test_a_carrier_the_shop_switched_off_cannot_take_new_parcels(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=3)
    earlier = shipped_cod(shop, shirt, carrier="flash", tracking="TH0000000009")
    save_carrier(shop=shop, code="flash", by=SYSTEM, active=False)
    order = cod_ready_to_ship(shop, shirt)

    with pytest.raises(TaladError) as refused:
        transition(order=order, action="ship", by=SYSTEM, carrier="flash", tracking_number="TH1")

    assert refused.value.fields == {"carrier": "inactive_carrier"}
    assert "flash" not in active_carriers(shop)
    # The parcel already on its way keeps its link.
    assert Shipment.objects.for_shop(shop).get(order=earlier).tracking_url.endswith("TH0000000009")


def test_a_shop_adds_its_own_carrier_and_ships_with_it(shop):
    shirt = make_variant(shop, "SHIRT", on_hand=2)
    save_carrier(
        shop=shop,
        code="moto_rider",
        by=SYSTEM,
        name_th="ไรเดอร์ร้าน",
        tracking_url="https://rider.example/?n={no}",
        cod_fee_percent="1.50",
        pattern=r"MR\d{6}",
    )

    order = shipped_cod(shop, shirt, carrier="moto_rider", tracking="mr 123456")

    parcel = Shipment.objects.for_shop(shop).get(order=order)
    assert parcel.tracking_url == "https://rider.example/?n=MR123456"
    assert carriers_for(shop)["moto_rider"].name_en == "ไรเดอร์ร้าน"
    assert suggest_carriers("MR123456", carriers_for(shop)) == ["moto_rider"]


def test_one_shops_carrier_settings_do_not_touch_another_shop(shop, other_shop):
    save_carrier(shop=shop, code="jt", by=SYSTEM, cod_fee_percent="1.25", active=False)

    assert carriers_for(shop)["jt"].cod_fee_percent == Decimal("1.25")
    assert carriers_for(other_shop)["jt"] == CARRIERS["jt"]


@pytest.mark.parametrize(
    ("code", "changes", "field"),
    [
        ("kex", {"tracking_url": "javascript:alert(1)"}, "tracking_url"),
        ("kex", {"pattern": "(unclosed"}, "pattern"),
        ("kex", {"cod_fee_percent": "101"}, "cod_fee_percent"),
        ("kex", {"cod_fee_percent": "-1"}, "cod_fee_percent"),
        ("kex", {"active": "yes"}, "active"),
        ("kex", {"colour": "red"}, "colour"),
        ("Bad Code!", {"name_th": "x"}, "code"),
        ("new_one", {}, "name_th"),
    ],
)
def test_bad_carrier_settings_are_refused_naming_the_field(shop, code, changes, field):
    with pytest.raises(TaladError) as refused:
        save_carrier(shop=shop, code=code, by=SYSTEM, **changes)

    assert field in refused.value.fields
    assert carriers_for(shop) == CARRIERS


def test_only_owners_and_admins_change_carriers(shop):
    with pytest.raises(PermissionDenied):
        save_carrier(shop=shop, code="kex", by=Actor(role="staff"), active=False)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Kerry", "kex"),
        ("KEX Express", "kex"),
        ("J&T Express", "jt"),
        ("แฟลช เอ็กซ์เพรส", "flash"),
        ("flash", "flash"),
        ("EMS", "thaipost_ems"),
        ("ไปรษณีย์ไทย EMS", "thaipost_ems"),
        ("Shopee Express", "spx"),
        ("carrier pigeon", None),
    ],
)
def test_a_carrier_written_in_a_file_is_read_by_its_code_name_or_alias(shop, written, code):
    found = resolve_carrier(carriers_for(shop), written)

    assert (found.code if found else None) == code
