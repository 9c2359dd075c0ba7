"""`talad import-orders`: a marketplace export from the command line (docs/design/cli.md)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talad.channels.imports.apply import import_orders
from talad.channels.imports.readers import FORMATS
from talad.errors import TaladError
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.tabular import MAX_BYTES


class Command(BaseCommand):
    help = (
        "Import a marketplace order export (Shopee, Lazada, TikTok Shop or Talad csv): "
        "talad import-orders --shop S --format shopee FILE [--dry-run] [--backorder] [--json]"
    )

    def add_arguments(self, parser):
        parser.add_argument("--shop", required=True, help="shop slug")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("file", help="the exported .xlsx or .csv")
        parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
        parser.add_argument(
            "--backorder",
            action="store_true",
            help="take orders whose stock is short, reserving past what is available",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **opts):
        shop = Shop.objects.filter(slug=opts["shop"]).first()
        if shop is None:
            raise CommandError(f"no shop with slug '{opts['shop']}'")
        path = Path(opts["file"])
        try:
            with path.open("rb") as f:
                content = f.read(MAX_BYTES + 1)  # the reader refuses what is over
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            report = import_orders(
                shop=shop,
                by=Actor.system("import-orders"),
                format=opts["format"],
                content=content,
                filename=path.name,
                dry_run=opts["dry_run"],
                backorder=opts["backorder"],
            )
        except TaladError as exc:
            raise CommandError(exc.message) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, default=str))
        else:
            self._print(report)
        if report.errors:
            raise SystemExit(1)

    def _print(self, report) -> None:
        counts = report.counts
        head = "dry run: " if report.dry_run else ""
        self.stdout.write(
            f"{head}{report.rows_read} rows; created {counts['created']}, updated "
            f"{counts['updated']}, unchanged {counts['unchanged']}, skipped {counts['skipped']}, "
            f"errors {counts['errors']}"
        )
        for order in report.orders:
            moved = " → ".join(order.actions)
            self.stdout.write(
                f"  {order.external_id}: {order.outcome} {order.number} {order.status} {moved}".rstrip()
            )
        for kind, problems in (("error", report.errors), ("notice", report.notices)):
            for p in problems:
                self.stdout.write(
                    f"  {kind} row {p.row} [{p.column}] {p.code} {p.external_id}: {p.message}"
                )
