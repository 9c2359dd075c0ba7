"""`talad backup [--to FILE]`: the database and the uploaded files in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talad.errors import TaladError
from talad.web.backups import counts_lines, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (consistent while Talad runs) and MEDIA_ROOT into one .tar.gz. "
        "The secret key is not included: keep it apart, a restore needs it for sealed secrets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            type=Path,
            help="the archive to write (default: TALAD_HOME/backups/talad-<UTC time>.tar.gz)",
        )

    def handle(self, *args, **opts):
        try:
            report = create_backup(to=opts["to"])
        except TaladError as exc:
            raise CommandError(exc.message) from exc
        manifest = report.manifest
        self.stdout.write(f"backup written to {report.path} ({report.bytes:,} bytes)")
        for line in counts_lines(manifest):
            self.stdout.write(line)
        self.stdout.write(
            "It holds customers' details: keep it private. It does not hold the secret key: "
            "keep TALAD_SECRET_KEY (or TALAD_HOME/secret_key) safe apart from it; a restore "
            "needs that key to read the shops' sealed PEAK keys and webhook secrets."
        )
