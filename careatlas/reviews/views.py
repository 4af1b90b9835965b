"""The author's pages at their link (write, see, edit, delete), reports, and the policy page.

Pages at a link carry a secret in their address, so none is cached anywhere (`never_cache`
sends Cache-Control: no-store), none is indexed, and the token never reaches a log
(careatlas.core.logs).
"""

from collections.abc import Callable
from contextlib import suppress
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from careatlas.core.errors import too_many_attempts
from careatlas.core.ratelimit import RateLimit, client_ip
from careatlas.reviews import services
from careatlas.reviews.access import get_link_by_token, get_published_review, link_review
from careatlas.reviews.forms import ReportForm, ReviewForm
from careatlas.reviews.links import is_member
from careatlas.reviews.models import LINK_DAYS, MIN_REVIEWS_FOR_AVERAGE, ReviewLink
from careatlas.reviews.presenters import score_rows, status_summary
from careatlas.reviews.screening import fingerprint

DAY = 24 * 3600


def _sender(request: HttpRequest) -> str:
    return fingerprint(client_ip(request), request.META.get("HTTP_USER_AGENT", ""))


def _gone(request: HttpRequest) -> HttpResponse:
    """One answer for unknown, wrong and expired links: nothing says which."""
    return render(request, "reviews/link_gone.html", {"days": LINK_DAYS}, status=404)


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    return too_many_attempts(request, "reviews/too_many.html", retry_after)


def at_link(needs_review: bool = False) -> Callable:
    """A view decorator for pages at a link: the link must be valid, the visitor must not
    work for the practice, posts are rate-limited; `needs_review` pages need a written one.
    The view gets (request, token, link, review)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def opened(request: HttpRequest, token: str) -> HttpResponse:
            found = get_link_by_token(token)
            if found is None:
                return _gone(request)
            if is_member(request.user, found.practice):
                context = {"practice": found.practice}
                return render(request, "reviews/staff_refused.html", context, status=403)
            review = link_review(found)
            if needs_review and review is None:
                return redirect("reviews:link", token)
            if request.method == "POST":
                verdict = RateLimit("review-ip", settings.REVIEW_POSTS_PER_IP_HOUR).take(
                    client_ip(request)
                )
                if not verdict.allowed:
                    return _too_many(request, verdict.retry_after)
            return view(request, token, found, review)

        return opened

    return decorate


def _form_page(request, link, form, review=None, status=200) -> HttpResponse:
    context = {"link": link, "practice": link.practice, "form": form, "review": review}
    return render(request, "reviews/form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@at_link()
def link(request: HttpRequest, token: str, found: ReviewLink, review) -> HttpResponse:
    """Write the review; once written, the same address shows it and its status."""
    if review is not None:
        context = {
            "link": found,
            "practice": found.practice,
            "review": review,
            "token": token,
            "summary": status_summary(review),
            "scores": score_rows(review),
        }
        return render(request, "reviews/mine.html", context)
    if found.used_at is not None:  # written, then deleted: a link writes one review
        return render(request, "reviews/deleted.html", {"practice": found.practice})
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            # A second tab may send the same form: the link wrote its review already.
            with suppress(services.LinkUsed):
                services.write_review(found, form.save(commit=False), _sender(request))
            return redirect("reviews:link", token)
        return _form_page(request, found, form, status=400)
    return _form_page(request, found, form)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@at_link(needs_review=True)
def edit(request: HttpRequest, token: str, found: ReviewLink, review) -> HttpResponse:
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST":
        if form.is_valid():
            services.edit_review(form.save(commit=False))
            return redirect("reviews:link", token)
        return _form_page(request, found, form, review, status=400)
    return _form_page(request, found, form, review)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@at_link(needs_review=True)
def delete(request: HttpRequest, token: str, found: ReviewLink, review) -> HttpResponse:
    """Ask to confirm, then delete for good."""
    if request.method == "POST":
        services.delete_review(review)
        return render(request, "reviews/deleted.html", {"practice": found.practice})
    return render(
        request,
        "reviews/delete.html",
        {"practice": found.practice, "review": review, "token": token},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def report(request: HttpRequest, review_id: int) -> HttpResponse:
    """Anyone may report a published review; it goes back to a moderator."""
    review = get_published_review(review_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        sender = _sender(request)
        limit = RateLimit("review-report", settings.REVIEW_REPORTS_PER_DAY, DAY)
        if limit.exceeded(sender):
            return _too_many(request, limit.retry_after())
        if form.is_valid():
            limit.hit(sender)
            data = form.cleaned_data
            services.report(review, data["reason"], data["details"], sender)
            return render(request, "reviews/reported.html", {"practice": review.practice})
    return render(
        request,
        "reviews/report.html",
        {"review": review, "practice": review.practice, "form": form},
        status=400 if form.errors else 200,
    )


@require_safe
def policy(request: HttpRequest) -> HttpResponse:
    """How reviews are collected and moderated, and what is never removed."""
    return render(
        request,
        "reviews/policy.html",
        {
            "hold_hours": settings.REVIEW_HOLD_HOURS,
            "link_days": LINK_DAYS,
            "min_reviews": MIN_REVIEWS_FOR_AVERAGE,
            "burst_count": settings.REVIEW_BURST_COUNT,
            "burst_hours": settings.REVIEW_BURST_HOURS,
        },
    )
