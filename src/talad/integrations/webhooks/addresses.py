"""Where a webhook may point: a public http(s) address. A URL whose host resolves to a
loopback, private, link-local or otherwise non-public address is refused (SSRF), unless the
install allows it (TALAD_WEBHOOKS_ALLOW_PRIVATE=1: a self-hosted setup, and the tests).

Checked when the subscription is made, and again when a delivery connects: the sender
resolves the name once and connects to the address it checked (delivery.py), so a name that
changes its answer in between (DNS rebinding) cannot steer a delivery inside.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from talad.errors import TaladError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class UnsafeWebhookUrl(TaladError):
    code = "unsafe_url"


def check_webhook_url(url: str) -> str:
    """The URL, cleaned, or UnsafeWebhookUrl saying why not."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number from 0 to 65535
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() or not c.isprintable() for c in url)
    ):
        raise UnsafeWebhookUrl(
            _("URL ต้องขึ้นต้นด้วย http:// หรือ https:// และมีชื่อโฮสต์"), fields={"url": "invalid"}
        )
    if parts.username or parts.password:
        raise UnsafeWebhookUrl(_("URL ต้องไม่มีชื่อผู้ใช้หรือรหัสผ่าน"), fields={"url": "credentials"})
    if not settings.TALAD_WEBHOOKS_ALLOW_PRIVATE:
        allowed_addresses(parts.hostname, port or (443 if parts.scheme == "https" else 80))
    return url


def allowed_addresses(host: str, port: int) -> list[Address]:
    """The addresses `host` resolves to, when the install may send there. One non-public
    answer refuses the host: a name that answers both would be a way in."""
    found = _addresses(host, port)
    if settings.TALAD_WEBHOOKS_ALLOW_PRIVATE:
        return found
    for address in found:
        if not _public(address):
            raise UnsafeWebhookUrl(
                _("ส่ง webhook ไปที่อยู่ภายใน (%(a)s) ไม่ได้") % {"a": address},
                fields={"url": "private_address"},
            )
    return found


def _public(address: Address) -> bool:
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address to a gateway (6to4, NAT64) lead where it does.
        embedded = address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(address.packed[-4:])
        if embedded is not None and not _public(embedded):
            return False
    return True


def _addresses(host: str, port: int) -> list[Address]:
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
        if address not in found:
            found.append(address)
    return found
