"""The login form: people sign in with their e-mail, so the form and its error say e-mail.

Django's own form names the user model's `username` field ("ชื่อผู้ใช้") in its error,
a field the login page does not have."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("อีเมล"), max_length=254)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("อีเมลหรือรหัสผ่านไม่ถูกต้อง"),
    }
