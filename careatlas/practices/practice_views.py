"""A practice's pages for its members: home, one location, and the audit trail (owners)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from careatlas.core.audit import AuditEvent
from careatlas.practices.access import (
    Verb,
    allows,
    get_location,
    get_membership,
    practice_view,
    visible_locations,
)
from careatlas.practices.dashboard import dashboard
from careatlas.practices.forms import InviteForm
from careatlas.practices.models import Membership
from careatlas.practices.presenters import audit_rows, place, registry_page

AUDIT_PAGE_SIZE = 200


@practice_view
@require_safe
@never_cache
def my_practices(request: HttpRequest) -> HttpResponse:
    memberships = list(
        Membership.objects.filter(user=request.user).select_related(
            "practice__practitioner", "practice__organization"
        )
    )
    if len(memberships) == 1:
        return redirect("practices:home", practice_id=memberships[0].practice_id)
    return render(request, "practices/mine.html", {"memberships": memberships})


@practice_view
@require_safe
@never_cache
def home(request: HttpRequest, practice_id: int) -> HttpResponse:
    membership = get_membership(request.user, practice_id, Verb.VIEW)
    practice = membership.practice
    locations = visible_locations(membership)
    context = {
        "membership": membership,
        "practice": practice,
        "registry": registry_page(practice, locations),
        "dashboard": dashboard(membership, locations),
        "can_manage_team": allows(membership, Verb.MANAGE_TEAM),
        "can_view_audit": allows(membership, Verb.VIEW_AUDIT),
    }
    if context["can_manage_team"]:
        context |= {
            "members": practice.memberships.select_related("user").prefetch_related("locations"),
            "invitations": practice.invitations.open().prefetch_related("locations"),
            "invite_form": InviteForm(locations=list(practice.locations())),
        }
    return render(request, "practices/home.html", context)


@practice_view
@require_safe
@never_cache
def location(request: HttpRequest, practice_id: int, location_id: int) -> HttpResponse:
    membership, found = get_location(request.user, practice_id, location_id, Verb.VIEW)
    facts = dashboard(membership, [found])
    # This page is about the location: the practitioner's own facts stay on the home page.
    facts.sections = [section for section in facts.sections if section.place]
    facts.can_confirm_all = False
    return render(
        request,
        "practices/location.html",
        {
            "membership": membership,
            "practice": membership.practice,
            "place": place(found),
            "dashboard": facts,
        },
    )


@practice_view
@require_safe
@never_cache
def audit(request: HttpRequest, practice_id: int) -> HttpResponse:
    membership = get_membership(request.user, practice_id, Verb.VIEW_AUDIT)
    events = AuditEvent.objects.for_practice(membership.practice.key)[:AUDIT_PAGE_SIZE]
    return render(
        request,
        "practices/audit.html",
        {"practice": membership.practice, "rows": audit_rows(list(events))},
    )
