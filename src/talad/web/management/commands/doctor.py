import sys

from django.core.management.base import BaseCommand, CommandError

from talad.accounting.checks import accounting_violations
from talad.inventory.checks import stock_violations
from talad.orders.checks import order_violations
from talad.shops.models import Shop
from talad.web.date_checks import unreadable_dates


class Command(BaseCommand):
    help = "Check every invariant; print each violation and exit 1 if there is any."

    def add_arguments(self, parser):
        parser.add_argument("--shop", help="only this shop (slug)")

    def handle(self, *args, **opts):
        shop = None
        if opts.get("shop"):
            shop = Shop.objects.filter(slug=opts["shop"]).first()
            if shop is None:
                raise CommandError(f"no shop with slug '{opts['shop']}'")
        shops = [shop] if shop else list(Shop.objects.order_by("slug"))
        # First: a date no one can read back would make the other checks fail to read rows.
        problems = unreadable_dates()
        if problems:
            for problem in problems:
                self.stdout.write(f"VIOLATION {problem}")
            self.stdout.write(f"{len(problems)} violation(s); fix these before the other checks")
            sys.exit(1)
        problems = stock_violations(shop)
        for each in shops:
            problems += order_violations(each) + accounting_violations(each)
        for problem in problems:
            self.stdout.write(f"VIOLATION {problem}")
        if problems:
            self.stdout.write(f"{len(problems)} violation(s)")
            sys.exit(1)
        self.stdout.write(
            "ok: ledger equals levels; no oversold stock; every order's status, history and reservations agree; "
            "the journal balances; every document is posted and numbered without gaps; "
            "the inventory account equals the stock value; every stored date is readable"
        )
