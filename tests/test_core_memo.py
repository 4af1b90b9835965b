"""Search requests reuse the select choices and specialty names read for the current content
version, and read them again once an editor's change bumps it."""

import pytest
from django.test import override_settings

from careatlas.core import memo
from careatlas.core import models as core_models
from careatlas.core.models import SiteVersion
from careatlas.procedures.models import Specialty
from careatlas.search.interface import Choices

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh():
    memo._entries.clear()
    core_models._memo.clear()
    yield
    memo._entries.clear()
    core_models._memo.clear()


def _counting():
    calls = []

    def load():
        calls.append(1)
        return len(calls)

    return calls, load


@override_settings(SITE_VERSION_TTL_SECONDS=0)
def test_without_a_version_memo_nothing_is_kept():
    calls, load = _counting()
    assert [memo.for_content_version("k", load) for _ in range(3)] == [1, 2, 3]


@override_settings(SITE_VERSION_TTL_SECONDS=30)
def test_kept_until_the_content_version_moves_or_the_entry_ages(monkeypatch):
    calls, load = _counting()
    assert memo.for_content_version("k", load) == memo.for_content_version("k", load) == 1
    assert memo.for_content_version("other", load) == 2

    SiteVersion.bump()
    core_models._memo.clear()  # as when this process's version memo expires
    assert memo.for_content_version("k", load) == 3

    later = memo.time.monotonic() + memo.MAX_AGE_SECONDS + 1
    monkeypatch.setattr(memo.time, "monotonic", lambda: later)
    core_models._memo.clear()
    assert memo.for_content_version("k", load) == 4


@override_settings(SITE_VERSION_TTL_SECONDS=30)
def test_the_search_choices_are_read_once_per_content_version(
    django_assert_num_queries, content_pack
):
    first = Choices.load("en")
    with django_assert_num_queries(0):
        assert Choices.load("en") == first

    Specialty.objects.create(slug="space-medicine", name="Space Medicine")
    SiteVersion.bump()
    core_models._memo.clear()
    assert ("space-medicine", "Space Medicine") in Choices.load("en").specialties


@override_settings(SITE_VERSION_TTL_SECONDS=30)
def test_a_specialty_added_in_the_admin_is_searchable_at_once(admin_client, patient, content_pack):
    search = "/api/v1/providers?specialty=space-medicine"
    assert patient.get(search).status_code == 400  # the choices are now remembered

    response = admin_client.post(
        "/admin/procedures/specialty/add/",
        {"name": "Space Medicine", "slug": "space-medicine", "description": "", "nucc_codes": "[]"},
    )
    assert response.status_code == 302, response.content[:2000]

    assert patient.get(search).status_code == 200
    filters = patient.get("/api/v1/providers/filters").json()
    assert {"value": "space-medicine", "label": "Space Medicine"} in filters["specialty"]


@override_settings(SITE_VERSION_TTL_SECONDS=30)
def test_a_renamed_specialty_shows_in_the_search_selects_at_once(
    admin_client, patient, content_pack
):
    from careatlas.procedures.models import Specialty

    specialty = Specialty.objects.get(slug="osteopathic-medicine")
    before = patient.get("/api/v1/providers/filters").json()["specialty"]
    assert {"value": specialty.slug, "label": specialty.name} in before

    response = admin_client.post(
        f"/admin/procedures/specialty/{specialty.pk}/change/",
        {"name": "Osteopathy", "slug": specialty.slug, "description": "", "nucc_codes": "[]"},
    )
    assert response.status_code == 302, response.content[:2000]
    after = patient.get("/api/v1/providers/filters").json()["specialty"]
    assert {"value": specialty.slug, "label": "Osteopathy"} in after
