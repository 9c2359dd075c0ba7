"""What Talad adds to Django's own protections (docs/decisions/0013-web-security.md).

- `TrustedProxyMiddleware`: a request is HTTPS when it came over TLS or when a proxy listed in
  TALAD_TRUSTED_PROXIES says so in X-Forwarded-Proto; anyone else's header is ignored.
- `client_address`: the visitor's address for login throttling, through trusted proxies only.
- `LoginThrottleBackend` + `lockout_response`: django-axes refuses a locked account or address
  before the password is checked, and the login page says why, in Thai.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render

from talad.web.login import LoginForm


def is_trusted_proxy(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in settings.TALAD_TRUSTED_PROXIES)


class TrustedProxyMiddleware:
    """Take the scheme from X-Forwarded-Proto only when a trusted proxy sent it.

    On an HTTPS request every cookie the response sets is marked Secure, so a deployment
    behind a trusted proxy gets Secure cookies even before TALAD_HTTPS=1 makes them the rule.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            forwarded = request.META.get("HTTP_X_FORWARDED_PROTO", "")
            scheme = forwarded.split(",", 1)[0].strip().lower()
            if scheme in ("http", "https"):
                request.META["wsgi.url_scheme"] = scheme
        response = self.get_response(request)
        if request.is_secure():
            for cookie in response.cookies.values():
                cookie["secure"] = True
        return response


def client_address(request) -> str | None:
    """REMOTE_ADDR, or behind trusted proxies the nearest address in X-Forwarded-For that is
    not one of them (the left-most entries are whatever the client chose to send)."""
    remote = request.META.get("REMOTE_ADDR") or None
    if not is_trusted_proxy(remote):
        return remote
    address = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        entry = entry.strip()
        try:
            ipaddress.ip_address(entry)
        except ValueError:
            break
        address = entry
        if not is_trusted_proxy(entry):
            break
    return address


def login_username(request, credentials: dict | None) -> str | None:
    """The account a login attempt is for, as Talad stores it (e-mail, lower case)."""
    if credentials and credentials.get("username") is not None:
        username = credentials["username"]
    else:
        username = getattr(request, "POST", {}).get("username")
    return username.strip().lower() if isinstance(username, str) else None


class LoginThrottleBackend(AxesStandaloneBackend):
    """axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Only logins that come with a request are throttled: the login page and the admin's always
    pass one. authenticate() without a request (Django's test client, a shell) has no address
    to count, and axes would otherwise refuse it outright.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lockout explained (429)."""
    username = login_username(request, credentials) or ""
    form = LoginForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next", "") if request.method == "POST" else "",
        "locked_out": True,
        "cooloff_minutes": settings.TALAD_LOGIN_COOLOFF_MINUTES,
    }
    return render(request, "registration/login.html", context, status=429)
