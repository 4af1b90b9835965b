"""Claiming a profile: find the NPI, then prove control by phone code, email link or documents."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from careatlas.practices import claiming, limits
from careatlas.practices.access import get_own_claim, practice_view
from careatlas.practices.claiming import Outcome
from careatlas.practices.forms import (
    CodeForm,
    DocumentsForm,
    EmailClaimForm,
    NPIForm,
    PhoneCodeForm,
)
from careatlas.practices.models import Claim, ClaimMethod, ClaimStatus, Practice
from careatlas.practices.models.claims import ProofKind
from careatlas.practices.presenters import registry_page
from careatlas.practices.senders import phone_sender
from careatlas.providers.models import Organization, Practitioner

OUTCOME_ERRORS = {
    Outcome.WRONG: gettext_lazy("That code is not right. Check the message and try again."),
    Outcome.EXPIRED: gettext_lazy("That code has expired. Ask for a new one."),
    Outcome.LOCKED: gettext_lazy("Too many wrong codes. Ask for a new one."),
    Outcome.MISSING: gettext_lazy("There is no code waiting for this claim. Ask for a new one."),
}


def _subject(npi: str) -> Practitioner | Organization:
    subject = claiming.find_subject(npi)
    if subject is None:
        raise Http404(_("No listed provider or organization has this NPI."))
    return subject


def _practice(subject) -> Practice:
    """The subject's practice row if one exists, else an unsaved one (nothing is written
    until a claim starts)."""
    if isinstance(subject, Practitioner):
        return Practice.objects.filter(practitioner=subject).first() or Practice(
            practitioner=subject
        )
    return Practice.objects.filter(organization=subject).first() or Practice(organization=subject)


def _phones(practice: Practice) -> list:
    return [location for location in practice.locations() if location.phone]


def _context(request: HttpRequest, npi: str) -> dict:
    subject = _subject(npi)
    practice = _practice(subject)
    membership = claim = None
    if practice.pk:
        membership = practice.memberships.filter(user=request.user).first()
        claim = practice.claims.open().filter(user=request.user).first()
    return {
        "npi": npi,
        "subject": subject,
        "practice": practice,
        "membership": membership,
        "claim": claim,
        "registry": registry_page(practice, list(practice.locations())),
    }


@require_safe
@never_cache
def for_providers(request: HttpRequest) -> HttpResponse:
    """The "For providers" page: what claiming is, and a search by NPI."""
    form = NPIForm(request.GET or None)
    subject = None
    if form.is_bound and form.is_valid():
        subject = claiming.find_subject(form.cleaned_data["npi"])
        if subject is None:
            form.add_error("npi", _("No listed provider or organization has this NPI."))
    return render(request, "practices/for_providers.html", {"form": form, "subject": subject})


@practice_view
@require_safe
@never_cache
def claim_start(request: HttpRequest, npi: str) -> HttpResponse:
    context = _context(request, npi)
    practice = context["practice"]
    context |= {
        "phone_available": phone_sender().available and bool(_phones(practice)),
        "email_domains": practice.website_domains(),
    }
    return render(request, "practices/claim_start.html", context)


def _posted_claim(request: HttpRequest, npi: str, context: dict, form, method: str) -> tuple:
    """(refusal, claim) for a posted claim form: the lockout page when over the limits, else
    a new claim once the form is valid (the attempt counted), else (None, None)."""
    refused = limits.refusal(request, npi)
    if refused or not form.is_valid():
        return refused, None
    limits.count_attempt(request, npi)
    practice = claiming.practice_for(context["subject"])
    return None, claiming.open_claim(request.user, practice, method)


@practice_view
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def claim_phone(request: HttpRequest, npi: str) -> HttpResponse:
    context = _context(request, npi)
    phones = _phones(context["practice"])
    if not (phone_sender().available and phones):
        raise Http404(_("No phone number on file can receive a code for this NPI."))
    form = PhoneCodeForm(request.POST or None, locations=phones)
    if request.method == "POST":
        refused, claim = _posted_claim(request, npi, context, form, ClaimMethod.PHONE)
        if refused:
            return refused
        if claim:
            claiming.send_phone_code(
                claim, form.cleaned_data["location"], form.cleaned_data["channel"]
            )
            return redirect("practices:claim_code", claim_id=claim.pk)
    context |= {"form": form, "minutes": settings.CLAIM_CODE_MINUTES}
    return render(request, "practices/claim_phone.html", context)


def _after_proof(request: HttpRequest, claim: Claim) -> HttpResponse:
    claim.refresh_from_db()
    if claim.status == ClaimStatus.APPROVED:
        messages.success(request, _("Your claim is approved. Welcome to your practice page."))
        return redirect("practices:home", practice_id=claim.practice_id)
    messages.info(request, _("Thank you. Our staff will review your claim."))
    return redirect("practices:claims")


@sensitive_post_parameters("code")
@practice_view
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def claim_code(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_own_claim(request.user, claim_id)
    if not claim.is_open:
        return redirect("practices:claims")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        refused = limits.refusal(request, claim.practice.npi)
        if refused:
            return refused
        if form.is_valid():
            outcome = claiming.check_secret(claim, ProofKind.PHONE_CODE, form.cleaned_data["code"])
            if outcome == Outcome.ACCEPTED:
                return _after_proof(request, claim)
            limits.count_attempt(request, claim.practice.npi)
            form.add_error("code", OUTCOME_ERRORS[outcome])
    return render(
        request,
        "practices/claim_code.html",
        {
            "claim": claim,
            "form": form,
            "minutes": settings.CLAIM_CODE_MINUTES,
            "tries": settings.CLAIM_CODE_TRIES,
        },
    )


@sensitive_post_parameters("email")
@practice_view
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def claim_email(request: HttpRequest, npi: str) -> HttpResponse:
    context = _context(request, npi)
    domains = context["practice"].website_domains()
    if not domains:
        raise Http404(_("No website on file for this NPI."))
    form = EmailClaimForm(request.POST or None, domains=domains)
    if request.method == "POST":
        refused, claim = _posted_claim(request, npi, context, form, ClaimMethod.EMAIL)
        if refused:
            return refused
        if claim:
            claiming.send_email_link(claim, form.cleaned_data["email"])
            sent = {"claim": claim, "minutes": settings.CLAIM_LINK_MINUTES}
            return render(request, "practices/claim_email_sent.html", context | sent)
    return render(request, "practices/claim_email.html", context | {"form": form})


@practice_view
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def confirm_email(request: HttpRequest, claim_id: int, token: str) -> HttpResponse:
    """GET asks for a click, so a mail scanner that opens links does not use this one up."""
    claim = get_own_claim(request.user, claim_id)
    if not claim.is_open:
        return redirect("practices:claims")
    problem = None
    if request.method == "POST":
        refused = limits.refusal(request, claim.practice.npi)
        if refused:
            return refused
        outcome = claiming.check_secret(claim, ProofKind.EMAIL_LINK, token)
        if outcome == Outcome.ACCEPTED:
            return _after_proof(request, claim)
        limits.count_attempt(request, claim.practice.npi)
        problem = _("This link is no longer valid. Ask for a new one from the claim page.")
    return render(request, "practices/confirm_email.html", {"claim": claim, "problem": problem})


@practice_view
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def claim_documents(request: HttpRequest, npi: str) -> HttpResponse:
    context = _context(request, npi)
    form = DocumentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        refused = limits.refusal(request, npi)
        if refused:
            return refused
        if form.is_valid():
            limits.count_attempt(request, npi)
            practice = claiming.practice_for(context["subject"])
            claim = claiming.open_claim(request.user, practice, ClaimMethod.DOCUMENTS)
            documents = {kind: form.cleaned_data[kind] for kind in form.fields}
            claiming.submit_documents(claim, documents)
            messages.info(request, _("Thank you. Our staff will review your documents."))
            return redirect("practices:claims")
    return render(request, "practices/claim_documents.html", context | {"form": form})


@practice_view
@require_safe
@never_cache
def my_claims(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.filter(user=request.user).select_related(
        "practice__practitioner", "practice__organization"
    )
    return render(request, "practices/claims.html", {"claims": claims})
