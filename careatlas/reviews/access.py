"""Who reaches a review: its author by the link's token, the practice's members by membership.

The one place that decides, for every view. An unknown, wrong or expired token gets the same
answer (None: the views show one "link not valid" page), so nobody learns whether a link
ever existed.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from careatlas.practices.access import Verb, get_membership
from careatlas.practices.models import Membership
from careatlas.reviews.models import Review, ReviewLink, Status

_RELATED = ("practice__practitioner", "practice__organization")


def get_link_by_token(token: str) -> ReviewLink | None:
    """The link a token opens while it is valid, with its review if written."""
    return ReviewLink.objects.select_related(*_RELATED, "review").with_token(token).usable().first()


def link_review(link: ReviewLink) -> Review | None:
    try:
        return link.review
    except Review.DoesNotExist:
        return None


def get_review_for_member(user, practice_id: int, review_id: int, verb: Verb) -> tuple:
    """(membership, review) for a published review of the user's practice; 404 otherwise.

    Members see only published reviews: what waits for moderation is between the author
    and the moderators.
    """
    membership: Membership = get_membership(user, practice_id, verb)
    review = (
        Review.objects.select_related(*_RELATED)
        .filter(practice_id=practice_id, pk=review_id, status=Status.PUBLISHED)
        .first()
    )
    if review is None:
        raise Http404(_("No such review."))
    return membership, review


def get_published_review(review_id: int) -> Review:
    """A review anyone may read (and report), else 404."""
    review = Review.objects.select_related(*_RELATED).published().filter(pk=review_id).first()
    if review is None:
        raise Http404(_("No such review."))
    return review
