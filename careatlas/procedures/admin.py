"""The editors' back office: guides with their parts, the review workflow and revisions."""

import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from careatlas.core.admin_refresh import RefreshesSite
from careatlas.procedures import revisions, services
from careatlas.procedures.models import (
    Condition,
    FAQItem,
    Guide,
    GuideQuestion,
    GuideRevision,
    GuideSource,
    Procedure,
    ProcedureCode,
    Source,
    Specialty,
    StatRange,
)
from careatlas.procedures.pack.errors import ContentError
from careatlas.procedures.pack.svg import check_svg
from careatlas.procedures.review_admin import GuideReviewInline
from careatlas.procedures.suggestion_admin import DECIDE_PERMS, pending_for


class StatRangeInline(admin.StackedInline):
    model = StatRange
    extra = 0
    max_num = 4
    autocomplete_fields = ["source"]
    fields = [
        ("kind", "unit"),
        ("low", "high", "year"),
        "qualifier",
        "population",
        "comparison",
        "excludes",
        "method",
        "source",
    ]


class QuestionInline(admin.TabularInline):
    model = GuideQuestion
    extra = 0
    fields = ["position", "text"]


class FAQInline(admin.StackedInline):
    model = FAQItem
    extra = 0
    fields = ["position", "question", "answer"]


class GuideSourceInline(admin.TabularInline):
    model = GuideSource
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["position", "source"]
    verbose_name_plural = _("sources (in the order shown on the page)")


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Past its review date")), ("never", _("Never reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "never":
            return queryset.filter(reviewed_on__isnull=True)
        return queryset


class TranslationFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("outdated", _("Behind the English guide")),
            ("current", _("Up to date with the English guide")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "outdated":
            return queryset.translation_outdated()
        if self.value() == "current":
            return queryset.translation_current()
        return queryset


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "language",
        "status",
        "specialty_name",
        "review_status",
        "translation_status",
        "updated_at",
    ]
    list_filter = ["status", "language", TranslationFilter, ReviewDueFilter, "procedure__specialty"]
    search_fields = ["title", "procedure__slug", "summary"]
    readonly_fields = ["status", "published_at", "published_by", "preview_link"]
    inlines = [StatRangeInline, QuestionInline, FAQInline, GuideSourceInline, GuideReviewInline]
    actions = ["submit_selected", "publish_selected", "unpublish_selected", "mark_current"]
    change_form_template = "admin/procedures/guide/change_form.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "procedure",
                    "language",
                    "title",
                    "abbreviation",
                    "summary",
                    "preview_link",
                ]
            },
        ),
        (
            _("Translation"),
            {
                "fields": ["translated_from_date", "translated_from_hash"],
                "description": _(
                    "Only for a guide in another language than English: which English text "
                    "it follows (manage.py translation_base prints both values)."
                ),
            },
        ),
        (_("Illustration"), {"fields": ["illustration_alt"]}),
        (
            _("Sections"),
            {"fields": ["who_it_helps", "what_to_expect", "recovery", "cost", "risks"]},
        ),
        (_("Deep dive"), {"fields": ["deep_dive_title", "deep_dive"]}),
        (
            _("Medical review"),
            {
                "fields": [
                    ("reviewer_name", "reviewer_credentials"),
                    ("reviewed_on", "next_review_due"),
                    "sample_content",
                ]
            },
        ),
        (_("Workflow"), {"fields": ["status", "published_at", "published_by"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("procedure__specialty")
            .with_original_fingerprint()
        )

    @admin.display(description=_("specialty"), ordering="procedure__specialty__name")
    def specialty_name(self, guide: Guide) -> str:
        return guide.procedure.specialty.name

    @admin.display(description=_("review"))
    def review_status(self, guide: Guide) -> str:
        if guide.review_overdue():
            return format_html(
                '<strong class="errornote">{}</strong>',
                _("Overdue since %s") % guide.next_review_due,
            )
        if guide.reviewed_on:
            return _("Reviewed %s") % guide.reviewed_on
        return _("Not reviewed")

    @admin.display(description=_("translation"))
    def translation_status(self, guide: Guide) -> str:
        if not guide.is_translation:
            return "-"
        if guide.original_hash is None:
            return _("No English guide")
        if guide.translated_from_hash != guide.original_hash:
            changed = guide.original_changed_at
            return format_html(
                '<strong class="errornote">{}</strong>',
                _("Behind the English guide of %s") % (changed.date() if changed else "?"),
            )
        return _("Up to date")

    @admin.display(description=_("preview"))
    def preview_link(self, guide: Guide) -> str:
        if not guide.pk:
            return "-"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            guide.get_preview_url(),
            _("Open preview"),
        )

    def changelist_view(self, request, extra_context=None):
        overdue = Guide.objects.review_overdue().count()
        if overdue:
            messages.warning(request, _("%d guide(s) are past their review date.") % overdue)
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.guide_edited(form.instance, request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Figures an import computed for this guide, for an editor who may decide them.
        if request.user.has_perms(DECIDE_PERMS) and str(object_id).isdigit():
            extra_context = {**(extra_context or {}), "stat_suggestions": pending_for(object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    # Workflow ---------------------------------------------------------------
    def _transition(self, request, guides, action) -> None:
        if action in ("publish", "unpublish") and not request.user.has_perm(
            "procedures.publish_guide"
        ):
            raise PermissionDenied
        for guide in guides:
            try:
                getattr(services, action if action != "submit" else "submit_for_review")(
                    guide, request.user
                )
            except services.WorkflowError as exc:
                self.message_user(request, f"{guide.title}: {exc}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{guide.title}: {guide.get_status_display()}", messages.SUCCESS
                )

    @admin.action(description=_("Send selected guides for review"))
    def submit_selected(self, request, queryset):
        self._transition(request, queryset, "submit")

    @admin.action(description=_("Publish selected guides"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._transition(request, queryset, "publish")

    @admin.action(description=_("Unpublish selected guides"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._transition(request, queryset, "unpublish")

    @admin.action(
        description=_("Mark selected translations as following the current English guide"),
        permissions=["change"],
    )
    def mark_current(self, request, queryset):
        for guide in queryset:
            try:
                services.mark_translation_current(guide, request.user)
            except services.WorkflowError as exc:
                self.message_user(request, f"{guide.title}: {exc}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(title)s now follows the English guide of %(date)s.")
                    % {"title": guide.title, "date": guide.translated_from_date},
                    messages.SUCCESS,
                )

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("procedures.publish_guide")

    def get_urls(self):
        own = [
            path(
                "<int:pk>/workflow/<str:action>/",
                self.admin_site.admin_view(self.workflow_view),
                name="procedures_guide_workflow",
            ),
            path(
                "<int:pk>/revisions/",
                self.admin_site.admin_view(self.revisions_view),
                name="procedures_guide_revisions",
            ),
            path(
                "<int:pk>/revisions/<int:rev>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="procedures_guide_restore",
            ),
        ]
        return own + super().get_urls()

    def _guide_for_change(self, request, pk: int) -> Guide:
        guide = get_object_or_404(Guide, pk=pk)
        if not self.has_change_permission(request, guide):
            raise PermissionDenied
        return guide

    def workflow_view(self, request, pk: int, action: str):
        if request.method != "POST" or action not in ("submit", "publish", "unpublish"):
            return redirect("admin:procedures_guide_change", pk)
        self._transition(request, [self._guide_for_change(request, pk)], action)
        return redirect("admin:procedures_guide_change", pk)

    def revisions_view(self, request, pk: int):
        guide = self._guide_for_change(request, pk)
        revisions = list(guide.revisions.select_related("created_by"))
        diff = None
        chosen = request.GET.get("compare")
        if chosen and revisions:
            older = get_object_or_404(GuideRevision, pk=chosen, guide=guide)
            newer = revisions[0]
            diff = difflib.HtmlDiff(wrapcolumn=80).make_table(
                older.snapshot.splitlines(),
                newer.snapshot.splitlines(),
                fromdesc=str(older.created_at),
                todesc=str(newer.created_at),
                context=True,
                numlines=2,
            )
        context = {
            **self.admin_site.each_context(request),
            "guide": guide,
            "revisions": revisions,
            "diff": diff,
            "opts": self.model._meta,
            "title": _("Revisions of %s") % guide.title,
        }
        return render(request, "admin/procedures/guide/revisions.html", context)

    def restore_view(self, request, pk: int, rev: int):
        guide = self._guide_for_change(request, pk)
        if request.method != "POST":
            return redirect("admin:procedures_guide_revisions", pk)
        revision = get_object_or_404(GuideRevision, pk=rev, guide=guide)
        try:
            services.restore_revision(revision, request.user)
        except ContentError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Restored the revision of %s.")
                % timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M"),
            )
        return redirect("admin:procedures_guide_change", pk)


class ProcedureForm(forms.ModelForm):
    illustration_file = forms.FileField(
        required=False,
        label=_("Upload illustration (SVG)"),
        help_text=_("A self-contained SVG drawing, at most 20 KB."),
    )

    class Meta:
        model = Procedure
        fields = ["slug", "specialty", "synonyms", "alternatives", "conditions"]

    def clean_illustration_file(self):
        upload = self.cleaned_data.get("illustration_file")
        if not upload:
            return None
        try:
            return check_svg(upload.read().decode("utf-8", errors="strict"), upload.name)
        except (ContentError, UnicodeDecodeError) as exc:
            raise ValidationError(str(getattr(exc, "reason", exc))) from None

    def save(self, commit=True):
        if self.cleaned_data.get("illustration_file"):
            self.instance.illustration_svg = self.cleaned_data["illustration_file"]
        return super().save(commit)


class ProcedureCodeInline(admin.TabularInline):
    model = ProcedureCode
    extra = 1


class RefreshesContent(RefreshesSite):
    """Procedures, specialties, conditions and sources appear on every guide, in the search
    selects and in the search index: an edit refreshes them at once, as a publish does."""

    def refresh(self) -> None:
        revisions.notify_content_changed()


@admin.register(Procedure)
class ProcedureAdmin(RefreshesContent):
    form = ProcedureForm
    list_display = ["slug", "specialty"]
    list_filter = ["specialty"]
    search_fields = ["slug", "guides__title"]
    filter_horizontal = ["alternatives", "conditions"]
    inlines = [ProcedureCodeInline]


@admin.register(Source)
class SourceAdmin(RefreshesContent):
    list_display = ["key", "title", "publisher", "year", "pmid", "doi"]
    search_fields = ["key", "title", "authors", "pmid", "doi"]


@admin.register(Specialty)
class SpecialtyAdmin(RefreshesContent):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Condition)
class ConditionAdmin(RefreshesContent):
    list_display = ["name", "slug", "specialty"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
