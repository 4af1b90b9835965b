"""Bench settings: the product settings, plus /bench/bare/ and a throwaway static root.

bench/pages.py points DJANGO_SETTINGS_MODULE here so one gunicorn app serves both the
real guide page and the bare page it is compared with, under the same middleware.
"""

from pathlib import Path

from careatlas.env import env_str
from careatlas.settings import *  # noqa: F403
from careatlas.settings import STATIC_ROOT, TEMPLATES

ROOT_URLCONF = "bench.bare.urls"

# The bare template is written at run time (a copy of the guide page's HTML), so it
# lives in a temporary folder that pages.py names.
BARE_TEMPLATE_DIR = env_str("BENCH_BARE_TEMPLATE_DIR")
if BARE_TEMPLATE_DIR:
    TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BARE_TEMPLATE_DIR]}]

# collectstatic writes here instead of the working tree's staticfiles/.
STATIC_ROOT = Path(env_str("BENCH_STATIC_ROOT", str(STATIC_ROOT)))
