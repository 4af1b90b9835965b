"""The facts dashboard's pages: edit one group of facts, withdraw a procedure, confirm all."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from careatlas.practices.access import (
    Verb,
    get_location,
    get_membership,
    get_practitioner,
    get_role,
    practice_view,
)
from careatlas.practices.fact_groups import BY_SLUG, About, Group
from careatlas.practices.models import Membership
from careatlas.practices.presenters import place
from careatlas.providers import confirmation
from careatlas.providers.models import OfferedProcedure, Practitioner, PractitionerRole

EDIT_METHODS = ["GET", "HEAD", "POST"]


def _group(slug: str, about: About) -> Group:
    group = BY_SLUG.get(slug)
    if group is None or group.about != about:
        raise Http404(_("No such group of facts."))
    return group


def _edit(request, membership: Membership, group: Group, subject, practitioner, context: dict):
    """Show the group's form; a valid POST saves (which confirms) and returns to the dashboard."""
    form_kwargs = {
        "subject": subject,
        "practitioner": practitioner,
        # An organization's edits go on its own audit trail, which its owners read.
        "filed_under": membership.practice.key,
    }
    # Bound on every POST, even an empty one (all days closed is a valid set of hours).
    posted = request.method == "POST"
    form = group.form(
        request.POST if posted else None, request.FILES if posted else None, **form_kwargs
    )
    if posted and form.is_valid():
        form.save(request.user)
        messages.success(
            request, _("Saved. %(what)s: confirmed by the practice today.") % {"what": group.label}
        )
        return redirect(request.path if group.slug == "procedures" else _home(membership))
    return render(
        request,
        "practices/fact_edit.html",
        {
            "practice": membership.practice,
            "group": group,
            "form": form,
            "back_url": _home(membership),
            **context,
        },
    )


def _home(membership: Membership) -> str:
    return reverse("practices:home", args=[membership.practice_id]) + "#facts-h"


def _practitioner_at(role_or_location, membership: Membership) -> Practitioner:
    """Whose listing an edit is filed under (audit trail, "confirmed by")."""
    if membership.practice.practitioner_id:
        return membership.practice.practitioner
    role = (
        PractitionerRole.objects.public()
        .filter(location=role_or_location)
        .select_related("practitioner")
        .order_by("id")
        .first()
    )
    if role is None:
        raise Http404(_("Nobody practises at this location."))
    return role.practitioner


@practice_view
@require_http_methods(EDIT_METHODS)
@never_cache
def edit_location(request: HttpRequest, practice_id: int, location_id: int, slug: str):
    group = _group(slug, About.LOCATION)
    membership, location = get_location(request.user, practice_id, location_id, Verb.CHANGE)
    practitioner = _practitioner_at(location, membership)
    return _edit(request, membership, group, location, practitioner, {"place": place(location)})


@practice_view
@require_http_methods(EDIT_METHODS)
@never_cache
def edit_role(request: HttpRequest, practice_id: int, role_id: int, slug: str) -> HttpResponse:
    group = _group(slug, About.ROLE)
    membership, role = get_role(request.user, practice_id, role_id, Verb.CHANGE)
    context = {"place": place(role.location), "who": role.practitioner.display_name}
    if group.slug == "procedures":
        context["offered"] = role.offered_procedures.select_related("procedure").order_by(
            "procedure__slug"
        )
        context["role"] = role
    return _edit(request, membership, group, role, role.practitioner, context)


@practice_view
@require_http_methods(EDIT_METHODS)
@never_cache
def edit_practitioner(request: HttpRequest, practice_id: int, slug: str) -> HttpResponse:
    group = _group(slug, About.PRACTITIONER)
    membership, practitioner = get_practitioner(request.user, practice_id, Verb.CHANGE_PRACTITIONER)
    return _edit(
        request, membership, group, practitioner, practitioner, {"who": practitioner.display_name}
    )


@practice_view
@require_POST
def withdraw_procedure(request: HttpRequest, practice_id: int, role_id: int, offered_id: int):
    membership, role = get_role(request.user, practice_id, role_id, Verb.CHANGE)
    offered = OfferedProcedure.objects.filter(pk=offered_id, role=role).first()
    if offered is None:
        raise Http404(_("No such procedure here."))
    confirmation.withdraw_procedure(
        offered,
        practitioner=role.practitioner,
        by_user=request.user,
        filed_under=membership.practice.key,
    )
    messages.success(request, _("Removed. Patients no longer see it offered here."))
    return redirect(
        "practices:edit_role", practice_id=practice_id, role_id=role.pk, slug="procedures"
    )


@practice_view
@require_POST
def remove_photo(request: HttpRequest, practice_id: int) -> HttpResponse:
    membership, practitioner = get_practitioner(request.user, practice_id, Verb.CHANGE_PRACTITIONER)
    confirmation.remove_photo(practitioner, by_user=request.user)
    messages.success(request, _("The photo is removed from the public profile."))
    return redirect(_home(membership))


@practice_view
@require_POST
def confirm_all(request: HttpRequest, practice_id: int) -> HttpResponse:
    membership = get_membership(request.user, practice_id, Verb.CONFIRM_ALL)
    count = confirmation.confirm_all(membership.practice.subject, request.user)
    messages.success(
        request,
        _("Thank you. %(count)s facts are confirmed by the practice today.") % {"count": count},
    )
    return redirect(_home(membership))
