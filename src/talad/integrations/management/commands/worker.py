"""talad worker [--drain] (docs/design/cli.md#commands)."""

from django.core.management.base import BaseCommand

from talad.integrations import outbox, worker


class Command(BaseCommand):
    help = "Run background work: outbox deliveries and the scheduled checks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--drain",
            action="store_true",
            help="deliver everything due, retrying on schedule until each message is sent "
            "or parked, then exit 0",
        )

    def handle(self, *args, drain=False, **options):
        if drain:
            loops = worker.drain(say=self.stdout.write)
            self.stdout.write(
                f"outbox drained in {loops} round(s): nothing pending "
                f"({outbox.failed_count()} failed in all)"
            )
            return
        self.stdout.write(f"talad worker {worker.worker_id()} started")
        worker.run_forever()
