"""Settling a COD statement row that did not match (docs/design/shipping.md#statements-remittance).

"ขนส่งแจ้งยอด 700.00 แต่ยอด COD ของพัสดุคือ 705.00": the seller either accepts what the
carrier paid — the order's COD becomes remitted and the baht kept back is booked as a COD
shortfall (a loss) or a claim on the carrier (still owed, outside the COD receivable) — or
marks the row disputed with a note; the order then stays COD collected, so it is still in
the outstanding COD report and the stuck-order monitor until the carrier pays it.
Both are audited and each is one transaction with the statement locked, so a re-upload of
the same file waits for it and then leaves the settled row alone.
"""

from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talad.errors import Conflict, NotFound, TaladError
from talad.money import parse_amount
from talad.orders.services import record_cod_remittance
from talad.payments.models import (
    CodStatement,
    CodStatementRow,
    RemittanceResult,
    ShortfallBooking,
)
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

R = RemittanceResult
MAX_NOTE = 500


class RowAlreadySettled(Conflict):
    code = "row_not_open"


def accept_cod_shortfall(
    *,
    shop: Shop,
    by: Actor,
    statement_id: int,
    row_number: int,
    booked_as: str,
    note: str = "",
) -> CodStatementRow:
    """Take the carrier's payout for a mismatched (or disputed) row as final.

    The shortfall is the parcel's COD less what the carrier accounted for (net paid + fee +
    VAT on the fee). A carrier that paid more than the parcel's COD is not a shortfall: that
    row can only be disputed until the carrier corrects it."""
    require(by, "reconcile_cod")
    if booked_as not in ShortfallBooking.values:
        raise TaladError(
            _("เลือกว่าจะบันทึกยอดที่ขาดเป็นค่าใช้จ่ายหรือเรียกเก็บจากขนส่ง"),
            fields={"booked_as": "invalid"},
            allowed=list(ShortfallBooking.values),
        )
    note = _clean_note(note, required=False)
    with transaction.atomic():
        row = _open_row(shop, statement_id, row_number, settleable=(R.AMOUNT_MISMATCH, R.DISPUTED))
        expected = row.expected_amount
        if row.order_id is None or expected is None:
            raise RowAlreadySettled(
                _("แถว %(r)s ไม่มีพัสดุที่จับคู่ได้") % {"r": row.row_number},
                fields={"row": "no_parcel"},
            )
        accounted = row.net_amount + row.fee + row.vat_on_fee
        shortfall = expected - accounted
        if shortfall < 0:
            raise TaladError(
                _("ขนส่งโอนมากกว่ายอด COD ของพัสดุ %(d)s บาท: ทำเครื่องหมายโต้แย้งแทน")
                % {"d": f"{-shortfall:.2f}"},
                fields={"row": "overpaid"},
            )
        reference = row.reference or row.statement.reference
        record_cod_remittance(
            order=row.order,
            by=by,
            amount=accounted,
            fee=row.fee,
            vat_on_fee=row.vat_on_fee,
            reference=reference,
        )
        _post_to_books(shop, row, by, expected, shortfall, booked_as, reference)
        before = row.result
        row.result = R.ACCEPTED
        row.shortfall, row.shortfall_booked_as = shortfall, booked_as
        _mark_settled(row, by, note)
        record_audit(
            shop=shop,
            by=by,
            action="cod_row.accepted",
            obj=row,
            before={"result": before},
            after={
                "result": R.ACCEPTED,
                "order": row.order.number,
                "expected": f"{expected:.2f}",
                "paid": f"{row.net_amount:.2f}",
                "shortfall": f"{shortfall:.2f}",
                "booked_as": booked_as,
                "note": note,
            },
        )
    return row


def dispute_cod_row(
    *, shop: Shop, by: Actor, statement_id: int, row_number: int, note: str
) -> CodStatementRow:
    """Mark a mismatched row as taken up with the carrier; the order's COD stays owed."""
    require(by, "reconcile_cod")
    note = _clean_note(note, required=True)
    with transaction.atomic():
        row = _open_row(shop, statement_id, row_number, settleable=(R.AMOUNT_MISMATCH, R.DISPUTED))
        before = {"result": row.result, "note": row.note}
        row.result = R.DISPUTED
        _mark_settled(row, by, note)
        record_audit(
            shop=shop,
            by=by,
            action="cod_row.disputed",
            obj=row,
            before=before,
            after={"result": R.DISPUTED, "note": note},
        )
    return row


def _open_row(shop: Shop, statement_id: int, row_number: int, *, settleable) -> CodStatementRow:
    """The row, with its statement locked first (the order a statement upload locks in)."""
    statement = (
        CodStatement.objects.for_shop(shop).select_for_update().filter(pk=statement_id).first()
    )
    row = (
        CodStatementRow.objects.for_shop(shop)
        .select_related("order", "statement")
        .filter(statement=statement, row_number=row_number)
        .first()
        if statement is not None
        else None
    )
    if row is None:
        raise NotFound(_("ไม่พบแถว %(r)s ในใบแจ้งยอดนี้") % {"r": row_number})
    if row.result not in settleable:
        raise RowAlreadySettled(
            _("แถว %(r)s ไม่ใช่แถวที่ยอดไม่ตรง (%(s)s)")
            % {"r": row.row_number, "s": row.get_result_display()},
            fields={"row": "not_a_mismatch"},
            result=row.result,
        )
    return row


def _clean_note(note, *, required: bool) -> str:
    note = " ".join(str(note or "").split())
    if required and not note:
        raise TaladError(_("ใส่หมายเหตุว่าโต้แย้งเรื่องอะไร"), fields={"note": "required"})
    if len(note) > MAX_NOTE:
        raise TaladError(
            _("หมายเหตุยาวเกิน %(n)s ตัวอักษร") % {"n": MAX_NOTE}, fields={"note": "too_long"}
        )
    return note


def _mark_settled(row: CodStatementRow, by: Actor, note: str) -> None:
    row.note = note
    row.settled_at = timezone.now()
    row.settled_by_id = by.user_id
    row.settled_actor = by.label[:80]
    row.save(
        update_fields=[
            "result",
            "shortfall",
            "shortfall_booked_as",
            "note",
            "settled_at",
            "settled_by",
            "settled_actor",
        ]
    )


def _post_to_books(shop, row, by, expected: Decimal, shortfall: Decimal, booked_as, reference):
    """BANK (net paid), COD fee, input VAT, the shortfall / the carrier's COD receivable for
    the parcel's whole COD. Without the accounting app there are no books to post to."""
    if not apps.is_installed("talad.accounting"):
        return
    from talad.accounting.models import AccountRole
    from talad.accounting.services import post_cod_remittance

    post_cod_remittance(
        shop=shop,
        order=row.order,
        amount=parse_amount(expected, "amount"),
        fee=row.fee,
        vat_on_fee=row.vat_on_fee,
        by=by,
        reference=reference,
        shortfall=shortfall,
        shortfall_role=(
            AccountRole.CARRIER_CLAIMS
            if booked_as == ShortfallBooking.CARRIER_CLAIM
            else AccountRole.COD_SHORTFALL
        ),
    )
