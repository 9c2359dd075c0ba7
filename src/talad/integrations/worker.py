"""`talad worker`: the task backend's own worker (django-tasks-db's, or RQ's), and next to it
the scheduled checks: the outbox sweep (retries that are due, tasks that were lost) and the
stuck-order scan. `--drain` runs the queue dry, waits for the next retry, and stops when every
message is sent or parked."""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils import timezone

from talad.integrations import outbox

log = logging.getLogger(__name__)

STUCK_SCAN_EVERY = 900.0  # seconds
PRUNE_EVERY = 3600.0
MAX_NAP = 5.0  # --drain never sleeps longer than this between looks at the outbox


def worker_id() -> str:
    return outbox.worker_name()[:64]


def run_tasks(*, until_empty: bool) -> None:
    """The configured backend's worker, in this thread: until the queue is empty, or forever."""
    if settings.TALAD_TASKS_BACKEND == "rq":
        import django_rq
        from rq.worker import SimpleWorker

        # SimpleWorker runs jobs in this process (no fork per job), like the database worker.
        rq_worker = django_rq.get_worker(
            "default", job_class="django_tasks_rq.Job", worker_class=SimpleWorker
        )
        rq_worker.work(burst=until_empty, logging_level="WARNING")
        return
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0 if until_empty else 1,
        batch=until_empty,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id(),
        excluded_queue_names=[],
    ).run()


def drain(*, say: Callable[[str], None] = print) -> int:
    """Deliver everything that is due, then every retry as it comes due, until nothing is
    pending. Returns how many loops it took (for the log)."""
    loops = 0
    while True:
        loops += 1
        outbox.enqueue_due(everything=True)
        run_tasks(until_empty=True)
        wake = outbox.next_wake()
        if wake is None:
            return loops
        nap = (wake - timezone.now()).total_seconds()
        if nap > 0:
            say(f"waiting {nap:.1f}s for the next retry ({outbox.pending_count()} pending)")
            time.sleep(min(nap, MAX_NAP))
        close_old_connections()


class ScheduledChecks(threading.Thread):
    """Every TALAD_WORKER_TICK seconds: the outbox sweep; now and then, the stuck-order scan
    and pruning finished task results. Runs beside the backend's worker, in its own thread
    (and so its own database connection)."""

    def __init__(self) -> None:
        super().__init__(name="talad-scheduled-checks", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        last_scan = last_prune = 0.0
        # At start, queue every due message: tasks put on another queue (or lost with a crashed
        # worker, or with a switch of backend) must not wait for the sweep's stale window.
        everything = True
        while not self.stopping.is_set():
            try:
                outbox.enqueue_due(everything=everything)
                everything = False
                now = time.monotonic()
                if now - last_scan >= STUCK_SCAN_EVERY:
                    last_scan = now
                    scan_stuck_orders()
                if now - last_prune >= PRUNE_EVERY:
                    last_prune = now
                    prune_task_results()
            except Exception:  # a failed check must not end the checks: log and go on
                log.exception("scheduled check failed")
            finally:
                connection.close()
            self.stopping.wait(settings.TALAD_WORKER_TICK)


def scan_stuck_orders() -> int:
    from talad.integrations.webhooks.events import publish_stuck_orders

    return publish_stuck_orders()


def prune_task_results() -> None:
    """Finished task results are kept a day (the outbox keeps the history that matters)."""
    if settings.TALAD_TASKS_BACKEND == "db":
        call_command("prune_db_task_results", min_age_days=1, verbosity=0)


def run_forever() -> None:
    checks = ScheduledChecks()
    checks.start()
    try:
        run_tasks(until_empty=False)
    finally:
        checks.stopping.set()
