"""WSGI entry point: `gunicorn csrsite.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csrsite.settings")

application = get_wsgi_application()
