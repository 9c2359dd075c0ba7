"""Issuing sales documents: the legal fields of
docs/design/money.md#thai-tax-document-legal-fields snapshotted, a gap-free number taken in
the same transaction, and the sale's journal entry.

An order has at most one sales document that no credit note has cancelled: issuing a
second one would count the sale twice.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talad.accounting.books import (
    accounting_settings,
    allowed_document_types,
    in_thai,
    number_pattern,
)
from talad.accounting.errors import DocumentAlreadyIssued, DocumentNotAllowed
from talad.accounting.journal import post_journal_entry
from talad.accounting.models import (
    Document,
    DocumentLine,
    DocumentType,
    LineKind,
    SourceType,
)
from talad.accounting.numbering import next_document_number
from talad.accounting.postings import bases, revenue_postings, sale_debit_role
from talad.accounting.selectors import open_sales_documents
from talad.accounting.signals import document_issued
from talad.accounting.vat import document_totals
from talad.errors import Conflict, TaladError
from talad.orders.models import Order, Status
from talad.orders.services import lock_order
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

ZERO = Decimal("0.00")
CLOSED = frozenset({Status.CANCELLED, Status.RETURNED})


def issue_document(*, order: Order, doc_type: str, by: Actor) -> Document:
    """Issue a sales document for an order by hand (any time the order is not closed)."""
    require(by, "issue_documents")
    with transaction.atomic():
        # The order row locked first, as transition() does, so issuing and actions queue.
        locked = lock_order(order.shop, order.pk)
        return issue_sales_document(order=locked, doc_type=doc_type, by=by)


def issue_sales_document(
    *, order: Order, doc_type: str, by: Actor, money_role: str | None = None
) -> Document:
    """Inside a transaction holding the order's lock. `money_role` is where the money is
    when the document is issued at payment or delivery; by hand, the order's entries tell."""
    shop = order.shop
    check_may_issue(shop, doc_type)
    if order.status in CLOSED:
        raise Conflict(
            _("ออเดอร์ %(n)s ปิดแล้ว (%(s)s): ออกเอกสารไม่ได้")
            % {"n": order.number, "s": order.get_status_display()},
            fields={"order": "closed"},
        )
    if issued := open_sales_documents(order):
        raise DocumentAlreadyIssued(
            _("ออเดอร์ %(o)s มีเอกสาร %(d)s แล้ว") % {"o": order.number, "d": issued[0].number},
            fields={"type": "already_issued"},
            document_id=issued[0].pk,
            number=issued[0].number,
        )
    lines = _order_lines(order)
    totals = document_totals(
        amounts=[line["amount"] for line in lines],
        discount=order.discount,
        vat_rate=shop.vat_rate if shop.vat_registered else ZERO,
        prices_include_vat=order.prices_include_vat,
    )
    document = create_document(
        shop=shop,
        doc_type=doc_type,
        order=order,
        by=by,
        lines=lines,
        buyer=buyer_of(order),
        vat_rate=shop.vat_rate if shop.vat_registered else ZERO,
        prices_include_vat=order.prices_include_vat,
        discount=order.discount,
        net=totals.net,
        vat=totals.vat,
    )
    goods, shipping = bases(lines)
    post_journal_entry(
        shop=shop,
        description=f"{in_thai(DocumentType(document.doc_type).label)} {document.number} ({order.number})",
        postings=revenue_postings(
            net=document.net_amount,
            vat=document.vat_amount,
            goods_basis=goods,
            shipping_basis=shipping,
            money_role=money_role or sale_debit_role(order, document.total_amount),
        ),
        source_type=SourceType.DOCUMENT,
        source_id=str(document.pk),
        by=by,
        day=document.issue_date,
        order=order,
        document=document,
    )
    return document


def check_may_issue(shop: Shop, doc_type: str) -> None:
    if doc_type not in DocumentType.values:
        raise DocumentNotAllowed(
            _("ไม่รู้จักประเภทเอกสาร '%(t)s'") % {"t": doc_type},
            fields={"type": "unknown"},
            known=sorted(DocumentType.values),
        )
    if doc_type == DocumentType.CREDIT_NOTE:
        raise DocumentNotAllowed(
            _("ใบลดหนี้ออกจากเอกสารเดิม (POST /api/v1/documents/{id}/credit-notes)"),
            fields={"type": "credit_note_needs_original"},
        )
    if doc_type not in allowed_document_types(shop):
        raise DocumentNotAllowed(
            _("ร้านที่ไม่ได้จดทะเบียนภาษีมูลค่าเพิ่มออกได้เฉพาะใบเสร็จรับเงินและใบแจ้งหนี้"),
            fields={"type": "needs_vat_registration"},
        )
    if shop.vat_registered and not shop.tax_id:
        raise DocumentNotAllowed(
            _("ใส่เลขประจำตัวผู้เสียภาษีของร้านก่อนออกเอกสาร"), fields={"shop.tax_id": "required"}
        )


def may_issue_automatically(shop: Shop) -> bool:
    """A VAT-registered shop without its tax ID cannot issue a valid tax invoice: the order
    action goes on and the books record the money as a deposit until a document is issued."""
    return not (shop.vat_registered and not shop.tax_id)


def create_document(
    *,
    shop: Shop,
    doc_type: str,
    order: Order | None,
    by: Actor,
    lines: list[dict],
    buyer: dict,
    vat_rate: Decimal,
    prices_include_vat: bool,
    net: Decimal,
    vat: Decimal,
    discount: Decimal = ZERO,
    **credit_fields,
) -> Document:
    """Number and write a document and its lines; the seller is the shop as it is now."""
    books = accounting_settings(shop)
    day = timezone.localdate()
    number, period, seq = next_document_number(
        shop=shop, doc_type=doc_type, pattern=number_pattern(books, doc_type), day=day
    )
    document = Document.objects.create(
        shop=shop,
        doc_type=doc_type,
        number=number,
        period=period,
        sequence=seq,
        order=order,
        issue_date=day,
        issued_at=timezone.now(),
        seller_name=shop.name,
        seller_address=shop.address,
        seller_tax_id=shop.tax_id,
        seller_branch_code=shop.branch_code,
        **buyer,
        vat_rate=vat_rate,
        prices_include_vat=prices_include_vat,
        lines_total=sum((line["amount"] for line in lines), ZERO),
        discount=discount,
        net_amount=net,
        vat_amount=vat,
        total_amount=net + vat,
        user_id=by.user_id,
        actor=by.label[:80],
        **credit_fields,
    )
    DocumentLine.objects.bulk_create(
        [
            DocumentLine(shop=shop, document=document, position=position, **line)
            for position, line in enumerate(lines, start=1)
        ]
    )
    record_audit(
        shop=shop,
        by=by,
        action="document.issue",
        obj=document,
        after={"type": doc_type, "number": number, "total": str(document.total_amount)},
    )
    document_issued.send(sender=Document, document=document)
    return document


def _order_lines(order: Order) -> list[dict]:
    lines = [
        {
            "kind": LineKind.GOODS,
            "sku": line.sku,
            "description": line.name[:255],
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount": line.line_discount,
            "amount": line.line_total,
        }
        for line in order.lines.order_by("id")
    ]
    if order.shipping_fee > 0:
        lines.append(
            {
                "kind": LineKind.SHIPPING,
                "sku": "",
                "description": in_thai(gettext_lazy("ค่าจัดส่ง")),
                "quantity": 1,
                "unit_price": order.shipping_fee,
                "discount": ZERO,
                "amount": order.shipping_fee,
            }
        )
    if not lines:
        raise TaladError(_("ออเดอร์ไม่มีรายการ"), fields={"order": "no_lines"})
    return lines


def buyer_of(order: Order) -> dict:
    """The buyer's name, address, and tax ID and branch when the buyer gave them."""
    address = " ".join(
        part
        for part in (
            order.address_line,
            order.subdistrict,
            order.district,
            order.province,
            order.postcode,
        )
        if part
    )
    return {
        "buyer_name": order.customer_name,
        "buyer_address": address,
        "buyer_tax_id": order.customer_tax_id,
        "buyer_branch_code": order.customer_branch_code,
    }
