"""Back office for medical reviewers, review history and condition pages."""

from django.contrib import admin

from careatlas.procedures.models import ConditionPage, ConditionPageSource, GuideReview, Reviewer


class GuideReviewInline(admin.StackedInline):
    """A guide's review history; the newest entry is what the page shows as its review."""

    model = GuideReview
    extra = 0
    autocomplete_fields = ["reviewer"]
    fields = [("reviewer", "reviewed_on", "next_review_due"), "conflicts_of_interest", "changes"]


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "licence_state"]
    search_fields = ["name", "key"]
    prepopulated_fields = {"key": ["name"]}


class ConditionPageSourceInline(admin.TabularInline):
    model = ConditionPageSource
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["section", "position", "source"]


@admin.register(ConditionPage)
class ConditionPageAdmin(admin.ModelAdmin):
    list_display = ["condition", "language", "updated_on"]
    list_filter = ["language"]
    search_fields = ["condition__name"]
    inlines = [ConditionPageSourceInline]
