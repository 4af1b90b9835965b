"""Operational endpoints (health check, robots.txt), the privacy page and the language offer."""

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from careatlas.core import health, languages, metrics
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
        "Disallow: /language-offer",
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


# No CSRF token: the form sits on pages cached for every visitor, and all a forged post can
# do is hide a banner offering another language.
@csrf_exempt
@require_POST
def dismiss_language_offer(request: HttpRequest) -> HttpResponse:
    """The offer's "No, thanks": remember it in a cookie and go back to the page."""
    target = languages.safe_next(request, request.POST.get("next", ""))
    response = HttpResponseRedirect(target, status=303)
    response.set_cookie(
        languages.OFFER_DISMISSED_COOKIE,
        "1",
        max_age=languages.OFFER_DISMISSED_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
