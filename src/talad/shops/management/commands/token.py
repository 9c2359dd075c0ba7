from django.core.management.base import BaseCommand, CommandError

from talad.errors import TaladError
from talad.shops.actors import Actor
from talad.shops.models import Role, Shop
from talad.shops.services import create_api_token


class Command(BaseCommand):
    help = "Print a new API token for a shop (shown once): talad token --shop S --role R"

    def add_arguments(self, parser):
        parser.add_argument("--shop", required=True, help="shop slug")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="")

    def handle(self, *args, **opts):
        shop = Shop.objects.filter(slug=opts["shop"]).first()
        if shop is None:
            raise CommandError(f"no shop with slug '{opts['shop']}'")
        try:
            _token, plaintext = create_api_token(
                shop=shop, role=opts["role"], name=opts["name"], by=Actor.system("token")
            )
        except TaladError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(plaintext)
