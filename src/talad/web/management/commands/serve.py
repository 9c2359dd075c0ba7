"""`talad serve`: migrate, make a demo shop with orders on an empty database, serve with gunicorn."""

import os
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from talad.shops.models import Shop
from talad.web.demo import create_demo_shop
from talad.web.gunicorn_errors import JSONErrorsSyncWorker, JSONErrorsThreadWorker

# Enough orders that every screen has something in it, few enough to start in seconds.
DEMO_ORDERS = 150


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from talad.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve Talad with a production server (gunicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("TALAD_WORKERS", 2)))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("TALAD_THREADS", 4)))
        parser.add_argument("--no-demo", action="store_true", help="do not create the demo shop")
        parser.add_argument(
            "--demo-orders",
            type=int,
            default=DEMO_ORDERS,
            help=f"orders in the demo shop made on an empty database ({DEMO_ORDERS})",
        )

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not opts["no_demo"] and not Shop.objects.exists():
            count = max(opts["demo_orders"], 0)
            self.stdout.write(f"empty database: creating a demo shop with {count} orders…")
            self.stdout.flush()
            started = time.monotonic()
            login = create_demo_shop(orders=count)
            self.stdout.write(
                f"demo shop created in {time.monotonic() - started:.1f} s; "
                f"log in as {login.email} / {login.password}"
            )
            self.stdout.write(f"(also written to {login.path})")
        self.stdout.write(
            f"Talad on http://{opts['host']}:{opts['port']} (data in {settings.TALAD_HOME})"
        )
        _Gunicorn(
            {
                "bind": f"{opts['host']}:{opts['port']}",
                "workers": opts["workers"],
                "threads": opts["threads"],
                # its own error pages (request line too long, …) in the API's error shape
                "worker_class": (
                    JSONErrorsThreadWorker if opts["threads"] > 1 else JSONErrorsSyncWorker
                ),
                "accesslog": "-",
                "timeout": 60,
            }
        ).run()
