"""Forms of the integrations pages. They parse what a person typed; the rules live in services.

Field names follow the services' error paths (`base_url`, `connect_id`, `timeout`, `url`,
`events`, …) so `add_domain_error` puts an error beside its field. The PEAK secrets are
password inputs that never render a value: blank keeps the one on file.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from talad.accounting.models import AccountRole, DocumentType
from talad.forms import OnceForm
from talad.integrations.models import PeakConnection
from talad.integrations.peak.services import PRODUCTION_URL, SIGNATURES, UAT_URL
from talad.integrations.webhooks.events import ANY, EVENT_TYPES
from talad.orders.models import PaymentMethod

SECRET = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
SERVERS = {"production": PRODUCTION_URL, "uat": UAT_URL}

EVENT_LABELS = {
    ANY: _("ทุกเหตุการณ์"),
    "order.created": _("มีออเดอร์ใหม่"),
    "order.status_changed": _("สถานะออเดอร์เปลี่ยน"),
    "order.stuck": _("ออเดอร์ค้างเกินเกณฑ์"),
    "document.issued": _("ออกเอกสารแล้ว"),
    "shipment.updated": _("การจัดส่งมีความคืบหน้า"),
}


def event_label(event: str) -> str:
    label = EVENT_LABELS.get(event)
    return f"{event} · {label}" if label and event != ANY else str(label or event)


class PeakForm(OnceForm):
    base_url = forms.ChoiceField(
        label=_("เซิร์ฟเวอร์ PEAK"),
        choices=[
            ("production", _("ใช้งานจริง (production)")),
            ("uat", _("ทดสอบ (UAT)")),
            ("custom", _("กำหนดเอง")),
        ],
        widget=forms.RadioSelect,
        initial="production",
    )
    base_url_custom = forms.CharField(label=_("URL ที่กำหนดเอง"), max_length=300, required=False)
    connect_id = forms.CharField(label="Connect ID", max_length=200)
    connect_key = forms.CharField(
        label="Connect Key", max_length=500, required=False, strip=True, widget=SECRET
    )
    user_token = forms.CharField(
        label="User Token", max_length=500, required=False, strip=True, widget=SECRET
    )
    signature = forms.ChoiceField(
        label=_("รูปแบบลายเซ็น"), choices=[(s, s) for s in SIGNATURES], initial="hex"
    )
    timeout = forms.FloatField(label=_("เวลารอคำตอบ (วินาที)"), initial=30.0)
    enabled = forms.BooleanField(label=_("ส่งข้อมูลเข้า PEAK"), required=False, initial=True)
    document_types = forms.MultipleChoiceField(
        label=_("ประเภทเอกสารที่ส่ง (ไม่เลือก = ทุกประเภท)"),
        choices=DocumentType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    send_cod_remittances = forms.BooleanField(
        label=_("ส่งรายการรับเงิน COD จากขนส่งเป็นสมุดรายวัน"), required=False, initial=True
    )

    def __init__(
        self, *args, connection: PeakConnection | None = None, chart: dict | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.connection = connection
        for method, label in PaymentMethod.choices:
            self.fields[f"payment_method_{method}"] = forms.CharField(
                label=label, max_length=64, required=False
            )
        for role, label in AccountRole.choices:
            self.fields[f"account_code_{role}"] = forms.CharField(
                label=label,
                max_length=20,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": (chart or {}).get(role, "")}),
            )
        if connection is not None and not self.is_bound:
            self.initial.update(initial_of(connection))

    def secret_fields(self):
        """Each secret's input and whether one is on file (its value is never shown)."""
        saved = self.connection
        return [
            (self["connect_key"], bool(saved and saved.connect_key_sealed)),
            (self["user_token"], bool(saved and saved.user_token_sealed)),
        ]

    def payment_method_fields(self):
        return [self[f"payment_method_{m}"] for m in PaymentMethod.values]

    def account_code_fields(self):
        return [self[f"account_code_{r}"] for r in AccountRole.values]

    def clean(self):
        data = super().clean()
        if data.get("base_url") == "custom" and not data.get("base_url_custom", "").strip():
            self.add_error("base_url_custom", _("กรอก URL ของ PEAK"))
        return data

    def changes(self) -> dict:
        """What to save, in the service's shape. Secrets only when typed; the maps whole."""
        data = self.cleaned_data
        choice = data["base_url"]
        changes = {
            "base_url": SERVERS.get(choice) or data["base_url_custom"].strip(),
            "connect_id": data["connect_id"].strip(),
            "signature": data["signature"],
            "timeout": data["timeout"],
            "enabled": data["enabled"],
            "document_types": list(data["document_types"]),
            "send_cod_remittances": data["send_cod_remittances"],
            "payment_method_ids": _filled(data, "payment_method_", PaymentMethod.values),
            "account_codes": _filled(data, "account_code_", AccountRole.values),
        }
        for secret in ("connect_key", "user_token"):
            if data.get(secret):
                changes[secret] = data[secret]
        return changes


def _filled(data: dict, prefix: str, keys) -> dict[str, str]:
    return {k: data[prefix + k].strip() for k in keys if (data.get(prefix + k) or "").strip()}


def initial_of(connection: PeakConnection) -> dict:
    """The saved connection as the form's starting values (never the secrets)."""
    server = next((k for k, url in SERVERS.items() if url == connection.base_url), "custom")
    return {
        "base_url": server,
        "base_url_custom": connection.base_url if server == "custom" else "",
        "connect_id": connection.connect_id,
        "signature": connection.signature,
        "timeout": connection.timeout,
        "enabled": connection.enabled,
        "document_types": list(connection.document_types or []),
        "send_cod_remittances": connection.send_cod_remittances,
        **{f"payment_method_{k}": v for k, v in (connection.payment_method_ids or {}).items()},
        **{f"account_code_{k}": v for k, v in (connection.account_codes or {}).items()},
    }


class WebhookForm(OnceForm):
    url = forms.CharField(
        label=_("URL ปลายทาง"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/talad-webhook"}),
    )
    events = forms.MultipleChoiceField(
        label=_("เหตุการณ์"),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # none chosen: the service says so, beside the field
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(e, event_label(e)) for e in (ANY, *EVENT_TYPES)]
