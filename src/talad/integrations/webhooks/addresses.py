"""Where a webhook may point: a public http(s) address. A URL whose host resolves to a
loopback, private, link-local or otherwise non-public address is refused (SSRF), unless the
install allows it (TALAD_WEBHOOKS_ALLOW_PRIVATE=1: a self-hosted setup, and the tests).

Checked when the subscription is made and again before every delivery, since DNS can change.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from talad.errors import TaladError


class UnsafeWebhookUrl(TaladError):
    code = "unsafe_url"


def check_webhook_url(url: str) -> str:
    """The URL, cleaned, or UnsafeWebhookUrl saying why not."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeWebhookUrl(
            _("URL ต้องขึ้นต้นด้วย http:// หรือ https:// และมีชื่อโฮสต์"), fields={"url": "invalid"}
        )
    if parts.username or parts.password:
        raise UnsafeWebhookUrl(_("URL ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน"), fields={"url": "credentials"})
    if settings.TALAD_WEBHOOKS_ALLOW_PRIVATE:
        return url
    for address in _addresses(
        parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    ):
        if not address.is_global or address.is_multicast:
            raise UnsafeWebhookUrl(
                _("ส่ง webhook ไปที่อยู่ภายใน (%(a)s) ไม่ได้") % {"a": address},
                fields={"url": "private_address"},
            )
    return url


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeWebhookUrl(
            _("หาที่อยู่ของโฮสต์ %(h)s ไม่พบ") % {"h": host}, fields={"url": "unresolvable"}
        ) from None
    found = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        found.append(address)
    return found
