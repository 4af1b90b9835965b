"""Absolute links the API hands out: to the site's pages and to its own endpoints."""

from django.conf import settings
from django.urls import reverse

NAMESPACE = "api-v1"


def absolute(path: str) -> str:
    """A site path as a full URL on the canonical origin (SITE_URL), whatever Host was used."""
    return f"{settings.SITE_URL}{path}"


def api_path(name: str, query: str = "", **kwargs: str) -> str:
    path = reverse(f"{NAMESPACE}:{name}", kwargs=kwargs or None)
    return f"{path}?{query}" if query else path


def api_url(name: str, query: str = "", **kwargs: str) -> str:
    return absolute(api_path(name, query, **kwargs))
