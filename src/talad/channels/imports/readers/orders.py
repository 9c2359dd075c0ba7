"""Rows of an export, read into ImportedOrders by a format's Layout.

Whole or nothing per order: rows are grouped by order id first, then each order is read with
every problem collected; an order with any problem is left out of `orders` and its problems
say row, column (as the file spells it) and order id, so the seller fixes the file and
imports again. Which SKUs exist is not asked here: mapping them is applying's job.
"""

import re
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from talad.channels.imports.readers import cells
from talad.channels.imports.readers.cells import BadCell
from talad.channels.imports.readers.layout import Columns, Layout, status_key
from talad.channels.imports.rows import ImportedLine, ImportedOrder, ImportProblem, ParsedFile
from talad.tabular import Table

Row = tuple[int, list]


def read_rows(table: Table, layout: Layout, columns: Columns) -> ParsedFile:
    parsed = ParsedFile(format=layout.format, headers=dict(columns.headers))
    rows = table.rows
    if layout.description_row and rows and _describes_columns(rows[0][1], columns):
        rows = rows[1:]
    parsed.rows_read = len(rows)
    groups: dict[tuple[str, str], list[Row]] = {}
    for number, values in rows:
        try:
            external_id = cells.identifier(columns.value(values, "order_id"))
        except BadCell as exc:
            parsed.problems.append(_problem(number, columns, "order_id", exc))
            continue
        if not external_id:
            parsed.problems.append(
                _problem(
                    number, columns, "order_id", BadCell("missing_order_id", _("ไม่มีเลขคำสั่งซื้อ"))
                )
            )
            continue
        channel_text = cells.text(columns.value(values, "channel")) if "channel" in columns else ""
        groups.setdefault((status_key(channel_text), external_id), []).append((number, values))
    for (_channel, external_id), group in groups.items():
        reading = _OrderReading(layout, columns, external_id)
        order = reading.order(group)
        if reading.problems:
            parsed.problems.extend(reading.problems)
        else:
            parsed.orders.append(order)
    parsed.problems.sort(key=lambda problem: problem.row)  # as the seller reads the file
    return parsed


def _describes_columns(values: list, columns: Columns) -> bool:
    """TikTok's second row explains each column in words; an order id never has a space."""
    first = cells.text(columns.value(values, "order_id"))
    return bool(first) and not re.fullmatch(r"[\w\-]+", first)


def _problem(row: int, columns: Columns, name: str, exc: BadCell, external_id: str = ""):
    return ImportProblem(
        row=row,
        column=columns.header(name),
        code=exc.code,
        message=exc.message,
        external_id=external_id,
    )


class _OrderReading:
    """One order's rows read, every problem kept in `problems`."""

    def __init__(self, layout: Layout, columns: Columns, external_id: str):
        self.layout, self.columns, self.external_id = layout, columns, external_id
        self.problems: list[ImportProblem] = []

    def read(self, row: Row, name: str, parse: Callable, default=None):
        number, values = row
        if name not in self.columns:
            return default
        try:
            return parse(self.columns.value(values, name))
        except BadCell as exc:
            self.problems.append(_problem(number, self.columns, name, exc, self.external_id))
            return default

    def fail(self, row: Row, name: str, code: str, message: str) -> None:
        self.problems.append(
            _problem(row[0], self.columns, name, BadCell(code, message), self.external_id)
        )

    def money(self, row: Row, name: str) -> Decimal:
        def parse(value):
            signed = name in self.layout.signed
            return cells.money(value, row=row[0], column=self.columns.header(name), signed=signed)

        return self.read(row, name, parse, Decimal("0.00"))

    def text(self, row: Row, name: str) -> str:
        return self.read(row, name, cells.text, "")

    def order(self, group: list[Row]) -> ImportedOrder | None:
        first = group[0]
        status_text = self.text(first, "status")
        target = self.layout.target_of(status_text)
        if target is None:
            code, message = (
                ("unknown_status", _("ไม่รู้จักสถานะ '%(s)s'") % {"s": status_text[:60]})
                if status_text
                else ("missing_status", _("ไม่มีสถานะคำสั่งซื้อ"))
            )
            self.fail(first, "status", code, message)
        recipient_name = self.text(first, "recipient_name")
        if not recipient_name:
            self.fail(first, "recipient_name", "missing_recipient", _("ไม่มีชื่อผู้รับ"))
        lines = self.lines(group)
        channel = self.channel(first)
        address = " ".join(
            part
            for name in ("address", "address2", "address3", "address4", "address5")
            if (part := self.text(first, name))
        )
        district, province = self.text(first, "district"), self.text(first, "province")
        if self.problems:
            return None
        return ImportedOrder(
            channel=channel,
            external_id=self.external_id,
            status_text=status_text,
            target=target,
            rows=tuple(number for number, _values in group),
            lines=lines,
            recipient_name=recipient_name,
            phone=self.read(first, "phone", cells.phone, ""),
            address_line=address,
            subdistrict=self.text(first, "subdistrict"),
            district=district,
            province=province,
            postcode=self.read(first, "postcode", cells.identifier, ""),
            one_line_address=not (district and province),
            shipping_fee=self.order_money(group, "shipping_fee"),
            seller_discount=self.order_money(group, "seller_discount"),
            carrier_text=self.text(first, "carrier"),
            tracking_number=self.read(first, "tracking", cells.identifier, ""),
            created_at=self.read(first, "created_at", cells.moment),
            paid_at=self.read(first, "paid_at", cells.moment),
            ship_by=self.read(first, "ship_by", cells.moment),
            buyer_tax_id=self.read(first, "buyer_tax_id", cells.identifier, ""),
            buyer_branch=self.read(first, "buyer_branch", cells.identifier, ""),
        )

    def order_money(self, group: list[Row], name: str) -> Decimal:
        """Order money: repeated on every row (the first is read), or split over the item
        rows (the layout sums it)."""
        if name in self.layout.summed:
            return sum((self.money(row, name) for row in group), Decimal("0.00"))
        return self.money(group[0], name)

    def channel(self, row: Row) -> str:
        if self.layout.channel:
            return self.layout.channel
        written = self.text(row, "channel")
        channel = self.layout.channel_names.get(status_key(written)) if written else "other"
        if channel is None:
            self.fail(
                row, "channel", "unknown_channel", _("ไม่รู้จักช่องทาง '%(c)s'") % {"c": written[:40]}
            )
        return channel or "other"

    def lines(self, group: list[Row]) -> tuple[ImportedLine, ...]:
        """One line per SKU and price: an export that repeats a SKU's row (Lazada writes one
        row per piece) is summed, so quantity is rows x pieces."""
        merged: dict[tuple[str, str, Decimal], ImportedLine] = {}
        for row in group:
            line = self.line(row)
            if line is None:
                continue
            key = (line.marketplace_sku, line.item_id, line.unit_price)
            if key in merged:
                earlier = merged[key]
                line = ImportedLine(
                    row=earlier.row,
                    marketplace_sku=earlier.marketplace_sku,
                    item_id=earlier.item_id,
                    name=earlier.name or line.name,
                    quantity=earlier.quantity + line.quantity,
                    unit_price=earlier.unit_price,
                    line_discount=earlier.line_discount + line.line_discount,
                )
            merged[key] = line
        return tuple(merged.values())

    def line(self, row: Row) -> ImportedLine | None:
        sku = self.read(row, "sku", cells.identifier, "")
        item_id = self.read(row, "item_id", cells.identifier, "")
        if not sku and not item_id:
            self.fail(
                row,
                "sku" if "sku" in self.columns else "item_id",
                "missing_sku",
                _("ไม่มีรหัสสินค้า (SKU)"),
            )
        if self.layout.one_row_per_piece:
            pieces = 1
        else:
            pieces = self.read(row, "quantity", cells.quantity)
            if "quantity" not in self.columns:
                pieces = 1
        discount = self.money(row, "line_discount")
        if "unit_price" in self.columns and (
            "line_total" not in self.columns or self.text(row, "unit_price")
        ):
            unit_price = self.money(row, "unit_price")
        elif pieces:
            unit_price, rounding = cells.unit_price_of(self.money(row, "line_total"), pieces)
            discount += rounding
        else:
            unit_price = Decimal("0.00")
        if pieces is None or (not sku and not item_id):
            return None
        return ImportedLine(
            row=row[0],
            marketplace_sku=sku,
            item_id=item_id,
            name=self.text(row, "item_name")[:255],
            quantity=pieces,
            unit_price=unit_price,
            line_discount=discount,
        )
