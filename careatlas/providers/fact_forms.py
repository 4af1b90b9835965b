"""Forms a claimed practice uses to edit each group of its facts; saving also confirms them."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from careatlas.procedures.models import Procedure
from careatlas.providers import confirmation
from careatlas.providers.models import (
    AcceptingPatients,
    AccessibilityFeature,
    InsurancePlan,
    Location,
    OfferedProcedure,
    Practitioner,
    PractitionerRole,
)
from careatlas.providers.models.organizations import DAYS, validate_opening_hours
from careatlas.providers.photos import max_upload_bytes, resize_photo
from careatlas.providers.presenters import DAY_NAMES, LANGUAGE_CODES, language_names

YES_NO = [("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))]
_SPAN = re.compile(r"^\s*(\d{1,2})(?::?(\d{2}))?\s*(?:-|–|—|to)\s*(\d{1,2})(?::?(\d{2}))?\s*$")
MAX_PRICE = Decimal("999999.99")


class FactForm(forms.Form):
    """One group of facts about one object; `save()` writes through providers.confirmation."""

    subject_model: type = object

    def __init__(self, *args, subject, practitioner: Practitioner, filed_under: str = "", **kwargs):
        if not isinstance(subject, self.subject_model):
            raise TypeError(f"{type(self).__name__} edits a {self.subject_model.__name__}")
        self.subject, self.practitioner = subject, practitioner
        # The audit trail's practice key when an organization's practice edits (see
        # confirmation.update_facts); empty means the practitioner's.
        self.filed_under = filed_under
        kwargs.setdefault("initial", self.initial_from(subject))
        super().__init__(*args, **kwargs)

    def initial_from(self, subject) -> dict:
        return {}

    def changes(self) -> dict:
        return dict(self.cleaned_data)

    def save(self, by_user) -> list[str]:
        """Returns the fields that changed (every fact in the group is confirmed anyway)."""
        return confirmation.update_facts(
            self.subject,
            self.changes(),
            practitioner=self.practitioner,
            by_user=by_user,
            filed_under=self.filed_under,
        )


def _languages_field(label, current: list[str]) -> forms.MultipleChoiceField:
    # Codes already stored stay offered, so saving the form never drops one silently.
    codes = list(dict.fromkeys([*LANGUAGE_CODES, *current]))
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=list(zip(codes, language_names(codes), strict=True)),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose languages from the list.")},
    )


class AcceptingPatientsForm(FactForm):
    subject_model = PractitionerRole
    accepting_new_patients = forms.ChoiceField(
        label=_("New patients"),
        choices=AcceptingPatients.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the options listed.")},
    )

    def initial_from(self, role) -> dict:
        return {"accepting_new_patients": role.accepting_new_patients}


def _yes_no_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        coerce=lambda value: value == "yes",
        empty_value=None,
        error_messages={"invalid_choice": _("Choose yes, no or not stated.")},
    )


class VisitsForm(FactForm):
    subject_model = Location
    video_visits = _yes_no_field(_("Video visits"))
    phone_visits = _yes_no_field(_("Phone visits"))

    def initial_from(self, location) -> dict:
        code = {True: "yes", False: "no", None: ""}
        return {
            "video_visits": code[location.video_visits],
            "phone_visits": code[location.phone_visits],
        }


def _spans(text: str, day: str) -> list[tuple[str, str]]:
    spans = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _SPAN.match(part)
        if match:
            h1, m1, h2, m2 = match.groups()
            opens, closes = (int(h1), int(m1 or 0)), (int(h2), int(m2 or 0))
        if not match or max(opens[0], closes[0]) > 23 or max(opens[1], closes[1]) > 59:
            raise ValidationError(
                _(
                    "Write %(day)s hours as 24-hour times such as 08:30-17:00, or two periods "
                    "such as 08:00-12:00, 13:00-17:00. Leave it empty if closed."
                )
                % {"day": DAY_NAMES[day]}
            )
        if opens >= closes:
            raise ValidationError(
                _("On %(day)s the office closes before it opens: check %(span)s.")
                % {"day": DAY_NAMES[day], "span": part}
            )
        spans.append((f"{opens[0]:02d}:{opens[1]:02d}", f"{closes[0]:02d}:{closes[1]:02d}"))
    spans.sort()
    for (_a, first_closes), (second_opens, _b) in zip(spans, spans[1:], strict=False):
        if second_opens < first_closes:
            raise ValidationError(
                _("On %(day)s two periods overlap. List each period once.")
                % {"day": DAY_NAMES[day]}
            )
    return spans


class HoursForm(FactForm):
    """One text box per day, e.g. "08:00-12:00, 13:00-17:00"; empty means closed."""

    subject_model = Location

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day in DAYS:
            self.fields[day] = forms.CharField(
                label=DAY_NAMES[day],
                required=False,
                max_length=60,
                help_text=_("e.g. 08:30-17:00; empty if closed"),
                error_messages={"max_length": _("Keep it under 60 characters.")},
            )

    def initial_from(self, location) -> dict:
        by_day: dict[str, list[str]] = {day: [] for day in DAYS}
        for period in location.hours or []:
            for day in period.get("days", []):
                if day in by_day:
                    by_day[day].append(f"{period['opens']}-{period['closes']}")
        return {day: ", ".join(sorted(spans)) for day, spans in by_day.items()}

    def clean(self) -> dict:
        cleaned = super().clean()
        periods: dict[tuple[str, str], list[str]] = {}
        for day in DAYS:
            if day in self.errors:
                continue
            try:
                spans = _spans(cleaned.get(day, ""), day)
            except ValidationError as error:
                self.add_error(day, error)
                continue
            for span in spans:
                periods.setdefault(span, []).append(day)
        hours = [
            {"days": days, "opens": opens, "closes": closes}
            for (opens, closes), days in sorted(
                periods.items(), key=lambda item: (DAYS.index(item[1][0]), item[0])
            )
        ]
        validate_opening_hours(hours)
        cleaned["hours"] = hours
        return cleaned

    def changes(self) -> dict:
        return {"hours": self.cleaned_data["hours"]}


class StaffLanguagesForm(FactForm):
    subject_model = Location

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_languages"] = _languages_field(
            _("Languages your staff speak at this location"), self.subject.staff_languages
        )

    def initial_from(self, location) -> dict:
        return {"staff_languages": location.staff_languages}


class PractitionerLanguagesForm(FactForm):
    subject_model = Practitioner

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"] = _languages_field(
            _("Languages the practitioner speaks with patients"), self.subject.languages
        )

    def initial_from(self, practitioner) -> dict:
        return {"languages": practitioner.languages}


class AccessibilityForm(FactForm):
    subject_model = Location
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility features"),
        choices=AccessibilityFeature.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose features from the list.")},
    )

    def initial_from(self, location) -> dict:
        return {"accessibility": location.accessibility}


class BioForm(FactForm):
    subject_model = Practitioner
    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What patients should know, in plain words. At most 1,500 characters."),
        error_messages={"max_length": _("Keep the bio under 1,500 characters.")},
    )

    def initial_from(self, practitioner) -> dict:
        return {"bio": practitioner.bio}

    def clean_bio(self) -> str:
        return self.cleaned_data["bio"].strip()


class InsuranceForm(FactForm):
    subject_model = PractitionerRole

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"] = forms.ModelMultipleChoiceField(
            label=_("Insurance plans accepted at this location"),
            queryset=InsurancePlan.objects.filter(is_demo=self.practitioner.is_demo),
            # Slugs, not ids: a huge number typed into the form is then just an unknown
            # plan, not an integer the database cannot hold (found by the fuzz test).
            to_field_name="slug",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": _("Choose plans from the list."),
                "invalid_pk_value": _("Choose plans from the list."),
            },
        )

    def initial_from(self, role) -> dict:
        return {"plans": list(role.insurance_plans.values_list("slug", flat=True))}

    def save(self, by_user) -> list[str]:
        changed = confirmation.set_insurance(
            self.subject,
            self.cleaned_data["plans"],
            practitioner=self.practitioner,
            by_user=by_user,
            filed_under=self.filed_under,
        )
        return ["insurance_plans"] if changed else []


def _price_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PRICE,
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": _("Enter an amount in dollars, such as 120 or 85.50."),
            "min_value": _("Enter an amount of 0 or more."),
            "max_value": _("Enter an amount under $1,000,000."),
            "max_digits": _("Enter an amount under $1,000,000."),
            "max_decimal_places": _("Use at most two digits for cents."),
            "max_whole_digits": _("Enter an amount under $1,000,000."),
        },
    )


class OfferedProcedureForm(FactForm):
    """A procedure this role offers, with an optional self-pay price range."""

    subject_model = PractitionerRole
    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        queryset=Procedure.objects.order_by("slug"),
        to_field_name="slug",
        error_messages={
            "required": _("Choose a procedure."),
            "invalid_choice": _("Choose a procedure from the list."),
        },
    )
    self_pay_low = _price_field(_("Self-pay price from (USD)"))
    self_pay_high = _price_field(_("Self-pay price to (USD)"))

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("self_pay_low"), cleaned.get("self_pay_high")
        if "self_pay_low" in self.errors or "self_pay_high" in self.errors:
            return cleaned
        if (low is None) != (high is None):
            raise ValidationError(
                _("Give both ends of the self-pay range, or leave both empty."), code="half"
            )
        if low is not None and low > high:
            self.add_error("self_pay_high", _("The upper price must be at least the lower one."))
        return cleaned

    def save(self, by_user) -> OfferedProcedure:
        data = self.cleaned_data
        return confirmation.offer_procedure(
            self.subject,
            data["procedure"],
            data["self_pay_low"],
            data["self_pay_high"],
            practitioner=self.practitioner,
            by_user=by_user,
            filed_under=self.filed_under,
        )


class PhotoForm(FactForm):
    """A JPEG, PNG or WebP photo; checked by decoding it, never by its name or stated type."""

    subject_model = Practitioner
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("A JPEG, PNG or WebP image up to 5 MB. We remove its metadata and resize it."),
        error_messages={
            "required": _("Choose a photo to upload."),
            "empty": _("The file is empty. Choose a photo."),
            "invalid": _("Choose a photo file to upload."),
        },
    )

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise ValidationError(
                _("This file is larger than %(mb)s MB. Choose a smaller photo.")
                % {"mb": limit // (1024 * 1024)}
            )
        # Decoding here turns a file that lies about its type into a field error.
        return resize_photo(upload.read(limit + 1))

    def save(self, by_user) -> list[str]:
        confirmation.set_photo(self.practitioner, self.cleaned_data["photo"], by_user=by_user)
        return ["photo"]
