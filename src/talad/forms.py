"""Form plumbing shared by every page: domain errors beside their fields, one-time form tokens."""

import uuid

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _

from talad.errors import TaladError
from talad.shops.idempotency import run_once


def add_domain_error(form: forms.Form, error: TaladError) -> None:
    """Show a service's error beside the field it names (`lines[0].sku` → `sku`), else on top."""
    placed = False
    for path, code in (error.fields or {}).items():
        field = path.split(".")[-1].split("[")[0]
        if field in form.fields:
            form.add_error(
                field, error.message if len(error.fields) == 1 else f"{error.message} ({code})"
            )
            placed = True
    if not placed:
        form.add_error(None, error.message)


class OnceForm(forms.Form):
    """A form that carries a token so a double click or a resubmission acts only once."""

    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)


def act_once(request, form: OnceForm, produce) -> str:
    """Run `produce()` once per form token of this shop and return the URL to go to next.

    `produce` returns that URL, or (URL, notice): the notice is what a second save of the same
    form (the back button, a re-submit, a double click) shows instead of acting again, e.g.
    "ออเดอร์นี้บันทึกแล้ว: SO-000123" on the order it already made."""
    token = form.cleaned_data.get("form_token") or ""
    key = f"form:{token}" if token else None
    acted = False

    def respond():
        nonlocal acted
        acted = True
        result = produce()
        url, notice = result if isinstance(result, tuple) else (result, "")
        return 200, {"next": url, "notice": str(notice)}

    _status, body = run_once(
        shop=request.shop, key=key, fingerprint=type(form).__name__, produce=respond
    )
    if key and not acted:
        messages.warning(request, body.get("notice") or _("บันทึกรายการนี้ไปแล้ว จึงไม่บันทึกซ้ำ"))
    return body["next"]
