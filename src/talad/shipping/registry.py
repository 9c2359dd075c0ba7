"""A shop's carriers: the seed (carriers.CARRIERS) overlaid with the shop's own CarrierSetting rows."""

import re

from talad.shipping.carriers import CARRIERS, Carrier
from talad.shipping.models import CarrierSetting


def carriers_for(shop) -> dict[str, Carrier]:
    """Every carrier the shop knows, active or not, seed order first, the shop's own after."""
    registry = dict(CARRIERS)
    for row in CarrierSetting.objects.for_shop(shop).order_by("id"):
        seed = CARRIERS.get(row.code)
        registry[row.code] = row.as_carrier(aliases=seed.aliases if seed else ())
    return registry


def active_carriers(shop) -> dict[str, Carrier]:
    return {code: c for code, c in carriers_for(shop).items() if c.active}


def carrier_for(shop, code: str) -> Carrier | None:
    row = CarrierSetting.objects.for_shop(shop).filter(code=code).first()
    if row is not None:
        seed = CARRIERS.get(code)
        return row.as_carrier(aliases=seed.aliases if seed else ())
    return CARRIERS.get(code)


def _key(text: str) -> str:
    return re.sub(r"[\s\-_.()]+", "", str(text)).casefold()


def resolve_carrier(registry: dict[str, Carrier], text) -> Carrier | None:
    """The carrier a file means by `text`: its code, Thai or English name, or a known alias."""
    key = _key(text or "")
    if not key:
        return None
    for carrier in registry.values():
        names = (carrier.code, carrier.name_th, carrier.name_en, *carrier.aliases)
        if key in {_key(n) for n in names}:
            return carrier
    return None
