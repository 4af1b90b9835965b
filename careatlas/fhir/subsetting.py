"""`_summary` and `_elements`: a resource cut down to what the client asked for.

Which elements are "summary" is FHIR's own definition (`isSummary` in the base
StructureDefinitions), read from the fhir.resources models rather than copied, so it
cannot drift from the specification. A cut-down resource carries the SUBSETTED tag, as
FHIR requires, so nobody mistakes it for the whole resource.
"""

from functools import cache

from django.utils.translation import gettext as _
from fhir.resources.R4B import get_fhir_model_class

from careatlas.fhir.outcomes import FhirError

SUBSETTED = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
    "code": "SUBSETTED",
    "display": "subsetted",
}
# `true`: summary elements only; `data`: everything but the narrative; `false`: everything;
# `count`: the total only (searches). `text` needs a narrative, which we do not write.
SUMMARY_MODES = ("true", "false", "data", "count")
# Kept whatever `_elements` says: what identifies the resource and says it is a subset.
_ALWAYS = ("resourceType", "id", "meta")


@cache
def _elements(resource_type: str) -> tuple[frozenset[str], frozenset[str]]:
    """(every element name, the summary element names) of a resource type."""
    fields = get_fhir_model_class(resource_type).model_fields.items()
    names = {field.alias or name for name, field in fields if not name.endswith("__ext")}
    summary = {
        field.alias or name
        for name, field in fields
        if (field.json_schema_extra or {}).get("summary_element_property")
    }
    return frozenset(names), frozenset(summary)


def summary_mode(values: list[str], *, search: bool) -> str | None:
    """The `_summary` asked for; `count` only makes sense for a search."""
    allowed = SUMMARY_MODES if search else SUMMARY_MODES[:3]
    if len(values) != 1 or values[0] not in allowed:
        raise FhirError(
            _("_summary takes one of %(modes)s.") % {"modes": ", ".join(allowed)},
            code="not-supported",
        )
    return None if values[0] == "false" else values[0]


def element_names(resource_type: str, values: list[str]) -> frozenset[str]:
    """`_elements=identifier,name`: top-level element names of the resource type."""
    known, _summary = _elements(resource_type)
    wanted = {name.strip() for value in values for name in value.split(",")}
    # Clients name the elements they always get too (fhirpy adds resourceType).
    wrong = sorted(name for name in wanted if name not in known and name not in _ALWAYS)
    if wrong or not wanted:
        raise FhirError(
            _("_elements takes element names of %(type)s, e.g. identifier,name; not “%(wrong)s”.")
            % {"type": resource_type, "wrong": ", ".join(wrong)}
        )
    return frozenset(wanted)


def subset(body: dict, summary: str | None, elements: frozenset[str] | None) -> dict:
    """The resource with only the elements `_summary` / `_elements` keep."""
    if summary is None and elements is None:
        return body
    if summary == "data":
        return {key: value for key, value in body.items() if key != "text"}
    keep = _elements(body["resourceType"])[1] if summary == "true" else elements
    cut = {key: value for key, value in body.items() if key in keep or key in _ALWAYS}
    if cut.keys() != body.keys():
        meta = dict(cut.get("meta", {}))
        meta["tag"] = [*meta.get("tag", ()), SUBSETTED]
        cut["meta"] = meta
    return cut
