"""Form plumbing shared by every page: domain errors beside their fields, one-time form tokens."""

import uuid

from django import forms

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
    """Run `produce()` (returning the URL to go to next) once per form token of this shop."""
    token = form.cleaned_data.get("form_token") or ""
    key = f"form:{token}" if token else None

    def respond():
        return 200, {"next": produce()}

    _status, body = run_once(
        shop=request.shop, key=key, fingerprint=type(form).__name__, produce=respond
    )
    return body["next"]
