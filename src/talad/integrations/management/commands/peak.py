"""talad peak connect … / talad peak status --shop S (docs/design/cli.md#commands)."""

from django.core.management.base import BaseCommand, CommandError

from talad.errors import TaladError
from talad.integrations import selectors
from talad.integrations.peak import services as peak
from talad.shops.actors import Actor
from talad.shops.models import Shop


class Command(BaseCommand):
    help = "Connect a shop to PEAK, or show how its documents are getting there."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        connect = sub.add_parser("connect", help="save the PEAK credentials and try them")
        connect.add_argument("--shop", required=True)
        connect.add_argument("--base-url", required=True)
        connect.add_argument("--connect-id", required=True)
        connect.add_argument("--connect-key", required=True)
        connect.add_argument("--user-token", required=True)
        connect.add_argument("--signature", choices=peak.SIGNATURES, default="hex")
        status = sub.add_parser("status", help="pending / sent / failed counts")
        status.add_argument("--shop", required=True)

    def handle(self, *args, action, shop, **options):
        found = Shop.objects.filter(slug=shop).first()
        if found is None:
            raise CommandError(f"no shop with slug {shop!r}")
        if action == "status":
            return self.status(found)
        return self.connect(found, options)

    def connect(self, shop: Shop, options) -> None:
        try:
            connection = peak.save_peak_connection(
                shop=shop,
                by=Actor.system("talad peak connect"),
                changes={
                    "base_url": options["base_url"],
                    "connect_id": options["connect_id"],
                    "connect_key": options["connect_key"],
                    "user_token": options["user_token"],
                    "signature": options["signature"],
                    "enabled": True,
                },
            )
        except TaladError as exc:
            raise CommandError(exc.message) from None
        result = peak.check_peak_connection(connection=connection)
        if not result.ok:
            self.stderr.write(f"saved, but PEAK refused the connection: {result.message}")
            raise SystemExit(1)
        self.stdout.write(
            f"connected {shop.slug} to PEAK at {connection.base_url}: {result.message}"
        )

    def status(self, shop: Shop) -> None:
        connection = peak.peak_connection(shop)
        counts = selectors.status_counts(shop=shop, topics=selectors.PEAK_TOPICS)
        where = connection.base_url if connection else "not connected"
        state = "" if connection is None or connection.enabled else " (sending is off)"
        self.stdout.write(f"PEAK: {where}{state}")
        for status in ("pending", "sent", "failed"):
            self.stdout.write(f"{status}: {counts[status]}")
