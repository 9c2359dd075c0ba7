"""`talad demo --shop S [--orders N] [--seed K]`: fill a shop with realistic Thai demo data."""

from django.core.management.base import BaseCommand, CommandError

from talad.catalog.models import Variant
from talad.errors import TaladError
from talad.orders.models import Channel, Status
from talad.shops.actors import Actor
from talad.shops.models import Shop
from talad.web.demo import add_demo_catalog, add_demo_orders, create_demo_shop


class Command(BaseCommand):
    help = (
        "Fill a shop with demo data: Thai products (if it has none), stock, customers and "
        "orders over every channel and status in the last 60 days. Creates the shop if missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--shop", required=True, help="shop slug")
        parser.add_argument("--orders", type=int, default=200, help="how many orders (200)")
        parser.add_argument(
            "--seed",
            type=int,
            default=0,
            help="random seed: the same seed on the same shop contents gives the same data",
        )

    def handle(self, *args, **opts):
        count, slug = opts["orders"], opts["shop"]
        if count < 0:
            raise CommandError("--orders must be 0 or more")
        by = Actor.system("demo")
        shop = Shop.objects.filter(slug=slug).first()
        try:
            if shop is None:
                login = create_demo_shop(slug, orders=count, seed=opts["seed"])
                shop, made = login.shop, login.orders
                self.stdout.write(
                    f"created shop {slug}; log in as {login.email} / {login.password} "
                    f"(also written to {login.path})"
                )
            else:
                if not Variant.objects.for_shop(shop).exists():
                    add_demo_catalog(shop, by)
                    self.stdout.write(f"added the demo products to {slug}")
                made = add_demo_orders(shop, count, seed=opts["seed"], by=by)
        except TaladError as exc:
            raise CommandError(f"{exc.message} {exc.fields or ''}".strip()) from exc
        if made is None:
            self.stdout.write("no orders asked for")
            return
        self.stdout.write(
            f"{made.created} demo orders added to {slug} in {made.seconds:.1f} s "
            f"({made.units_received} units received first)"
        )
        for status in Status:
            self.stdout.write(
                f"  {status.value:<10} {made.by_status[status.value]:>6}  {status.label}"
            )
        channels = ", ".join(f"{Channel(c).label} {n}" for c, n in made.by_channel.most_common())
        self.stdout.write(f"  channels: {channels}")
