"""Forms of the accounting pages. They parse what a person typed; the rules live in services.

Field names follow the services' error paths, so `add_domain_error` puts an error beside
its field: a numbering pattern's field is the document type (`number_patterns.tax_invoice`
→ `tax_invoice`), an account code's is the role (`account_codes.bank` → `bank`).
"""

from django import forms
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talad.accounting.books import DEFAULT_ACCOUNTS, DEFAULT_PATTERNS
from talad.accounting.models import (
    SALES_DOCUMENTS,
    AccountRole,
    CodIssue,
    CreditReason,
    Document,
    DocumentLine,
    DocumentType,
    PrepaidIssue,
)
from talad.dates import validate_seller_day
from talad.forms import OnceForm

DATE = {"widget": forms.DateInput(attrs={"type": "date"}), "required": False}


def sales_type_choices(allowed) -> list[tuple[str, str]]:
    return [
        (t, label) for t, label in DocumentType.choices if t in allowed and t in SALES_DOCUMENTS
    ]


class DocumentFilters(forms.Form):
    type = forms.ChoiceField(
        label=_("ประเภทเอกสาร"),
        choices=[("", _("ทุกประเภท")), *DocumentType.choices],
        required=False,
    )
    month = forms.CharField(
        label=_("เดือน"),
        required=False,
        max_length=7,
        widget=forms.DateInput(attrs={"type": "month"}),
    )
    q = forms.CharField(label=_("ค้นหา"), required=False, max_length=100)
    cursor = forms.CharField(required=False, max_length=100)


class IssueForm(OnceForm):
    type = forms.ChoiceField(label=_("ประเภทเอกสาร"))  # named as the service names its errors

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = sales_type_choices(allowed)


class CreditNoteForm(OnceForm):
    """Either some of the original's lines (a quantity per line, 0 = not this line) or an
    amount in the original's price basis, with one of the reasons of s.82/10."""

    mode = forms.ChoiceField(
        label=_("ลดหนี้จาก"),
        choices=[("lines", _("เลือกรายการสินค้า")), ("amount", _("ระบุจำนวนเงิน"))],
        widget=forms.RadioSelect,
        initial="lines",
    )
    amount = forms.DecimalField(
        label=_("จำนวนเงินที่ลดหนี้"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    reason_code = forms.ChoiceField(label=_("เหตุผลการลดหนี้"), choices=CreditReason.choices)
    reason_text = forms.CharField(
        label=_("รายละเอียด"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        self.line_rows = []
        for line, left in creditable_lines(document):
            name = f"line_{line.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{line.description} ({line.sku})" if line.sku else line.description,
                min_value=0,
                max_value=left,
                initial=0,
                required=False,
                disabled=left == 0,
            )
            self.line_rows.append({"line": line, "left": left, "field": name})

    def lines_field_rows(self):
        return [{**row, "bound": self[row["field"]]} for row in self.line_rows]

    def clean(self):
        data = super().clean()
        if data.get("mode") == "amount":
            if data.get("amount") in (None, ""):
                self.add_error("amount", _("ระบุจำนวนเงินที่ลดหนี้"))
        elif not self.chosen_lines():
            self.add_error(None, _("เลือกอย่างน้อยหนึ่งรายการ (จำนวนมากกว่าศูนย์)"))
        return data

    def chosen_lines(self) -> list[dict]:
        chosen = []
        for row in self.line_rows:
            quantity = self.cleaned_data.get(row["field"]) or 0
            if quantity > 0:
                chosen.append({"line_id": row["line"].pk, "quantity": quantity})
        return chosen

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"reason_code": data["reason_code"], "reason_text": data.get("reason_text", "")}
        if data["mode"] == "amount":
            arguments["amount"] = data["amount"]
        else:
            arguments["lines"] = self.chosen_lines()
        return arguments


def creditable_lines(document: Document) -> list[tuple[DocumentLine, int]]:
    """Each line of the document with the quantity credit notes have not taken yet."""
    lines = list(document.lines.all())
    taken = dict(
        DocumentLine.objects.for_shop(document.shop_id)
        .filter(original_line__in=[line.pk for line in lines])
        .order_by()
        .values("original_line")
        .annotate(quantity=Sum("quantity"))
        .values_list("original_line", "quantity")
    )
    return [(line, line.quantity - taken.get(line.pk, 0)) for line in lines]


class SettingsForm(OnceForm):
    prepaid_issue = forms.ChoiceField(label=_("ออเดอร์ชำระก่อน"), choices=PrepaidIssue.choices)
    prepaid_document_type = forms.ChoiceField(label=_("เอกสารที่ออกให้ออเดอร์ชำระก่อน"), required=False)
    cod_issue = forms.ChoiceField(label=_("ออเดอร์เก็บเงินปลายทาง"), choices=CodIssue.choices)
    cod_document_type = forms.ChoiceField(
        label=_("เอกสารที่ออกให้ออเดอร์เก็บเงินปลายทาง"), required=False
    )
    promptpay_target = forms.CharField(
        label=_("พร้อมเพย์รับชำระเงิน (เบอร์มือถือหรือเลขประจำตัว 13 หลัก)"),
        max_length=30,
        required=False,
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        default = [("", _("ตามค่าเริ่มต้น"))]
        for name in ("prepaid_document_type", "cod_document_type"):
            self.fields[name].choices = default + sales_type_choices(allowed)
        for doc_type, label in DocumentType.choices:
            self.fields[doc_type] = forms.CharField(
                label=label, max_length=60, help_text=DEFAULT_PATTERNS[doc_type]
            )
        for role, label in AccountRole.choices:
            self.fields[role] = forms.CharField(
                label=label, max_length=20, help_text=DEFAULT_ACCOUNTS[role][0]
            )

    def issue_fields(self):
        names = ("prepaid_issue", "prepaid_document_type", "cod_issue", "cod_document_type")
        return [self[name] for name in (*names, "promptpay_target")]

    def pattern_fields(self):
        return [self[t] for t in DocumentType.values]

    def code_fields(self):
        return [self[r] for r in AccountRole.values]

    def changes(self, current: dict) -> dict:
        """What differs from `current` (the settings as the API shows them), in the service's
        shape: patterns and codes only where they changed."""
        data = self.cleaned_data
        changes = {}
        for name in ("prepaid_issue", "cod_issue", "prepaid_document_type", "cod_document_type"):
            if data[name] != current[name]:
                changes[name] = data[name]
        target = (data.get("promptpay_target") or "").strip()
        if target != current["promptpay_target"]:
            changes["promptpay_target"] = target
        patterns = {
            t: data[t].strip()
            for t in DocumentType.values
            if data[t].strip() != current["number_patterns"][t]
        }
        if patterns:
            changes["number_patterns"] = patterns
        codes = {
            r: data[r].strip()
            for r in AccountRole.values
            if data[r].strip() != current["account_codes"][r]
        }
        if codes:
            changes["account_codes"] = codes
        return changes


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("ตั้งแต่วันที่"), validators=[validate_seller_day], **DATE)
    date_to = forms.DateField(label=_("ถึงวันที่"), validators=[validate_seller_day], **DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_from", _("วันเริ่มต้องไม่หลังวันสิ้นสุด"))
        return data


class LedgerForm(PeriodForm):
    account = forms.TypedChoiceField(
        label=pgettext_lazy("ledger account", "บัญชี"), coerce=int, required=False
    )

    def __init__(self, *args, accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("เลือกบัญชี"))] + [
            (a.pk, f"{a.code} {a.name}") for a in accounts
        ]


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("เดือนภาษี"), max_length=7, widget=forms.DateInput(attrs={"type": "month"})
    )
