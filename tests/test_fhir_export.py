"""A plan loads the whole directory in bulk: `manage.py export_fhir --out DIR` writes one
NDJSON file per resource type, each line a valid resource exactly as the API serves it."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careatlas.providers.models import Practitioner
from tests.fhir_client import assert_valid, fhir_get
from tests.provider_factories import LicenseFactory, RoleFactory, add_specialty_code, verify
from tests.provider_search_world import build_neighbourhood

pytestmark = pytest.mark.django_db
TYPES = ["Practitioner", "PractitionerRole", "Location", "Organization", "HealthcareService"]


def _lines(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_every_line_is_a_valid_resource_identical_to_the_api(patient, content_pack, tmp_path):
    build_neighbourhood()
    RoleFactory(active=False)  # not public: must not be exported
    out = tmp_path / "directory"

    report = _export(out)

    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.ndjson" for t in TYPES)
    assert "Exported" in report
    for resource_type in TYPES:
        lines = _lines(out / f"{resource_type}.ndjson")
        search = fhir_get(patient, f"/fhir/{resource_type}?_count=0")
        assert len(lines) == search["total"] > 0, resource_type
        for resource in lines:
            assert resource["resourceType"] == resource_type
            assert_valid(resource)
            assert resource == fhir_get(patient, f"/fhir/{resource_type}/{resource['id']}")


def _export(out: Path, *options: str) -> str:
    output = io.StringIO()
    call_command("export_fhir", "--out", str(out), *options, stdout=output)
    return output.getvalue()


def test_export_streams_in_chunks_with_no_query_per_row(content_pack, tmp_path):
    """Constant memory: rows come in chunks, each chunk's related rows prefetched with it,
    so the number of queries follows the number of chunks, never the number of rows."""

    def add_people(count: int) -> None:
        for _ in range(count):
            role = RoleFactory()
            add_specialty_code(role, "204D00000X")
            verify(role.practitioner, "identity")
            verify(LicenseFactory(practitioner=role.practitioner), "license")

    def queries(name: str, chunk_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            _export(tmp_path / name, "--chunk-size", str(chunk_size))
        return len(captured)

    add_people(12)
    one_chunk = queries("a", 100)
    three_chunks = queries("b", 5)
    add_people(12)
    twice_the_rows = queries("c", 100)

    assert twice_the_rows == one_chunk
    assert three_chunks > one_chunk
    lines = _lines(tmp_path / "b" / "Practitioner.ndjson")
    assert [r["id"] for r in lines] == list(
        Practitioner.objects.order_by("pk").values_list("npi", flat=True)[:12]
    )


def test_one_type_at_a_time_and_no_half_written_files(content_pack, tmp_path):
    RoleFactory()
    _export(tmp_path, "--type", "Location")
    assert [p.name for p in tmp_path.iterdir()] == ["Location.ndjson"]


def test_bad_destinations_and_options_are_refused(db, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(CommandError, match="not a directory"):
        call_command("export_fhir", "--out", str(a_file))
    with pytest.raises(CommandError, match="chunk-size"):
        call_command("export_fhir", "--out", str(tmp_path), "--chunk-size", "0")
    with pytest.raises(CommandError):
        call_command("export_fhir", "--out", str(tmp_path), "--type", "Patient")


def test_an_interrupted_export_leaves_no_half_written_file(content_pack, tmp_path, monkeypatch):
    RoleFactory()
    RoleFactory()

    def failing(obj, today=None):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("careatlas.fhir.bulk.resource", failing)
    with pytest.raises(RuntimeError):
        _export(tmp_path, "--type", "Practitioner")
    assert list(tmp_path.iterdir()) == []
