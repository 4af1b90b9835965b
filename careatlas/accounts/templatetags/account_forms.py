"""Form fields that tell assistive technology about their hint and their error."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


def error_id(field: BoundField) -> str:
    return f"{field.auto_id}_error"


def help_id(field: BoundField) -> str:
    return f"{field.auto_id}_helptext"


@register.filter
def described_widget(field: BoundField) -> SafeString:
    """The field's input, pointing at its hint and error with aria-describedby."""
    described_by = []
    if field.help_text:
        described_by.append(help_id(field))
    if field.errors:
        described_by.append(error_id(field))
    attrs = {"aria-describedby": " ".join(described_by)} if described_by else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def field_error_id(field: BoundField) -> str:
    return error_id(field)


@register.filter
def field_help_id(field: BoundField) -> str:
    return help_id(field)
