"""`talad restore FILE`: a `talad backup` archive into this install's empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talad.errors import TaladError
from talad.web.backups import counts_lines, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a talad backup archive into an empty database (and MEDIA_ROOT), checking "
        "every file against the archive's manifest first and every table's rows after."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the archive talad backup wrote")

    def handle(self, *args, **opts):
        try:
            report = restore_backup(archive=opts["file"])
        except TaladError as exc:
            raise CommandError(exc.message) from exc
        manifest = report.manifest
        self.stdout.write(
            f"restored {opts['file']} (made {manifest['created_at']} by Talad "
            f"{manifest['talad_version']}) into {report.target}"
        )
        for line in counts_lines(manifest):
            self.stdout.write(line)
        self.stdout.write("  every table has the rows the backup counted")
        if report.secrets_readable:
            self.stdout.write(f"  {report.secrets_readable} sealed secret(s) readable")
        if report.secrets_unreadable:
            self.stderr.write(
                f"WARNING: {report.secrets_unreadable} sealed secret(s) (PEAK keys, webhook "
                "secrets) cannot be read with this install's secret key. Set TALAD_SECRET_KEY "
                "(or TALAD_HOME/secret_key) to the key of the install the backup came from, "
                "or enter those secrets again."
            )
        if report.migrations_unknown:
            self.stderr.write(
                f"WARNING: the backup has {len(report.migrations_unknown)} migration(s) this "
                f"Talad does not know (e.g. {report.migrations_unknown[0]}): it came from a "
                "newer Talad; install that version before serving it."
            )
        elif report.migrations_to_apply:
            self.stdout.write(
                f"  {report.migrations_to_apply} migration(s) newer than the backup: talad "
                "serve applies them when it starts (or run talad migrate)"
            )
