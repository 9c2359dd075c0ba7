"""Secrets at rest (PEAK keys and tokens, webhook secrets): sealed with Fernet under a key
derived from the install's SECRET_KEY, so a copy of the database alone does not reveal them.

A changed SECRET_KEY makes old secrets unreadable: `unseal` says so, and the shop enters them
again. Secrets never appear in API responses or logs: `masked` shows the last characters only.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.translation import gettext as _

from talad.errors import TaladError


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"talad.integrations.sealed:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def unseal(sealed: str) -> str:
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise TaladError(
            _("อ่านรหัสลับที่บันทึกไว้ไม่ได้ (SECRET_KEY เปลี่ยน): กรุณาใส่ใหม่"),
            fields={"secret": "unreadable"},
        ) from None


def masked(secret: str) -> str:
    """'••••ab12' for a secret of 8+ characters; never more than four of them."""
    if not secret:
        return ""
    return "••••" + (secret[-4:] if len(secret) >= 8 else "")
