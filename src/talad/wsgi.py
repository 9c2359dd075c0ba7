"""WSGI entry point for the production server that `talad serve` starts."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talad.settings")
application = get_wsgi_application()
