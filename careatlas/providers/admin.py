"""The directory back office: providers and their facts, verifications, and the report queue."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from careatlas.core.admin_refresh import RefreshesSite
from careatlas.providers import services
from careatlas.providers.models import (
    FACT_SUBJECTS,
    AccessibilityFeature,
    BoardCertification,
    IncorrectInfoReport,
    InsurancePlan,
    Location,
    OfferedProcedure,
    Organization,
    Practitioner,
    PractitionerRole,
    ReportStatus,
    RoleSpecialty,
    StateLicense,
    Verification,
)
from careatlas.providers.models.verification import Fact


class CommaListField(forms.CharField):
    """A JSON list of short codes edited as 'DO, FAAOS'."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [part.strip() for part in (value or "").split(",") if part.strip()]


class PractitionerForm(forms.ModelForm):
    credentials = CommaListField(
        label=_("credentials"), required=False, help_text=_("Comma-separated, e.g. DO, FAAOS.")
    )
    languages = CommaListField(
        label=_("languages"), required=False, help_text=_("Comma-separated codes, e.g. en, es.")
    )

    class Meta:
        model = Practitioner
        fields = [
            "npi",
            "prefix",
            "first_name",
            "middle_name",
            "last_name",
            "suffix",
            "credentials",
            "sex",
            "languages",
            "photo_url",
            "bio",
            "education",
            "is_demo",
            "active",
        ]


class LocationForm(forms.ModelForm):
    staff_languages = CommaListField(
        label=_("languages spoken by staff"),
        required=False,
        help_text=_("Comma-separated codes, e.g. en, es."),
    )
    accessibility = forms.MultipleChoiceField(
        label=_("accessibility features"),
        choices=AccessibilityFeature.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Location
        fields = [
            "organization",
            "name",
            "line1",
            "line2",
            "city",
            "state",
            "zip_code",
            "latitude",
            "longitude",
            "phone",
            "hours",
            "accessibility",
            "telehealth",
            "video_visits",
            "phone_visits",
            "staff_languages",
            "is_demo",
        ]


class RefreshesProfiles(RefreshesSite):
    """Edits made here show on public profiles at once (the page cache is refreshed)."""

    def refresh(self) -> None:
        services.directory_changed()


def verification_inline(subject: str) -> type[admin.TabularInline]:
    """Verifications of the facts about one kind of object, with only those facts offered."""
    facts = [(f, Fact(f).label) for f, field in FACT_SUBJECTS.items() if field == subject]

    class VerificationInline(admin.TabularInline):
        model = Verification
        fk_name = subject
        extra = 0
        fields = ["fact", "method", "verified_by", "verified_on", "disputed", "note"]

        def formfield_for_choice_field(self, db_field, request, **kwargs):
            if db_field.name == "fact":
                kwargs["choices"] = facts
            return super().formfield_for_choice_field(db_field, request, **kwargs)

    return VerificationInline


class LicenseInline(admin.TabularInline):
    model = StateLicense
    extra = 0


class CertificationInline(admin.TabularInline):
    model = BoardCertification
    extra = 0


class RoleInline(admin.TabularInline):
    model = PractitionerRole
    extra = 0
    fields = ["organization", "location", "accepting_new_patients", "active"]
    raw_id_fields = ["organization", "location"]
    show_change_link = True


@admin.register(Practitioner)
class PractitionerAdmin(RefreshesProfiles):
    form = PractitionerForm
    list_display = ["npi", "display_name", "active", "is_demo", "updated_at"]
    list_filter = ["active", "is_demo", "sex"]
    # "=npi" and "^last_name" use indexes; a million rows make %LIKE% scans slow.
    search_fields = ["=npi", "^last_name"]
    show_full_result_count = False
    inlines = [
        LicenseInline,
        CertificationInline,
        RoleInline,
        verification_inline("practitioner"),
    ]
    # Written by the claim workflow and the practice's confirmations, never by hand.
    readonly_fields = [
        "profile_link",
        "claimed_on",
        "practice_confirmed_on",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("public profile"))
    def profile_link(self, obj):
        if not obj.pk or not obj.active:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("View profile"))


@admin.register(StateLicense)
class StateLicenseAdmin(RefreshesProfiles):
    list_display = ["practitioner", "state", "number", "status", "expires_on"]
    list_filter = ["status", "state"]
    raw_id_fields = ["practitioner"]
    search_fields = ["=practitioner__npi", "number"]
    show_full_result_count = False
    inlines = [verification_inline("license")]


@admin.register(BoardCertification)
class BoardCertificationAdmin(RefreshesProfiles):
    list_display = ["practitioner", "specialty", "board", "status", "expires_on"]
    list_filter = ["status"]
    raw_id_fields = ["practitioner"]
    search_fields = ["=practitioner__npi"]
    show_full_result_count = False
    inlines = [verification_inline("certification")]


class LocationInline(admin.StackedInline):
    model = Location
    form = LocationForm
    extra = 0
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(RefreshesProfiles):
    list_display = ["name", "kind", "active", "is_demo"]
    list_filter = ["kind", "active", "is_demo"]
    search_fields = ["^name", "=npi"]
    show_full_result_count = False
    inlines = [LocationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Location)
class LocationAdmin(RefreshesProfiles):
    form = LocationForm
    list_display = ["__str__", "organization", "city", "state", "zip_code", "telehealth"]
    list_filter = ["state", "telehealth", "is_demo"]
    search_fields = ["=zip_code", "^city"]
    raw_id_fields = ["organization"]
    show_full_result_count = False
    inlines = [verification_inline("location")]


class RoleSpecialtyInline(admin.TabularInline):
    model = RoleSpecialty
    extra = 0
    fields = ["code", "specialty", "is_primary"]


class OfferedProcedureInline(admin.TabularInline):
    model = OfferedProcedure
    extra = 0
    show_change_link = True


@admin.register(PractitionerRole)
class PractitionerRoleAdmin(RefreshesProfiles):
    list_display = ["practitioner", "organization", "location", "accepting_new_patients"]
    list_filter = ["accepting_new_patients", "active"]
    raw_id_fields = ["practitioner", "organization", "location"]
    filter_horizontal = ["insurance_plans"]
    search_fields = ["=practitioner__npi"]
    list_select_related = ["practitioner", "organization", "location"]
    show_full_result_count = False
    inlines = [RoleSpecialtyInline, OfferedProcedureInline, verification_inline("role")]


@admin.register(OfferedProcedure)
class OfferedProcedureAdmin(RefreshesProfiles):
    list_display = ["role", "procedure", "self_pay_low", "self_pay_high"]
    raw_id_fields = ["role"]
    list_filter = ["procedure"]
    show_full_result_count = False
    inlines = [verification_inline("offered_procedure")]


@admin.register(InsurancePlan)
class InsurancePlanAdmin(RefreshesProfiles):
    list_display = ["name", "issuer", "plan_type", "is_demo"]
    list_filter = ["plan_type", "is_demo"]
    search_fields = ["name", "issuer"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Verification)
class VerificationAdmin(RefreshesProfiles):
    list_display = ["fact", "subject", "method", "verified_on", "verified_by", "disputed"]
    list_filter = ["disputed", "fact", "method"]
    raw_id_fields = ["practitioner", "license", "certification", "location", "role"]
    raw_id_fields += ["offered_procedure"]
    show_full_result_count = False

    @admin.display(description=_("about"))
    def subject(self, obj):
        return f"{obj.subject_field} {obj.subject_id}"


class ReportStatusFilter(admin.SimpleListFilter):
    """The queue opens on what still needs a decision."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*ReportStatus.choices, ("all", pgettext_lazy("report", "All"))]

    def queryset(self, request, queryset):
        value = self.value() or ReportStatus.OPEN
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or ReportStatus.OPEN
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


@admin.register(IncorrectInfoReport)
class IncorrectInfoReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "practitioner", "fact", "about", "status"]
    list_filter = [ReportStatusFilter, "fact"]
    list_select_related = ["practitioner"]
    search_fields = ["=practitioner__npi"]
    actions = ["resolve", "reject"]
    fields = [
        "practitioner_link",
        "fact",
        "about",
        "details",
        "contact",
        "verification",
        "status",
        "created_at",
        "closed_at",
        "closed_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("practitioner"))
    def practitioner_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', obj.practitioner.get_absolute_url(), obj.practitioner
        )

    @admin.action(description=_("Resolve: the profile is now right (clears the dispute)"),
                  permissions=["change"])  # fmt: skip
    def resolve(self, request, queryset):
        closed = services.close_reports(queryset, ReportStatus.RESOLVED, request.user)
        self.message_user(request, _("%(n)d report(s) resolved.") % {"n": closed}, messages.SUCCESS)

    @admin.action(description=_("Reject: the profile was right (clears the dispute)"),
                  permissions=["change"])  # fmt: skip
    def reject(self, request, queryset):
        closed = services.close_reports(queryset, ReportStatus.REJECTED, request.user)
        self.message_user(request, _("%(n)d report(s) rejected.") % {"n": closed}, messages.SUCCESS)
