"""Public provider profiles and the "report incorrect information" form."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from careatlas.core import page_tags
from careatlas.core.caching import public_page
from careatlas.core.ratelimit import RateLimit, client_ip
from careatlas.providers import services
from careatlas.providers.access import get_public_practitioner
from careatlas.providers.claims_presenters import claims_evidence
from careatlas.providers.forms import ReportForm
from careatlas.providers.map_presenters import location_markers, map_settings
from careatlas.providers.models import Practitioner
from careatlas.providers.presenters import profile_page
from careatlas.providers.registry_presenters import registry_facts
from careatlas.providers.structured_data import profile_graph


def _report_limit() -> RateLimit:
    return RateLimit("provider-report", getattr(settings, "PROVIDER_REPORTS_PER_HOUR", 5), 3600)


def _crumbs(practitioner: Practitioner) -> list[tuple[str, str]]:
    return [
        (_("Home"), reverse("procedures:home")),
        (_("Find a doctor"), reverse("providers:find")),
        (practitioner.name, practitioner.get_absolute_url()),
    ]


@require_safe
def profile_by_npi(request: HttpRequest, npi: str) -> HttpResponse:
    practitioner = get_public_practitioner(npi, for_profile=False)
    return redirect(practitioner.get_absolute_url(), permanent=True)


@require_safe
@public_page
def profile(request: HttpRequest, npi: str, slug: str) -> HttpResponse:
    practitioner = get_public_practitioner(npi)
    if slug != practitioner.slug:
        return redirect(practitioner.get_absolute_url(), permanent=True)
    page_tags.depends_on(request, page_tags.DIRECTORY, page_tags.practitioner(practitioner.pk))
    page = profile_page(practitioner)
    crumbs = _crumbs(practitioner)
    return render(
        request,
        "providers/profile.html",
        {
            "page": page,
            "practitioner": practitioner,
            "crumbs": crumbs,
            "structured_data": profile_graph(page, crumbs),
            "registry": registry_facts(page),
            "map": map_settings(),
            "markers": location_markers(page.places),
            "claims": claims_evidence(practitioner),
        },
    )


@sensitive_post_parameters("contact", "details")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, npi: str) -> HttpResponse:
    practitioner = get_public_practitioner(npi)
    page = profile_page(practitioner)
    context = {"practitioner": practitioner, "crumbs": _crumbs(practitioner)}
    if request.method == "POST":
        limit, ip = _report_limit(), client_ip(request)
        if limit.exceeded(ip):
            return _too_many_reports(request, context, limit)
        form = ReportForm(request.POST, facts=page.reportable)
        if form.is_valid():
            # The slot is taken by one atomic count before the report is saved, so
            # concurrent posts cannot all pass a check made before any was counted.
            if limit.enabled and limit.hit(ip) > limit.limit:
                return _too_many_reports(request, context, limit)
            key = form.cleaned_data["fact"]
            services.file_report(
                practitioner,
                key,
                about=form.fact_labels[key],
                details=form.cleaned_data["details"],
                contact=form.cleaned_data["contact"],
            )
            return redirect("providers:report_thanks", npi=npi)
    else:
        form = ReportForm(facts=page.reportable, initial={"fact": request.GET.get("fact", "")})
    return render(request, "providers/report.html", context | {"form": form})


def _too_many_reports(request: HttpRequest, context: dict, limit: RateLimit) -> HttpResponse:
    response = render(request, "providers/report_limited.html", context, status=429)
    response["Retry-After"] = str(limit.retry_after())
    return response


@require_safe
def report_thanks(request: HttpRequest, npi: str) -> HttpResponse:
    practitioner = get_public_practitioner(npi, for_profile=False)
    return render(
        request,
        "providers/report_thanks.html",
        {"practitioner": practitioner, "crumbs": _crumbs(practitioner)},
    )
