"""Who may read a consultation request: the one place that decides, for every view.

A patient reaches their request only by its token; practice members through
careatlas.practices.access, with the same answers: 404 outside the practice, 403 for a
member whose locations do not include the request's office.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from careatlas.consultations.models import ConsultationRequest
from careatlas.practices.access import Verb, allows, get_membership
from careatlas.practices.models import Membership

_RELATED = ("practice__practitioner", "practice__organization", "location", "procedure")


def get_request_for_member(
    user, practice_id: int, request_id: int
) -> tuple[Membership, ConsultationRequest]:
    """(membership, request) if the user's practice has the request at one of their offices."""
    membership = get_membership(user, practice_id, Verb.VIEW)
    found = (
        ConsultationRequest.objects.select_related(*_RELATED)
        .filter(practice_id=practice_id, pk=request_id)
        .first()
    )
    if found is None:
        raise Http404(_("No such request."))
    if not allows(membership, Verb.VIEW, found.location):
        raise PermissionDenied
    return membership, found


def get_request_by_token(token: str) -> ConsultationRequest:
    """The request a status link opens, else 404 (a wrong token learns nothing)."""
    found = ConsultationRequest.objects.select_related(*_RELATED).with_token(token).first()
    if found is None:
        raise Http404(_("No request matches this link."))
    return found
