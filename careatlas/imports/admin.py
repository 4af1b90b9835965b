"""The import history in the back office: every run, its file, counts and quarantine report."""

import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from careatlas.imports.bulk_load import unfinished_warning
from careatlas.imports.models import ImportRun
from careatlas.imports.runs import quarantine_rows


class _Echo:
    def write(self, value: str) -> str:
        return value


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "started_at",
        "kind",
        "short_file",
        "status",
        "rows_read",
        "created",
        "updated",
        "unchanged",
        "deactivated",
        "quarantined",
        "duration",
        "quarantine_link",
    )
    list_filter = ("kind", "status", "dry_run")
    search_fields = ("file_name", "file_sha256")
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in ImportRun._meta.fields] + ["duration", "quarantine_link"]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        warning = unfinished_warning()
        if warning:
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)

    # The history is a record of what happened: nobody adds or edits it by hand.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("file"), ordering="file_name")
    def short_file(self, run: ImportRun) -> str:
        return run.file_name.rsplit("/", 1)[-1]

    @admin.display(description=_("duration"))
    def duration(self, run: ImportRun) -> str:
        seconds = run.duration_seconds
        return "" if seconds is None else f"{seconds:,.1f} s"

    @admin.display(description=_("quarantine report"))
    def quarantine_link(self, run: ImportRun) -> str:
        if not run.quarantined:
            return "-"
        label = ngettext("%(n)s row (CSV)", "%(n)s rows (CSV)", run.quarantined)
        return format_html(
            '<a href="{}">{}</a>', run.get_quarantine_url(), label % {"n": run.quarantined}
        )

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/quarantine.csv",
                self.admin_site.admin_view(self.quarantine_csv),
                name="imports_importrun_quarantine",
            )
        ]
        return urls + super().get_urls()

    def quarantine_csv(self, request: HttpRequest, pk: int) -> StreamingHttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=pk)
        writer = csv.writer(_Echo())
        header = [("line", "npi", "reason")]
        body = (
            writer.writerow(row)
            for rows in (header, quarantine_rows(run).iterator(chunk_size=5000))
            for row in rows
        )
        response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-quarantine.csv"'
        return response
