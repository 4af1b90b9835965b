"""The bare app's only URL."""

from django.urls import path

from bench.bare.views import bare_page

urlpatterns = [path("bench/bare/", bare_page, name="bench_bare")]
