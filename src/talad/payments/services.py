"""COD remittance: a carrier's statement matched parcel by parcel (docs/design/shipping.md#statements-remittance).

Each row is matched on the carrier and tracking number and gets one result:
`matched` (the order's payment status becomes `cod_remitted` through
orders.services.record_cod_remittance, and the books get the remittance), `amount_mismatch`,
`unknown_tracking`, `already_remitted` or `not_delivered`. A statement is one transaction;
the same file uploaded again with the same mapping re-checks the rows that were not settled
(a parcel delivered since, say) and changes nothing else.
"""

import hashlib
import json
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.orders.actions import normalise_tracking
from talad.orders.errors import CodNotCollected
from talad.orders.models import Order, PaymentStatus
from talad.orders.services import record_cod_remittance
from talad.payments.models import (
    ZERO,
    CodColumnMapping,
    CodStatement,
    CodStatementRow,
    RemittanceResult,
)
from talad.shipping.models import Shipment
from talad.shipping.registry import carriers_for
from talad.shipping.services import MAX_TRACKING
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
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

R = RemittanceResult

# The statement's fields, and the headers they are found under when no mapping is saved.
FIELDS = {
    "tracking": ("tracking_number", "tracking_no", "awb", "เลขพัสดุ", "หมายเลขพัสดุ"),
    "cod_amount": ("cod", "cod_amount", "amount", "ยอด_cod", "ยอดเก็บเงินปลายทาง", "ยอดเงิน"),
    "fee": ("cod_fee", "ค่าธรรมเนียม", "ค่าธรรมเนียม_cod"),
    "vat_on_fee": ("vat", "fee_vat", "ภาษีมูลค่าเพิ่ม", "vat_ค่าธรรมเนียม"),
    "net_amount": ("net", "net_amount", "transfer_amount", "ยอดโอน", "ยอดสุทธิ"),
    "transfer_date": ("transfer_date", "paid_date", "วันที่โอน", "วันที่โอนเงิน"),
    "statement_number": ("statement", "statement_no", "เลขที่ใบแจ้งยอด", "เลขที่รอบโอน"),
}
REQUIRED = ("tracking", "cod_amount")
UNSETTLED = (R.NOT_DELIVERED, R.UNKNOWN_TRACKING, R.AMOUNT_MISMATCH)


@dataclass
class StatementImport:
    statement: CodStatement | None  # None for a dry run
    rows: list[CodStatementRow]
    created: bool
    mapping: dict[str, str]


def clean_mapping(mapping) -> dict[str, str]:
    """{field: header}; only the statement's fields, each a header of at most 100 characters."""
    if mapping in (None, ""):
        return {}
    if isinstance(mapping, str):
        try:
            mapping = json.loads(mapping)
        except ValueError:
            raise TaladError(
                _("mapping ต้องเป็น JSON object"), fields={"mapping": "invalid_json"}
            ) from None
    if not isinstance(mapping, dict):
        raise TaladError(_("mapping ต้องเป็น JSON object"), fields={"mapping": "not_an_object"})
    clean = {}
    for field, header in mapping.items():
        if field not in FIELDS:
            raise TaladError(
                _("ไม่รู้จักช่อง '%(f)s' (ใช้ได้: %(k)s)") % {"f": field, "k": ", ".join(FIELDS)},
                fields={f"mapping.{field}": "unknown_field"},
            )
        if not isinstance(header, str) or not header.strip() or len(header) > 100:
            raise TaladError(_("ชื่อคอลัมน์ไม่ถูกต้อง"), fields={f"mapping.{field}": "invalid"})
        clean[field] = header.strip()
    return clean


def saved_mapping(shop: Shop, carrier: str) -> dict[str, str]:
    row = CodColumnMapping.objects.for_shop(shop).filter(carrier=carrier).first()
    return dict(row.columns) if row else {}


def import_statement(
    *,
    shop: Shop,
    by: Actor,
    carrier: str,
    content: bytes,
    filename: str = "",
    mapping=None,
    statement_number: str = "",
    dry_run: bool = False,
) -> StatementImport:
    """Read a carrier's COD statement and settle each parcel it pays out (unless `dry_run`).

    A mapping given here is saved for the carrier and used next time; without one, the
    carrier's saved mapping, then the usual header names, find the columns."""
    require(by, "reconcile_cod")
    carrier = _known_carrier(shop, carrier)
    given = clean_mapping(mapping)
    columns = given or saved_mapping(shop, carrier)
    table = read_table(content, filename=filename)
    positions = _positions(table, columns)
    rows = _read_rows(shop, table, positions)
    reference = str(statement_number or "").strip()[:100] or next(
        (r.reference for r in rows if r.reference), ""
    )
    fingerprint = hashlib.sha256(
        content + json.dumps([carrier, columns], sort_keys=True).encode()
    ).hexdigest()
    if dry_run:
        _settle(shop, by, rows, carrier=carrier, apply=False)
        return StatementImport(None, rows, created=False, mapping=columns)
    try:
        return _record(shop, by, carrier, given, columns, rows, reference, filename, fingerprint)
    except IntegrityError:
        # The same file (or this carrier's first mapping) arrived at the same moment from
        # another upload, which won: this one becomes a re-check of its statement.
        return _record(shop, by, carrier, given, columns, rows, reference, filename, fingerprint)


@transaction.atomic
def _record(shop, by, carrier, given, columns, rows, reference, filename, fingerprint):
    if given:
        CodColumnMapping.objects.for_shop(shop).update_or_create(
            shop=shop, carrier=carrier, defaults={"columns": given}
        )
    existing = (
        CodStatement.objects.for_shop(shop)
        .select_for_update()
        .filter(fingerprint=fingerprint)
        .first()
    )
    if existing is not None:
        return StatementImport(
            existing, recheck_statement(existing, by), created=False, mapping=columns
        )
    statement = CodStatement.objects.create(
        shop=shop,
        carrier=carrier,
        reference=reference,
        file_name=(filename or "")[:255],
        fingerprint=fingerprint,
        user_id=by.user_id,
        actor=by.label[:80],
    )
    for row in rows:
        row.statement = statement
    _settle(shop, by, rows, carrier=carrier, apply=True)
    CodStatementRow.objects.bulk_create(rows)
    return StatementImport(statement, rows, created=True, mapping=columns)


def recheck_statement(statement: CodStatement, by: Actor) -> list[CodStatementRow]:
    """Settle again the rows that were not settled; matched and already-remitted rows stay."""
    rows = list(statement.rows.order_by("row_number"))
    open_rows = [r for r in rows if r.result in UNSETTLED]
    with transaction.atomic():
        _settle(statement.shop, by, open_rows, carrier=statement.carrier, apply=True)
        for row in open_rows:
            row.save(update_fields=["order", "expected_amount", "result", "message"])
    return rows


def _known_carrier(shop: Shop, code) -> str:
    registry = carriers_for(shop)
    code = str(code or "").strip()
    if code not in registry:
        raise TaladError(
            _("ไม่รู้จักขนส่ง '%(c)s'") % {"c": code},
            fields={"carrier": "unknown_carrier"},
            known=sorted(registry),
        )
    return code


def _positions(table: Table, columns: dict[str, str]) -> dict[str, int]:
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
    for field, index in table.columns(FIELDS).items():
        positions.setdefault(field, index)
    missing = [f for f in REQUIRED if f not in positions]
    if missing:
        raise FileRejected(
            _("แถว 1: ไม่พบคอลัมน์ %(c)s: ตั้ง mapping ให้ขนส่งนี้") % {"c": ", ".join(missing)},
            fields={f"row[1].{f}": "missing_column" for f in missing},
            row=1,
            columns=table.headers,
        )
    return positions


def _read_rows(shop: Shop, table: Table, positions: dict[str, int]) -> list[CodStatementRow]:
    """Every row as the carrier wrote it; an unreadable amount or date refuses the file."""
    names = {field: table.headers[index] or field for field, index in positions.items()}
    rows = []
    for number, cells in table.rows:
        value = {field: cell(cells, index) for field, index in positions.items()}
        tracking = normalise_tracking(cell_text(value.get("tracking")))
        cod = cell_amount(value.get("cod_amount"), row=number, column=names["cod_amount"])
        if not tracking and cod is None:
            continue  # a note or a blank line between blocks
        if cod is None:
            raise cell_error(number, names["cod_amount"], "required", _("ไม่มียอด COD"))
        if len(tracking) > MAX_TRACKING:
            raise cell_error(number, names["tracking"], "too_long", _("เลขพัสดุยาวเกินไป"))
        fee, vat, net = (
            cell_amount(value.get(f), row=number, column=names.get(f, f), blank=blank)
            for f, blank in (("fee", ZERO), ("vat_on_fee", ZERO), ("net_amount", None))
        )
        rows.append(
            CodStatementRow(
                shop=shop,
                row_number=number,
                tracking_number=tracking,
                cod_amount=cod,
                fee=fee,
                vat_on_fee=vat,
                net_amount=cod - fee - vat if net is None else net,
                transfer_date=cell_date(
                    value.get("transfer_date"),
                    row=number,
                    column=names.get("transfer_date", "transfer_date"),
                ),
                reference=cell_text(value.get("statement_number"))[:100],
                result=R.UNKNOWN_TRACKING,
            )
        )
    return rows


def _settle(
    shop: Shop, by: Actor, rows: list[CodStatementRow], *, carrier: str, apply: bool
) -> None:
    """Give each row its result; when applying, pay out each matched order (in order-id
    order, so two statements settling at once lock their orders in the same order)."""
    shipments = _shipments(shop, {r.tracking_number for r in rows})
    remitted_here: set[int] = set()
    # Row messages are kept with the statement: in the shop's language (Thai), not in the
    # language of whoever happened to upload it.
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows:
            _classify(row, carrier, shipments, remitted_here)
            if row.result == R.MATCHED:
                remitted_here.add(row.order_id)
        if not apply:
            return
        for row in sorted((r for r in rows if r.result == R.MATCHED), key=lambda r: r.order_id):
            _pay_out(shop, by, row)


def _classify(row, carrier, shipments, remitted_here) -> None:
    row.order, row.expected_amount, row.message = None, None, ""
    if not row.tracking_number:
        row.result, row.message = R.UNKNOWN_TRACKING, _("ไม่มีเลขพัสดุที่ใช้ได้")
        return
    parcels = shipments.get(row.tracking_number, [])
    parcel = next((s for s in parcels if s.carrier == carrier), None)
    if parcel is None:
        row.result = R.UNKNOWN_TRACKING
        if parcels:
            other = parcels[0]
            row.message = _("เลขนี้เป็นพัสดุ %(c)s ของออเดอร์ %(o)s") % {
                "c": other.carrier,
                "o": other.order.number,
            }
        else:
            row.message = _("ไม่พบพัสดุเลข %(t)s") % {"t": row.tracking_number}
        return
    order = parcel.order
    row.order, row.expected_amount = order, parcel.cod_amount
    if order.payment_status == PaymentStatus.COD_REMITTED or order.pk in remitted_here:
        row.result, row.message = (
            R.ALREADY_REMITTED,
            _("ออเดอร์ %(o)s รับเงิน COD แล้ว") % {"o": order.number},
        )
    elif order.payment_status != PaymentStatus.COD_COLLECTED:
        row.result = R.NOT_DELIVERED
        row.message = _("ออเดอร์ %(o)s: %(s)s / %(p)s") % {
            "o": order.number,
            "s": order.get_status_display(),
            "p": order.get_payment_status_display(),
        }
    elif row.cod_amount != parcel.cod_amount:
        row.result = R.AMOUNT_MISMATCH
        row.message = _("ขนส่งแจ้งยอด %(got)s แต่ยอด COD ของพัสดุคือ %(want)s") % {
            "got": f"{row.cod_amount:.2f}",
            "want": f"{parcel.cod_amount:.2f}",
        }
    elif row.net_amount != row.cod_amount - row.fee - row.vat_on_fee:
        row.result = R.AMOUNT_MISMATCH
        row.message = _("ยอดโอน %(net)s ไม่เท่ากับ COD − ค่าธรรมเนียม − VAT (%(calc)s)") % {
            "net": f"{row.net_amount:.2f}",
            "calc": f"{row.cod_amount - row.fee - row.vat_on_fee:.2f}",
        }
    else:
        row.result = R.MATCHED


def _pay_out(shop: Shop, by: Actor, row: CodStatementRow) -> None:
    """One matched row: the order's payment status and the books, together or not at all."""
    reference = row.reference or (row.statement.reference if row.statement_id else "")
    try:
        with transaction.atomic():
            record_cod_remittance(
                order=row.order,
                by=by,
                amount=row.cod_amount,
                fee=row.fee,
                vat_on_fee=row.vat_on_fee,
                reference=reference,
            )
            post_remittance_to_books(
                shop=shop, order=row.order, row=row, by=by, reference=reference
            )
    except CodNotCollected as exc:  # settled by someone else since the check
        paid = exc.extra.get("payment_status") == PaymentStatus.COD_REMITTED
        row.result = R.ALREADY_REMITTED if paid else R.NOT_DELIVERED
        row.message = exc.message
    except TaladError as exc:  # the books refused the amount: nothing of this row was kept
        row.result = R.AMOUNT_MISMATCH
        row.message = (_("บัญชี: %(m)s") % {"m": exc.message})[:300]


def post_remittance_to_books(*, shop: Shop, order: Order, row, by: Actor, reference: str) -> None:
    """The seam to accounting (issue 6): BANK, COD_FEE, INPUT_VAT / AR_COD_CARRIER, in the
    row's transaction. Without the accounting app installed there are no books to post to."""
    if not apps.is_installed("talad.accounting"):
        return
    from talad.accounting.services import post_cod_remittance

    post_cod_remittance(
        shop=shop,
        order=order,
        amount=row.cod_amount,
        fee=row.fee,
        vat_on_fee=row.vat_on_fee,
        by=by,
        reference=reference,
    )


def _shipments(shop: Shop, numbers: set[str]) -> dict[str, list[Shipment]]:
    found: dict[str, list[Shipment]] = {}
    for chunk in chunked(numbers - {""}):
        for shipment in (
            Shipment.objects.for_shop(shop)
            .filter(tracking_number__in=chunk, active=True)
            .select_related("order")
        ):
            found.setdefault(shipment.tracking_number, []).append(shipment)
    return found
