"""A small checker of a resource against a Plan-Net StructureDefinition (tests/plan_net/).

It reads the profile's snapshot and checks what a directory most often gets wrong, two
levels deep: minimum cardinalities (elements and the profile's extension slices),
prohibited elements (max 0), fixed and pattern values, and required bindings to the IG's
own value sets (codes enumerated in the ValueSet or its CodeSystem; a value set that takes
a whole external system, such as NUCC, is checked by system only). It is not the HL7
validator: no invariants, no terminology server, no deeper paths.
"""

import json
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent / "plan_net"
PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"


@cache
def profile(resource_type: str) -> dict:
    return json.loads((FOLDER / f"StructureDefinition-plannet-{resource_type}.json").read_text())


def _read(kind: str, url: str) -> dict | None:
    name = url.rsplit("/", 1)[-1].split("|")[0]
    path = FOLDER / f"{kind}-{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


@cache
def allowed_codes(value_set: str) -> tuple[frozenset, frozenset] | None:
    """(system|code pairs, whole systems) of one of the IG's value sets; None if not kept."""
    found = _read("ValueSet", value_set)
    if found is None:
        return None
    pairs, systems = set(), set()
    for part in found["compose"]["include"]:
        for nested in part.get("valueSet", ()):
            inner = allowed_codes(nested)
            if inner:
                pairs |= inner[0]
                systems |= inner[1]
        system = part.get("system")
        if not system:
            continue
        if "concept" in part:
            pairs |= {(system, c["code"]) for c in part["concept"]}
        elif system.startswith(PLAN_NET) and (cs := _read("CodeSystem", system)):
            pairs |= {(system, c["code"]) for c in cs["concept"]}
        else:
            systems.add(system)
    for part in found["compose"].get("exclude", ()):
        pairs -= {(part["system"], c["code"]) for c in part.get("concept", ())}
    return frozenset(pairs), frozenset(systems)


def _values(node, name: str) -> list:
    value = node.get(name) if isinstance(node, dict) else None
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _choice(node: dict, name: str) -> list:
    """value[x] and the like: every key starting with the stem."""
    if not name.endswith("[x]"):
        return _values(node, name)
    stem = name[:-3]
    return [v for key, v in node.items() if key.startswith(stem) and key != stem]


def _codings(value) -> list[dict]:
    if isinstance(value, dict) and "coding" in value:
        return value["coding"]
    if isinstance(value, dict) and "code" in value:
        return [value]
    return []


def _matches(pattern, value) -> bool:
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            any(_matches(p, v) for v in _values(value, k)) if isinstance(p, list) else
            _matches(p, value.get(k)) for k, p in pattern.items()
        )  # fmt: skip
    if isinstance(pattern, list):
        return all(any(_matches(p, v) for v in value or ()) for p in pattern)
    return pattern == value


def _check(element: dict, nodes: list, problems: list[str]) -> None:
    """One element definition against every instance found at its path."""
    name = element["path"].rsplit(".", 1)[-1]
    slice_name = element.get("sliceName")
    for node in nodes:
        present = _choice(node, name)
        if name == "extension" and slice_name:
            urls = element["type"][0].get("profile", [""])
            present = [e for e in present if e.get("url") in urls]
        elif slice_name:
            continue  # other slices (e.g. category:plan-net-category) need discriminators
        if len(present) < element.get("min", 0):
            problems.append(f"{element['id']}: at least {element['min']} required")
        if element.get("max") == "0" and present:
            problems.append(f"{element['id']}: prohibited")
        for key, fixed in element.items():
            if key.startswith(("fixed", "pattern")):
                for value in present:
                    if not _matches(fixed, value):
                        problems.append(f"{element['id']}: {value!r} is not {fixed!r}")
        binding = element.get("binding", {})
        if binding.get("strength") == "required" and binding.get("valueSet", "").startswith(
            PLAN_NET
        ):
            allowed = allowed_codes(binding["valueSet"])
            for value in present:
                for coding in _codings(value):
                    key = (coding.get("system"), coding.get("code"))
                    if allowed and key not in allowed[0] and key[0] not in allowed[1]:
                        problems.append(f"{element['id']}: {key} not in {binding['valueSet']}")


def problems(resource: dict) -> list[str]:
    """What in `resource` breaks its Plan-Net profile (see the module's scope)."""
    definition = profile(resource["resourceType"])
    found = []
    if definition["url"] not in resource.get("meta", {}).get("profile", ()):
        found.append(f"meta.profile does not name {definition['url']}")
    for element in definition["snapshot"]["element"]:
        parts = element["id"].split(".")
        if len(parts) == 2:
            _check(element, [resource], found)
        elif len(parts) == 3 and ":" not in parts[1]:
            parents = _choice(resource, parts[1].split(":")[0])
            _check(element, [p for p in parents if isinstance(p, dict)], found)
    return found
