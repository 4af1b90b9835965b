"""The practice's Reviews page and its one reply per review. Nothing here removes a review."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from careatlas.practices.access import Verb, allows, get_membership, practice_view
from careatlas.reviews import replies
from careatlas.reviews.access import get_review_for_member
from careatlas.reviews.forms import ReplyForm
from careatlas.reviews.models import Review

PAGE_SIZE = 200


@practice_view
@require_safe
@never_cache
def practice_reviews(request: HttpRequest, practice_id: int) -> HttpResponse:
    membership = get_membership(request.user, practice_id, Verb.VIEW)
    reviews = (
        Review.objects.filter(practice_id=practice_id)
        .published()
        .select_related("reply")
        .order_by("-published_at", "-id")[:PAGE_SIZE]
    )
    return render(
        request,
        "reviews/practice_reviews.html",
        {
            "membership": membership,
            "practice": membership.practice,
            "reviews": reviews,
            "can_reply": allows(membership, Verb.REPLY),
        },
    )


@practice_view
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def reply(request: HttpRequest, practice_id: int, review_id: int) -> HttpResponse:
    membership, review = get_review_for_member(request.user, practice_id, review_id, Verb.REPLY)
    if not replies.may_reply(review):
        messages.info(request, _("This review already has your reply: one reply per review."))
        return redirect("reviews:practice_reviews", practice_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = replies.write_reply(review, request.user, form.cleaned_data["text"])
        if answer.flags:
            messages.success(
                request, _("Reply saved. A moderator reads it before it is published.")
            )
        else:
            messages.success(request, _("Reply published under the review."))
        return redirect("reviews:practice_reviews", practice_id)
    return render(
        request,
        "reviews/reply.html",
        {"practice": membership.practice, "review": review, "form": form},
        status=400 if form.errors else 200,
    )
