"""Serve a practitioner's resized photo from the database, cacheable for a year by its URL."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from careatlas.providers.access import get_public_practitioner
from careatlas.providers.models import PractitionerPhoto

YEAR = 365 * 24 * 3600


@require_safe
def photo(request: HttpRequest, npi: str, digest: str) -> HttpResponse:
    practitioner = get_public_practitioner(npi, for_profile=False)
    stored = PractitionerPhoto.objects.filter(practitioner=practitioner, digest=digest).first()
    if stored is None:
        # An old digest after a new upload: the profile links to the new one.
        raise Http404
    etag = f'"{stored.digest}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(bytes(stored.image), content_type=stored.content_type)
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    # The digest names the bytes, so a URL's content never changes.
    patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    return response
