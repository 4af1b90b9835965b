"""Named medical reviewers and the review history of each guide."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from careatlas.procedures.models.guides import Guide


class Reviewer(models.Model):
    """A clinician who signs guides off; facts about the person, so no per-language text."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=160)
    credentials = models.CharField(
        _("credentials"), max_length=80, help_text=_("Degrees and board certification, e.g. MD.")
    )
    licence_state = models.CharField(
        _("licence state"), max_length=2, help_text=_("Two-letter US state of the licence.")
    )
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("medical reviewer")

    def __str__(self) -> str:
        return f"{self.name}, {self.credentials}"


class GuideReview(models.Model):
    """One sign-off of one language's guide; conflicts are declared per review and topic."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Reviewer, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    conflicts_of_interest = models.TextField(
        _("conflicts of interest"),
        help_text=_("In the reviewer's words; 'None declared' when there are none."),
    )
    changes = models.TextField(_("what the review changed"), blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("medical review")

    def __str__(self) -> str:
        return f"{self.guide} reviewed by {self.reviewer} on {self.reviewed_on}"
