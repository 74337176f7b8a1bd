"""WSGI entry point: `gunicorn csrsite.wsgi`. Each worker warms up (csrsite/warmup.py) as it
loads the application, before it takes a request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csrsite.settings")

application = get_wsgi_application()

from csrsite.warmup import warm  # noqa: E402 - needs the settings get_wsgi_application read

warm()
