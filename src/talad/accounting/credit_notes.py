"""Credit notes (ใบลดหนี้, s.86/10): some lines or an amount off an issued tax invoice.

A credit note states the original's value, the corrected value, the difference and its VAT,
and one of the reasons of s.82/10. It can never take off more than is left of the original.
The credit note that takes off all that is left takes exactly the VAT that is left, so a
cancelled sale comes back to zero to the satang.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talad.accounting.books import in_thai
from talad.accounting.documents import create_document
from talad.accounting.errors import CreditTooLarge, DocumentNotAllowed
from talad.accounting.journal import post_journal_entry
from talad.accounting.models import (
    TAX_INVOICES,
    CreditReason,
    Document,
    DocumentLine,
    DocumentType,
    LineKind,
    SourceType,
)
from talad.accounting.postings import bases, refund_role, revenue_postings
from talad.accounting.selectors import credited
from talad.accounting.vat import document_totals
from talad.errors import TaladError
from talad.money import parse_amount
from talad.orders.services import lock_order
from talad.shops.actors import Actor
from talad.shops.permissions import require

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def issue_credit_note(
    *,
    document: Document,
    by: Actor,
    reason_code: str,
    reason_text: str = "",
    lines: list[dict] | None = None,
    amount=None,
) -> Document:
    """Credit `lines` (`[{line_id, quantity?}]`, all of a line by default) or an `amount`
    (in the original's price basis: with VAT when its prices include VAT)."""
    require(by, "issue_documents")
    with transaction.atomic():
        if document.order_id:
            lock_order(document.order.shop, document.order_id)
        original = (
            Document.objects.for_shop(document.shop_id)
            .select_for_update(of=("self",))
            .select_related("shop", "order")
            .get(pk=document.pk)
        )
        return credit_document(
            original=original,
            by=by,
            reason_code=reason_code,
            reason_text=reason_text,
            lines=lines,
            amount=amount,
        )


def credit_document(
    *,
    original: Document,
    by: Actor,
    reason_code: str,
    reason_text: str = "",
    lines: list[dict] | None = None,
    amount=None,
) -> Document:
    """Inside a transaction holding the order's (and the original's) lock."""
    shop = original.shop
    _check_creditable(original)
    reason_code, reason_text = _reason(reason_code, reason_text)
    credit_lines = _credit_lines(original, lines, amount)
    basis = sum((line["amount"] for line in credit_lines), ZERO)
    already = credited(original)
    remaining = original.basis_amount - already.basis
    field = "amount" if lines is None else "lines"
    if basis <= 0:
        raise TaladError(_("ยอดลดหนี้ต้องมากกว่าศูนย์"), fields={field: "must_be_positive"})
    if basis > remaining:
        raise CreditTooLarge(
            _("ลดหนี้ได้ไม่เกิน %(r)s (คงเหลือของ %(n)s)") % {"r": remaining, "n": original.number},
            fields={field: "exceeds_remaining"},
            remaining=f"{remaining:.2f}",
        )
    if basis == remaining:
        net, vat = original.net_amount - already.net, original.vat_amount - already.vat
    else:
        totals = document_totals(
            amounts=[basis],
            vat_rate=original.vat_rate,
            prices_include_vat=original.prices_include_vat,
        )
        net, vat = totals.net, totals.vat
    note = create_document(
        shop=shop,
        doc_type=DocumentType.CREDIT_NOTE,
        order=original.order,
        by=by,
        lines=credit_lines,
        buyer={
            "buyer_name": original.buyer_name,
            "buyer_address": original.buyer_address,
            "buyer_tax_id": original.buyer_tax_id,
            "buyer_branch_code": original.buyer_branch_code,
        },
        vat_rate=original.vat_rate,
        prices_include_vat=original.prices_include_vat,
        net=net,
        vat=vat,
        original=original,
        original_value=original.net_amount,
        corrected_value=original.net_amount - already.net - net,
        reason_code=reason_code,
        reason_text=reason_text,
    )
    goods, shipping = bases(credit_lines)
    post_journal_entry(
        shop=shop,
        description=f"{in_thai(DocumentType.CREDIT_NOTE.label)} {note.number} ({original.number})",
        postings=revenue_postings(
            net=note.net_amount,
            vat=note.vat_amount,
            goods_basis=goods,
            shipping_basis=shipping,
            money_role=refund_role(original.order, note.total_amount),
            undo=True,
        ),
        source_type=SourceType.DOCUMENT,
        source_id=str(note.pk),
        by=by,
        day=note.issue_date,
        order=original.order,
        document=note,
    )
    return note


def may_credit(original: Document) -> bool:
    return original.doc_type in TAX_INVOICES and original.shop.vat_registered


def _check_creditable(original: Document) -> None:
    if original.doc_type not in TAX_INVOICES:
        raise DocumentNotAllowed(
            _("ใบลดหนี้ออกได้เฉพาะสำหรับใบกำกับภาษี (%(n)s เป็น%(t)s)")
            % {"n": original.number, "t": original.get_doc_type_display()},
            fields={"document": "not_a_tax_invoice"},
        )
    if not original.shop.vat_registered:
        raise DocumentNotAllowed(
            _("ร้านที่ไม่ได้จดทะเบียนภาษีมูลค่าเพิ่มออกใบลดหนี้ไม่ได้"),
            fields={"type": "needs_vat_registration"},
        )


def _reason(code, text) -> tuple[str, str]:
    if code not in CreditReason.values:
        raise TaladError(
            _("เหตุผลการลดหนี้ต้องเป็นหนึ่งใน %(c)s") % {"c": ", ".join(CreditReason.values)},
            fields={"reason_code": "unknown"},
        )
    text = str(text or "").strip()[:500]
    if code == CreditReason.OTHER and not text:
        raise TaladError(_("ระบุเหตุผลการลดหนี้"), fields={"reason_text": "required"})
    return code, text


def _credit_lines(original: Document, lines, amount) -> list[dict]:
    if (lines is None) == (amount is None):
        raise TaladError(
            _("ระบุรายการ (lines) หรือจำนวนเงิน (amount) อย่างใดอย่างหนึ่ง"),
            fields={"lines": "lines_or_amount"},
        )
    if amount is not None:
        value = parse_amount(amount, "amount")
        return [
            {
                "kind": LineKind.ADJUSTMENT,
                "sku": "",
                "description": in_thai(gettext_lazy("ลดหนี้ตาม %(n)s")) % {"n": original.number},
                "quantity": 1,
                "unit_price": value,
                "discount": ZERO,
                "amount": value,
            }
        ]
    if not isinstance(lines, list) or not lines:
        raise TaladError(_("ต้องระบุอย่างน้อยหนึ่งรายการ"), fields={"lines": "required"})
    by_id = {line.pk: line for line in original.lines.all()}
    taken = {
        row["original_line"]: row
        for row in DocumentLine.objects.for_shop(original.shop_id)
        .filter(original_line__in=list(by_id))
        .order_by()
        .values("original_line")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
    }
    seen = set()
    result = []
    for index, item in enumerate(lines):
        field = f"lines[{index}]"
        line = by_id.get(item.get("line_id")) if isinstance(item, dict) else None
        if line is None:
            raise TaladError(
                _("ไม่มีรายการนี้ในเอกสาร %(n)s") % {"n": original.number},
                fields={f"{field}.line_id": "unknown"},
            )
        if line.pk in seen:
            raise TaladError(_("รายการซ้ำ"), fields={f"{field}.line_id": "duplicate"})
        seen.add(line.pk)
        result.append(_credit_line(line, item.get("quantity"), taken.get(line.pk), field))
    return result


def _credit_line(line: DocumentLine, quantity, taken: dict | None, field: str) -> dict:
    taken_quantity = taken["quantity"] if taken else 0
    taken_amount = taken["amount"] if taken else ZERO
    left = line.quantity - taken_quantity
    quantity = left if quantity is None else quantity
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= left:
        raise CreditTooLarge(
            _("ลดหนี้รายการนี้ได้ไม่เกิน %(n)s ชิ้น") % {"n": left},
            fields={f"{field}.quantity": "exceeds_remaining"},
            remaining_quantity=left,
        )
    if quantity == left:
        amount = line.amount - taken_amount
    else:
        amount = (line.amount * quantity / line.quantity).quantize(CENT, ROUND_HALF_UP)
    return {
        "kind": line.kind,
        "sku": line.sku,
        "description": line.description,
        "quantity": quantity,
        "unit_price": line.unit_price,
        "discount": max(line.unit_price * quantity - amount, ZERO),
        "amount": amount,
        "original_line": line,
    }
