"""Talad's documents in PEAK's shapes (docs/integrations.md#peak). Pure functions: a document
(or a journal entry) and the shop's maps in, PEAK's JSON rows out.

Which collection: receipts and receipt/tax invoices → `/receipts` (`isTaxInvoice` 1 for tax
documents); tax invoices and invoices → `/invoices`; credit notes → `/creditnotes`, referring
to the original's PEAK id; a COD remittance's journal entry → `/dailyjournals`. Every document
goes under Talad's own number as PEAK's `code`. Dates are Gregorian `yyyyMMdd`; `vatType` 3 is
7%, 1 is none; `taxStatus` 1 when the prices include VAT.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from talad.accounting.models import (
    TAX_INVOICES,
    AccountRole,
    CreditReason,
    Document,
    DocumentType,
    JournalEntry,
    LineKind,
)

ZERO = Decimal("0.00")
VAT_7 = 3
NO_VAT = 1


@dataclass(frozen=True)
class Collection:
    path: str  # "/receipts"
    wrapper: str  # "PeakReceipts"
    rows: str  # "receipts"


RECEIPTS = Collection("/receipts", "PeakReceipts", "receipts")
INVOICES = Collection("/invoices", "PeakInvoices", "invoices")
CREDIT_NOTES = Collection("/creditnotes", "PeakCreditNotes", "creditNotes")
DAILY_JOURNALS = Collection("/dailyjournals", "PeakDailyJournals", "dailyJournals")
CONTACTS = Collection("/contacts", "PeakContacts", "contacts")
PRODUCTS = Collection("/products", "PeakProducts", "products")

TO_RECEIPTS = frozenset(
    {
        DocumentType.RECEIPT,
        DocumentType.RECEIPT_TAX_INVOICE,
        DocumentType.ABBREVIATED_TAX_INVOICE,
    }
)
# PEAK's transactionType for a credit note on a document in /invoices (docs/integrations.md#peak);
# the one for a document in /receipts is not public: a connection setting (options.receipt_credit_type).
INVOICE_TRANSACTION_TYPE = 102
DEFAULT_RECEIPT_TRANSACTION_TYPE = 103
# PEAK's contact type for a person; juristic persons' value is not public (options.juristic_type).
INDIVIDUAL = 5
DEFAULT_JURISTIC = 3


def collection_for(document: Document) -> Collection:
    if document.doc_type == DocumentType.CREDIT_NOTE:
        return CREDIT_NOTES
    return RECEIPTS if document.doc_type in TO_RECEIPTS else INVOICES


def peak_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def money(value: Decimal) -> float:
    """PEAK takes JSON numbers; two decimals, exactly what Talad printed."""
    return float(value.quantize(Decimal("0.01")))


# --- Contacts and products ------------------------------------------------------------------


def contact_code(document: Document) -> str:
    """The buyer as one PEAK contact: by tax ID and branch when given, else Talad's customer,
    else the shop's walk-in contact."""
    if document.buyer_tax_id:
        return f"TAX{document.buyer_tax_id}-{document.buyer_branch_code or '00000'}"
    order = document.order
    if order is not None and order.customer_id:
        return f"TLD-C{order.customer_id:07d}"
    return "TLD-WALKIN"


def contact_row(document: Document, options: dict) -> dict:
    order = document.order
    juristic = document.buyer_tax_id.startswith("0") if document.buyer_tax_id else False
    row = {
        "code": contact_code(document),
        "name": (document.buyer_name or "ลูกค้าทั่วไป")[:200],
        "type": int(options.get("juristic_type", DEFAULT_JURISTIC)) if juristic else INDIVIDUAL,
        "taxNumber": document.buyer_tax_id,
        "branchCode": document.buyer_branch_code or ("00000" if document.buyer_tax_id else ""),
        "address": order.address_line if order else document.buyer_address,
        "subDistrict": order.subdistrict if order else "",
        "district": order.district if order else "",
        "province": order.province if order else "",
        "postCode": order.postcode if order else "",
        "contactPhoneNumber": order.customer_phone if order else "",
    }
    if not juristic:
        row["prefixNameType"] = int(options.get("prefix_name_type", 0))
    return row


def product_row(sku: str, name: str, price: Decimal, codes: dict) -> dict:
    return {
        "code": sku,
        "name": name[:200],
        "sellValue": money(price),
        "sellAccount": codes[AccountRole.SALES],
    }


# --- Documents --------------------------------------------------------------------------------


def document_row(
    document: Document,
    *,
    contact: str,
    codes: dict,
    payment_ids: dict,
    original_peak_id: str = "",
    original_in: Collection | None = None,
    options: dict | None = None,
) -> dict:
    options = options or {}
    vat_type = VAT_7 if document.vat_rate > 0 else NO_VAT
    products = _product_lines(document, codes, vat_type)
    if document.is_credit_note:
        return _credit_note_row(document, contact, products, original_peak_id, original_in, options)
    row = {
        "code": document.number,
        "issuedDate": peak_date(document.issue_date),
        "dueDate": peak_date(document.issue_date),
        "contactCode": contact,
        "reference": document.order.number if document.order_id else "",
        "isTaxInvoice": 1 if document.doc_type in TAX_INVOICES else 0,
        "taxStatus": 1 if document.prices_include_vat else 0,
        "products": products,
    }
    method = document.order.payment_method if document.order_id else ""
    if collection_for(document) is RECEIPTS and payment_ids.get(method):
        row["paidPayments"] = {
            "paymentDate": peak_date(document.issue_date),
            "payments": [
                {"paymentMethodId": payment_ids[method], "amount": money(document.total_amount)}
            ],
        }
    return row


def _credit_note_row(document, contact, products, original_peak_id, original_in, options) -> dict:
    if original_in is INVOICES:
        transaction_type = INVOICE_TRANSACTION_TYPE
    else:
        transaction_type = int(options.get("receipt_credit_type", DEFAULT_RECEIPT_TRANSACTION_TYPE))
    return {
        "contactCode": contact,
        "transactionType": transaction_type,
        "transactionId": original_peak_id,
        "reasonType": list(CreditReason.values).index(document.reason_code) + 1
        if document.reason_code in CreditReason.values
        else len(CreditReason.values),
        "reasonDescription": (document.reason_text or document.get_reason_code_display())[:500],
        "goodsReturn": 1 if document.reason_code == CreditReason.GOODS_RETURNED else 0,
        "taxStatus": 1 if document.prices_include_vat else 0,
        "transactions": {
            "code": document.number,
            "issuedDate": peak_date(document.issue_date),
            "remark": document.original.number if document.original_id else "",
        },
        "products": products,
    }


def _product_lines(document: Document, codes: dict, vat_type: int) -> list[dict]:
    """Lines as printed; the document's own discount is spread over the goods lines from the
    first, since PEAK's rows carry a discount per line only."""
    left = document.discount
    lines = []
    for line in document.lines.all():
        discount = line.discount
        if left > 0 and line.kind == LineKind.GOODS:
            extra = min(left, line.amount)
            discount, left = discount + extra, left - extra
        row = {
            "description": line.description[:255],
            "quantity": line.quantity,
            "price": money(line.unit_price),
            "discount": money(discount),
            "vatType": vat_type,
            "accountCode": codes[_account_role(document, line.kind)],
        }
        if line.kind == LineKind.GOODS and line.sku:
            row["productCode"] = line.sku
        lines.append(row)
    return lines


def _account_role(document: Document, kind: str) -> str:
    if document.is_credit_note:
        return AccountRole.SALES_RETURNS
    return AccountRole.SHIPPING_INCOME if kind == LineKind.SHIPPING else AccountRole.SALES


# --- Journal entries --------------------------------------------------------------------------


def journal_code(entry: JournalEntry) -> str:
    return f"TLD-JV-{entry.pk:07d}"


def journal_row(entry: JournalEntry, *, codes: dict, options: dict) -> dict:
    return {
        "code": journal_code(entry),
        "issuedDate": peak_date(entry.date),
        "journalTypeId": int(options.get("journal_type_id", 1)),
        "description": entry.description[:255],
        "reference": entry.order.number if entry.order_id else "",
        "journalEntries": [
            {
                "accountCode": codes.get(line.role) or line.account.code,
                "debit": money(line.debit),
                "credit": money(line.credit),
                "description": (line.memo or entry.description)[:255],
            }
            for line in entry.lines.select_related("account")
        ],
    }
