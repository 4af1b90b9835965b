"""Editors' review of data-derived figures: see where a figure comes from, accept or dismiss.

Anyone who may edit guides may decide; accepting goes through a confirmation page that
shows the guide's current figure next to the suggested one, so nothing is replaced unseen.
"""

from decimal import Decimal

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from careatlas.procedures import suggestions
from careatlas.procedures.models import StatRange, StatSuggestion, SuggestionStatus
from careatlas.procedures.presenters import stat_range
from careatlas.procedures.services import WorkflowError

DECIDE_PERMS = (
    "procedures.change_guide",
    "procedures.add_statrange",
    "procedures.change_statrange",
)


def suggested_value(suggestion: StatSuggestion) -> str:
    """The figure as the guide page would show it ('$31.85', '1.2 million')."""
    value = Decimal(suggestion.value)
    return stat_range(StatRange(low=value, high=value, unit=suggestion.unit))


def import_run_url(run_id: int | None) -> str:
    if run_id is None:
        return ""
    try:
        return reverse("admin:imports_importrun_change", args=[run_id])
    except NoReverseMatch:
        return ""


@admin.register(StatSuggestion)
class StatSuggestionAdmin(admin.ModelAdmin):
    list_display = ["guide", "measure", "shown_value", "year", "practitioners", "status"]
    list_filter = ["status", "measure", "year", "guide__procedure"]
    search_fields = ["guide__title", "guide__procedure__slug"]
    list_select_related = ["guide"]
    actions = ["dismiss_selected"]
    readonly_fields = [
        "guide",
        "measure",
        "shown_value",
        "year",
        "services",
        "practitioners",
        "hcpcs_codes",
        "dataset",
        "dataset_url",
        "provenance",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
        "stat",
    ]
    exclude = ["value", "import_run", "file_sha256"]
    change_form_template = "admin/procedures/statsuggestion/change_form.html"

    # Suggestions come from importers; editors decide them, nobody types one in.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("procedures.change_guide")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perms(DECIDE_PERMS)

    @admin.display(description=_("figure"))
    def shown_value(self, suggestion: StatSuggestion) -> str:
        return suggested_value(suggestion)

    @admin.display(description=_("provenance"))
    def provenance(self, suggestion: StatSuggestion) -> str:
        url = import_run_url(suggestion.import_run)
        run = (
            format_html('<a href="{}">{}</a>', url, suggestion.import_run)
            if url
            else suggestion.import_run or "-"
        )
        return format_html(
            "{} {}, {}: {} · {}: {}",
            suggestion.dataset,
            suggestion.year,
            _("import run"),
            run,
            _("file SHA-256"),
            suggestion.file_sha256,
        )

    @admin.action(description=_("Dismiss selected figures"), permissions=["decide"])
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        dismissed = 0
        for suggestion in queryset.filter(status=SuggestionStatus.PENDING):
            suggestions.dismiss(suggestion, request.user)
            dismissed += 1
        self.message_user(request, _("%(n)s figure(s) dismissed.") % {"n": dismissed})

    def get_urls(self):
        own = [
            path(
                "<int:pk>/accept/",
                self.admin_site.admin_view(self.accept_view),
                name="procedures_statsuggestion_accept",
            ),
            path(
                "<int:pk>/dismiss/",
                self.admin_site.admin_view(self.dismiss_view),
                name="procedures_statsuggestion_dismiss",
            ),
        ]
        return own + super().get_urls()

    def _for_decision(self, request: HttpRequest, pk: int) -> StatSuggestion:
        if not self.has_decide_permission(request):
            raise PermissionDenied
        return get_object_or_404(StatSuggestion.objects.select_related("guide"), pk=pk)

    def accept_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """GET: the suggested figure beside the current one; POST: accept it."""
        suggestion = self._for_decision(request, pk)
        guide_url = reverse("admin:procedures_guide_change", args=[suggestion.guide_id])
        if request.method == "POST":
            try:
                suggestions.accept(suggestion, request.user)
            except WorkflowError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("The %(measure)s figure of %(guide)s is now %(value)s.")
                    % {
                        "measure": suggestion.get_measure_display(),
                        "guide": suggestion.guide.title,
                        "value": suggested_value(suggestion),
                    },
                    messages.SUCCESS,
                )
            return redirect(guide_url)
        with translation.override(suggestion.guide.language):
            qualifier, method = suggestions.figure_texts(suggestion)
        current = suggestion.current_stat()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Accept a figure from CMS data?"),
            "suggestion": suggestion,
            "value": suggested_value(suggestion),
            "qualifier": qualifier,
            "method": method,
            "current": current,
            "current_value": stat_range(current) if current else "",
            "run_url": import_run_url(suggestion.import_run),
            "guide_url": guide_url,
        }
        return render(request, "admin/procedures/statsuggestion/accept.html", context)

    def dismiss_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        suggestion = self._for_decision(request, pk)
        if request.method == "POST":
            try:
                suggestions.dismiss(suggestion, request.user)
            except WorkflowError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("Figure dismissed."), messages.SUCCESS)
        return redirect("admin:procedures_guide_change", suggestion.guide_id)


def pending_for(guide_id: int) -> list[dict]:
    """The Guide change page's list of figures waiting for a decision."""
    waiting = StatSuggestion.objects.pending().filter(guide_id=guide_id).order_by("measure")
    return [
        {
            "suggestion": suggestion,
            "value": suggested_value(suggestion),
            "accept_url": reverse("admin:procedures_statsuggestion_accept", args=[suggestion.pk]),
            "dismiss_url": reverse("admin:procedures_statsuggestion_dismiss", args=[suggestion.pk]),
        }
        for suggestion in waiting
    ]
