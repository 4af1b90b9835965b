"""Who may see and change what in a practice: the one place that decides (role x object x verb).

Every practice view asks here, on every request, with a fresh query: nothing about a
person's access is cached, so a removed member is refused on their very next request.
Someone outside a practice gets 404 for all of its pages (its existence is not confirmed);
a member asking for more than their role allows gets 403.
"""

from collections.abc import Callable
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from careatlas.accounts.access import mfa_required
from careatlas.practices.models import Claim, Membership
from careatlas.providers.models import Location, Practitioner, PractitionerRole


class Verb(StrEnum):
    VIEW = "view"  # see the practice's pages and registry facts
    # Edit the facts of one location: its own (hours, visits, staff languages, accessibility)
    # and its practitioners' there (new patients, insurance, procedures).
    CHANGE = "change"
    # Edit the practitioner's own facts (languages, bio, photo): they follow the person
    # everywhere, so only an owner speaks for them.
    CHANGE_PRACTITIONER = "change_practitioner"
    # "Everything is still correct": re-attests every fact, including ones staff cannot edit.
    CONFIRM_ALL = "confirm_all"
    MANAGE_TEAM = "manage_team"  # invite and remove staff
    VIEW_AUDIT = "view_audit"  # read the practice's audit trail
    REPLY = "reply"  # answer a published patient review publicly, once per review


# What office staff may do; owners may do everything. Staff answer reviews: they are often
# the ones who know what happened at the front desk.
STAFF_VERBS = frozenset({Verb.VIEW, Verb.CHANGE, Verb.REPLY})


def practice_view(view: Callable) -> Callable:
    """Every signed-in practice page wears this one decorator: a session that passed MFA."""
    return mfa_required(view)


def allows(membership: Membership, verb: Verb, location: Location | None = None) -> bool:
    """Whether this member may do `verb` to the practice, or to one of its locations."""
    if membership.is_owner:
        return True
    if verb not in STAFF_VERBS:
        return False
    return location is None or membership.covers(location)


def get_membership(user, practice_id: int, verb: Verb) -> Membership:
    """The user's membership of the practice if it allows `verb`; 404 outside it, 403 within."""
    membership = (
        Membership.objects.select_related(
            "practice__practitioner", "practice__organization", "user"
        )
        .filter(practice_id=practice_id, user_id=user.pk)
        .first()
    )
    if membership is None:
        raise Http404(_("No such practice."))
    if not allows(membership, verb):
        raise PermissionDenied
    return membership


def get_location(user, practice_id: int, location_id: int, verb: Verb) -> tuple:
    """(membership, location) for one of the practice's locations; 404 if not the practice's."""
    membership = get_membership(user, practice_id, Verb.VIEW)
    location = membership.practice.locations().filter(pk=location_id).first()
    if location is None:
        raise Http404(_("No such location."))
    if not allows(membership, verb, location):
        raise PermissionDenied
    return membership, location


def get_role(user, practice_id: int, role_id: int, verb: Verb) -> tuple:
    """(membership, role) for a practitioner's role at one of the practice's locations.

    A practitioner's practice reaches its own roles there; an organization's practice the
    roles of every practitioner at its locations. Any other role is 404.
    """
    membership = get_membership(user, practice_id, Verb.VIEW)
    practice = membership.practice
    roles = PractitionerRole.objects.public().filter(pk=role_id, location__in=practice.locations())
    if practice.practitioner_id:
        roles = roles.filter(practitioner_id=practice.practitioner_id)
    role = roles.select_related("practitioner", "location", "organization").first()
    if role is None:
        raise Http404(_("No such practitioner at this practice."))
    if not allows(membership, verb, role.location):
        raise PermissionDenied
    return membership, role


def get_practitioner(user, practice_id: int, verb: Verb) -> tuple[Membership, Practitioner]:
    """(membership, practitioner) of a practitioner's own practice; 404 for an organization's,
    which keeps its practitioners' facts at its locations but not the people themselves."""
    membership = get_membership(user, practice_id, Verb.VIEW)
    if not membership.practice.practitioner_id:
        raise Http404(_("This practice has no practitioner of its own."))
    if not allows(membership, verb):
        raise PermissionDenied
    return membership, membership.practice.practitioner


def visible_locations(membership: Membership) -> list[Location]:
    """The practice's locations this member may see."""
    locations = membership.practice.locations()
    if membership.is_owner or membership.all_locations:
        return list(locations)
    return list(locations.filter(pk__in=membership.locations.values("pk")))


def get_own_claim(user, claim_id: int) -> Claim:
    """One of the user's own claims, else 404 (other people's claims do not exist for them)."""
    claim = (
        Claim.objects.select_related("practice__practitioner", "practice__organization")
        .filter(pk=claim_id, user_id=user.pk)
        .first()
    )
    if claim is None:
        raise Http404(_("No such claim."))
    return claim
