"""The site's URLs plus one page behind `mfa_required`, standing in for a provider page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from careatlas.accounts.access import mfa_required
from careatlas.urls import urlpatterns as site_urlpatterns


@mfa_required
def provider_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Your practice's listing")


urlpatterns = [path("provider-only/", provider_page), *site_urlpatterns]
