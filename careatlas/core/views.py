"""Operational endpoints (health check, robots.txt) and the privacy page."""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from careatlas.core import health, metrics
from careatlas.core.caching import public_page
from careatlas.core.page_tags import CONTENT_ONLY


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = health.database_state()
    status = 200 if database == "ok" else 503
    # Warnings leave the answer at 200: every app server shares the database, so failing
    # them all would take the whole site out of the load balancer for a slow-but-working
    # state. They say "degraded" loudly instead, here and in the admin.
    found = health.warnings() if status == 200 else []
    return JsonResponse(
        {
            "status": ("degraded" if found else "ok") if status == 200 else "unavailable",
            "database": database,
            "vendor": connection.vendor,
            "warnings": found,
        },
        status=status,
    )


@require_safe
@never_cache
def livez(request: HttpRequest) -> JsonResponse:
    """The process answers: restart it if not. Touches nothing shared, so a database outage
    never makes a supervisor restart every app server at once."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Whether to send this server traffic: the database (and Redis, when configured) answer
    and no app reports a blocker, such as an unfinished bulk load."""
    state = health.readiness()
    return JsonResponse(state, status=200 if state["ready"] else 503)


@require_safe
@never_cache
def metrics_text(request: HttpRequest) -> HttpResponse:
    """Prometheus figures, only for METRICS_ALLOWED_ADDRESSES; everyone else finds nothing."""
    if not metrics.may_scrape(request):
        raise Http404
    return HttpResponse(metrics.exposition(), content_type="text/plain; version=0.0.4")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/autocomplete",
        "Disallow: /*/preview/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@public_page(depends_on=CONTENT_ONLY)
def privacy(request: HttpRequest) -> HttpResponse:
    """What we keep about patients who send a consultation request, and for how long."""
    return render(
        request,
        "core/privacy.html",
        {
            "retention_days": settings.CONSULTATION_RETENTION_DAYS,
            "response_days": settings.CONSULTATION_RESPONSE_BUSINESS_DAYS,
        },
    )
