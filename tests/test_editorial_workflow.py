"""Editors and medical reviewers: draft -> in review -> published, revisions, review dates."""

import datetime
import re

import pytest
from django.urls import reverse

from careatlas.procedures.models import Guide, GuideRevision, StatRange
from careatlas.procedures.revisions import record_revision
from tests.factories import GuideFactory, SourceFactory, add_stat

pytestmark = pytest.mark.django_db


def _workflow(client, guide, action):
    return client.post(reverse("admin:procedures_guide_workflow", args=[guide.pk, action]))


def test_reviewer_moves_a_guide_from_draft_to_published(
    editor_client, reviewer_client, reviewer, patient
):
    guide = GuideFactory(status="draft")
    add_stat(guide)
    assert patient.get(guide.get_absolute_url()).status_code == 404
    _workflow(editor_client, guide, "submit")
    guide.refresh_from_db()
    assert guide.status == "in_review"
    assert patient.get(guide.get_absolute_url()).status_code == 404
    _workflow(reviewer_client, guide, "publish")
    guide.refresh_from_db()
    assert guide.status == "published"
    assert guide.published_by == reviewer
    assert guide.published_at is not None
    assert patient.get(guide.get_absolute_url()).status_code == 200
    _workflow(reviewer_client, guide, "unpublish")
    guide.refresh_from_db()
    assert guide.status == "unpublished"
    assert patient.get(guide.get_absolute_url()).status_code == 404


def test_an_editor_without_publish_permission_cannot_publish(editor_client):
    guide = GuideFactory(status="in_review")
    response = _workflow(editor_client, guide, "publish")
    assert response.status_code == 403
    guide.refresh_from_db()
    assert guide.status == "in_review"


def test_a_stat_without_a_source_blocks_publishing(reviewer_client):
    guide = GuideFactory(status="in_review")
    StatRange.objects.create(
        guide=guide,
        kind="cost",
        low=10,
        high=20,
        unit="usd",
        year=2024,
        method="Guess",
        source=None,
    )
    response = _workflow(reviewer_client, guide, "publish")
    guide.refresh_from_db()
    assert guide.status == "in_review"
    page = reviewer_client.get(response["Location"]).content.decode()
    assert "has no source" in page


def test_a_stat_source_must_be_listed_under_sources(reviewer_client):
    guide = GuideFactory(status="in_review")
    StatRange.objects.create(
        guide=guide,
        kind="cost",
        low=10,
        high=20,
        unit="usd",
        year=2024,
        method="Fee schedule",
        source=SourceFactory(),
    )
    _workflow(reviewer_client, guide, "publish")
    guide.refresh_from_db()
    assert guide.status == "in_review"


def _admin_form_data(guide: Guide, **changes) -> dict:
    data = {
        "procedure": guide.procedure_id,
        "language": guide.language,
        "title": guide.title,
        "abbreviation": guide.abbreviation,
        "summary": guide.summary,
        "illustration_alt": "",
        "who_it_helps": guide.who_it_helps,
        "what_to_expect": guide.what_to_expect,
        "recovery": guide.recovery,
        "cost": guide.cost,
        "risks": "",
        "deep_dive_title": "",
        "deep_dive": guide.deep_dive,
        "reviewer_name": "",
        "reviewer_credentials": "",
        "reviewed_on": "",
        "next_review_due": "",
    }
    for prefix in ("stats", "questions", "faq", "guide_sources"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(changes)
    return data


def test_every_save_keeps_a_revision_that_can_be_compared_and_restored(editor_client, patient):
    guide = GuideFactory(status="draft", summary="First wording.")
    url = reverse("admin:procedures_guide_change", args=[guide.pk])
    assert editor_client.post(url, _admin_form_data(guide)).status_code == 302
    assert (
        editor_client.post(url, _admin_form_data(guide, summary="Second wording.")).status_code
        == 302
    )
    revisions = list(guide.revisions.all())
    assert len(revisions) == 2
    assert "Second wording." in revisions[0].snapshot and "First wording." in revisions[1].snapshot

    history = reverse("admin:procedures_guide_revisions", args=[guide.pk])
    page = editor_client.get(history, {"compare": revisions[1].pk}).content.decode()
    assert 'class="diff"' in page
    diff_text = re.sub(r"<[^>]+>", "", page).replace("&nbsp;", " ")
    assert "summary: First wording." in diff_text and "summary: Second wording." in diff_text

    restore = reverse("admin:procedures_guide_restore", args=[guide.pk, revisions[1].pk])
    assert editor_client.post(restore).status_code == 302
    guide.refresh_from_db()
    assert guide.summary == "First wording."
    assert guide.revisions.count() == 3
    assert guide.revisions.first().comment.startswith("Restored")


def test_restore_brings_back_stats_and_sources(reviewer, editor_client):
    guide = GuideFactory(status="draft")
    add_stat(guide, "recovery", low=1, high=3, unit="days")
    before = record_revision(guide, reviewer, "with stat")
    guide.stats.all().delete()
    guide.guide_sources.all().delete()
    record_revision(guide, reviewer, "without stat")
    editor_client.post(reverse("admin:procedures_guide_restore", args=[guide.pk, before.pk]))
    assert list(guide.stats.values_list("kind", "low", "high")) == [("recovery", 1, 3)]
    assert guide.guide_sources.count() == 1


def test_editors_see_guides_past_their_review_date(editor_client):
    overdue = GuideFactory(
        title="Old Guide",
        reviewer_name="Sam Lee",
        reviewed_on=datetime.date(2024, 1, 1),
        next_review_due=datetime.date(2025, 1, 1),
    )
    GuideFactory(
        title="Fresh Guide",
        reviewer_name="Sam Lee",
        reviewed_on=datetime.date.today(),
        next_review_due=datetime.date.today() + datetime.timedelta(days=300),
    )
    page = editor_client.get(reverse("admin:procedures_guide_changelist")).content.decode()
    assert "1 guide(s) are past their review date" in page
    assert "Overdue since 2025-01-01" in page
    filtered = editor_client.get(
        reverse("admin:procedures_guide_changelist"), {"review": "overdue"}
    )
    assert overdue.title in filtered.content.decode()
    assert "Fresh Guide" not in filtered.content.decode()


def test_revision_snapshots_are_not_duplicated_when_nothing_changed(reviewer):
    guide = GuideFactory()
    assert record_revision(guide, reviewer) is not None
    assert record_revision(guide, reviewer) is None
    assert GuideRevision.objects.filter(guide=guide).count() == 1


def test_illustration_upload_rejects_scripts(reviewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from careatlas.procedures.admin import ProcedureForm

    guide = GuideFactory()
    evil = SimpleUploadedFile(
        "x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    form = ProcedureForm(
        data={
            "slug": guide.procedure.slug,
            "specialty": guide.procedure.specialty_id,
            "synonyms": "[]",
        },
        files={"illustration_file": evil},
        instance=guide.procedure,
    )
    assert not form.is_valid()
    assert "illustration_file" in form.errors
