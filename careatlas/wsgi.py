"""WSGI entry point (gunicorn careatlas.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careatlas.settings")
application = get_wsgi_application()

# Each gunicorn worker imports this module before it accepts a connection. The offline
# gazetteer (ZIPs, places, counties) takes 3 to 6 s to build; built here, no patient's first
# location search in a fresh worker waits for it.
from careatlas.providers.geocoding import load_places  # noqa: E402 - needs the app registry

load_places()
