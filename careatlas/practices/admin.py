"""The claims queue: staff read documents, then approve, reject or revoke, each audited."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from careatlas.core.admin_decisions import decide_with_reason
from careatlas.core.audit import record
from careatlas.practices import decisions
from careatlas.practices.forms import ReasonForm
from careatlas.practices.models import Claim, ClaimDocument, ClaimStatus, Membership
from careatlas.practices.uploads import EXTENSIONS, decrypt_bytes


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["id", "practice", "claimant", "method", "status", "review_note", "updated_at"]
    list_filter = ["status", "method"]
    list_select_related = ["practice__practitioner", "practice__organization", "user"]
    search_fields = ["practice__practitioner__npi", "practice__organization__npi"]
    # Claims waiting for a decision head the list.
    ordering = [Case(When(status=ClaimStatus.IN_REVIEW, then=0), default=1).asc(), "-updated_at"]
    actions = ["approve", "reject", "revoke"]
    fields = [
        "practice",
        "user",
        "method",
        "status",
        "review_note",
        "documents",
        "reason",
        "decided_by",
        "decided_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a decision is revoked, never erased

    @admin.display(description=_("claimant"))
    def claimant(self, claim: Claim) -> str:
        return claim.user.email or claim.user.get_username()

    @admin.display(description=_("documents"))
    def documents(self, claim: Claim) -> str:
        rows = [
            (
                reverse("admin:practices_claim_document", args=[claim.pk, doc.pk]),
                str(doc),
                filesizeformat(doc.size),
            )
            for doc in claim.documents.all()
        ]
        if not rows:
            return _("None (documents are deleted once a claim is decided).")
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            '<a href="{}">{}</a> ({})',
            rows,
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.document_view)
        extra = [
            path(
                "<int:claim_id>/documents/<int:document_id>/", view, name="practices_claim_document"
            )
        ]
        return extra + super().get_urls()

    def document_view(self, request: HttpRequest, claim_id: int, document_id: int) -> HttpResponse:
        """One document, decrypted for a reviewer, always as a download; each view audited."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = (
            ClaimDocument.objects.select_related(
                "claim__practice__practitioner", "claim__practice__organization"
            )
            .filter(pk=document_id, claim_id=claim_id)
            .first()
        )
        if document is None:
            raise Http404
        record(
            "claim.document_viewed",
            actor=request.user,
            subject=document.claim,
            field=document.kind,
            practice_key=document.claim.practice.key,
        )
        response = HttpResponse(
            decrypt_bytes(document.ciphertext), content_type=document.content_type
        )
        name = f"claim-{claim_id}-{document.kind}.{EXTENSIONS[document.content_type]}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Approve the selected claims"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset) -> None:
        done = 0
        for claim in queryset.filter(status=ClaimStatus.IN_REVIEW):
            decisions.approve_claim(claim, by=request.user)
            done += 1
        self._report(request, done, queryset.count())

    @admin.action(
        description=_("Reject the selected claims (with a reason)"), permissions=["change"]
    )
    def reject(self, request: HttpRequest, queryset):
        return self._with_reason(
            request,
            queryset,
            "reject",
            decisions.reject_claim,
            [ClaimStatus.PROVING, ClaimStatus.IN_REVIEW],
        )

    @admin.action(
        description=_("Revoke the selected claims (with a reason)"), permissions=["change"]
    )
    def revoke(self, request: HttpRequest, queryset):
        return self._with_reason(
            request, queryset, "revoke", decisions.revoke_claim, [ClaimStatus.APPROVED]
        )

    def _with_reason(self, request, queryset, action: str, decide, statuses):
        """An intermediate page asks for the reason the claimant will read, then decides."""
        return decide_with_reason(
            self,
            request,
            queryset,
            action=action,
            decide=decide,
            statuses=statuses,
            form_class=ReasonForm,
            title=_("Reason for the claimant"),
            explanation=_("The claimant reads this reason in their account and in an email."),
            on_done=lambda done, asked: self._report(request, done, asked),
        )

    def _report(self, request: HttpRequest, done: int, asked: int) -> None:
        self.message_user(
            request,
            ngettext("%(done)d claim decided.", "%(done)d claims decided.", done) % {"done": done},
            messages.SUCCESS,
        )
        if done < asked:
            self.message_user(
                request,
                _(
                    "Claims in another state were left as they were (approve claims in review, "
                    "reject open ones, revoke approved ones)."
                ),
                messages.WARNING,
            )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["practice", "user", "role", "all_locations", "created_at"]
    list_filter = ["role"]
    list_select_related = ["practice__practitioner", "practice__organization", "user"]
    readonly_fields = ["practice", "user", "role", "all_locations", "locations", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people join by claim or invitation, never by a back-office form

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
