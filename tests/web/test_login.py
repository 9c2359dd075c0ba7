"""The login page speaks of the e-mail people sign in with, not a username they do not have."""

from django.test import Client

from talad.shops.actors import Actor
from talad.shops.services import add_member


def test_a_wrong_password_names_the_email_field(shop):
    add_member(
        shop=shop,
        email="staff@example.com",
        role="packer",
        password="pw-123456",
        by=Actor.system("t"),
    )

    page = Client().post(
        "/login/", {"username": "staff@example.com", "password": "wrong"}, REMOTE_ADDR="192.0.2.9"
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in html
    assert "ชื่อผู้ใช้" not in html
