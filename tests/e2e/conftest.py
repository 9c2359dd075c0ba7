"""Browser tests: Playwright drives Debian's chromium against the real server
(docs/design/layout.md#testing-and-ci).

Design, and why:

- The server is the real one: `talad serve --no-demo --workers 1 --threads 4` (gunicorn) in a
  subprocess, started once for this package, with its own TALAD_HOME in a temporary directory.
  Nothing runs in-process: Playwright's sync API keeps an asyncio loop in the test thread, where
  Django's ORM refuses to run (SynchronousOnlyOperation), and a live server in a thread would
  share pytest-django's test transaction. A subprocess has neither problem, and tests what a
  seller runs. The browser and the server are torn down when the package's tests end, so the
  suites that follow never see Playwright's loop.
- Database: the suite's own choice. With TALAD_DATABASE_URL empty the server uses SQLite in its
  TALAD_HOME. With TALAD_DATABASE_URL=postgresql://… the server gets a fresh database
  `test_<name>_e2e[_<xdist worker>]` that this conftest creates (dropping a leftover of a crashed
  run first) and drops afterwards, so the PostgreSQL run also exercises gunicorn's threads on
  PostgreSQL. It never touches pytest-django's test database or anyone else's.
- Seed data goes through the CLI (`talad migrate`, `createshop`, `demo --orders 20`, `token`), in
  one Python process to save interpreter start-ups. Orders a test needs in a known state are made
  through the public API with the printed token, so each test owns its orders and asserts
  changes relative to what it read first: tests do not depend on each other or on their order.
- Readiness is bounded polling of /login/ (the wait between attempts is the subprocess's own
  wait, which also notices a server that died); the server's log is in the failure message.
- No `playwright install`: chromium comes from Debian (`shutil.which("chromium")`). Without it
  the tests are skipped with the reason, except under CI=true, where that is a failure.
- Screenshots for docs/screenshots/ are written only when TALAD_SCREENSHOTS=1.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

SHOP = "e2e"
SHOP_NAME = "ร้านป้าแดงของฝาก"
OWNER_EMAIL = "owner@e2e.talad.test"
PASSWORD = "e2e-secret-9"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
STARTUP_SECONDS = 60
SCREENSHOTS = os.environ.get("TALAD_SCREENSHOTS", "").strip().lower() in {"1", "true", "yes"}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# The screenshots want a dashboard with something in it; the tests need only a little data.
DEMO_ORDERS = 150 if SCREENSHOTS else 20


@dataclass
class Server:
    url: str
    token: str

    def api(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """Call the JSON API as an owner token would; returns (status, body)."""
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def order(self, sku: str, quantity: int = 1, *, name: str, method: str = "transfer") -> dict:
        """A new pending order for one SKU, made through the API."""
        status, body = self.api(
            "POST",
            "/api/v1/orders",
            {
                "channel": "line",
                "customer": {
                    "name": name,
                    "phone": "0891234567",
                    "address": {
                        "line": "12/3 ซอยสุขุมวิท 31",
                        "subdistrict": "คลองตันเหนือ",
                        "district": "วัฒนา",
                        "province": "กรุงเทพมหานคร",
                        "postcode": "10110",
                    },
                },
                "lines": [{"sku": sku, "quantity": quantity}],
                "payment_method": method,
            },
        )
        assert status == 201, body
        return body

    def act(self, order: dict, action: str, data: dict | None = None) -> dict:
        status, body = self.api("POST", f"/api/v1/orders/{order['id']}/actions/{action}", data)
        assert status == 200, body
        return body


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _talad(*args: str) -> list[str]:
    return [sys.executable, "-m", "talad.cli", *args]


def _tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _postgres_database(url: str):
    """A fresh PostgreSQL database next to the suite's; returns (its URL, a function dropping it)."""
    import psycopg

    parts = urlsplit(url)
    base = parts.path.lstrip("/") or "postgres"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"test_{base}_e2e" + (f"_{worker}" if worker else "")

    def run(sql: str) -> None:
        with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)

    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    run(drop)
    run(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: run(drop)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path:
        return path
    reason = "Debian's chromium is not on PATH (apt-get install chromium); browser tests need it"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def server(chromium_path, tmp_path_factory) -> Server:
    home = tmp_path_factory.mktemp("talad_e2e_home")
    log = home / "server.log"
    env = {
        **os.environ,
        "TALAD_HOME": str(home),
        "TALAD_TESTING": "1",
        "TALAD_DEBUG": "",
        "DJANGO_SETTINGS_MODULE": "talad.settings",
    }
    url = os.environ.get("TALAD_DATABASE_URL", "")
    drop_database = None
    if url.startswith(("postgres://", "postgresql://")):
        env["TALAD_DATABASE_URL"], drop_database = _postgres_database(url)
    else:
        env["TALAD_DATABASE_URL"] = ""
    proc = None
    try:
        seed = (
            "from talad.cli import main\n"
            "main(['migrate', '--verbosity', '0'])\n"
            f"main(['createshop', '--name', {SHOP_NAME!r}, '--slug', {SHOP!r},"
            f" '--owner-email', {OWNER_EMAIL!r}, '--password', {PASSWORD!r}])\n"
            f"main(['demo', '--shop', {SHOP!r}, '--orders', '{DEMO_ORDERS}', '--seed', '7'])\n"
            f"main(['token', '--shop', {SHOP!r}, '--role', 'owner', '--name', 'e2e'])\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", seed], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"seeding failed:\n{done.stdout}\n{done.stderr}"
        token = done.stdout.strip().splitlines()[-1]
        assert token.startswith("tld_"), done.stdout

        port = _free_port()
        with log.open("w") as out:
            proc = subprocess.Popen(
                _talad(
                    "serve", "--no-demo", "--port", str(port), "--workers", "1", "--threads", "4"
                ),
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: gunicorn's worker goes with it
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(base + "/login/", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            try:
                code = proc.wait(timeout=0.2)  # the pause between polls; notices a dead server
            except subprocess.TimeoutExpired:
                code = None
            if code is not None:
                pytest.fail(f"talad serve exited with {code}:\n{_tail(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"talad serve not ready in {STARTUP_SECONDS} s:\n{_tail(log)}")
        yield Server(url=base, token=token)
    finally:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; TERM waits out keep-alives
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        if drop_database is not None:
            drop_database()


@pytest.fixture(scope="package")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="package")
def owner_session(server, browser) -> dict:
    """The owner's logged-in cookies, made once: every test's context starts from them."""
    context = browser.new_context(base_url=server.url, locale="th-TH")
    try:
        page = context.new_page()
        log_in(page)
        page.wait_for_url(server.url + "/")
        return context.storage_state()
    finally:
        context.close()


@pytest.fixture
def open_page(server, browser, owner_session):
    """open_page(viewport=…, logged_in=…) → a page in a fresh context (own cookies), in Thai."""
    contexts = []

    def make(viewport: dict = DESKTOP, *, logged_in: bool = True):
        context = browser.new_context(
            base_url=server.url,
            viewport=viewport,
            locale="th-TH",
            timezone_id="Asia/Bangkok",
            storage_state=owner_session if logged_in else None,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, email: str = OWNER_EMAIL, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("form button[type=submit]")


@pytest.fixture
def seller(open_page):
    """The shop owner, logged in, on a desktop-sized page."""
    return open_page()
