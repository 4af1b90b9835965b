"""The patient's review form, the practice's reply form and the visitor's report form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careatlas.reviews.models import (
    NAME_MAX_CHARS,
    TEXT_MAX_CHARS,
    Reply,
    Report,
    ReportReason,
    Review,
)

SCORE_CHOICES = [
    (1, _("1 – very poor")),
    (2, _("2 – poor")),
    (3, _("3 – fair")),
    (4, _("4 – good")),
    (5, _("5 – excellent")),
]
TOO_LONG = _("Keep it to %(limit_value)s characters or fewer (you typed %(show_value)s).")


def _score(label, missing, help_text=""):
    """One score as a group of five radio buttons; the error names the question, since the
    error summary lists all four together."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": missing, "invalid_choice": missing},
    )


class ReviewForm(forms.ModelForm):
    overall = _score(_("Overall"), _("Choose an overall score from 1 to 5."))
    bedside_manner = _score(
        _("Bedside manner"),
        _("Choose a score from 1 to 5 for bedside manner."),
        _("Were you listened to and treated with respect?"),
    )
    explained_clearly = _score(
        _("Explained things clearly"),
        _("Choose a score from 1 to 5 for how clearly things were explained."),
    )
    wait_time = _score(
        _("Wait time"),
        _("Choose a score from 1 to 5 for the wait time."),
        _("5 means you were seen on time."),
    )
    text = forms.CharField(
        label=_("Your review (optional)"),
        help_text=_(
            "Up to 2,000 characters. Please leave out names of other people, phone numbers, "
            "addresses and medical or insurance numbers: a moderator reads reviews that have "
            "them before anyone else can."
        ),
        required=False,
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": TOO_LONG},
    )
    display_name = forms.CharField(
        label=_("Name to show (optional)"),
        help_text=_("Leave it empty to be shown as “Verified patient”."),
        required=False,
        max_length=NAME_MAX_CHARS,
        error_messages={"max_length": TOO_LONG},
    )

    class Meta:
        model = Review
        fields = [
            "overall",
            "bedside_manner",
            "explained_clearly",
            "wait_time",
            "text",
            "display_name",
        ]

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())


class ReplyForm(forms.ModelForm):
    text = forms.CharField(
        label=_("Your public reply"),
        help_text=_(
            "Everyone can read it, once, under the review. Never confirm that the reviewer is "
            "your patient: do not mention their visit, appointment, treatment or records, and "
            "do not use their name. Thank them and invite them to call the office instead. "
            "Replies that do are read by a moderator first."
        ),
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your reply."), "max_length": TOO_LONG},
    )

    class Meta:
        model = Reply
        fields = ["text"]


class ReportForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label=_("What is wrong with this review?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        help_text=_("What should a moderator look at? Up to 1,000 characters."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG},
    )

    class Meta:
        model = Report
        fields = ["reason", "details"]


class ModerationReasonForm(forms.Form):
    """A moderator's reason for refusing a review or a reply; its author reads it."""

    reason = forms.CharField(
        label=_("Reason the author will read"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give a reason: the author reads it.")},
    )
