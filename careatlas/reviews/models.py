"""Review links, reviews, the practice's replies and visitors' reports.

A review exists only through a link sent after a real visit (a consultation request that
reached "scheduled" or "closed"), so every review is a verified visit. The link's token is
stored as a digest, like the consultation status link's. Reviews outlive the request they
came from: consultation requests are purged after their retention period, so the link keeps
the practice, not a hard dependency on the request.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careatlas.consultations.models import ConsultationRequest
from careatlas.practices.models import Practice
from careatlas.practices.models.practices import token_digest
from careatlas.providers.fields import EncryptedTextField

# Defined beside the rating it governs (search, below reviews, reads it too); kept here too.
from careatlas.providers.models import MIN_REVIEWS_FOR_AVERAGE  # noqa: F401

LINK_DAYS = 90
TEXT_MAX_CHARS = 2000
NAME_MAX_CHARS = 60
SCORES = ("overall", "bedside_manner", "explained_clearly", "wait_time")


class ReviewLinkQuerySet(models.QuerySet):
    def with_token(self, token: str) -> "ReviewLinkQuerySet":
        return self.filter(token_hash=token_digest(token))

    def usable(self, now=None) -> "ReviewLinkQuerySet":
        return self.filter(expires_at__gt=now or timezone.now())

    def expired(self, now=None) -> "ReviewLinkQuerySet":
        return self.filter(expires_at__lte=now or timezone.now())


class ReviewLink(models.Model):
    """The single-use link a patient receives after a visit; it also edits or deletes the review."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="review_links")
    # Kept only while the request exists: the retention purge deletes requests, not reviews.
    request = models.OneToOneField(
        ConsultationRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_link",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Where a moderator's decision is sent: copied from the request (which may be purged
    # first), encrypted, and erased when the link expires or the review is deleted.
    email = EncryptedTextField(_("author's email"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    # Set when the review is written: a link writes one review, ever (even after deleting it).
    used_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("review link")

    def __str__(self) -> str:
        return f"{_('Review link')} {self.pk}"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.created_at + timedelta(days=LINK_DAYS)
        super().save(*args, **kwargs)


class Status(models.TextChoices):
    # Passed every automatic check; published when its hold ends (`publish_after`).
    HELD = "held", _("Held briefly before publication")
    # Flagged by a check or reported by a visitor: a moderator decides.
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class ReviewQuerySet(models.QuerySet):
    def published(self) -> "ReviewQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def for_practitioner(self, practitioner) -> "ReviewQuerySet":
        return self.filter(practice__practitioner=practitioner)

    def due_for_publication(self, now=None) -> "ReviewQuerySet":
        return self.filter(status=Status.HELD, publish_after__lte=now or timezone.now())


def _score(verbose_name) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name)


class Review(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reviews")
    link = models.OneToOneField(ReviewLink, on_delete=models.PROTECT, related_name="review")
    overall = _score(_("overall"))
    bedside_manner = _score(_("bedside manner"))
    explained_clearly = _score(_("explained things clearly"))
    wait_time = _score(_("wait time"))
    text = models.TextField(_("your review"), max_length=TEXT_MAX_CHARS, blank=True)
    display_name = models.CharField(_("name to show"), max_length=NAME_MAX_CHARS, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.HELD
    )
    # What the automatic checks found: [{"rule": "phone", "detail": "..."}]; empty when clean.
    flags = models.JSONField(_("automatic flags"), default=list, blank=True)
    # Sent to the author with a rejection; never shown publicly.
    reject_reason = models.TextField(_("reason sent to the author"), blank=True)
    # A keyed digest of the sender's address and browser, for spotting bursts; never the address.
    fingerprint = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    is_demo = models.BooleanField(_("synthetic demo review"), default=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    publish_after = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("review")
        indexes = [
            # The profile's list and aggregates: one practice's published reviews, newest first.
            models.Index(
                fields=["practice", "status", "-published_at"], name="review_practice_status"
            ),
            models.Index(fields=["status", "publish_after"], name="review_status_hold"),
        ]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
                    name=f"review_{field}_1_to_5",
                )
                for field in SCORES
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_reviews_have_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Review')} {self.pk}"

    @property
    def shown_name(self) -> str:
        return self.display_name or str(_("Verified patient"))


class Reply(models.Model):
    """The practice's one public reply to a review, screened like the review."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="reply")
    text = models.TextField(_("reply"), max_length=TEXT_MAX_CHARS)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    flags = models.JSONField(_("automatic flags"), default=list, blank=True)
    reject_reason = models.TextField(_("reason sent to the practice"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{_('Reply to review')} {self.review_id}"


class ReportReason(models.TextChoices):
    FAKE = "fake", _("Not a real patient, or written for pay")
    STAFF = "staff", _("Written by someone who works for the practice")
    PRIVATE = "private", _("Shares private or medical details")
    OFFENSIVE = "offensive", _("Offensive, threatening or discriminatory")
    OFF_TOPIC = "off-topic", _("Not about care at this practice")
    OTHER = "other", _("Something else")


class Report(models.Model):
    """A visitor's report of a published review; it sends the review back to moderation."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    details = models.TextField(_("details"), max_length=1000, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report on a review")

    def __str__(self) -> str:
        return f"{_('Report on review')} {self.review_id}"
