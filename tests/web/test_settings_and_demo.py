import os
import stat
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client

from talad.inventory.checks import stock_violations
from talad.shops.models import Shop
from talad.web.demo import create_demo_shop


def _settings_in(home, **env) -> str:
    code = "import talad.settings as s; print(s.SECRET_KEY); print(s.DEBUG); print(s.DATABASES['default']['NAME'])"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TALAD_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "TALAD_HOME": str(home), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split("\n")


def test_secret_key_is_generated_once_into_talad_home_and_kept_private(tmp_path):
    key, debug, db_name, _ = _settings_in(tmp_path)
    path = tmp_path / "secret_key"
    assert path.read_text().strip() == key and len(key) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _settings_in(tmp_path)[0] == key
    assert debug == "False"
    assert db_name == str(tmp_path / "talad.sqlite3")


def test_environment_overrides_secret_debug_and_database(tmp_path):
    key, debug, db_name, _ = _settings_in(
        tmp_path,
        TALAD_SECRET_KEY="from-env",
        TALAD_DEBUG="1",
        TALAD_DATABASE_URL="postgresql://u@db.example:5432/talad",
    )
    assert (key, debug, db_name) == ("from-env", "True", "talad")
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite tuning only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20_000
    assert connection.transaction_mode == "IMMEDIATE"


def test_demo_shop_has_thai_products_consistent_stock_and_a_login(db, settings, tmp_path):
    settings.TALAD_HOME = tmp_path
    login = create_demo_shop()
    shop = Shop.objects.get(slug="demo")
    assert stock_violations(shop) == []
    client = Client()
    assert client.login(username=login.email, password=login.password)
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert shop.name in html
    assert "TS-BLK-M" in html  # 3 left with a threshold of 5: low stock
    assert "SUN-50" not in html  # 60 on hand
    assert (tmp_path / "demo-login.txt").read_text().split() == [login.email, login.password]


def test_visitors_are_sent_to_a_thai_login_page(db):
    page = Client().get("/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/login/")
    assert page.status_code == 200
    assert "เข้าสู่ระบบ" in page.content.decode()
    assert '<html lang="th">' in page.content.decode()
