"""Accounting settings, the chart of accounts, documents and the journal (docs/design/money.md).

Issued documents and posted journal entries are append-only, like the stock ledger: the
model refuses to save an existing row or delete one, and their querysets refuse bulk
update and delete. A mistake is corrected by a credit note or a reversing entry.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talad.accounting.errors import ImmutableRecord
from talad.orders.models import Order
from talad.shops.scoping import ShopOwned, ShopScopedQuerySet

ZERO = Decimal("0.00")


class DocumentType(models.TextChoices):
    TAX_INVOICE = "tax_invoice", _("ใบกำกับภาษี")
    RECEIPT_TAX_INVOICE = "receipt_tax_invoice", _("ใบเสร็จรับเงิน/ใบกำกับภาษี")
    ABBREVIATED_TAX_INVOICE = "abbreviated_tax_invoice", _("ใบกำกับภาษีอย่างย่อ")
    RECEIPT = "receipt", _("ใบเสร็จรับเงิน")
    INVOICE = "invoice", _("ใบแจ้งหนี้")
    CREDIT_NOTE = "credit_note", _("ใบลดหนี้")


# Documents that record a sale (everything but the credit note).
SALES_DOCUMENTS = frozenset(DocumentType.values) - {DocumentType.CREDIT_NOTE}
# Sales documents that are tax invoices: only these can be corrected by a credit note.
TAX_INVOICES = frozenset(
    {
        DocumentType.TAX_INVOICE,
        DocumentType.RECEIPT_TAX_INVOICE,
        DocumentType.ABBREVIATED_TAX_INVOICE,
    }
)
# What a shop that is not registered for VAT may issue (s.105 ทวิ only;
# docs/design/money.md#document-types).
NON_VAT_DOCUMENTS = frozenset({DocumentType.RECEIPT, DocumentType.INVOICE})
# e-Tax document codes (docs/design/money.md#document-types), for connectors that send Talad's documents on.
ETAX_CODES = {
    DocumentType.TAX_INVOICE: "388",
    DocumentType.RECEIPT_TAX_INVOICE: "T03",
    DocumentType.ABBREVIATED_TAX_INVOICE: "T05",
    DocumentType.RECEIPT: "T01",
    DocumentType.INVOICE: "",
    DocumentType.CREDIT_NOTE: "81",
}


class CreditReason(models.TextChoices):
    """Why a credit note is issued: the cases of Revenue Code s.82/10."""

    DEFECTIVE_OR_SHORT = (
        "defective_or_short",
        _("ลดราคาเพราะสินค้าชำรุดเสียหาย ขาดจำนวน ไม่ตรงตามตัวอย่างหรือคำพรรณนา"),
    )
    PRICE_ERROR = "price_error", _("ลดราคาเพราะคำนวณราคาผิดพลาดสูงกว่าที่เป็นจริง")
    GOODS_RETURNED = "goods_returned", _("รับคืนสินค้าที่ชำรุดบกพร่องหรือไม่ตรงตามที่ตกลง")
    ADVANCE_REFUNDED = (
        "advance_refunded",
        _("คืนเงินมัดจำ เงินจอง หรือเงินล่วงหน้า เพราะไม่มีการขายตามที่ตกลง (ยกเลิกการขาย)"),
    )
    OTHER = "other", _("กรณีอื่นตามที่อธิบดีกรมสรรพากรกำหนด")


class AccountRole(models.TextChoices):
    """What an account is for; each shop maps every role to one of its account codes."""

    CASH = "cash", _("เงินสด")
    BANK = "bank", _("เงินฝากธนาคาร")
    AR_TRADE = "ar_trade", _("ลูกหนี้การค้า")
    AR_COD_CARRIER = "ar_cod_carrier", _("ลูกหนี้-บริษัทขนส่ง (COD)")
    AR_MARKETPLACE = "ar_marketplace", _("ลูกหนี้-แพลตฟอร์ม")
    INVENTORY = "inventory", _("สินค้าคงเหลือ")
    INPUT_VAT = "input_vat", _("ภาษีซื้อ")
    OUTPUT_VAT = "output_vat", _("ภาษีขาย")
    CUSTOMER_DEPOSIT = "customer_deposit", _("เงินรับล่วงหน้าจากลูกค้า")
    SALES = "sales", _("รายได้จากการขายสินค้า")
    SALES_RETURNS = "sales_returns", _("รับคืนสินค้า/ลดหนี้")
    SHIPPING_INCOME = "shipping_income", _("รายได้ค่าขนส่ง")
    COGS = "cogs", _("ต้นทุนขาย")
    COD_FEE = "cod_fee", _("ค่าธรรมเนียมเก็บเงินปลายทาง")
    SHIPPING_EXPENSE = "shipping_expense", _("ค่าขนส่ง")
    PLATFORM_FEES = "platform_fees", _("ค่าธรรมเนียมแพลตฟอร์ม")
    # A carrier's statement paid less than the parcel collected and the seller accepted it:
    # the difference is either a loss or a claim the seller will pursue with the carrier.
    COD_SHORTFALL = "cod_shortfall", _("ผลขาดยอดเก็บเงินปลายทาง")
    CARRIER_CLAIMS = "carrier_claims", _("ลูกหนี้-เรียกร้องบริษัทขนส่ง")
    # The stock's other half: goods bought on credit, refunds the shop owes its customers,
    # and stock found, lost or returned damaged (docs/design/money.md#account-roles).
    AP_TRADE = "ap_trade", _("เจ้าหนี้การค้า")
    REFUNDS_PAYABLE = "refunds_payable", _("เงินคืนลูกค้าค้างจ่าย")
    STOCK_DIFFERENCE = "stock_difference", _("สินค้าขาด/เกินจากการตรวจนับและปรับสต๊อก")
    DAMAGED_GOODS = "damaged_goods", _("สินค้ารับคืนชำรุด")


class AccountKind(models.TextChoices):
    """The class of a Thai chart of accounts, from the code's first digit."""

    ASSET = "asset", _("สินทรัพย์")
    LIABILITY = "liability", _("หนี้สิน")
    EQUITY = "equity", _("ส่วนของเจ้าของ")
    REVENUE = "revenue", _("รายได้")
    EXPENSE = "expense", _("ค่าใช้จ่าย")


class PrepaidIssue(models.TextChoices):
    AT_PAYMENT = "at_payment", _("ออกเอกสารเมื่อได้รับชำระเงิน")
    MANUAL = "manual", _("ออกเอกสารเอง")


class CodIssue(models.TextChoices):
    AT_DELIVERY = "at_delivery", _("ออกเอกสารเมื่อส่งถึงลูกค้า")
    MANUAL = "manual", _("ออกเอกสารเอง")


class AccountingSettings(ShopOwned):
    """How a shop's documents are issued and numbered and where its entries are posted.

    VAT registration, rate, price basis, tax ID and branch are the Shop's own fields; they
    are read from there, not copied. Patterns and account codes hold only what the shop
    changed: talad.accounting.books merges them over the defaults."""

    prepaid_issue = models.CharField(
        _("ออเดอร์ชำระก่อน"), max_length=20, choices=PrepaidIssue.choices, default="at_payment"
    )
    cod_issue = models.CharField(
        _("ออเดอร์เก็บเงินปลายทาง"), max_length=20, choices=CodIssue.choices, default="at_delivery"
    )
    # Blank: the default for the shop's VAT status (see books.automatic_document_type).
    prepaid_document_type = models.CharField(
        max_length=30, choices=DocumentType.choices, blank=True
    )
    cod_document_type = models.CharField(max_length=30, choices=DocumentType.choices, blank=True)
    number_patterns = models.JSONField(default=dict, blank=True)
    account_codes = models.JSONField(default=dict, blank=True)
    # Where an unpaid bill's PromptPay QR pays to: a mobile number, a 13-digit tax/citizen ID
    # or an e-wallet ID (talad.promptpay). Blank: bills carry no QR.
    promptpay_target = models.CharField(_("พร้อมเพย์รับชำระเงิน"), max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop"], name="one_accounting_settings_per_shop")
        ]
        verbose_name_plural = "accounting settings"

    def __str__(self) -> str:
        return f"accounting settings #{self.shop_id}"


class Account(ShopOwned):
    """One line of the shop's chart of accounts."""

    code = models.CharField(_("รหัสบัญชี"), max_length=20)
    name = models.CharField(_("ชื่อบัญชี"), max_length=200)
    kind = models.CharField(max_length=20, choices=AccountKind.choices)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shop", "code"], name="account_code_unique_per_shop")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DocumentSequence(ShopOwned):
    """The last number used for one document type in one period; bumped under a row lock."""

    doc_type = models.CharField(max_length=30, choices=DocumentType.choices)
    period = models.CharField(max_length=10, help_text="e.g. 2025-11, 2025, or 'all'")
    last_number = models.PositiveIntegerField(default=0)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "doc_type", "period"], name="one_sequence_per_type_and_period"
            )
        ]


# --- Append-only rows ----------------------------------------------------------------------


class ImmutableQuerySet(ShopScopedQuerySet):
    def update(self, **kwargs):
        raise ImmutableRecord("issued documents and posted entries never change")

    def delete(self):
        raise ImmutableRecord("issued documents and posted entries are never deleted")


class PlainImmutableQuerySet(models.QuerySet):
    update = ImmutableQuerySet.update
    delete = ImmutableQuerySet.delete


class Immutable(ShopOwned):
    objects = models.Manager.from_queryset(ImmutableQuerySet)()
    unscoped = models.Manager.from_queryset(PlainImmutableQuerySet)()

    class Meta(ShopOwned.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord(f"{type(self).__name__} #{self.pk} is issued and never changes")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord(f"{type(self).__name__} #{self.pk} is issued and never deleted")


class Document(Immutable):
    """A tax invoice, receipt, invoice or credit note, with the legal fields of
    docs/design/money.md#thai-tax-document-legal-fields as they were at issue: a later change to
    the shop or the customer does not touch it."""

    doc_type = models.CharField(_("ประเภทเอกสาร"), max_length=30, choices=DocumentType.choices)
    number = models.CharField(_("เลขที่"), max_length=40)
    period = models.CharField(max_length=10)
    sequence = models.PositiveIntegerField()
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    original = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    issue_date = models.DateField(_("วันที่"))
    issued_at = models.DateTimeField()
    seller_name = models.CharField(max_length=200)
    seller_address = models.TextField(blank=True)
    seller_tax_id = models.CharField(max_length=13, blank=True)
    seller_branch_code = models.CharField(max_length=5, default="00000")
    buyer_name = models.CharField(max_length=200, blank=True)
    buyer_address = models.TextField(blank=True)
    buyer_tax_id = models.CharField(max_length=13, blank=True)
    buyer_branch_code = models.CharField(max_length=5, blank=True)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=ZERO)
    prices_include_vat = models.BooleanField(default=True)
    lines_total = models.DecimalField(max_digits=14, decimal_places=2)
    discount = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    net_amount = models.DecimalField(_("มูลค่าก่อนภาษี"), max_digits=14, decimal_places=2)
    vat_amount = models.DecimalField(_("ภาษีมูลค่าเพิ่ม"), max_digits=14, decimal_places=2)
    total_amount = models.DecimalField(_("รวมทั้งสิ้น"), max_digits=14, decimal_places=2)
    # Credit notes (s.86/10): the original's value, the value it should have been, the reason.
    # The difference is net_amount and the VAT refunded is vat_amount.
    original_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    corrected_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reason_code = models.CharField(max_length=30, choices=CreditReason.choices, blank=True)
    reason_text = models.CharField(max_length=500, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(Immutable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "doc_type", "number"], name="document_number_unique"
            ),
            models.UniqueConstraint(
                fields=["shop", "doc_type", "period", "sequence"], name="document_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(total_amount=F("net_amount") + F("vat_amount")),
                name="document_net_plus_vat_is_total",
            ),
            models.CheckConstraint(
                condition=Q(original__isnull=True) | Q(doc_type="credit_note"),
                name="only_credit_notes_have_an_original",
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "-id"], name="documents_newest"),
            models.Index(fields=["shop", "issue_date"], name="documents_by_date"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.doc_type == DocumentType.CREDIT_NOTE

    @property
    def basis_amount(self) -> Decimal:
        """The amount in the document's price basis: with VAT when prices include it."""
        return self.total_amount if self.prices_include_vat else self.net_amount


class LineKind(models.TextChoices):
    GOODS = "goods", _("สินค้า")
    SHIPPING = "shipping", _("ค่าจัดส่ง")
    ADJUSTMENT = "adjustment", _("ปรับมูลค่า")


class DocumentLine(Immutable):
    """A line as printed: amounts in the document's price basis (with VAT when prices include it)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=LineKind.choices, default=LineKind.GOODS)
    sku = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    original_line = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credited_by"
    )

    class Meta(Immutable.Meta):
        ordering = ["document", "position"]


class SourceType(models.TextChoices):
    """What caused a journal entry."""

    DOCUMENT = "document", _("เอกสาร")
    ORDER_ACTION = "order_action", _("สถานะออเดอร์")  # source_id: the StatusChange
    COD_REMITTANCE = "cod_remittance", _("ขนส่งโอนเงิน COD")
    MARKETPLACE_PAYOUT = "marketplace_payout", _("แพลตฟอร์มโอนเงินขาย")  # source_id: payout:row
    REVERSAL = "reversal", _("กลับรายการ")
    MANUAL = "manual", _("บันทึกเอง")
    PURCHASE = "purchase", _("รับสินค้าเข้า")  # source_id: the inventory Purchase
    STOCK_ADJUSTMENT = "stock_adjustment", _("ปรับ/นับสต๊อก")  # source_id: the StockMovement
    REFUND = "refund", _("คืนเงินลูกค้า")  # source_id: the refund Payment


class JournalEntry(Immutable):
    """One double entry; its lines balance. Linked to what caused it."""

    date = models.DateField(_("วันที่"))
    description = models.CharField(max_length=255)
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    source_id = models.CharField(max_length=40, blank=True)
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="journal_entries"
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="journal_entries"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(max_length=80, blank=True)
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta(Immutable.Meta):
        verbose_name_plural = "journal entries"
        indexes = [
            models.Index(fields=["shop", "-id"], name="journal_newest"),
            models.Index(fields=["shop", "date"], name="journal_by_date"),
            models.Index(fields=["shop", "source_type", "source_id"], name="journal_by_source"),
        ]

    def __str__(self) -> str:
        return f"JE-{self.pk} {self.description}"


class JournalLine(Immutable):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    role = models.CharField(max_length=30, choices=AccountRole.choices, blank=True)
    debit = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    credit = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    memo = models.CharField(max_length=255, blank=True)

    class Meta(Immutable.Meta):
        ordering = ["entry", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(credit__gt=0) & Q(debit=0)),
                name="journal_line_one_side",
            )
        ]
        indexes = [models.Index(fields=["shop", "account"], name="journal_lines_by_account")]


class PeakState(models.TextChoices):
    QUEUED = "queued", _("รอส่งเข้า PEAK")
    SENT = "sent", _("ส่งเข้า PEAK แล้ว")
    FAILED = "failed", _("ส่งเข้า PEAK ไม่สำเร็จ")


class PeakLink(ShopOwned):
    """Where a Talad document (or a journal entry sent as a daily journal) stands in the
    shop's PEAK: written by the PEAK connector, read wherever the document is shown. No row:
    the document was never meant for PEAK (not connected, or its type is not sent)."""

    document = models.OneToOneField(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="peak"
    )
    journal_entry = models.OneToOneField(
        JournalEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="peak"
    )
    status = models.CharField(max_length=10, choices=PeakState.choices, default=PeakState.QUEUED)
    peak_id = models.CharField(max_length=64, blank=True)
    peak_code = models.CharField(max_length=64, blank=True)
    link = models.URLField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    outbox_message_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(ShopOwned.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, journal_entry__isnull=True)
                | Q(document__isnull=True, journal_entry__isnull=False),
                name="peak_link_is_for_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"PEAK {self.status} {self.peak_code or self.pk}"
