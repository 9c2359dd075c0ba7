"""`talad worker` as sellers run it: real processes against the suite's database, delivering
webhooks to a real local receiver. Two workers never deliver one message at the same time, a
worker killed mid-batch loses nothing, and the Redis (RQ) backend does the same job."""

import json
import os
import signal
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from talad.integrations.models import AttemptOutcome, DeliveryAttempt, MessageStatus, OutboxMessage
from talad.integrations.webhooks.events import publish_event
from talad.integrations.webhooks.services import subscribe
from tests.concurrency import suite_database_url, talad_command
from tests.conftest import make_shop
from tests.integrations.helpers import BY

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("TALAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class SlowReceiver:
    """Answers 200 after `delay` seconds and notes when each event id arrived and was answered."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.deliveries: list[tuple[str, float, float]] = []  # (event id, started, finished)
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                started = time.monotonic()
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.deliveries.append(
                        (self.headers["X-Talad-Event-Id"], started, time.monotonic())
                    )
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def event_ids(self) -> list[str]:
        with self.lock:
            return [d[0] for d in self.deliveries]


def worker_env(**extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talad.settings",
        "TALAD_DATABASE_URL": suite_database_url(),
        "TALAD_WEBHOOKS_ALLOW_PRIVATE": "1",
        "TALAD_OUTBOX_RETRY_DELAYS": "0,0,0",
        "TALAD_WORKER_TICK": "0.2",
        **extra,
    }
    return env


def start_worker(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [*talad_command(), "worker", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def finish(process: subprocess.Popen, timeout: float = 180) -> str:
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        raise AssertionError(f"talad worker did not finish in {timeout}s:\n{out}") from None
    assert process.returncode == 0, out
    return out


def events_for(receiver: SlowReceiver, count: int, settings) -> set[str]:
    """`count` order events for one shop subscribed to the receiver; their event ids."""
    settings.TALAD_WEBHOOKS_ALLOW_PRIVATE = True
    shop = make_shop()
    subscribe(shop=shop, url=receiver.url, events=["order.created"], by=BY)
    for i in range(count):
        with transaction.atomic():
            publish_event(shop=shop, event_type="order.created", data={"order": {"n": i}})
    return {m.payload["event_id"] for m in OutboxMessage.objects.for_shop(shop)}


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["db", "rq"])
def backend(request):
    """The task backends a shop can choose: the database (default) and Redis through RQ."""
    if request.param == "rq":
        if not redis_available():
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(f"CI=true: Redis is required at {REDIS_URL}")
            pytest.skip(f"no Redis at {REDIS_URL}")
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        yield {"TALAD_TASKS_BACKEND": "rq", "TALAD_REDIS_URL": REDIS_URL}
        redis.Redis.from_url(REDIS_URL).flushdb()
        return
    yield {"TALAD_TASKS_BACKEND": "db"}


def test_two_workers_deliver_two_hundred_messages_each_exactly_once(backend, settings):
    with SlowReceiver(delay=0.005) as receiver:
        expected = events_for(receiver, 200, settings)
        env = worker_env(**backend)
        workers = [start_worker("--drain", env=env) for _ in range(2)]
        outputs = [finish(w) for w in workers]

        received = receiver.event_ids()
    assert sorted(received) == sorted(expected), outputs  # none lost, none twice
    assert OutboxMessage.unscoped.filter(status=MessageStatus.SENT).count() == 200
    assert not DeliveryAttempt.unscoped.exclude(outcome=AttemptOutcome.SENT).exists()
    # Both workers took their share (each attempt names the worker that made it).
    by_worker = set(DeliveryAttempt.unscoped.values_list("worker", flat=True))
    assert len(by_worker) == 2, by_worker
    print(f"\n[{backend['TALAD_TASKS_BACKEND']}] 200 deliveries by 2 workers: {by_worker}")


def test_a_worker_killed_mid_batch_leaves_nothing_lost_and_a_restarted_one_finishes(
    backend, settings
):
    with SlowReceiver(delay=0.05) as receiver:
        expected = events_for(receiver, 40, settings)
        env = worker_env(TALAD_OUTBOX_LEASE="2", **backend)
        worker = start_worker(env=env)  # the long-running worker, not --drain
        deadline = time.monotonic() + 120
        while len(receiver.event_ids()) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        delivered_before = len(set(receiver.event_ids()))
        assert 10 <= delivered_before < 40, "the worker should have been killed mid-batch"

        finish(start_worker("--drain", env=env))
        received = receiver.event_ids()

    assert set(received) == expected  # nothing lost
    # At least once: only a message in flight at the kill can have arrived twice.
    assert len(received) - len(set(received)) <= 1
    assert OutboxMessage.unscoped.filter(status=MessageStatus.SENT).count() == 40


def test_the_worker_parks_what_keeps_failing_and_drain_still_exits(settings):
    settings.TALAD_WEBHOOKS_ALLOW_PRIVATE = True
    shop = make_shop()
    subscribe(shop=shop, url="http://127.0.0.1:9/closed", events=["*"], by=BY)
    with transaction.atomic():
        publish_event(shop=shop, event_type="order.created", data={"order": {}})

    out = finish(start_worker("--drain", env=worker_env()))

    message = OutboxMessage.objects.for_shop(shop).get()
    assert message.status == MessageStatus.FAILED, out
    assert message.attempts == 4  # the first try and the three retries of "0,0,0"
    assert "1 failed" in out
    assert json.loads(message.payload["body"])["type"] == "order.created"
