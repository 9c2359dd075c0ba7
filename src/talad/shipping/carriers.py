"""The carriers Thai sellers use (REFERENCE.md §6). Patterns only suggest; the carrier is stored."""

import re
from dataclasses import dataclass
from decimal import Decimal

from talad.orders.actions import normalise_tracking


@dataclass(frozen=True)
class Carrier:
    code: str
    name_th: str
    name_en: str
    tracking_url: str
    cod_fee_percent: Decimal
    pattern: str = ""

    def tracking_link(self, tracking_number: str) -> str:
        return (
            self.tracking_url.format(no=tracking_number)
            if "{no}" in self.tracking_url
            else self.tracking_url
        )


CARRIERS: dict[str, Carrier] = {
    c.code: c
    for c in (
        Carrier(
            "thaipost_ems",
            "ไปรษณีย์ไทย EMS",
            "Thailand Post EMS",
            "https://track.thailandpost.co.th/?trackNumber={no}",
            Decimal("3"),
            r"^E[A-Z]\d{9}TH$",
        ),
        Carrier(
            "thaipost_reg",
            "ไปรษณีย์ไทย ลงทะเบียน",
            "Thailand Post Registered",
            "https://track.thailandpost.co.th/?trackNumber={no}",
            Decimal("3"),
            r"^R[A-Z]\d{9}TH$",
        ),
        Carrier(
            "kex",
            "KEX (เคอรี่)",
            "KEX Express",
            "https://th.kex-express.com/th/track/?track={no}",
            Decimal("3"),
            r"^(KER|KEX|SHP)[A-Z0-9]{10,12}$",
        ),
        Carrier(
            "flash",
            "แฟลช เอ็กซ์เพรส",
            "Flash Express",
            "https://www.flashexpress.co.th/fle/tracking?se={no}",
            Decimal("3"),
            r"^TH\d{10,12}[A-Z]?$",
        ),
        Carrier(
            "jt",
            "เจแอนด์ที เอ็กซ์เพรส",
            "J&T Express",
            "https://www.jtexpress.co.th/service/track?billcode={no}",
            Decimal("3"),
            r"^\d{12}$",
        ),
        Carrier(
            "ninjavan",
            "นินจาแวน",
            "Ninja Van",
            "https://www.ninjavan.co/th-th/tracking?id={no}",
            Decimal("3"),
            r"^NVTH[A-Z0-9]+$",
        ),
        Carrier(
            "best",
            "BEST Express",
            "BEST Express",
            "https://www.best-inc.co.th/track",
            Decimal("3"),
            r"^(22\d{10}|BEST[A-Z0-9]+)$",
        ),
        Carrier(
            "scg",
            "SCG Express",
            "SCG Express",
            "https://scgexpress.co.th/tracking?barcode={no}",
            Decimal("3"),
        ),
        Carrier(
            "dhl_ecommerce",
            "DHL eCommerce",
            "DHL eCommerce",
            "https://www.dhl.com/th-th/home/tracking.html?tracking-id={no}",
            Decimal("3"),
        ),
        Carrier(
            "spx",
            "Shopee Express (SPX)",
            "Shopee Express",
            "https://spx.co.th/",
            Decimal("0"),
            r"^SPXTH[A-Z0-9]+$",
        ),
        Carrier(
            "lex",
            "Lazada Express",
            "Lazada Express",
            "https://tracker.lel.asia/",
            Decimal("0"),
            r"^LEXPU?\w+$",
        ),
        Carrier("own", "ส่งเอง", "Own delivery", "", Decimal("0")),
    )
}


def suggest_carriers(number: str) -> list[str]:
    number = normalise_tracking(number)
    return [c.code for c in CARRIERS.values() if c.pattern and re.match(c.pattern, number)]
