"""Public pages of hospitals (by CMS Certification Number) and group practices (by PAC ID)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from careatlas.core.caching import public_page
from careatlas.providers.access import get_public_organization
from careatlas.providers.models import Organization, OrganizationKind
from careatlas.providers.registry_presenters import (
    organization_graph,
    organization_page,
    organization_slug,
    organization_url,
)


def _render(request: HttpRequest, organization: Organization, slug: str) -> HttpResponse:
    if slug != organization_slug(organization):
        return redirect(organization_url(organization), permanent=True)
    page = organization_page(organization, request.GET.get("page"))
    crumbs = [
        (_("Home"), reverse("procedures:home")),
        (_("Find a doctor"), reverse("providers:find")),
        (organization.name, organization_url(organization)),
    ]
    return render(
        request,
        "providers/organization.html",
        {
            "page": page,
            "organization": organization,
            "crumbs": crumbs,
            "structured_data": organization_graph(page, crumbs),
        },
    )


@require_safe
@public_page
def hospital(request: HttpRequest, ccn: str, slug: str) -> HttpResponse:
    organization = get_public_organization(OrganizationKind.HOSPITAL, ccn=ccn)
    return _render(request, organization, slug)


@require_safe
@public_page
def practice(request: HttpRequest, pac_id: str, slug: str) -> HttpResponse:
    organization = get_public_organization(OrganizationKind.PRACTICE, pac_id=pac_id)
    return _render(request, organization, slug)
