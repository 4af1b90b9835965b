"""Words the search pages show for values of the search module."""

from django.utils.translation import gettext_lazy as _

from careatlas.search.models import DocumentKind

_HEADINGS = {
    DocumentKind.PROCEDURE: _("Procedures"),
    DocumentKind.CONDITION: _("Conditions"),
    DocumentKind.SPECIALTY: _("Specialties"),
}


_KIND_LABELS = {
    DocumentKind.PROCEDURE: _("Procedure"),
    DocumentKind.CONDITION: _("Condition"),
    DocumentKind.SPECIALTY: _("Specialty"),
}


def group_heading(kind: str) -> str:
    return str(_HEADINGS[kind])


def kind_label(kind: str) -> str:
    """The word shown beside a suggestion, so "Acupuncture" the guide and the specialty differ."""
    return str(_KIND_LABELS[kind])
