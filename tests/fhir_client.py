"""Reading the FHIR API the way a client does, checking every resource it gets back.

Each resource is validated with the fhir.resources R4B models (the closest to R4 the
library ships) and, because those models accept a few things FHIR JSON forbids, against
the JSON rules themselves: no null, empty string, empty array or empty object, and every
extension has a value or nested extensions, never both.
"""

import json
from urllib.parse import urlsplit

from django.test import Client
from fhir.resources.R4B import get_fhir_model_class

FHIR_JSON = "application/fhir+json"
# Codes the R4B models do not check (they validate types and patterns, not value sets).
REQUIRED_CODES = {
    "gender": {"male", "female", "other", "unknown"},
    "status": {"active", "suspended", "inactive"},
}


def _walk(value, path: str, in_extension: bool = False) -> None:
    if value is None or value == "" or value == [] or value == {}:
        raise AssertionError(f"{path} is empty; FHIR JSON leaves such elements out")
    if isinstance(value, dict):
        if in_extension:
            has_value = any(key.startswith("value") for key in value)
            assert value.get("url"), f"{path} has no url"
            assert has_value != ("extension" in value), f"{path}: value[x] xor extension"
        for key, item in value.items():
            if key in ("entry", "contained"):
                continue  # resources of their own, checked by assert_valid
            _walk(item, f"{path}.{key}", key in ("extension", "modifierExtension"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{path}[{i}]", in_extension)


def assert_valid(resource: dict) -> None:
    """The resource (and every resource in a Bundle) is valid FHIR JSON."""
    name = resource["resourceType"]
    get_fhir_model_class(name).model_validate(resource)
    _walk(resource, name)
    if name == "Practitioner" and "gender" in resource:
        assert resource["gender"] in REQUIRED_CODES["gender"]
    if name == "Location":
        assert resource["status"] in REQUIRED_CODES["status"]
    for entry in resource.get("entry", ()):
        assert_valid(entry["resource"])


def fhir_get(client: Client, url: str, status: int = 200, **headers) -> dict:
    """GET a FHIR URL (absolute links from Bundles work too) and return its valid body."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    response = client.get(target, **headers)
    assert response.status_code == status, response.content[:2000]
    assert response["Content-Type"] == FHIR_JSON
    body = json.loads(response.content)
    assert_valid(body)
    if status >= 400:
        assert body["resourceType"] == "OperationOutcome"
    return body


def entries(bundle: dict, mode: str = "match") -> list[dict]:
    return [e["resource"] for e in bundle.get("entry", ()) if e["search"]["mode"] == mode]


def ids(bundle: dict, mode: str = "match") -> list[str]:
    return [resource["id"] for resource in entries(bundle, mode)]


def link(bundle: dict, relation: str) -> str | None:
    return next((li["url"] for li in bundle["link"] if li["relation"] == relation), None)


def extension(element: dict, url: str) -> list[dict]:
    return [ext for ext in element.get("extension", ()) if ext["url"] == url]


def sub_extension(ext: dict, url: str):
    """The value of a complex extension's part, e.g. the `date` of a verification."""
    part = next(e for e in ext["extension"] if e["url"] == url)
    return next(value for key, value in part.items() if key.startswith("value"))
