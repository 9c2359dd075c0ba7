from django.core.management.base import BaseCommand, CommandError

from talad.errors import TaladError
from talad.shops.actors import Actor
from talad.shops.services import create_shop


class Command(BaseCommand):
    help = "Create a shop and its owner: talad createshop --name N --slug S --owner-email E --password P"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--tax-id", default="")
        parser.add_argument("--vat", action="store_true", help="the shop is VAT-registered")

    def handle(self, *args, **opts):
        try:
            shop = create_shop(
                name=opts["name"],
                slug=opts["slug"],
                owner_email=opts["owner_email"],
                password=opts["password"],
                tax_id=opts["tax_id"],
                vat_registered=opts["vat"],
                by=Actor.system("createshop"),
            )
        except TaladError as exc:
            raise CommandError(f"{exc.message} {exc.fields or ''}".strip()) from exc
        except Exception as exc:  # full_clean's ValidationError names the bad field
            if hasattr(exc, "message_dict"):
                raise CommandError(str(exc.message_dict)) from exc
            raise
        self.stdout.write(f"created shop {shop.slug} (id {shop.pk}) owned by {opts['owner_email']}")
