"""`talad peak connect` / `talad peak status`, and a `talad worker` killed while PEAK is
storing a document: the restarted worker finds the document in PEAK instead of sending it twice."""

import os
import signal
import subprocess
import time

import pytest

from talad.accounting.models import PeakLink, PeakState
from talad.integrations.models import PeakConnection
from talad.integrations.sealed import unseal
from tests.accounting.factories import act, documents, goods, prepaid_order, vat_shop
from tests.concurrency import talad_command
from tests.fakes.peak import FakePeak
from tests.integrations.helpers import connect_peak
from tests.integrations.test_worker import finish, start_worker, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


def talad(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*talad_command(), *args], env=worker_env(), capture_output=True, text=True, timeout=120
    )


def connect_args(shop, url, key="CKEY"):
    return [
        "peak",
        "connect",
        "--shop",
        shop.slug,
        "--base-url",
        url,
        "--connect-id",
        "CID",
        "--connect-key",
        key,
        "--user-token",
        "UTOKEN",
    ]


def test_peak_connect_saves_the_settings_tries_the_token_and_says_so():
    shop = vat_shop()
    with FakePeak() as peak:
        done = talad(*connect_args(shop, peak.url))

    assert done.returncode == 0, done.stderr
    assert "connected" in done.stdout
    assert "CKEY" not in done.stdout + done.stderr  # the key is never printed
    connection = PeakConnection.objects.for_shop(shop).get()
    assert unseal(connection.connect_key_sealed) == "CKEY"
    assert "CKEY" not in connection.connect_key_sealed  # sealed at rest
    assert connection.last_check_ok is True


def test_peak_connect_with_a_wrong_key_exits_1_with_peak_s_message():
    shop = vat_shop()
    with FakePeak() as peak:
        done = talad(*connect_args(shop, peak.url, key="WRONG"))

    assert done.returncode == 1
    assert "Invalid Connect ID or Connect Key" in done.stderr
    assert PeakConnection.objects.for_shop(shop).get().last_check_ok is False


def test_peak_status_counts_pending_sent_and_failed():
    shop = vat_shop()
    with FakePeak() as peak:
        connect_peak(shop, peak)
        act(prepaid_order(shop, goods(shop, "MUG")), "pay")
        act(prepaid_order(shop, goods(shop, "CUP")), "pay")
        before = talad("peak", "status", "--shop", shop.slug)
        finish(start_worker("--drain", env=worker_env()))
        after = talad("peak", "status", "--shop", shop.slug)

    assert before.returncode == 0, before.stderr
    assert "pending: 2" in before.stdout and "sent: 0" in before.stdout
    assert "pending: 0" in after.stdout and "sent: 2" in after.stdout
    assert "failed: 0" in after.stdout


def test_a_worker_killed_while_peak_stores_a_receipt_never_makes_a_duplicate():
    shop = vat_shop()
    with FakePeak() as peak:
        connect_peak(shop, peak, timeout=30.0)
        # PEAK stores the receipt, then takes 30 s to answer: the worker is killed meanwhile.
        peak.fail_next("/receipts", "slow", delay=30.0)
        order = prepaid_order(shop, goods(shop))
        act(order, "pay")
        (document,) = documents(order)
        env = worker_env(TALAD_OUTBOX_LEASE="1")
        worker = start_worker(env=env)
        deadline = time.monotonic() + 60
        while peak.count("receipts", document.number) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        assert peak.count("receipts", document.number) == 1

        finish(start_worker("--drain", env=env))

        assert peak.count("receipts", document.number) == 1
    link = PeakLink.objects.for_shop(shop).get(document=document)
    assert link.status == PeakState.SENT
    assert link.peak_id == peak.rows("receipts")[0]["id"]
