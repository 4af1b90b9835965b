"""The public "directory accuracy" page: site-wide figures and how they are computed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from careatlas.core.caching import public_page
from careatlas.providers.accuracy import FACT_WEIGHTS, site_figures
from careatlas.providers.accuracy_presenters import accuracy_page
from careatlas.providers.models import stale_after_days


@require_safe
@public_page
def directory_accuracy(request: HttpRequest) -> HttpResponse:
    crumbs = [
        (_("Home"), reverse("procedures:home")),
        (_("Directory accuracy"), reverse("accuracy")),
    ]
    return render(
        request,
        "providers/accuracy.html",
        {
            "page": accuracy_page(site_figures(), FACT_WEIGHTS, stale_after_days()),
            "crumbs": crumbs,
        },
    )
