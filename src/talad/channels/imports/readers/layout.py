"""What one marketplace's export looks like, as data: which headers name which field, which
statuses lead where, and the few ways the formats differ. Each format module (shopee.py,
lazada.py, tiktok.py, talad_csv.py) holds one `Layout`; the reading itself (orders.py) is
shared.

A shop extends a layout without code: `aliases` adds header names per field (tried before
the defaults) and `statuses` adds or changes what a status text leads to. Marketplaces rename
columns and the status tables are unverified (docs/design/marketplaces.md), so both stay data.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from talad.channels.imports.rows import TARGETS
from talad.tabular import FileRejected, Table, header_key

# Every field a layout may name. Line fields are read on each row; order fields on the
# order's first row unless the layout sums them (`summed`).
FIELDS = frozenset(
    {
        "order_id", "status", "channel",
        "created_at", "paid_at", "ship_by",
        "sku", "item_id", "item_name", "quantity", "unit_price", "line_total", "line_discount",
        "shipping_fee", "seller_discount",
        "recipient_name", "phone", "address", "address2", "address3", "address4", "address5",
        "subdistrict", "district", "province", "postcode",
        "carrier", "tracking", "buyer_tax_id", "buyer_branch",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Layout:
    format: str
    channel: str  # the Talad channel its orders belong to; the generic csv reads a column
    columns: Mapping[str, tuple[str, ...]]  # field → header names, Thai and English
    statuses: Mapping[str, str]  # status text → one of rows.TARGETS
    required: tuple[str, ...]  # fields whose column must be in the file
    summed: frozenset[str] = frozenset()  # order money split over the item rows
    one_row_per_piece: bool = False  # Lazada: no quantity column, one row per piece
    description_row: bool = False  # TikTok: the row under the header explains each column
    blank_status: str = ""  # the target for a blank status; "" makes it a problem
    signed: frozenset[str] = frozenset()  # discounts written negative
    channel_names: Mapping[str, str] = field(default_factory=dict)  # generic csv: text → channel

    def extended(
        self,
        aliases: Mapping[str, object] | None = None,
        statuses: Mapping[str, str] | None = None,
    ) -> "Layout":
        """This layout with a shop's own header names and status texts added."""
        columns = dict(self.columns)
        for name, headers in (aliases or {}).items():
            if name not in FIELDS:
                raise ValueError(f"unknown import field {name!r}; known: {sorted(FIELDS)}")
            extra = (headers,) if isinstance(headers, str) else tuple(headers)
            columns[name] = (*extra, *columns.get(name, ()))
        table = dict(self.statuses)
        for status_text, target in (statuses or {}).items():
            if target not in TARGETS:
                raise ValueError(
                    f"status {status_text!r} leads to {target!r}, not one of {TARGETS}"
                )
            table[status_key(status_text)] = target
        return replace(self, columns=columns, statuses=table)

    def target_of(self, status_text: str) -> str | None:
        if not status_text.strip():
            return self.blank_status or None
        return self.statuses.get(status_key(status_text))


def status_key(text: str) -> str:
    """`AWAITING_SHIPMENT`, `Awaiting shipment` and `awaiting-shipment ` are one status."""
    return header_key(text)


def statuses(table: Mapping[str, str]) -> dict[str, str]:
    """A status table keyed the way `target_of` looks it up."""
    return {status_key(status_text): target for status_text, target in table.items()}


@dataclass(frozen=True)
class Columns:
    """Where each field is in the file: a position, and the header as the file spells it.

    A header that appears more than once (Shopee writes province, district and postcode for
    the shipping address and again for the tax address) is taken at its first position."""

    positions: Mapping[str, int]
    headers: Mapping[str, str]

    @classmethod
    def find(cls, table: Table, layout: Layout, *, filename: str) -> "Columns":
        keys = [header_key(h.replace("\ufeff", "")) for h in table.headers]
        positions, headers = {}, {}
        for name, names in layout.columns.items():
            for header in names:
                key = header_key(header)
                if key in keys:
                    positions[name] = keys.index(key)
                    headers[name] = table.headers[positions[name]].replace("\ufeff", "").strip()
                    break
        missing = [name for name in layout.required if name not in positions]
        if not {"sku", "item_id"} & positions.keys():
            missing.append("sku")
        if not {"unit_price", "line_total"} & positions.keys():
            missing.append("unit_price")
        if missing:
            wanted = ", ".join(
                " / ".join(layout.columns.get(name, (name,))[:2]) for name in missing
            )
            raise FileRejected(
                _("%(file)s: ไม่ใช่ไฟล์คำสั่งซื้อ %(format)s (ไม่พบคอลัมน์ %(columns)s)")
                % {"file": filename or _("ไฟล์ที่อัปโหลด"), "format": layout.format, "columns": wanted},
                fields={f"columns.{name}": "missing_column" for name in missing},
            )
        return cls(positions=positions, headers=headers)

    def value(self, cells: list, name: str):
        index = self.positions.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    def header(self, name: str) -> str:
        return self.headers.get(name, name)

    def __contains__(self, name: str) -> bool:
        return name in self.positions
