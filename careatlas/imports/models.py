"""The history of imports: each run of an importer, its file, its counts and its bad rows."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    NUCC = "nucc", _("NUCC taxonomy")
    NPPES = "nppes", _("NPPES registry")
    CARE_COMPARE = "care_compare", _("CMS Care Compare clinicians")
    HOSPITALS = "hospitals", _("CMS hospitals")
    UTILIZATION = "utilization", _("CMS Medicare utilization")


class RunStatus(models.TextChoices):
    # A run stays "running" if its process is killed; the next run of the same file and
    # options resumes it from its checkpoint.
    RUNNING = "running", _("Running or interrupted")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")
    VALIDATED = "validated", _("Validated (dry run)")


class ImportRun(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=300)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_size = models.BigIntegerField(_("size in bytes"))
    data_date = models.DateField(
        _("data date"), null=True, blank=True, help_text=_("The date the file's data is from.")
    )
    options = models.JSONField(_("options"), default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    phase = models.CharField(_("phase"), max_length=30, blank=True)
    # Where a resumed run starts again, e.g. {"line": 120000, "offset": 98123456}. Written
    # in the same transaction as the rows it covers.
    checkpoint = models.JSONField(_("checkpoint"), default=dict, blank=True)
    rows_read = models.BigIntegerField(_("rows read"), default=0)
    created = models.BigIntegerField(_("new"), default=0)
    updated = models.BigIntegerField(_("updated"), default=0)
    unchanged = models.BigIntegerField(_("unchanged"), default=0)
    deactivated = models.BigIntegerField(_("deactivated"), default=0)
    reactivated = models.BigIntegerField(_("reactivated"), default=0)
    quarantined = models.BigIntegerField(_("quarantined"), default=0)
    resumed = models.PositiveIntegerField(_("times resumed"), default=0)
    message = models.TextField(_("summary"), blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import run")
        indexes = [models.Index(fields=["kind", "file_sha256", "status"], name="import_run_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def get_quarantine_url(self) -> str:
        return reverse("admin:imports_importrun_quarantine", args=[self.pk])


class QuarantinedRow(models.Model):
    """A row the importer refused, with the reason, so an operator can fix the file."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="quarantine")
    line = models.BigIntegerField(_("line"))
    identifier = models.CharField(_("NPI or key"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["run", "line", "id"]
        verbose_name = _("quarantined row")
        constraints = [
            # A resumed run may meet a bad row again; it is reported once.
            models.UniqueConstraint(fields=["run", "line", "reason"], name="quarantined_once")
        ]

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


class NppesRecord(models.Model):
    """What the NPPES importer last wrote for one NPI: the hash of the row it came from.

    A row whose hash is unchanged is skipped without touching the directory, which makes a
    re-import idempotent and several times faster than the first. `run` is the last run
    that wrote or re-confirmed the NPI: the search index is refreshed for those.
    """

    npi = models.CharField("NPI", max_length=10, primary_key=True)
    row_hash = models.BigIntegerField(_("row hash"))
    entity = models.PositiveSmallIntegerField(
        _("entity type"), null=True, help_text=_("1 individual, 2 organization, empty: unknown.")
    )
    deactivated = models.BooleanField(_("deactivated"), default=False)
    as_of = models.DateField(
        _("as of"), null=True, help_text=_("The latest date in the row: older rows never win.")
    )
    verified_on = models.DateField(
        _("verified on"), null=True, help_text=_("Data date of the file that last confirmed it.")
    )
    # No constraint or index: deleting old runs must not touch millions of rows.
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("NPPES record")

    def __str__(self) -> str:
        return self.npi
