"""The patient's pages: the request form, the confirmation, and the status page by token.

Every page here carries or collects patient details, so none is cached anywhere
(`never_cache` sends Cache-Control: no-store) and none loads anything from another origin.
"""

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from careatlas.consultations import abuse, services
from careatlas.consultations.access import get_request_by_token
from careatlas.consultations.forms import RequestForm
from careatlas.consultations.presenters import office_phones, self_pay_range, status_summary
from careatlas.consultations.timing import answer_by
from careatlas.core.errors import too_many_attempts
from careatlas.core.ratelimit import client_ip
from careatlas.practices.models import Practice
from careatlas.procedures.models import Guide, Procedure
from careatlas.providers.access import get_public_practitioner
from careatlas.providers.models import Location, PractitionerRole

SLUG = re.compile(r"[-a-z0-9]{1,80}")


def _procedure(slug: str) -> tuple[Procedure | None, Guide | None]:
    """The procedure named by ?procedure= and its guide in the page's language, if any."""
    if not SLUG.fullmatch(slug or ""):
        return None, None
    procedure = Procedure.objects.filter(slug=slug).first()
    if procedure is None:
        return None, None
    guide = (
        Guide.objects.published()
        .pick_language(get_language())
        .filter(procedure=procedure)
        .prefetch_related("questions")
        .first()
    )
    return procedure, guide


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    return too_many_attempts(request, "consultations/too_many.html", retry_after)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def new_request(request: HttpRequest, npi: str) -> HttpResponse:
    practitioner = get_public_practitioner(npi, for_profile=False)
    practice = Practice.objects.filter(practitioner=practitioner).first()
    roles = PractitionerRole.objects.filter(practitioner=practitioner, active=True)
    offices = Location.objects.filter(roles__in=roles).distinct()
    accepting = Location.objects.filter(roles__in=roles.taking_requests()).distinct()
    slug = request.POST.get("procedure") or request.GET.get("procedure", "")
    procedure, guide = _procedure(slug)
    questions = [q.text for q in guide.questions.all()] if guide else []
    context = {
        "practitioner": practitioner,
        "procedure": procedure,
        "guide_title": guide.title if guide else "",
        "phones": office_phones(offices),
        "started": abuse.form_started(),
    }
    if practice is None or not practice.is_claimed():
        return render(request, "consultations/not_taking.html", context)
    if not accepting.exists():
        return render(request, "consultations/not_accepting.html", context)
    form = RequestForm(request.POST or None, locations=accepting, questions=questions)
    if request.method == "POST":
        verdict = abuse.ip_limit().take(client_ip(request))
        if not verdict.allowed:
            return _too_many(request, verdict.retry_after)
        if form.is_valid() and form.check_fill_time(request.POST.get("started", "")):
            data = form.cleaned_data
            contact = abuse.contact_key(data.get("email") or data.get("phone"))
            limit = abuse.contact_limit()
            if limit.exceeded(contact):
                return _too_many(request, limit.retry_after())
            limit.hit(contact)
            found, token = services.submit_request(form, practice, procedure)
            return render(
                request,
                "consultations/sent.html",
                {
                    "found": found,
                    "token": token,
                    "practice": practice,
                    "answer_by": answer_by(found.created_at),
                    "self_pay": self_pay_range(practice, found.location_id, procedure),
                },
            )
    return render(request, "consultations/form.html", context | {"form": form})


@require_safe
@never_cache
def status(request: HttpRequest, token: str) -> HttpResponse:
    found = get_request_by_token(token)
    services.record_view(found, None, "consultation.viewed_by_patient")
    return render(
        request,
        "consultations/status.html",
        {
            "found": found,
            "practice": found.practice,
            "summary": status_summary(found),
            "answer_by": answer_by(found.created_at),
            "self_pay": self_pay_range(found.practice, found.location_id, found.procedure)
            if found.self_pay
            else "",
        },
    )
