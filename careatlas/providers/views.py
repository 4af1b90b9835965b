"""Provider search. Until the directory lands, the page says so and keeps the patient's intent."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from careatlas.core.caching import public_page
from careatlas.procedures.models import Procedure, Specialty


@require_safe
@public_page
def find(request: HttpRequest) -> HttpResponse:
    procedure = (
        Procedure.objects.filter(slug=request.GET.get("procedure", ""))
        .select_related("specialty")
        .first()
    )
    specialty = (
        procedure.specialty
        if procedure
        else Specialty.objects.filter(slug=request.GET.get("specialty", "")).first()
    )
    guide = procedure.guides.filter(status="published").first() if procedure else None
    return render(
        request,
        "providers/find.html",
        {
            "procedure": procedure,
            "guide": guide,
            "specialty": specialty,
            "board_certified": request.GET.get("board_certified") == "1",
        },
    )
