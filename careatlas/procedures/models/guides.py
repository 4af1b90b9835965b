"""A procedure guide in one language, with its stats, questions, FAQ, sources and revisions."""

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from careatlas.procedures.models.sources import Source
from careatlas.procedures.models.taxonomy import Procedure


class GuideStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class StatKind(models.TextChoices):
    # The order here is the order of the stat cards on the page.
    SUCCESS_RATE = "success_rate", _("Success rate")
    COST = "cost", _("Average cost (US)")
    RECOVERY = "recovery", _("Recovery")
    VOLUME = "volume", _("US volume per year")


class StatUnit(models.TextChoices):
    PERCENT = "percent", _("percent")
    USD = "usd", _("US dollars")
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")
    PER_YEAR = "per_year", _("procedures per year")


class GuideQuerySet(models.QuerySet):
    def published(self) -> "GuideQuerySet":
        return self.filter(status="published")

    def in_language(self, language: str) -> "GuideQuerySet":
        return self.filter(language=language)

    def titles(self, language: str) -> dict[int, str]:
        """Procedure id -> the title of its published guide in `language`, else in the site's
        language: where a procedure's name lives (one query). Without a guide in `language`, the
        procedure's own name in it (content/names/), if any."""
        picked = self.published().pick_language(language)
        rows = picked.values_list("procedure_id", "language", "title", "procedure__names")
        # An English guide stands in for a missing translation; its name need not.
        return {
            pk: title if guide_language == language else names.get(language, {}).get("name", title)
            for pk, guide_language, title, names in rows
        }

    def review_overdue(self, today=None) -> "GuideQuerySet":
        return self.filter(next_review_due__lt=today or timezone.localdate())

    def for_page(self) -> "GuideQuerySet":
        """Everything a guide page shows, in a fixed, small number of queries."""
        return self.select_related("procedure__specialty").prefetch_related(
            Prefetch("stats", queryset=StatRange.objects.select_related("source")),
            "questions",
            "faq",
            Prefetch("guide_sources", queryset=GuideSource.objects.select_related("source")),
            "procedure__codes",
            "reviews__reviewer",
        )

    def pick_language(self, language: str) -> "GuideQuerySet":
        """Guides in `language` where they exist, else in the site's default language."""
        default = settings.LANGUAGE_CODE
        if language == default:
            return self.filter(language=default)
        have = self.filter(language=language).values("procedure_id")
        return self.filter(
            models.Q(language=language)
            | (models.Q(language=default) & ~models.Q(procedure_id__in=have))
        )

    def translations(self) -> "GuideQuerySet":
        return self.exclude(language=settings.LANGUAGE_CODE)

    def with_original_fingerprint(self) -> "GuideQuerySet":
        """Annotate each guide with `original_hash` and `original_changed_at`: the content
        fingerprint of the guide in the site's language for the same procedure (the text a
        translation follows), and when that last changed."""
        original = Guide.objects.filter(
            procedure=OuterRef("procedure"), language=settings.LANGUAGE_CODE
        )
        return self.annotate(
            original_hash=Subquery(original.values("content_hash")[:1]),
            original_changed_at=Subquery(original.values("content_changed_at")[:1]),
        )

    def translation_outdated(self) -> "GuideQuerySet":
        """Translations whose original has changed since they were translated (or that never
        said what they were translated from)."""
        return (
            self.translations()
            .with_original_fingerprint()
            .filter(original_hash__isnull=False)
            .exclude(translated_from_hash=F("original_hash"))
        )

    def translation_current(self) -> "GuideQuerySet":
        return (
            self.translations()
            .with_original_fingerprint()
            .filter(translated_from_hash=F("original_hash"))
        )

    def original_of(self, guide: "Guide") -> "Guide | None":
        """The guide in the site's language for `guide`'s procedure (itself if it is one)."""
        if guide.language == settings.LANGUAGE_CODE:
            return guide
        return self.filter(procedure_id=guide.procedure_id, language=settings.LANGUAGE_CODE).first()


class Guide(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="guides")
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    title = models.CharField(_("title"), max_length=160)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    summary = models.TextField(_("summary"))
    illustration_alt = models.CharField(_("illustration alt text"), max_length=250, blank=True)
    who_it_helps = models.TextField(_("who it helps"), blank=True)
    what_to_expect = models.TextField(_("what to expect"), blank=True)
    recovery = models.TextField(_("recovery"), blank=True)
    cost = models.TextField(_("cost"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    deep_dive_title = models.CharField(_("deep-dive title"), max_length=200, blank=True)
    deep_dive = models.TextField(_("deep-dive article (Markdown)"), blank=True)

    status = models.CharField(
        _("status"),
        max_length=12,
        choices=GuideStatus.choices,
        default=GuideStatus.DRAFT,
        db_index=True,
    )
    sample_content = models.BooleanField(
        _("sample content"),
        default=False,
        help_text=_("Shows a notice that this guide is sample content awaiting medical review."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    reviewer_name = models.CharField(_("medical reviewer"), max_length=160, blank=True)
    reviewer_credentials = models.CharField(_("reviewer credentials"), max_length=80, blank=True)
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)

    # What the words and figures are, so a translation can tell when its original moved on
    # (careatlas.procedures.pack.text.content_fingerprint; kept by revisions.record_revision).
    content_hash = models.CharField(max_length=16, blank=True, editable=False)
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    translated_from_hash = models.CharField(
        _("translated from (fingerprint)"),
        max_length=16,
        blank=True,
        help_text=_(
            "Translations only: the content fingerprint of the English guide this text was "
            "translated from. When the English guide changes, the translation shows as out of "
            "date."
        ),
    )
    translated_from_date = models.DateField(
        _("translated from the English guide of"),
        null=True,
        blank=True,
        help_text=_("Translations only: the date of the English guide this text follows."),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("guide")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "language"], name="one_guide_per_language"
            ),
            models.CheckConstraint(
                condition=Q(next_review_due__isnull=True)
                | Q(reviewed_on__isnull=True)
                | Q(next_review_due__gte=F("reviewed_on")),
                name="review_due_after_review",
            ),
        ]
        permissions = [("publish_guide", "Can publish and unpublish guides")]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    def get_absolute_url(self) -> str:
        return reverse("procedures:guide", args=[self.procedure.slug])

    def get_preview_url(self) -> str:
        return reverse("procedures:guide_preview", args=[self.procedure.slug, self.language])

    @property
    def is_translation(self) -> bool:
        return self.language != settings.LANGUAGE_CODE

    def translation_outdated(self, original: "Guide | None") -> bool:
        """A translation is out of date once its original's words or figures differ from the
        text it was translated from; one without a recorded base is never shown as current."""
        if not self.is_translation or original is None:
            return False
        return self.translated_from_hash != original.content_hash

    def own_url(self) -> str:
        """The guide's address in its own language (e.g. the English page for an English
        guide shown under /es/ as a fallback)."""
        with translation.override(self.language):
            return self.get_absolute_url()

    @property
    def is_reviewed(self) -> bool:
        return bool(self.reviewer_name and self.reviewed_on)

    def sync_current_review(self) -> None:
        """Make the newest review in the history the guide's current review (shown on the
        page, in the API and in structured data)."""
        latest = self.reviews.select_related("reviewer").order_by("-reviewed_on", "-id").first()
        if latest is None:
            return
        self.reviewer_name = latest.reviewer.name
        self.reviewer_credentials = latest.reviewer.credentials
        self.reviewed_on = latest.reviewed_on
        self.next_review_due = latest.next_review_due
        fields = ["reviewer_name", "reviewer_credentials", "reviewed_on", "next_review_due"]
        self.save(update_fields=fields)

    def review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.next_review_due is not None and self.next_review_due < today

    def publishing_problems(self) -> list[str]:
        """What stops this guide from going public; empty when it may be published."""
        problems = []
        if not self.summary.strip():
            problems.append(str(_("The summary is empty.")))
        for stat in self.stats.all():
            if stat.source_id is None:
                problems.append(
                    str(_("The %(stat)s figure has no source.") % {"stat": stat.get_kind_display()})
                )
        for stat in self.stats.all():
            missing = stat.explanation_problems()
            if missing:
                problems.append(
                    str(
                        _("The %(stat)s card does not explain itself (missing: %(fields)s).")
                        % {"stat": stat.get_kind_display(), "fields": ", ".join(missing)}
                    )
                )
        listed = {gs.source_id for gs in self.guide_sources.all()}
        for stat in self.stats.all():
            if stat.source_id and stat.source_id not in listed:
                problems.append(
                    str(
                        _("The source of the %(stat)s figure is not in the sources list.")
                        % {"stat": stat.get_kind_display()}
                    )
                )
        return problems


class StatRange(models.Model):
    """One stat card: a sourced figure with what it means, or a sourced sentence instead.

    Every text field here belongs to the guide, so it is written once per language. A card
    without numbers (low and high empty) says in `qualifier` what is known instead.
    """

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="stats")
    kind = models.CharField(_("figure"), max_length=20, choices=StatKind.choices)
    low = models.DecimalField(_("low"), max_digits=14, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(_("high"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=StatUnit.choices, blank=True)
    qualifier = models.CharField(
        _("what was measured"),
        max_length=300,
        help_text=_(
            # xgettext:no-python-format (a percentage: the text is never %-formatted)
            "Shown on the card: what the figure counts, e.g. 'share with at least 30% less "
            "pain after 12 weeks'. Without numbers: one plain sentence of what is known."
        ),
    )
    population = models.CharField(
        _("in whom"),
        max_length=200,
        blank=True,
        help_text=_("Who was measured, e.g. '455 US adults with chronic low back pain'."),
    )
    comparison = models.CharField(
        _("compared with"),
        max_length=200,
        blank=True,
        help_text=_("Success rates: the comparison group's figure, e.g. 'sham treatment: 46%'."),
    )
    excludes = models.CharField(
        _("does not cover"),
        max_length=200,
        blank=True,
        help_text=_("Costs: what the amount leaves out, e.g. 'the office visit itself'."),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stats",
        verbose_name=_("source"),
        help_text=_("Required before the guide can be published."),
    )
    year = models.PositiveSmallIntegerField(_("year the figure refers to"))
    method = models.CharField(
        _("method note"), max_length=300, help_text=_("One line: how the figure was obtained.")
    )

    class Meta:
        verbose_name = _("stat range")
        constraints = [
            models.UniqueConstraint(fields=["guide", "kind"], name="one_stat_per_kind"),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=F("high")),
                name="stat_low_not_above_high",
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(low__gte=0), name="stat_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True, high__isnull=True)
                | Q(low__isnull=False, high__isnull=False),
                name="stat_low_and_high_together",
            ),
        ]

    def __str__(self) -> str:
        if self.low is None:
            return f"{self.get_kind_display()}: {self.qualifier}"
        return f"{self.get_kind_display()}: {self.low}-{self.high} {self.unit}"

    @property
    def has_figure(self) -> bool:
        return self.low is not None and self.high is not None

    def explanation_problems(self) -> list[str]:
        """What a reader would miss on this card; the pack and the publish check share it."""
        problems = []
        if not self.qualifier.strip():
            problems.append("qualifier")
        if self.has_figure:
            if not self.unit:
                problems.append("unit")
            if not self.population.strip():
                problems.append("population")
            if self.kind == StatKind.SUCCESS_RATE and not self.comparison.strip():
                problems.append("comparison")
            if self.kind == StatKind.COST and not self.excludes.strip():
                problems.append("excludes")
        return problems


class GuideQuestion(models.Model):
    """A question to ask your doctor."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question to ask")

    def __str__(self) -> str:
        return self.text


class FAQItem(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="faq")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ")

    def __str__(self) -> str:
        return self.question


class GuideSource(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="guide_sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("cited source")
        constraints = [models.UniqueConstraint(fields=["guide", "source"], name="cite_source_once")]

    def __str__(self) -> str:
        return str(self.source)


class GuideRevision(models.Model):
    """A full snapshot of a guide in content-pack form, taken at every save.

    Using the content-pack file format means a revision can be diffed as text and
    restored with the same loader that reads the pack.
    """

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=GuideStatus.choices)
    snapshot = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("revision")

    def __str__(self) -> str:
        return f"{self.guide} @ {self.created_at:%Y-%m-%d %H:%M}"
