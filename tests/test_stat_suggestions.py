"""An editor reviews figures computed from Medicare claims: provenance, accept or dismiss.

The importer only suggests; a guide's published figures change when an editor accepts,
through the admin, with a citation and a revision (on whichever database the run uses).
"""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from careatlas.imports.models import ImportRun
from careatlas.procedures.models import Guide, StatRange, StatSuggestion
from careatlas.providers.medicare import DATASET, DATASET_URL
from tests.accounts_personas import staff_with_mfa_client
from tests.provider_factories import RoleFactory, valid_npi
from tests.utilization_files import claim, import_claims, write_claims

pytestmark = pytest.mark.django_db

OMT, COLONOSCOPY = "osteopathic-manual-treatment", "colonoscopy"


@pytest.fixture
def claims_2023(content_pack, tmp_path):
    """OMT by a directory DO and by an NPI the directory lacks; colonoscopy by one GI doctor."""
    reyes = RoleFactory(practitioner__npi=valid_npi(1)).practitioner
    okafor = RoleFactory(practitioner__npi=valid_npi(2)).practitioner
    rows = [
        claim(reyes.npi, "98925", "O", services=20, allowed=30.0),
        claim(reyes.npi, "98926", "F", services=10, allowed=45.0),
        claim(valid_npi(900), "98927", "O", services=30, allowed=60.0),
        claim(okafor.npi, "45378", "F", services=40, allowed=200.0),
    ]
    path = write_claims(tmp_path / "2023.csv", rows)
    import_claims(path)
    return path


def _guide(slug: str) -> Guide:
    return Guide.objects.get(procedure__slug=slug, language="en")


def _suggestion(slug: str, measure: str) -> StatSuggestion:
    return StatSuggestion.objects.get(guide=_guide(slug), measure=measure, status="pending")


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_import_computes_national_figures_with_provenance(claims_2023):
    run = ImportRun.objects.get()
    services = _suggestion(OMT, "medicare_services")
    # Every valid row counts, the directory's NPIs or not.
    assert (services.value, services.services, services.practitioners) == (Decimal(60), 60, 2)
    assert services.hcpcs_codes == ["98925", "98926", "98927"]
    allowed = _suggestion(OMT, "medicare_allowed")
    assert allowed.value == Decimal("47.50")  # (30x20 + 45x10 + 60x30) / 60
    assert (allowed.year, allowed.import_run, allowed.file_sha256) == (
        2023,
        run.pk,
        run.file_sha256,
    )
    assert (allowed.dataset, allowed.dataset_url) == (DATASET, DATASET_URL)
    assert _suggestion(COLONOSCOPY, "medicare_allowed").value == Decimal("200.00")


def test_published_figures_are_not_touched_by_an_import(content_pack, tmp_path):
    before = sorted(StatRange.objects.values_list("guide_id", "kind", "low", "high", "source_id"))
    okafor = RoleFactory(practitioner__npi=valid_npi(2)).practitioner
    path = write_claims(tmp_path / "claims.csv", [claim(okafor.npi, "45378", services=40)])
    import_claims(path)
    import_claims(path)
    after = sorted(StatRange.objects.values_list("guide_id", "kind", "low", "high", "source_id"))
    assert after == before
    colonoscopy_volume = _guide(COLONOSCOPY).stats.get(kind="volume")
    assert colonoscopy_volume.low == Decimal("13837748")
    assert StatSuggestion.objects.filter(guide=_guide(COLONOSCOPY), status="pending").count() == 2


def test_an_editor_sees_the_waiting_figures_on_the_guide(claims_2023, editor_client):
    html = editor_client.get(reverse("admin:procedures_guide_change", args=[_guide(OMT).pk]))
    text = _text(html.content.decode())
    assert "Figures from public data, waiting for a decision" in text
    assert "Medicare services in a year 60 2023" in text
    assert "Average Medicare allowed amount per service $47.50 2023" in text
    listing = editor_client.get(reverse("admin:procedures_statsuggestion_changelist"))
    assert listing.status_code == 200
    assert "$47.50" in listing.content.decode()
    allowed = _suggestion(OMT, "medicare_allowed")
    detail = editor_client.get(
        reverse("admin:procedures_statsuggestion_change", args=[allowed.pk])
    ).content.decode()
    assert allowed.file_sha256 in detail and "Review and accept" in detail


def test_accepting_shows_what_it_replaces_then_writes_a_cited_figure(
    claims_2023, editor_client, editor, patient
):
    guide = _guide(OMT)
    suggestion = _suggestion(OMT, "medicare_allowed")
    url = reverse("admin:procedures_statsuggestion_accept", args=[suggestion.pk])
    page = _text(editor_client.get(url).content.decode())
    assert "Figure $47.50 $32.18–$86.17" in page  # suggested, then the guide's current one
    assert "Accepting replaces the guide’s current “Average cost (US)” figure" in page
    assert f"file SHA-256 {suggestion.file_sha256}" in page
    revisions = guide.revisions.count()

    response = editor_client.post(url)
    assert response.status_code == 302
    cost = guide.stats.get(kind="cost")
    assert (cost.low, cost.high, cost.unit, cost.year) == (
        Decimal("47.50"),
        Decimal("47.50"),
        "usd",
        2023,
    )
    assert "average amount Original Medicare allowed per service" in cost.qualifier
    assert "98925, 98926, 98927" in cost.method
    assert (cost.source.url, cost.source.year) == (DATASET_URL, 2023)
    assert guide.guide_sources.filter(source=cost.source).exists()
    assert guide.revisions.count() == revisions + 1
    assert "Accepted" in guide.revisions.first().comment
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by, suggestion.stat) == ("accepted", editor, cost)
    assert guide.publishing_problems() == []
    # The public guide shows the accepted figure with its qualifier.
    public = _text(patient.get(guide.get_absolute_url()).content.decode())
    assert "$47.50" in public
    assert "Average amount Original Medicare allowed per service" in public
    # Accepting twice does nothing more.
    editor_client.post(url)
    assert StatSuggestion.objects.filter(status="accepted").count() == 1


def test_accepting_a_volume_where_the_guide_has_none(claims_2023, editor_client):
    suggestion = _suggestion(OMT, "medicare_services")
    url = reverse("admin:procedures_statsuggestion_accept", args=[suggestion.pk])
    page = _text(editor_client.get(url).content.decode())
    assert "Figure 60 None" in page
    assert "Accepting replaces" not in page
    editor_client.post(url)
    volume = _guide(OMT).stats.get(kind="volume")
    assert (volume.low, volume.high, volume.unit) == (Decimal(60), Decimal(60), "per_year")
    assert volume.qualifier.startswith("services billed to Original Medicare by 2 clinicians")


def test_a_dismissed_figure_is_not_offered_again_until_the_data_changes(
    claims_2023, editor_client, tmp_path
):
    suggestion = _suggestion(COLONOSCOPY, "medicare_services")
    editor_client.post(reverse("admin:procedures_statsuggestion_dismiss", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert suggestion.status == "dismissed"
    assert _guide(COLONOSCOPY).stats.get(kind="volume").low == Decimal("13837748")
    import_claims(claims_2023)
    assert not StatSuggestion.objects.filter(
        guide=_guide(COLONOSCOPY), measure="medicare_services", status="pending"
    ).exists()
    okafor = valid_npi(2)
    newer = write_claims(tmp_path / "2024.csv", [claim(okafor, "45378", "F", services=52)])
    import_claims(newer, 2024)
    fresh = _suggestion(COLONOSCOPY, "medicare_services")
    assert (fresh.year, fresh.value) == (2024, Decimal(52))


def test_corrected_data_replaces_the_waiting_figure(claims_2023, tmp_path):
    old = _suggestion(OMT, "medicare_services")
    corrected = write_claims(tmp_path / "fixed.csv", [claim(valid_npi(1), "98925", services=75)])
    import_claims(corrected, 2023)
    old.refresh_from_db()
    assert old.status == "superseded"
    assert _suggestion(OMT, "medicare_services").value == Decimal(75)
    # Older data never replaces newer.
    import_claims(
        write_claims(tmp_path / "2021.csv", [claim(valid_npi(1), "98925", services=5)]), 2021
    )
    assert _suggestion(OMT, "medicare_services").year == 2023


def test_only_editors_may_decide(claims_2023, patient):
    suggestion = _suggestion(OMT, "medicare_allowed")
    url = reverse("admin:procedures_statsuggestion_accept", args=[suggestion.pk])
    assert patient.post(url).status_code == 302  # to the login page
    viewer = User.objects.create_user("vic", password="correct-horse-battery", is_staff=True)
    client = staff_with_mfa_client(viewer)
    assert client.post(url).status_code == 403
    assert client.post(
        reverse("admin:procedures_statsuggestion_dismiss", args=[suggestion.pk])
    ).status_code == 403  # fmt: skip
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
    assert _guide(OMT).stats.get(kind="cost").low == Decimal("32.18")
