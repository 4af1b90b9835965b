"""The bare comparison page: a template as large as the guide page, no database."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

BARE_TEMPLATE = "bench_bare.html"


@require_safe
def bare_page(request: HttpRequest) -> HttpResponse:
    return render(request, BARE_TEMPLATE)
