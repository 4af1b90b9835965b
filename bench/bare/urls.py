"""Bench URLs: every product URL, plus /bench/bare/.

The product patterns are spliced in rather than include()d, so the language-prefixed
patterns stay at the top level where LocaleMiddleware looks for them.
"""

from django.urls import path

from bench.bare.views import bare_page
from careatlas.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("bench/bare/", bare_page, name="bench_bare"), *product_urlpatterns]
