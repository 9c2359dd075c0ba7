"""The carriers Thai sellers use (docs/design/shipping.md#carriers-per-shop): the seed of every
shop's carrier registry.

A shop's own rows (CarrierSetting, see registry.py) override these per code, so a URL that
changed (Kerry became KEX) or a contract's COD fee is a setting, not a code change.
Tracking-number patterns only *suggest* a carrier; the carrier is always stored explicitly.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language

from talad.orders.actions import normalise_tracking


@dataclass(frozen=True)
class Carrier:
    code: str
    name_th: str
    name_en: str
    tracking_url: str
    cod_fee_percent: Decimal
    pattern: str = ""
    active: bool = True
    # Other spellings seen in files sellers import ("Kerry", "J&T", "EMS").
    aliases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "th").startswith("en") else self.name_th

    def tracking_link(self, tracking_number: str) -> str:
        return (
            self.tracking_url.replace("{no}", tracking_number)
            if "{no}" in self.tracking_url
            else self.tracking_url
        )

    def suggests(self, number: str) -> bool:
        try:
            return bool(self.pattern) and re.fullmatch(self.pattern, number) is not None
        except re.error:  # a shop's pattern is checked when saved; an old bad one suggests nothing
            return False


CARRIERS: dict[str, Carrier] = {
    c.code: c
    for c in (
        Carrier(
            "thaipost_ems",
            "ไปรษณีย์ไทย EMS",
            "Thailand Post EMS",
            "https://track.thailandpost.co.th/?trackNumber={no}",
            Decimal("3"),
            r"E[A-Z]\d{9}TH",
            aliases=("ems", "thailand post", "ไปรษณีย์ไทย", "thaipost"),
        ),
        Carrier(
            "thaipost_reg",
            "ไปรษณีย์ไทย ลงทะเบียน",
            "Thailand Post Registered",
            "https://track.thailandpost.co.th/?trackNumber={no}",
            Decimal("3"),
            r"R[A-Z]\d{9}TH",
            aliases=("registered", "ลงทะเบียน"),
        ),
        Carrier(
            "kex",
            "KEX (เคอรี่)",
            "KEX Express",
            "https://th.kex-express.com/th/track/?track={no}",
            Decimal("3"),
            r"(KER|KEX|SHP)[A-Z0-9]{10,12}",
            aliases=("kerry", "kerry express", "เคอรี่"),
        ),
        Carrier(
            "flash",
            "แฟลช เอ็กซ์เพรส",
            "Flash Express",
            "https://www.flashexpress.co.th/fle/tracking?se={no}",
            Decimal("3"),
            r"TH\d{10,12}[A-Z]?",
            aliases=("แฟลช",),
        ),
        Carrier(
            "jt",
            "เจแอนด์ที เอ็กซ์เพรส",
            "J&T Express",
            "https://www.jtexpress.co.th/service/track?billcode={no}",
            Decimal("3"),
            r"\d{12}",
            aliases=("j&t", "jnt", "j&t express"),
        ),
        Carrier(
            "ninjavan",
            "นินจาแวน",
            "Ninja Van",
            "https://www.ninjavan.co/th-th/tracking?id={no}",
            Decimal("3"),
            r"NVTH[A-Z0-9]+",
            aliases=("ninja van", "ninja"),
        ),
        Carrier(
            "best",
            "BEST Express",
            "BEST Express",
            "https://www.best-inc.co.th/track",
            Decimal("3"),
            r"22\d{10}|BEST[A-Z0-9]+",
            aliases=("best",),
        ),
        Carrier(
            "scg",
            "SCG Express",
            "SCG Express",
            "https://scgexpress.co.th/tracking?barcode={no}",
            Decimal("3"),
            aliases=("scg",),
        ),
        Carrier(
            "dhl_ecommerce",
            "DHL eCommerce",
            "DHL eCommerce",
            "https://www.dhl.com/th-th/home/tracking.html?tracking-id={no}",
            Decimal("3"),
            aliases=("dhl",),
        ),
        Carrier(
            "spx",
            "Shopee Express (SPX)",
            "Shopee Express",
            "https://spx.co.th/",
            Decimal("0"),
            r"SPXTH[A-Z0-9]+",
            aliases=("shopee express", "spx express"),
        ),
        Carrier(
            "lex",
            "Lazada Express",
            "Lazada Express",
            "https://tracker.lel.asia/",
            Decimal("0"),
            r"LEXPU?\w+",
            aliases=("lazada express", "lel"),
        ),
        Carrier(
            "own", "ส่งเอง", "Own delivery", "", Decimal("0"), aliases=("own delivery", "ส่งเอง")
        ),
    )
}


def suggest_carriers(number: str, carriers: dict[str, Carrier] | None = None) -> list[str]:
    """The codes whose pattern fits the typed number (a hint for the form, never stored)."""
    number = normalise_tracking(number)
    if not number:
        return []
    return [c.code for c in (carriers or CARRIERS).values() if c.active and c.suggests(number)]
