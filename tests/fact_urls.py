"""A test-only page posting each practice fact form, as the practices dashboard will.

The dashboard (careatlas/practices) decides who may edit what; this page only glues a
request to a form and providers.confirmation, so tests can post like a browser does.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from careatlas.providers import confirmation, fact_forms
from careatlas.providers.models import Practitioner
from careatlas.urls import urlpatterns as site_urlpatterns

FORMS = {
    "accepting": fact_forms.AcceptingPatientsForm,
    "visits": fact_forms.VisitsForm,
    "hours": fact_forms.HoursForm,
    "staff-languages": fact_forms.StaffLanguagesForm,
    "languages": fact_forms.PractitionerLanguagesForm,
    "accessibility": fact_forms.AccessibilityForm,
    "bio": fact_forms.BioForm,
    "insurance": fact_forms.InsuranceForm,
    "procedure": fact_forms.OfferedProcedureForm,
    "photo": fact_forms.PhotoForm,
}
PAGE = engines["django"].from_string(
    '<form method="post" enctype="multipart/form-data">{{ form.as_div }}</form>'
)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, npi: str, name: str, pk: int) -> HttpResponse:
    practitioner = get_object_or_404(Practitioner, npi=npi)
    form_class = FORMS[name]
    subject = get_object_or_404(form_class.subject_model, pk=pk)
    kwargs = {"subject": subject, "practitioner": practitioner}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            form.save(request.user)
            return redirect(practitioner.get_absolute_url())
    else:
        form = form_class(**kwargs)
    return HttpResponse(PAGE.render({"form": form}, request))


@require_POST
def confirm_all(request: HttpRequest, npi: str) -> HttpResponse:
    practitioner = get_object_or_404(Practitioner, npi=npi)
    confirmation.confirm_all(practitioner, request.user)
    return redirect(practitioner.get_absolute_url())


urlpatterns = [
    path("test-facts/<str:npi>/<str:name>/<int:pk>/", edit),
    path("test-facts/<str:npi>/confirm-all/", confirm_all),
    *site_urlpatterns,
]
