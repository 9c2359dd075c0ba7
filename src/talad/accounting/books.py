"""A shop's accounting settings and chart of accounts, with their defaults.

The role → account code map and the numbering patterns are stored as what the shop
changed; everything else is the default below. The codes follow PEAK's usual chart
(docs/design/money.md#account-roles: 111101 cash, 111201 bank, 410101 sales are PEAK's; the
rest are sensible 6-digit codes in the same classes, and every one is editable per shop).
"""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talad import promptpay
from talad.accounting.models import (
    NON_VAT_DOCUMENTS,
    SALES_DOCUMENTS,
    Account,
    AccountingSettings,
    AccountKind,
    AccountRole,
    CodIssue,
    DocumentType,
    PrepaidIssue,
)
from talad.accounting.numbering import check_pattern
from talad.errors import TaladError
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.shops.permissions import require
from talad.shops.services import record_audit

R = AccountRole
DEFAULT_ACCOUNTS: dict[str, tuple[str, str]] = {
    R.CASH: ("111101", gettext_lazy("เงินสด")),
    R.BANK: ("111201", gettext_lazy("เงินฝากธนาคาร-กระแสรายวัน")),
    R.AR_TRADE: ("113101", gettext_lazy("ลูกหนี้การค้า")),
    R.AR_COD_CARRIER: ("113102", gettext_lazy("ลูกหนี้-บริษัทขนส่ง (COD)")),
    R.AR_MARKETPLACE: ("113103", gettext_lazy("ลูกหนี้-แพลตฟอร์ม")),
    R.CARRIER_CLAIMS: ("113104", gettext_lazy("ลูกหนี้-เรียกร้องบริษัทขนส่ง")),
    R.INVENTORY: ("114101", gettext_lazy("สินค้าคงเหลือ")),
    R.INPUT_VAT: ("115101", gettext_lazy("ภาษีซื้อ")),
    R.AP_TRADE: ("212101", gettext_lazy("เจ้าหนี้การค้า")),
    R.OUTPUT_VAT: ("213101", gettext_lazy("ภาษีขาย")),
    R.CUSTOMER_DEPOSIT: ("214101", gettext_lazy("เงินรับล่วงหน้าจากลูกค้า")),
    R.REFUNDS_PAYABLE: ("214102", gettext_lazy("เงินคืนลูกค้าค้างจ่าย")),
    R.SALES: ("410101", gettext_lazy("รายได้จากการขายสินค้า")),
    R.SALES_RETURNS: ("410201", gettext_lazy("รับคืนสินค้า/ลดหนี้")),
    R.SHIPPING_INCOME: ("410301", gettext_lazy("รายได้ค่าขนส่ง")),
    R.COGS: ("510101", gettext_lazy("ต้นทุนขาย")),
    R.STOCK_DIFFERENCE: ("510201", gettext_lazy("สินค้าขาด/เกินจากการตรวจนับและปรับสต๊อก")),
    R.DAMAGED_GOODS: ("510301", gettext_lazy("สินค้ารับคืนชำรุด")),
    R.SHIPPING_EXPENSE: ("530301", gettext_lazy("ค่าขนส่ง")),
    R.COD_FEE: ("530501", gettext_lazy("ค่าธรรมเนียมเก็บเงินปลายทาง")),
    R.PLATFORM_FEES: ("530502", gettext_lazy("ค่าธรรมเนียมแพลตฟอร์ม")),
    R.COD_SHORTFALL: ("530503", gettext_lazy("ผลขาดยอดเก็บเงินปลายทาง")),
}

ROLE_KIND = {
    R.CASH: AccountKind.ASSET,
    R.BANK: AccountKind.ASSET,
    R.AR_TRADE: AccountKind.ASSET,
    R.AR_COD_CARRIER: AccountKind.ASSET,
    R.AR_MARKETPLACE: AccountKind.ASSET,
    R.INVENTORY: AccountKind.ASSET,
    R.INPUT_VAT: AccountKind.ASSET,
    R.OUTPUT_VAT: AccountKind.LIABILITY,
    R.CUSTOMER_DEPOSIT: AccountKind.LIABILITY,
    R.SALES: AccountKind.REVENUE,
    R.SALES_RETURNS: AccountKind.REVENUE,
    R.SHIPPING_INCOME: AccountKind.REVENUE,
    R.COGS: AccountKind.EXPENSE,
    R.SHIPPING_EXPENSE: AccountKind.EXPENSE,
    R.COD_FEE: AccountKind.EXPENSE,
    R.PLATFORM_FEES: AccountKind.EXPENSE,
    R.COD_SHORTFALL: AccountKind.EXPENSE,
    R.CARRIER_CLAIMS: AccountKind.ASSET,
    R.AP_TRADE: AccountKind.LIABILITY,
    R.REFUNDS_PAYABLE: AccountKind.LIABILITY,
    R.STOCK_DIFFERENCE: AccountKind.EXPENSE,
    R.DAMAGED_GOODS: AccountKind.EXPENSE,
}

# Buddhist Era year and month; the sequence restarts every month (the period follows the
# pattern: with {month} monthly, with a year yearly, otherwise never).
DEFAULT_PATTERNS = {
    DocumentType.TAX_INVOICE: "INV-{be_year}-{month:02d}-{seq:05d}",
    DocumentType.RECEIPT_TAX_INVOICE: "RT-{be_year}-{month:02d}-{seq:05d}",
    DocumentType.ABBREVIATED_TAX_INVOICE: "ABB-{be_year}-{month:02d}-{seq:05d}",
    DocumentType.RECEIPT: "RE-{be_year}-{month:02d}-{seq:05d}",
    DocumentType.INVOICE: "IV-{be_year}-{month:02d}-{seq:05d}",
    DocumentType.CREDIT_NOTE: "CN-{be_year}-{month:02d}-{seq:05d}",
}

ACCOUNT_CODE_CHARS = frozenset("0123456789-.")


def in_thai(text) -> str:
    """Words written into the books (document lines, entry descriptions, account names) are
    Thai whatever language the person issuing reads: the Thai documents are the legal ones."""
    with translation.override("th"):
        return str(text)


# --- Reading -------------------------------------------------------------------------------


def accounting_settings(shop: Shop) -> AccountingSettings:
    """The shop's settings row, made with the defaults the first time it is needed."""
    found = AccountingSettings.objects.for_shop(shop).first()
    if found is None:
        AccountingSettings.objects.bulk_create(
            [AccountingSettings(shop=shop)], ignore_conflicts=True
        )
        found = AccountingSettings.objects.for_shop(shop).get()
    return found


def account_codes(books: AccountingSettings) -> dict[str, str]:
    return {
        role: books.account_codes.get(role, code)
        for role, (code, _name) in DEFAULT_ACCOUNTS.items()
    }


def number_pattern(books: AccountingSettings, doc_type: str) -> str:
    return books.number_patterns.get(doc_type) or DEFAULT_PATTERNS[doc_type]


def accounts_by_role(shop: Shop, books: AccountingSettings | None = None) -> dict[str, Account]:
    """Every role's account, creating any account the chart is missing."""
    codes = account_codes(books or accounting_settings(shop))
    accounts = _accounts(shop, codes.values())
    if len(accounts) < len(set(codes.values())):
        seed_chart(shop, codes)
        accounts = _accounts(shop, codes.values())
    return {role: accounts[code] for role, code in codes.items()}


def _accounts(shop: Shop, codes) -> dict[str, Account]:
    return {a.code: a for a in Account.objects.for_shop(shop).filter(code__in=set(codes))}


def seed_chart(shop: Shop, codes: dict[str, str] | None = None) -> None:
    """Create the accounts the role map points at (in code order, so concurrent seeds queue)."""
    codes = codes or {role: code for role, (code, _name) in DEFAULT_ACCOUNTS.items()}
    wanted = {}
    for role, code in codes.items():
        wanted.setdefault(
            code,
            Account(
                shop=shop, code=code, name=in_thai(DEFAULT_ACCOUNTS[role][1]), kind=ROLE_KIND[role]
            ),
        )
    Account.objects.bulk_create([wanted[code] for code in sorted(wanted)], ignore_conflicts=True)


def automatic_document_type(shop: Shop, books: AccountingSettings, *, cod: bool) -> str:
    """What is issued automatically: the shop's choice if it may issue it, else the default
    for its VAT status (prepaid → receipt/tax invoice or receipt; COD → tax invoice or invoice)."""
    chosen = books.cod_document_type if cod else books.prepaid_document_type
    if chosen and chosen in allowed_document_types(shop):
        return chosen
    if shop.vat_registered:
        return DocumentType.TAX_INVOICE if cod else DocumentType.RECEIPT_TAX_INVOICE
    return DocumentType.INVOICE if cod else DocumentType.RECEIPT


def allowed_document_types(shop: Shop) -> frozenset[str]:
    return frozenset(DocumentType.values) if shop.vat_registered else NON_VAT_DOCUMENTS


# --- Changing ------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "prepaid_issue",
    "cod_issue",
    "prepaid_document_type",
    "cod_document_type",
    "number_patterns",
    "account_codes",
    "promptpay_target",
)


@transaction.atomic
def update_accounting_settings(*, shop: Shop, changes: dict, by: Actor) -> AccountingSettings:
    """Change when documents are issued, their numbering patterns and the account map.

    Patterns and account codes are merged: `{"account_codes": {"bank": "111202"}}` changes
    the bank account only. A code the chart does not have yet becomes a new account."""
    require(by, "manage_accounting")
    books = accounting_settings(shop)
    books = AccountingSettings.objects.for_shop(shop).select_for_update().get(pk=books.pk)
    before = {f: getattr(books, f) for f in SETTINGS_FIELDS}
    unknown = sorted(set(changes) - set(SETTINGS_FIELDS))
    if unknown:
        raise TaladError(_("ไม่รู้จักการตั้งค่า"), fields={name: "unknown" for name in unknown})
    if "prepaid_issue" in changes:
        books.prepaid_issue = _choice(
            changes["prepaid_issue"], PrepaidIssue.values, "prepaid_issue"
        )
    if "cod_issue" in changes:
        books.cod_issue = _choice(changes["cod_issue"], CodIssue.values, "cod_issue")
    for field in ("prepaid_document_type", "cod_document_type"):
        if field in changes:
            setattr(books, field, _automatic_type(shop, changes[field], field))
    if "number_patterns" in changes:
        books.number_patterns = _patterns(books.number_patterns, changes["number_patterns"])
    if "account_codes" in changes:
        books.account_codes = _codes(shop, books.account_codes, changes["account_codes"])
    if "promptpay_target" in changes:
        books.promptpay_target = _promptpay_target(changes["promptpay_target"])
    books.save()
    seed_chart(shop, account_codes(books))
    record_audit(
        shop=shop,
        by=by,
        action="accounting_settings.update",
        obj=books,
        before=before,
        after={f: getattr(books, f) for f in SETTINGS_FIELDS},
    )
    return books


def _choice(value, allowed, field: str) -> str:
    if value not in allowed:
        raise TaladError(
            _("ค่าต้องเป็นหนึ่งใน %(a)s") % {"a": ", ".join(allowed)}, fields={field: "invalid"}
        )
    return value


def _automatic_type(shop: Shop, value, field: str) -> str:
    if value in ("", None):
        return ""
    _choice(value, sorted(SALES_DOCUMENTS), field)
    if value not in allowed_document_types(shop):
        raise TaladError(
            _("ร้านที่ไม่ได้จดทะเบียนภาษีมูลค่าเพิ่มออกได้เฉพาะใบเสร็จรับเงินและใบแจ้งหนี้"),
            fields={field: "needs_vat_registration"},
        )
    return value


def _patterns(current: dict, changes) -> dict:
    if not isinstance(changes, dict):
        raise TaladError(_("ต้องเป็น object"), fields={"number_patterns": "invalid"})
    merged = dict(current)
    for doc_type, pattern in changes.items():
        field = f"number_patterns.{doc_type}"
        _choice(doc_type, DocumentType.values, field)
        if pattern in ("", None):
            merged.pop(doc_type, None)
        else:
            merged[doc_type] = check_pattern(pattern, field)
    effective = {t: merged.get(t) or DEFAULT_PATTERNS[t] for t in DocumentType.values}
    if len(set(effective.values())) < len(effective):
        raise TaladError(
            _("เอกสารแต่ละประเภทต้องมีรูปแบบเลขที่ต่างกัน"), fields={"number_patterns": "not_distinct"}
        )
    return merged


def _codes(shop: Shop, current: dict, changes) -> dict:
    if not isinstance(changes, dict):
        raise TaladError(_("ต้องเป็น object"), fields={"account_codes": "invalid"})
    merged = dict(current)
    for role, code in changes.items():
        field = f"account_codes.{role}"
        _choice(role, AccountRole.values, field)
        code = str(code or "").strip()
        if not code or len(code) > 20 or not set(code) <= ACCOUNT_CODE_CHARS:
            raise TaladError(_("รหัสบัญชีต้องเป็นตัวเลข (ไม่เกิน 20 ตัว)"), fields={field: "invalid"})
        existing = Account.objects.for_shop(shop).filter(code=code).first()
        if existing and existing.kind != ROLE_KIND[role]:
            raise TaladError(
                _("บัญชี %(code)s เป็นบัญชีประเภท %(kind)s ใช้กับหน้าที่นี้ไม่ได้")
                % {"code": code, "kind": existing.get_kind_display()},
                fields={field: "wrong_kind"},
            )
        merged[role] = code
    return merged


def _promptpay_target(value) -> str:
    """A phone number, 13-digit ID or e-wallet ID PromptPay accepts, kept as digits; "" for none."""
    text = "".join(str(value or "").split()).replace("-", "")
    if not text:
        return ""
    try:
        promptpay.payload(text)
    except ValueError:
        raise TaladError(
            _("พร้อมเพย์ต้องเป็นเบอร์มือถือ เลขประจำตัว 13 หลัก หรือรหัส e-Wallet 15 หลัก"),
            fields={"promptpay_target": "invalid"},
        ) from None
    return text
