"""The public "report incorrect information" form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careatlas.providers.models import OTHER


class ReportForm(forms.Form):
    fact = forms.ChoiceField(
        label=_("What is wrong?"),
        error_messages={
            "required": _("Choose the fact that is wrong."),
            "invalid_choice": _("Choose one of the facts listed."),
        },
    )
    details = forms.CharField(
        label=_("What should it say instead?"),
        help_text=_("For example: the phone number is now 555-0142. At most 2,000 characters."),
        widget=forms.Textarea(attrs={"rows": 5}),
        min_length=10,
        max_length=2000,
        error_messages={
            "required": _("Tell us what is wrong, in a sentence or two."),
            "min_length": _("Tell us a little more: at least 10 characters."),
            "max_length": _("Keep it under 2,000 characters."),
        },
    )
    contact = forms.CharField(
        label=_("Your email or phone (optional)"),
        help_text=_("Only if you are happy for us to ask you about it. We keep it encrypted."),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Keep it under 200 characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, facts: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fact_labels = dict(facts)
        self.fact_labels[OTHER] = str(_("Something else"))
        self.fields["fact"].choices = [("", _("Choose…")), *self.fact_labels.items()]

    def clean_details(self) -> str:
        return self.cleaned_data["details"].strip()

    def clean_contact(self) -> str:
        return self.cleaned_data["contact"].strip()
