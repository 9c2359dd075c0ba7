"""Web security: login throttling with an owner's unlock, CSP with no inline script, HTTPS only
when it is really HTTPS, the admin off by default, `check --deploy` clean (decision 0013)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from talad.shops.models import AuditEntry, Membership
from talad.shops.services import add_member
from tests.orders.test_views import signed_in

PASSWORD = "pw-right-1234"
# A <script> without src= that is not JSON data (type="application/json" never runs).
INLINE_SCRIPT = r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>"
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "talad"


def _member(shop, owner, email="pack@example.com"):
    return add_member(shop=shop, email=email, role="packer", password=PASSWORD, by=owner)


def _login(client, email, password, address="203.0.113.7"):
    return client.post("/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_thirty_wrong_passwords_lock_the_account_with_a_thai_message_and_the_owner_unlocks(
    shop, owner
):
    member = _member(shop, owner)
    client = Client()
    answers = [_login(client, "pack@example.com", f"wrong-{n}").status_code for n in range(30)]
    # The login page again with the wrong-password error, until the tenth failure locks.
    assert answers[:9] == [200] * 9
    assert set(answers[9:]) == {429}

    locked = _login(client, "pack@example.com", PASSWORD)
    assert locked.status_code == 429
    assert "ระงับการเข้าสู่ระบบไว้ชั่วคราว" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # The lockout follows the account, not the address it was tried from.
    assert _login(Client(), "PACK@example.com", PASSWORD, address="198.51.100.9").status_code == 429

    owner_page = signed_in(shop)
    settings_html = owner_page.get("/shop/settings/").content.decode()
    assert f'data-testid="locked-{member.pk}"' in settings_html
    assert owner_page.post(f"/shop/settings/members/{member.pk}/unlock/").status_code == 302
    assert AuditEntry.objects.filter(shop=shop, action="member.unlock").count() == 1
    assert (
        f'data-testid="locked-{member.pk}"'
        not in owner_page.get("/shop/settings/").content.decode()
    )

    welcome = _login(Client(), "pack@example.com", PASSWORD)
    assert welcome.status_code == 302


def test_one_address_trying_many_accounts_is_locked_too(shop, owner, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(5):
        _login(Client(), f"guess{n}@example.com", "nope", address="192.0.2.50")
    _member(shop, owner)
    assert _login(Client(), "pack@example.com", PASSWORD, address="192.0.2.50").status_code == 429
    assert _login(Client(), "pack@example.com", PASSWORD, address="192.0.2.51").status_code == 302


def test_a_successful_login_clears_earlier_failures(shop, owner):
    _member(shop, owner)
    for n in range(9):
        _login(Client(), "pack@example.com", f"wrong-{n}")
    assert _login(Client(), "pack@example.com", PASSWORD).status_code == 302
    for n in range(9):
        assert _login(Client(), "pack@example.com", f"again-{n}").status_code == 200


def test_only_the_owner_can_unlock_and_only_a_member_of_their_own_shop(shop, other_shop, owner):
    member = _member(shop, owner)
    stranger = _member(other_shop, owner, email="far@example.com")
    packer = Client()  # signed in before the failures: a successful login clears them
    packer.force_login(Membership.objects.get(pk=member.pk).user)
    for n in range(10):
        _login(Client(), "pack@example.com", f"wrong-{n}")
    owner_page = signed_in(shop)
    assert owner_page.post(f"/shop/settings/members/{stranger.pk}/unlock/").status_code == 404

    assert packer.post(f"/shop/settings/members/{member.pk}/unlock/").status_code == 403
    assert _login(Client(), "pack@example.com", PASSWORD).status_code == 429


def test_every_page_has_a_csp_that_forbids_inline_script(shop):
    client = signed_in(shop)
    for path in ("/", "/orders/", "/orders/new/", "/shipping/pack/", "/login/", "/api/v1/docs"):
        page = client.get(path)
        policy = page.headers.get("Content-Security-Policy", "")
        directives = dict(
            [*part.split(" ", 1), ""][:2] for part in (p.strip() for p in policy.split(";")) if part
        )
        assert directives.get("script-src") == "'self'", (path, policy)
        assert "frame-ancestors" in directives
        if page.status_code == 200 and "text/html" in page.headers["Content-Type"]:
            html = page.content.decode()
            assert not re.search(INLINE_SCRIPT, html), path
            assert not re.search(r"\son[a-z]+\s*=", html), path


def test_no_template_carries_inline_script_or_event_handlers():
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text()
        if re.search(INLINE_SCRIPT, text) or re.search(r"\son[a-z]+\s*=\s*\"", text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_plain_http_gets_no_hsts_and_no_secure_cookies(db):
    page = Client().get("/login/")
    assert "Strict-Transport-Security" not in page.headers
    assert not page.cookies["csrftoken"]["secure"]


def test_a_trusted_proxy_saying_https_gets_hsts_and_secure_cookies(db, settings):
    import ipaddress

    settings.TALAD_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    page = Client().get("/login/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_PROTO="https")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert page.cookies["csrftoken"]["secure"]


def test_x_forwarded_proto_from_anyone_else_is_ignored(db, settings):
    import ipaddress

    settings.TALAD_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    page = Client().get("/login/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in page.headers
    assert not page.cookies["csrftoken"]["secure"]


def test_the_admin_is_not_there_by_default(shop):
    assert Client().get("/admin/").status_code == 404
    assert signed_in(shop).get("/admin/login/").status_code == 404


def _talad(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("TALAD_")}
    base.update(TALAD_HOME=os.environ["TALAD_HOME"], **env)
    return subprocess.run(
        [sys.executable, "-m", "talad.cli", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_over_https():
    result = _talad(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        TALAD_HTTPS="1",
        TALAD_SECRET_KEY="k" * 20 + "Zq8#pL2@vX9!mN4$wR7&tY1*uI6^oP3%aS5",
        TALAD_ALLOWED_HOSTS="shop.example.th",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("flag", ["", "1"])
def test_admin_when_turned_on_lets_in_superusers_only(flag):
    script = (
        "import django,os;django.setup();"
        "from django.test import Client;from django.test.utils import setup_test_environment;"
        "setup_test_environment();"
        "print(Client().get('/admin/login/').status_code)"
    )
    env = {"TALAD_ADMIN": flag} if flag else {}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "talad.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == ("200" if flag else "404"), result.stderr


def test_the_admin_site_refuses_staff_who_are_not_superusers(shop):
    from django.test import RequestFactory

    from talad.web.admin_site import SuperuserAdminSite

    user = Membership.objects.get(shop=shop).user
    request = RequestFactory().get("/admin/")
    request.user = user
    user.is_staff = True
    assert not SuperuserAdminSite().has_permission(request)
    user.is_superuser = True
    assert SuperuserAdminSite().has_permission(request)
