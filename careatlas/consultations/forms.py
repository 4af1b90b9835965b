"""The patient's request form and the practice's status and note forms."""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careatlas.consultations.abuse import seconds_since_started
from careatlas.consultations.models import (
    MESSAGE_MAX_CHARS,
    AgeRange,
    ContactMethod,
    Status,
)
from careatlas.providers.models import Location

DAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
]
TIMES = [("morning", _("Morning")), ("afternoon", _("Afternoon")), ("evening", _("Evening"))]
PAYMENT = [("insurance", _("With insurance")), ("self_pay", _("Self-pay (no insurance)"))]
EARLIEST_BIRTH_YEAR = 1900


def _us_phone_digits(value: str) -> str:
    """'(212) 555-0101' or '+1 212 555 0101' -> '2125550101'; '' if it is not a US number."""
    digits = re.sub(r"[\s().+-]", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 and digits.isascii() and digits.isdigit() else ""


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Location) -> str:
        where = f"{obj.line1}, {obj.city}"
        return f"{obj.name} – {where}" if obj.name else where


class RequestForm(forms.Form):
    """What a patient sends. Every message says what to type, in plain words."""

    location = LocationChoiceField(
        label=_("Which office?"),
        queryset=Location.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the offices listed.")},
    )
    questions = forms.MultipleChoiceField(
        label=_("Questions you would like to discuss"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From our guide; tick any you want the doctor to cover."),
        error_messages={"invalid_choice": _("Tick only the questions listed.")},
    )
    payment = forms.ChoiceField(
        label=_("How will you pay?"),
        choices=PAYMENT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you will use insurance or pay yourself.")},
    )
    insurance = forms.CharField(
        label=_("Insurance plan"),
        required=False,
        max_length=200,
        help_text=_("The plan’s name as it appears on your card, e.g. Aetna Choice POS II."),
    )
    days = forms.MultipleChoiceField(
        label=_("Days that suit you"),
        choices=DAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    times = forms.MultipleChoiceField(
        label=_("Times that suit you"),
        choices=TIMES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_method = forms.ChoiceField(
        label=_("How should the office contact you?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose phone or email.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("A US number, e.g. (212) 555-0101."),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        help_text=_("We send your confirmation and status updates here."),
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        error_messages={"required": _("Enter your name so the office knows who to ask for.")},
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("For example 1970-03-31."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 1970-03-31.")},
    )
    age_range = forms.ChoiceField(
        label=_("Or your age range"),
        choices=[("", _("Choose…")), *AgeRange.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the age ranges listed.")},
    )
    message = forms.CharField(
        label=_("Anything else the office should know (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_MAX_CHARS}),
        validators=[MaxLengthValidator(MESSAGE_MAX_CHARS)],
        help_text=_("Up to 2,000 characters. Please leave out anything you would not email."),
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by naive scripts.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, locations, questions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        if locations.count() == 1:
            self.fields["location"].initial = locations.first().pk
        self.fields["questions"].choices = [(str(i), q) for i, q in enumerate(questions)]
        self.question_texts = questions

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not _us_phone_digits(value):
            raise forms.ValidationError(_("Enter a 10-digit US phone number, e.g. 212 555 0101."))
        return _us_phone_digits(value)

    def clean_birth_date(self) -> date | None:
        value = self.cleaned_data["birth_date"]
        if value and not (date(EARLIEST_BIRTH_YEAR, 1, 1) <= value <= timezone.localdate()):
            raise forms.ValidationError(_("Enter your date of birth: a date in the past."))
        return value

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean(self) -> dict:
        data = super().clean()
        method = data.get("contact_method")
        if method == ContactMethod.PHONE and not data.get("phone"):
            self._missing("phone", _("Enter a phone number, as you chose to be called."))
        if method == ContactMethod.EMAIL and not data.get("email"):
            self._missing("email", _("Enter an email address, as you chose email."))
        if data.get("payment") == "insurance" and not data.get("insurance", "").strip():
            self._missing("insurance", _("Enter your insurance plan, or choose self-pay."))
        if (
            not data.get("birth_date")
            and not data.get("age_range")
            and "age_range" not in self.errors
        ):
            self._missing("birth_date", _("Enter your date of birth or choose an age range."))
        return data

    def _missing(self, field: str, message: str) -> None:
        """Say a field is needed, unless it already has an error about what was typed."""
        if field not in self.errors:
            self.add_error(field, message)

    def check_fill_time(self, started: str) -> bool:
        """False (with an error to show) if the form came back too fast or its stamp is bad."""
        elapsed = seconds_since_started(started)
        if elapsed is None:
            self.add_error(None, _("This form was open too long. Check it and send it again."))
            return False
        if elapsed < settings.CONSULTATION_MIN_FILL_SECONDS:
            self.add_error(None, _("That was very quick. Check your answers and send again."))
            return False
        return True

    def chosen_questions(self) -> list[str]:
        return [self.question_texts[int(i)] for i in self.cleaned_data.get("questions", [])]

    def preferred_times(self) -> str:
        days = dict(DAYS)
        times = dict(TIMES)
        chosen = [str(days[d]) for d in self.cleaned_data.get("days", [])]
        chosen += [str(times[t]) for t in self.cleaned_data.get("times", [])]
        return ", ".join(chosen)


class StatusForm(forms.Form):
    """A practice moves a request on; a decline needs the reason the patient will read."""

    status = forms.ChoiceField(
        label=_("New status"), choices=Status.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason for declining (the patient sees this)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("status") == Status.DECLINED and not data.get("reason", "").strip():
            self.add_error("reason", _("Tell the patient why, e.g. “we do not treat children”."))
        return data


class NoteForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes (only your practice sees these)"),
        required=False,
        max_length=MESSAGE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


OPEN = "open"
ALL = "all"


class InboxFilterForm(forms.Form):
    """The inbox's filters, sent as a GET query so a filtered list can be bookmarked."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("Open (new, contacted, scheduled)")), (ALL, _("All")), *Status.choices],
    )
    location = forms.TypedChoiceField(
        label=_("Office"), required=False, coerce=int, empty_value=None
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False, label_suffix="")
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=20,
        help_text=_("The code the patient reads out, e.g. K7M2-9QXD."),
        widget=forms.TextInput(attrs={"aria-describedby": "id_reference_help"}),
    )

    def __init__(self, *args, locations: list[Location], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", _("All offices"))] + [
            (location.pk, location.name or location.line1) for location in locations
        ]

    def clean_reference(self) -> str:
        # People read it out with spaces or without the dash; stored as "K7M2-9QXD".
        raw = re.sub(r"[\s-]", "", self.cleaned_data["reference"]).upper()
        return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw

    def apply(self, requests):
        """The requests that match; an invalid form filters nothing beyond the default."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or OPEN
        if status == OPEN:
            requests = requests.open()
        elif status != ALL:
            requests = requests.filter(status=status)
        if data.get("location"):
            requests = requests.filter(location_id=data["location"])
        if data.get("overdue"):
            requests = requests.overdue()
        if data.get("reference"):
            requests = requests.filter(reference=data["reference"])
        return requests
