"""Marketplace payouts: a platform's income/settlement report matched order by order
(docs/design/money.md#marketplace-payouts).

Each row is matched on the channel and the platform's order id (`Order.external_id`) and gets
one result: `settled` (what the platform owed for the order, its AR_MARKETPLACE balance, is
cleared to the satang, and the money and fees are booked by accounting.payouts),
`amount_mismatch` (the order amount is not what is owed, or the net is not the amount less
the fees plus the subsidy: `column` names the cell), `unknown_order` or `already_settled`.
A report is one transaction; the same file uploaded again with the same columns re-checks
only its unsettled rows (an order imported since, say) and changes nothing else.
"""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from talad.accounting.payouts import marketplace_owed, post_marketplace_payout, vat_in_fees
from talad.errors import TaladError
from talad.orders.models import Order
from talad.payments.models import (
    ZERO,
    MarketplacePayout,
    PayoutColumnMapping,
    PayoutResult,
    PayoutRow,
)
from talad.payments.payout_columns import FEES, REQUIRED, aliases, clean_mapping, known_channel
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit
from talad.tabular import (
    FileRejected,
    Table,
    cell,
    cell_amount,
    cell_date,
    cell_error,
    cell_text,
    chunked,
    read_table,
)

R = PayoutResult
UNSETTLED = (R.UNKNOWN_ORDER, R.AMOUNT_MISMATCH)
MAX_EXTERNAL_ID = 100


@dataclass
class PayoutImport:
    payout: MarketplacePayout | None  # None for a dry run
    rows: list[PayoutRow]
    created: bool
    mapping: dict[str, str]


def saved_mapping(shop: Shop, channel: str) -> dict[str, str]:
    row = PayoutColumnMapping.objects.for_shop(shop).filter(channel=channel).first()
    return dict(row.columns) if row else {}


def import_payout(
    *,
    shop: Shop,
    by: Actor,
    channel: str,
    content: bytes,
    filename: str = "",
    mapping=None,
    dry_run: bool = False,
) -> PayoutImport:
    """Read a marketplace's income report and settle each order it pays out (unless
    `dry_run`). A mapping given here is saved for the channel and used next time."""
    require(by, "record_payments")
    channel = known_channel(channel)
    given = clean_mapping(mapping)
    columns = given or saved_mapping(shop, channel)
    table = read_table(content, filename=filename)
    positions = _positions(table, channel, columns)
    rows = _read_rows(shop, table, positions)
    fingerprint = hashlib.sha256(
        content + json.dumps([channel, columns], sort_keys=True).encode()
    ).hexdigest()
    if dry_run:
        _settle(shop, by, rows, channel=channel, apply=False)
        return PayoutImport(None, rows, created=False, mapping=columns)
    try:
        return _record(shop, by, channel, given, columns, rows, filename, fingerprint)
    except IntegrityError:
        # The same file, or a payout of one of its orders, was recorded at the same moment by
        # another upload, which won: this one is checked again against what it wrote.
        return _record(shop, by, channel, given, columns, rows, filename, fingerprint)


@transaction.atomic
def _record(shop, by, channel, given, columns, rows, filename, fingerprint) -> PayoutImport:
    if given:
        PayoutColumnMapping.objects.for_shop(shop).update_or_create(
            shop=shop, channel=channel, defaults={"columns": given}
        )
    existing = (
        MarketplacePayout.objects.for_shop(shop)
        .select_for_update()
        .filter(fingerprint=fingerprint)
        .first()
    )
    if existing is not None:
        return PayoutImport(existing, recheck_payout(existing, by), created=False, mapping=columns)
    payout = MarketplacePayout.objects.create(
        shop=shop,
        channel=channel,
        file_name=(filename or "")[:255],
        fingerprint=fingerprint,
        user_id=by.user_id,
        actor=by.label[:80],
    )
    for row in rows:
        row.payout = payout
    _settle(shop, by, rows, channel=channel, apply=True)
    PayoutRow.objects.bulk_create(rows)
    record_audit(
        shop=shop,
        by=by,
        action="payout.imported",
        obj=payout,
        after={
            "channel": channel,
            "rows": len(rows),
            "settled": sum(1 for r in rows if r.result == R.SETTLED),
        },
    )
    return PayoutImport(payout, rows, created=True, mapping=columns)


def recheck_payout(payout: MarketplacePayout, by: Actor) -> list[PayoutRow]:
    """Settle again the rows that were not settled; settled and already-settled rows stay."""
    rows = list(payout.rows.select_related("order").order_by("row_number"))
    open_rows = [r for r in rows if r.result in UNSETTLED]
    with transaction.atomic():
        _settle(payout.shop, by, open_rows, channel=payout.channel, apply=True)
        for row in open_rows:
            row.save(update_fields=["order", "expected_amount", "result", "column", "message"])
    return rows


def _positions(table: Table, channel: str, columns: dict[str, str]) -> dict[str, int]:
    positions = {}
    for field, header in columns.items():
        index = table.index_of(header)
        if index is None:
            raise FileRejected(
                _("แถว 1: ไม่พบคอลัมน์ '%(h)s' ที่ตั้งไว้สำหรับ %(f)s") % {"h": header, "f": field},
                fields={f"row[1].{header}": "missing_column", f"mapping.{field}": "not_in_file"},
                row=1,
                column=header,
                columns=table.headers,
            )
        positions[field] = index
    for field, index in table.columns(aliases(channel)).items():
        positions.setdefault(field, index)
    missing = [f for f in REQUIRED if f not in positions]
    if missing:
        raise FileRejected(
            _("แถว 1: ไม่พบคอลัมน์ %(c)s: ตั้ง mapping ให้ช่องทางนี้") % {"c": ", ".join(missing)},
            fields={f"row[1].{f}": "missing_column" for f in missing},
            row=1,
            columns=table.headers,
        )
    return positions


def _signed(value, *, row: int, column: str):
    """Baht that may be written negative (`-12.50`, `(12.50)`): platforms show fees as
    deductions. None for a blank cell."""
    text = cell_text(value).replace(" ", "")
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    if negative:
        value = text.lstrip("-").removeprefix("(").removesuffix(")")
    amount = cell_amount(value, row=row, column=column)
    return -amount if negative and amount is not None else amount


def _read_rows(shop: Shop, table: Table, positions: dict[str, int]) -> list[PayoutRow]:
    """Every order row as the platform wrote it; an unreadable amount or date refuses the
    file, naming its row and column."""
    names = {field: table.headers[index] or field for field, index in positions.items()}
    rows = []
    for number, cells in table.rows:
        value = {field: cell(cells, index) for field, index in positions.items()}
        external_id = cell_text(value.get("external_id"))
        if not external_id:
            continue  # a totals line, a note or a blank line between blocks
        if len(external_id) > MAX_EXTERNAL_ID:
            raise cell_error(number, names["external_id"], "too_long", _("เลขออเดอร์ยาวเกินไป"))
        money = {
            field: _signed(value.get(field), row=number, column=names.get(field, field))
            for field in ("order_amount", "net_paid", *FEES, "shipping_subsidy", "vat_on_fees")
        }
        if money["order_amount"] is None and money["net_paid"] is None:
            continue  # a label without money: a heading or a totals caption
        for field in ("order_amount", "net_paid"):
            if money[field] is None:
                raise cell_error(number, names[field], "required", _("ไม่มียอดเงิน"))
        fees = {f: abs(money[f] or ZERO) for f in FEES}
        row = PayoutRow(
            shop=shop,
            row_number=number,
            external_id=external_id,
            order_amount=money["order_amount"],
            shipping_subsidy=abs(money["shipping_subsidy"] or ZERO),
            net_paid=money["net_paid"],
            payout_date=cell_date(
                value.get("payout_date"),
                row=number,
                column=names.get("payout_date", "payout_date"),
            ),
            result=R.UNKNOWN_ORDER,
            **fees,
        )
        given_vat = money["vat_on_fees"]
        if not shop.vat_registered:
            row.vat_on_fees = ZERO  # a shop outside VAT cannot claim it: all of it is the fee
        elif given_vat is not None:
            row.vat_on_fees = abs(given_vat)
        else:
            row.vat_on_fees = vat_in_fees(shop=shop, fees=row.fees)
        row.column_names = names  # for messages naming the file's own headers
        rows.append(row)
    return rows


def _settle(shop: Shop, by: Actor, rows: list[PayoutRow], *, channel: str, apply: bool) -> None:
    """Give each row its result; when applying, settle each matched order (in order-id order,
    so two reports settling at once lock their orders in the same order)."""
    orders = _orders(shop, channel, {r.external_id for r in rows})
    owed = marketplace_owed(shop=shop, order_ids=[o.pk for o in orders.values()])
    settled_before = set(
        PayoutRow.objects.for_shop(shop)
        .filter(order__in=list(orders.values()), result=R.SETTLED)
        .values_list("order_id", flat=True)
    )
    settled_here: set[int] = set()
    # Row messages are kept with the payout: in the shop's language (Thai), not in the
    # language of whoever happened to upload it.
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows:
            _classify(row, orders, owed, settled_before | settled_here)
            if row.result == R.SETTLED:
                settled_here.add(row.order_id)
        if not apply:
            return
        for row in sorted((r for r in rows if r.result == R.SETTLED), key=lambda r: r.order_id):
            _pay_out(by, row)


def _column(row: PayoutRow, field: str) -> str:
    names = getattr(row, "column_names", None) or {}
    return (names.get(field) or field)[:100]


def _classify(row: PayoutRow, orders, owed, settled: set[int]) -> None:
    row.order, row.expected_amount, row.column, row.message = None, None, "", ""
    order = orders.get(row.external_id)
    if order is None:
        row.result, row.column = R.UNKNOWN_ORDER, _column(row, "external_id")
        row.message = _("ไม่พบออเดอร์เลข %(e)s ในช่องทางนี้") % {"e": row.external_id}
        return
    row.order, row.expected_amount = order, owed.get(order.pk, ZERO)
    if order.pk in settled:
        row.result = R.ALREADY_SETTLED
        row.message = _("ออเดอร์ %(o)s รับเงินจากแพลตฟอร์มแล้ว") % {"o": order.number}
    elif row.order_amount != row.expected_amount:
        row.result, row.column = R.AMOUNT_MISMATCH, _column(row, "order_amount")
        row.message = _("แพลตฟอร์มแจ้งยอด %(got)s แต่ยอดค้างรับของออเดอร์คือ %(want)s") % {
            "got": f"{row.order_amount:.2f}",
            "want": f"{row.expected_amount:.2f}",
        }
    elif row.net_paid != row.order_amount - row.fees + row.shipping_subsidy:
        row.result, row.column = R.AMOUNT_MISMATCH, _column(row, "net_paid")
        row.message = _("ยอดโอน %(net)s ไม่เท่ากับ ยอดออเดอร์ − ค่าธรรมเนียม + ส่วนลดค่าส่ง (%(calc)s)") % {
            "net": f"{row.net_paid:.2f}",
            "calc": f"{row.order_amount - row.fees + row.shipping_subsidy:.2f}",
        }
    elif row.vat_on_fees > row.fees:
        row.result, row.column = R.AMOUNT_MISMATCH, _column(row, "vat_on_fees")
        row.message = _("VAT %(v)s มากกว่าค่าธรรมเนียม %(f)s") % {
            "v": f"{row.vat_on_fees:.2f}",
            "f": f"{row.fees:.2f}",
        }
    else:
        row.result = R.SETTLED


def _pay_out(by: Actor, row: PayoutRow) -> None:
    """One matched row in the books, or nothing of it: the books refused it (settled by
    another upload since the check, say) and the row says why."""
    try:
        with transaction.atomic():
            post_marketplace_payout(
                order=row.order,
                order_amount=row.order_amount,
                fees=row.fees,
                vat_on_fees=row.vat_on_fees,
                shipping_subsidy=row.shipping_subsidy,
                by=by,
                source_id=f"{row.payout_id or ''}:{row.row_number}",
                day=row.payout_date,
            )
    except TaladError as exc:
        row.result, row.column = R.AMOUNT_MISMATCH, _column(row, "order_amount")
        row.message = (_("บัญชี: %(m)s") % {"m": exc.message})[:300]


def _orders(shop: Shop, channel: str, external_ids: set[str]) -> dict[str, Order]:
    found: dict[str, Order] = {}
    for chunk in chunked(external_ids - {""}):
        for order in Order.objects.for_shop(shop).filter(channel=channel, external_id__in=chunk):
            found[order.external_id] = order
    return found
