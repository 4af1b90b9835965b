"""The forms of claiming and of the office team, each error in plain words."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from careatlas.practices.models import DocumentKind
from careatlas.practices.senders import TEXT, VOICE
from careatlas.practices.uploads import detected_type, max_bytes
from careatlas.providers.models import Location
from careatlas.providers.npi import validate_npi


class NPIForm(forms.Form):
    npi = forms.CharField(
        label=_("Your NPI"),
        help_text=_("The 10-digit National Provider Identifier, e.g. 1234567893."),
        max_length=20,
        error_messages={
            "required": _("Enter your 10-digit NPI."),
            "max_length": _("An NPI has 10 digits."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_npi(self) -> str:
        npi = re.sub(r"[\s-]", "", self.cleaned_data["npi"])
        if not re.fullmatch(r"\d{10}", npi):
            raise ValidationError(_("An NPI has 10 digits, e.g. 1234567893."))
        try:
            validate_npi(npi)
        except ValidationError:
            raise ValidationError(
                _("This is not a valid NPI: check the digits against your NPPES record.")
            ) from None
        return npi


def _phone_label(location: Location) -> str:
    phone = location.phone
    return f"({phone[:3]}) {phone[3:6]}-{phone[6:]} – {location}"


class PhoneCodeForm(forms.Form):
    location = forms.ChoiceField(
        label=_("Which phone on file should we call or text?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose one of the phone numbers on file."),
            "invalid_choice": _("Choose one of the phone numbers on file."),
        },
    )
    channel = forms.ChoiceField(
        label=_("How should the code reach you?"),
        choices=[(TEXT, _("Text message")), (VOICE, _("Voice call (for a landline)"))],
        initial=TEXT,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a text message or a voice call."),
            "invalid_choice": _("Choose a text message or a voice call."),
        },
    )

    def __init__(self, *args, locations: list[Location], **kwargs):
        super().__init__(*args, **kwargs)
        self.locations = {str(loc.pk): loc for loc in locations}
        self.fields["location"].choices = [(k, _phone_label(v)) for k, v in self.locations.items()]
        if len(self.locations) == 1:
            self.fields["location"].initial = next(iter(self.locations))

    def clean_location(self) -> Location:
        return self.locations[self.cleaned_data["location"]]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code"),
        max_length=20,
        error_messages={
            "required": _("Enter the 6-digit code from the message."),
            "max_length": _("The code has 6 digits, e.g. 123456."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError(_("The code has 6 digits, e.g. 123456."))
        return code


class EmailClaimForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address at the practice"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address at the practice."),
            "invalid": _("Enter an email address such as name@example.org."),
            "max_length": _("An email address has at most 254 characters."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, domains: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = domains
        self.fields["email"].help_text = _("It must end in @%(domains)s.") % {
            "domains": _(" or @").join(domains)
        }

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        domain = email.rpartition("@")[2].lower()
        if domain not in self.domains:
            raise ValidationError(
                _("Use an address at %(domains)s, the website we have on file.")
                % {"domains": _(" or ").join(self.domains)}
            )
        return email


def _document_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=_("A PDF, JPEG or PNG file of at most %(mb)s MB.") % {"mb": max_bytes() // 2**20},
        error_messages={
            "required": _("Choose a file to upload."),
            "invalid": _("Choose a file to upload."),
            "missing": _("Choose a file to upload."),
            "empty": _("The file is empty: choose another."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class DocumentsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[DocumentKind.LICENSE] = _document_field(_("Your professional license"))
        self.fields[DocumentKind.PHOTO_ID] = _document_field(
            _("A photo ID (driver’s license or passport)")
        )

    def clean(self):
        cleaned = super().clean()
        for kind in DocumentKind.values:
            upload = cleaned.get(kind)
            if upload is None:
                continue
            if upload.size > max_bytes():
                self.add_error(
                    kind, _("The file is larger than %(mb)s MB.") % {"mb": max_bytes() // 2**20}
                )
                continue
            data = upload.read()
            content_type = detected_type(data[:16])
            if not content_type:
                self.add_error(kind, _("This file is not a PDF, JPEG or PNG."))
                continue
            cleaned[kind] = (content_type, data)
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        error_messages={
            "required": _("Enter the email address to send the invitation to."),
            "invalid": _("Enter an email address such as name@example.org."),
            "max_length": _("An email address has at most 254 characters."),
        },
    )
    scope = forms.ChoiceField(
        label=_("Which locations may they manage?"),
        choices=[("all", _("All locations")), ("some", _("Only the locations ticked below"))],
        initial="all",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose all locations or some."),
            "invalid_choice": _("Choose all locations or some."),
        },
    )
    locations = forms.MultipleChoiceField(
        label=_("Locations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Tick only locations of this practice.")},
    )

    def __init__(self, *args, locations: list[Location], **kwargs):
        super().__init__(*args, **kwargs)
        self.known = {str(loc.pk): loc for loc in locations}
        self.fields["locations"].choices = [(k, str(v)) for k, v in self.known.items()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == "some":
            if not cleaned.get("locations"):
                self.add_error("locations", _("Tick at least one location, or choose all."))
            else:
                cleaned["chosen"] = [self.known[k] for k in cleaned["locations"]]
        else:
            cleaned["chosen"] = None
        return cleaned


class ReasonForm(forms.Form):
    """Staff's reason for a decision, which the claimant reads."""

    reason = forms.CharField(
        label=_("Reason the claimant will read"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Give a reason: the claimant reads it."),
            "max_length": _("Keep it under 2,000 characters."),
        },
    )
