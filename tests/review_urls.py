"""The site's URLs plus stand-ins for the review pages the writing side builds (the policy
page and the report form), so the profile's links to them can be tested on this branch.

Where the real `reviews` URLs are mounted this module is not needed: delete it then.
"""

from django.http import HttpResponse
from django.urls import include, path

from careatlas.urls import urlpatterns as site_urlpatterns


def stand_in(request, pk: int | None = None) -> HttpResponse:
    return HttpResponse("stand-in")


review_patterns = (
    [
        path("how-reviews-work/", stand_in, name="policy"),
        path("<int:pk>/report/", stand_in, name="report"),
    ],
    "reviews",
)
urlpatterns = [path("reviews/", include(review_patterns)), *site_urlpatterns]
