"""Owners invite and remove office staff; invitees accept by the link they were sent."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from careatlas.practices import team
from careatlas.practices.access import Verb, get_membership, practice_view
from careatlas.practices.forms import InviteForm
from careatlas.practices.models import PracticeRole

REFUSALS = {
    team.Refusal.UNUSABLE: gettext_lazy(
        "This invitation has expired, was already used or was cancelled."
    ),
    team.Refusal.OTHER_ADDRESS: gettext_lazy(
        "This invitation was sent to a different email address. Sign in with the account "
        "for that address, or ask the practice to invite this one."
    ),
    team.Refusal.ALREADY_MEMBER: gettext_lazy("You are already a member of this practice."),
}


@sensitive_post_parameters("email")
@practice_view
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def invite(request: HttpRequest, practice_id: int) -> HttpResponse:
    membership = get_membership(request.user, practice_id, Verb.MANAGE_TEAM)
    practice = membership.practice
    form = InviteForm(request.POST or None, locations=list(practice.locations()))
    if request.method == "POST" and form.is_valid():
        team.invite(practice, request.user, form.cleaned_data["email"], form.cleaned_data["chosen"])
        days = settings.STAFF_INVITATION_DAYS
        messages.success(
            request,
            _("Invitation sent. The link works for %(days)s days.") % {"days": days},
        )
        return redirect("practices:home", practice_id=practice.pk)
    return render(request, "practices/invite.html", {"practice": practice, "form": form})


@practice_view
@require_POST
def remove_member(request: HttpRequest, practice_id: int, member_id: int) -> HttpResponse:
    membership = get_membership(request.user, practice_id, Verb.MANAGE_TEAM)
    staff = membership.practice.memberships.filter(pk=member_id, role=PracticeRole.STAFF).first()
    if staff is None:
        raise Http404(_("No such staff member."))
    team.remove(staff, request.user)
    messages.success(request, _("Removed. They no longer have access to this practice."))
    return redirect("practices:home", practice_id=practice_id)


@practice_view
@require_POST
def cancel_invitation(request: HttpRequest, practice_id: int, invitation_id: int) -> HttpResponse:
    membership = get_membership(request.user, practice_id, Verb.MANAGE_TEAM)
    invitation = membership.practice.invitations.open().filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404(_("No such invitation."))
    team.cancel(invitation, request.user)
    messages.success(request, _("Invitation cancelled. Its link no longer works."))
    return redirect("practices:home", practice_id=practice_id)


@practice_view
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee, signed in, sees whom the invitation is from and accepts it."""
    found = team.find_invitation(token)
    if request.method == "POST":
        outcome = team.accept(token, request.user)
        if not isinstance(outcome, team.Refusal):
            messages.success(request, _("Welcome to the team."))
            return redirect("practices:home", practice_id=outcome.practice_id)
        problem = REFUSALS[outcome]
    else:
        problem = None if found else REFUSALS[team.Refusal.UNUSABLE]
    status = 404 if found is None else 200
    return render(
        request,
        "practices/invitation.html",
        {"invitation": found, "problem": problem},
        status=status if problem else 200,
    )
