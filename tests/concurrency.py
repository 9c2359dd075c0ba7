"""Helpers for tests that race: many threads at once, and the real `talad serve` in a subprocess."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

WORKER_TIMEOUT = 120  # seconds a whole race may take before we call it hung
SERVER_START_TIMEOUT = 90


@dataclass
class Outcome:
    result: object = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_at_once(count: int, work) -> list[Outcome]:
    """Run `work(i, barrier)` in `count` threads released together by a barrier.

    `work` may wait on the barrier again to line the workers up for another round. Each thread uses its own database connection (Django's are per thread) and closes it when
    done, so the test database can be flushed afterwards. Returns one Outcome per worker.
    """
    barrier = threading.Barrier(count)
    outcomes = [Outcome() for _ in range(count)]

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=WORKER_TIMEOUT)
            outcomes[i].result = work(i, barrier)
        except BaseException as exc:
            outcomes[i].error = exc
            barrier.abort()  # a worker that died must not leave the others waiting at the barrier
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + WORKER_TIMEOUT
    for t in threads:
        t.join(timeout=max(deadline - time.monotonic(), 0))
    hung = sum(t.is_alive() for t in threads)
    assert hung == 0, f"{hung} of {count} workers still running after {WORKER_TIMEOUT}s"
    return outcomes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def talad_command() -> list[str]:
    """The installed `talad` console script of this virtualenv."""
    script = Path(sys.executable).with_name("talad")
    assert script.exists(), f"the talad console script is not installed next to {sys.executable}"
    return [str(script)]


@dataclass
class Response:
    status: int
    body: str

    def json(self):
        return json.loads(self.body)


class TaladServer:
    """A `talad serve` process on a fresh TALAD_HOME.

    With no `database_url` it uses SQLite in that TALAD_HOME, as a default install does.
    """

    def __init__(self, home: Path, *, workers: int = 2, threads: int = 8, database_url: str = ""):
        self.home = home
        self.port = free_port()
        self.workers = workers
        self.threads = threads
        self.log_path = home / "server.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "talad.settings",
            "TALAD_HOME": str(home),
            "TALAD_DATABASE_URL": database_url,  # empty: SQLite in TALAD_HOME
            "TALAD_TESTING": "1",
        }
        self.env.pop("TALAD_SECRET_KEY", None)
        self.process: subprocess.Popen | None = None

    # --- process ----------------------------------------------------------------------------

    def start(self) -> None:
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                *talad_command(),
                "serve",
                "--no-demo",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
            ],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches the workers too
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                self.request("GET", "/api/v1/stock", timeout=2)
                return
            except OSError:
                pass
            try:
                code = self.process.wait(timeout=0.2)  # the poll interval; also notices a crash
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"talad serve exited with {code}:\n{self.log()}")
        raise AssertionError(f"talad serve not ready in {SERVER_START_TIMEOUT}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        if getattr(self, "_log", None):
            self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # --- talking to it ----------------------------------------------------------------------

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run `talad <args>` against the same TALAD_HOME."""
        return subprocess.run(
            [*talad_command(), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def request(
        self, method: str, path: str, body=None, *, token: str | None = None, timeout: float = 60
    ) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            data = json.dumps(body).encode() if body is not None else None
            conn.request(method, path, body=data, headers=headers)
            raw = conn.getresponse()
            return Response(raw.status, raw.read().decode("utf-8", errors="replace"))
        finally:
            conn.close()


@contextmanager
def talad_server(home: Path, **kw):
    server = TaladServer(home, **kw)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def suite_database_url() -> str:
    """The database this test run uses, as a TALAD_DATABASE_URL for a `talad` subprocess: the
    transactional test's rows are visible to it, and the test's flush removes what it wrote."""
    from urllib.parse import quote

    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"
