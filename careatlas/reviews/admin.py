"""The moderation queue: flagged and reported reviews and replies, approved or rejected.

Nothing is edited or deleted here: a moderator approves or rejects (with a reason the author
reads), and each decision goes into the audit trail. A rejected review can be approved later.
"""

from django.contrib import admin, messages
from django.db.models import Case, Count, Q, When
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from careatlas.core.admin_decisions import decide_with_reason
from careatlas.reviews import replies, services
from careatlas.reviews.forms import ModerationReasonForm
from careatlas.reviews.models import Reply, Report, Review, Status
from careatlas.reviews.screening import describe

# What waits for a moderator heads the list.
PENDING_FIRST = Case(When(status=Status.PENDING, then=0), default=1).asc()


class ModerationAdmin(admin.ModelAdmin):
    """Decide, never edit or delete: what both queues (reviews, replies) share."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # rejected, never erased: the decision stays on the record

    @admin.display(description=_("automatic flags"))
    def flag_list(self, obj) -> str:
        return format_html_join("", "<p>{}</p>", ((line,) for line in describe(obj.flags))) or "–"

    def with_reason(self, request, queryset, decide, statuses):
        """An intermediate page asks for the reason the author will read, then decides."""
        return decide_with_reason(
            self,
            request,
            queryset,
            action="reject",
            decide=decide,
            statuses=statuses,
            form_class=ModerationReasonForm,
            title=_("Reason for the author"),
            explanation=_(
                "The author reads this reason in an email. Say which rule the text breaks "
                "and what they could change; do not quote private details back."
            ),
            on_done=lambda done, asked: self.report_done(request, done, asked),
        )

    def approve_each(self, request, selected, waiting, approve) -> None:
        """Approve the `waiting` ones among the `selected`; say if some were left."""
        done = 0
        for obj in waiting:
            approve(obj, request.user)
            done += 1
        self.report_done(request, done, selected.count())

    def report_done(self, request: HttpRequest, done: int, asked: int) -> None:
        self.message_user(
            request,
            ngettext("%(done)d decided.", "%(done)d decided.", done) % {"done": done},
            messages.SUCCESS,
        )
        if done < asked:
            self.message_user(
                request,
                _("Some were left as they were: only waiting or published ones can be decided."),
                messages.WARNING,
            )


class ReportInline(admin.TabularInline):
    model = Report
    fields = ["created_at", "reason", "details", "resolved_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # Whoever moderates the review reads why it was reported.
        return request.user.has_perm("reviews.view_review")


@admin.register(Review)
class ReviewAdmin(ModerationAdmin):
    list_display = [
        *("id", "practice", "status", "overall"),
        *("short_flags", "open_reports", "created_at"),
    ]
    list_filter = ["status"]
    list_select_related = ["practice__practitioner", "practice__organization"]
    ordering = [PENDING_FIRST, "created_at"]
    actions = ["approve", "reject"]
    inlines = [ReportInline]
    fields = [
        "practice",
        "status",
        "flag_list",
        "display_name",
        "text",
        "overall",
        "bedside_manner",
        "explained_clearly",
        "wait_time",
        "reject_reason",
        "created_at",
        "updated_at",
        "publish_after",
        "published_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        unresolved = Count("reports", filter=Q(reports__resolved_at__isnull=True))
        return super().get_queryset(request).annotate(unresolved_reports=unresolved)

    @admin.display(description=_("flags"))
    def short_flags(self, review: Review) -> str:
        return ", ".join(sorted({f.get("rule", "") for f in review.flags})) or "–"

    @admin.display(description=_("open reports"), ordering="unresolved_reports")
    def open_reports(self, review: Review) -> int:
        return review.unresolved_reports

    @admin.action(description=_("Approve and publish the selected reviews"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset) -> None:
        waiting = queryset.filter(status__in=[Status.PENDING, Status.REJECTED])
        self.approve_each(request, queryset, waiting, services.approve)

    @admin.action(
        description=_("Reject the selected reviews (with a reason)"), permissions=["change"]
    )
    def reject(self, request: HttpRequest, queryset):
        statuses = [Status.PENDING, Status.HELD, Status.PUBLISHED]
        return self.with_reason(request, queryset, services.reject, statuses)


@admin.register(Reply)
class ReplyAdmin(ModerationAdmin):
    list_display = ["id", "review", "status", "short_flags", "created_at"]
    list_filter = ["status"]
    list_select_related = ["review"]
    ordering = [PENDING_FIRST, "created_at"]
    actions = ["approve", "reject"]
    fields = [
        *("review", "status", "flag_list", "text"),
        *("reject_reason", "created_at", "published_at"),
    ]
    readonly_fields = fields

    @admin.display(description=_("flags"))
    def short_flags(self, reply: Reply) -> str:
        return ", ".join(sorted({f.get("rule", "") for f in reply.flags})) or "–"

    @admin.action(description=_("Approve and publish the selected replies"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset) -> None:
        waiting = queryset.filter(status=Status.PENDING).select_related("review__practice")
        self.approve_each(request, queryset, waiting, replies.approve_reply)

    @admin.action(
        description=_("Reject the selected replies (with a reason)"), permissions=["change"]
    )
    def reject(self, request: HttpRequest, queryset):
        statuses = [Status.PENDING, Status.PUBLISHED]
        return self.with_reason(request, queryset, replies.reject_reply, statuses)
