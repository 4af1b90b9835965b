"""The provider search's query parameters, described for OpenAPI from the search page's form.

The endpoint validates with `ProviderSearchForm` itself, so the API takes exactly the page's
parameters with the page's rules and messages. Deriving their description from the same
form fields means the schema cannot drift from what the form accepts.
"""

from django import forms

from careatlas.search.interface import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_RADIUS,
    LANGUAGE_CODES,
    MAX_PAGE_SIZE,
    QUERY_KEYS,
    RADIUS_CHOICES,
    ProviderSearchForm,
)

# What the form's labels do not say about a parameter's values.
NOTES = {
    "procedure": "A procedure slug, as listed by GET /api/v1/procedures.",
    "specialty": (
        "A specialty slug (GET /api/v1/specialties). Given a procedure and no specialty, the "
        "procedure's specialty is used; send specialty= (empty) to search any specialty."
    ),
    "location": (
        "A US ZIP code, a city and state (Austin, TX), or latitude,longitude. An unknown "
        'place is a 400 with field "location".'
    ),
    "radius": "Miles around the location.",
    "insurance": "An insurance plan slug, as listed by GET /api/v1/providers/filters.",
    "language": "A language the provider speaks.",
    "access": "Accessibility features the location must all have. Repeat the parameter.",
    "sort": (
        "Empty: best match (nearest first when a location is given). distance needs a "
        "location; volume orders by Medicare claims for the chosen procedure; rating puts the "
        "best rated first and providers with fewer than 5 reviews after all rated ones."
    ),
    "min_volume": (
        "Any whole number from 1; the page offers 1 (has Medicare claims), 50, 100 and 500 "
        "(GET /api/v1/providers/filters)."
    ),
    "min_rating": (
        "Any number from 1 to 5, two decimals at most; the page offers 3, 4 and 4.5 "
        "(GET /api/v1/providers/filters)."
    ),
    "page": "Page number; a page past the end answers with no results.",
    "page_size": f"Results per page; larger values are capped at {MAX_PAGE_SIZE}.",
}
INTEGER_DEFAULTS = {"page": 1, "page_size": DEFAULT_PAGE_SIZE}
# Choice fields whose choices are set per request from the database (see the notes above).
DATABASE_CHOICES = {"procedure", "specialty", "insurance"}


def _choice_values(field: forms.ChoiceField) -> list[str]:
    return [str(value) for value, _label in field.choices]


def _schema(name: str, field: forms.Field) -> dict:
    if name == "radius":
        return {"type": "integer", "enum": list(RADIUS_CHOICES), "default": DEFAULT_RADIUS}
    if name == "language":
        return {"type": "string", "enum": ["", *LANGUAGE_CODES], "default": ""}
    if isinstance(field, forms.BooleanField):
        return {"type": "boolean", "default": False}
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": "array", "items": {"type": "string", "enum": _choice_values(field)}}
    if isinstance(field, forms.ChoiceField) and name not in DATABASE_CHOICES:
        return {"type": "string", "enum": _choice_values(field), "default": ""}
    if isinstance(field, forms.DecimalField):  # before IntegerField, its base class
        return {"type": "number", "minimum": field.min_value, "maximum": field.max_value}
    if isinstance(field, forms.IntegerField):
        schema = {"type": "integer", "minimum": field.min_value or 1}
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        if name in INTEGER_DEFAULTS:
            schema["default"] = INTEGER_DEFAULTS[name]
        return schema
    schema = {"type": "string", "default": ""}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema


def _description(name: str, field: forms.Field) -> str:
    parts = [str(field.label or name.replace("_", " ").capitalize()).rstrip(".") + "."]
    if field.help_text:
        parts.append(str(field.help_text))
    if name in NOTES:
        parts.append(NOTES[name])
    return " ".join(parts)


def search_parameters() -> list[dict]:
    """OpenAPI parameter objects for every key the search page reads, in the page's order."""
    fields = ProviderSearchForm.base_fields
    parameters = []
    for name in QUERY_KEYS:
        field = fields[name]
        parameter = {
            "in": "query",
            "name": name,
            "required": False,
            "schema": _schema(name, field),
            "description": _description(name, field),
        }
        if name == "access":
            parameter |= {"style": "form", "explode": True}
        parameters.append(parameter)
    return parameters
