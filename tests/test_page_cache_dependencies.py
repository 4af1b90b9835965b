"""A write retires the cached pages that show what it changed, and only those.

Near ZIP 10001 the finder lists Chen (and her neighbours); Farrow practises in Los Angeles.
A patient reads pages; a practice, a reviewer, an editor and another patient write.
"""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careatlas.consultations.models import ConsultationRequest, Status
from careatlas.consultations.services import change_status
from careatlas.core import page_tags
from careatlas.core.models import ContentTag
from careatlas.procedures import revisions
from careatlas.procedures.models import Guide
from careatlas.providers import confirmation
from careatlas.providers.services import file_report
from tests.consultation_personas import send
from tests.provider_search_world import Neighbourhood, build_neighbourhood
from tests.redis_cache import redis_caches, require_redis
from tests.review_factories import reviews_for

pytestmark = pytest.mark.django_db
GUIDE = "/procedures/osteopathic-manual-treatment/"
GUIDES = "/procedures/"
NEAR_CHEN = "/providers/?location=10001&radius=25"
NEAR_FARROW = "/providers/?location=90012&radius=25"
ACCURACY = "/about/accuracy/"
# Its own key prefix: the test removes its keys and nobody else's from a shared Redis.
SHARED_CACHE = redis_caches(f"careatlas-test-{uuid.uuid4().hex}")


@pytest.fixture
def world(content_pack, django_capture_on_commit_callbacks) -> Neighbourhood:
    with django_capture_on_commit_callbacks(execute=True):  # its re-index, done with
        return build_neighbourhood()


def visit(path: str) -> tuple[str, str]:
    """An anonymous GET: ('hit' or 'miss', the page's text)."""
    response = Client().get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.wsgi_request.careatlas_page_cache, response.content.decode()


def kept(*paths: str) -> None:
    """Each page is rendered once and then answered from the shared cache."""
    for path in paths:
        visit(path)
        assert visit(path)[0] == "hit", path


def test_a_review_refreshes_the_profile_and_the_finder_and_keeps_the_rest(
    world, django_capture_on_commit_callbacks
):
    chen, farrow = world.chen.get_absolute_url(), world.farrow.get_absolute_url()
    kept(chen, NEAR_CHEN, farrow, GUIDE, GUIDES)
    assert "5 reviews" not in visit(chen)[1]
    with django_capture_on_commit_callbacks(execute=True):  # the rating, then the re-index
        reviews_for(world.chen, [5, 5, 5, 5, 4])
    result, page = visit(chen)
    assert (result, "4.8") == ("miss", page[page.index("4.8") : page.index("4.8") + 3])
    result, page = visit(NEAR_CHEN)
    assert result == "miss" and "4.8 out of 5" in page
    # A rating can reorder any result list (sort and minimum rating): every finder page.
    assert visit(NEAR_FARROW)[0] == "miss"
    assert [visit(path)[0] for path in (farrow, GUIDE, GUIDES)] == ["hit"] * 3


def test_a_report_refreshes_that_profile_and_the_results_listing_it(world):
    chen, farrow = world.chen.get_absolute_url(), world.farrow.get_absolute_url()
    kept(chen, NEAR_CHEN, NEAR_FARROW, farrow, GUIDE)
    file_report(world.chen, "other", about="Something else", details="The office moved.")
    assert visit(chen)[0] == "miss"
    assert visit(NEAR_CHEN)[0] == "miss"  # Chen is on it
    assert [visit(p)[0] for p in (NEAR_FARROW, farrow, GUIDE)] == ["hit"] * 3


def test_a_practice_confirming_a_fact_refreshes_its_profile(world):
    chen, farrow = world.chen.get_absolute_url(), world.farrow.get_absolute_url()
    kept(chen, farrow, GUIDE)
    confirmation.update_facts(
        world.chen, {"bio": "Sees runners on Saturdays."}, practitioner=world.chen, by_user=None
    )
    result, page = visit(chen)
    assert result == "miss" and "Sees runners on Saturdays." in page
    assert [visit(p)[0] for p in (farrow, GUIDE)] == ["hit", "hit"]


def test_a_guide_publish_refreshes_the_guide_and_the_guide_list(world):
    chen = world.chen.get_absolute_url()
    kept(GUIDE, GUIDES, chen)
    guide = Guide.objects.get(procedure__slug="osteopathic-manual-treatment", language="en")
    guide.title = "Hands-on spine treatment"
    guide.save()
    revisions.notify_content_changed()
    for path in (GUIDE, GUIDES):
        result, page = visit(path)
        assert result == "miss" and "Hands-on spine treatment" in page, path
    # Procedure names show on profiles too: an editor's publish retires every page.
    assert visit(chen)[0] == "miss"


def test_an_admin_edit_of_the_directory_keeps_the_guides(world):
    chen = world.chen.get_absolute_url()
    kept(chen, NEAR_CHEN, GUIDE)
    world.chen.bio = "Edited in the admin."
    world.chen.save()
    page_tags.bump(page_tags.DIRECTORY)  # what the admin's save_related sends
    result, page = visit(chen)
    assert result == "miss" and "Edited in the admin." in page
    assert visit(NEAR_CHEN)[0] == "miss"
    assert visit(GUIDE)[0] == "hit"


def test_consultation_requests_and_their_status_change_no_public_page(office, content_pack):
    profile = office.clinic.practitioner.get_absolute_url()
    kept(profile, GUIDE)
    send(Client(), office)
    change_status(ConsultationRequest.objects.get(), None, Status.SCHEDULED)
    assert [visit(p)[0] for p in (profile, GUIDE)] == ["hit", "hit"]


def test_a_page_naming_no_tags_is_retired_by_any_change(world):
    kept(ACCURACY)  # directory-wide figures: it names nothing, so it depends on everything
    file_report(world.farrow, "other", about="Something else", details="Closed on Mondays.")
    assert visit(ACCURACY)[0] == "miss"


def test_a_process_that_starts_after_a_change_still_retires_the_page(world):
    """Another app server, or a restarted worker, knows nothing of earlier changes."""
    chen, farrow = world.chen.get_absolute_url(), world.farrow.get_absolute_url()
    kept(chen, farrow)
    file_report(world.chen, "other", about="Something else", details="The office moved.")
    page_tags.forget()
    assert [visit(chen)[0], visit(farrow)[0]] == ["miss", "hit"]


def test_a_bulk_change_beyond_the_catch_up_limit_retires_every_older_page(world, monkeypatch):
    chen, farrow = world.chen.get_absolute_url(), world.farrow.get_absolute_url()
    kept(chen, farrow, GUIDE)
    monkeypatch.setattr(page_tags, "CATCH_UP_LIMIT", 2)
    page_tags.bump(*(page_tags.practitioner(pk) for pk in (10**6, 10**6 + 1, 10**6 + 2)))
    assert [visit(p)[0] for p in (chen, farrow, GUIDE)] == ["miss"] * 3
    assert [visit(p)[0] for p in (chen, farrow, GUIDE)] == ["hit"] * 3


def test_app_servers_sharing_redis_retire_the_same_pages(world):
    """Server A keeps the pages in Redis; a report lands; server B (fresh) reads them."""
    require_redis()
    chen, farrow = world.chen.get_absolute_url(), world.farrow.get_absolute_url()
    with override_settings(CACHES=SHARED_CACHE):
        try:
            kept(chen, NEAR_CHEN, farrow, GUIDE)
            file_report(world.chen, "other", about="Something else", details="The office moved.")
            page_tags.forget()  # server B has seen nothing of it
            assert [visit(p)[0] for p in (chen, NEAR_CHEN)] == ["miss", "miss"]
            assert [visit(p)[0] for p in (chen, NEAR_CHEN, farrow, GUIDE)] == ["hit"] * 4
        finally:
            cache.delete_pattern("*")


def test_tag_rows_no_kept_page_can_predate_are_pruned(db, monkeypatch):
    monkeypatch.setattr(page_tags, "PRUNE_EVERY", 1)
    long_ago = timezone.now() - datetime.timedelta(days=1)
    ContentTag.objects.create(name=page_tags.practitioner(1), version=1, changed_at=long_ago)
    page_tags.bump(page_tags.practitioner(2))
    left = set(ContentTag.objects.values_list("name", flat=True))
    assert "provider:2" in left and "provider:1" not in left


def api_queries(path: str) -> int:
    """How many queries an anonymous API GET ran: a kept answer reads little but the version."""
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(path).status_code == 200, path
    return len(queries)


def test_the_api_retires_a_providers_answers_and_keeps_the_rest(world):
    chen, farrow = (f"/api/v1/providers/{p.npi}" for p in (world.chen, world.farrow))
    near_farrow = "/api/v1/providers?location=90012&radius=25"
    paths = (chen, farrow, near_farrow, "/api/v1/providers?location=10001&radius=25")
    rendered = {path: api_queries(path) for path in paths}
    kept_cost = {path: api_queries(path) for path in paths}
    assert all(kept_cost[p] < rendered[p] for p in paths), (rendered, kept_cost)
    file_report(world.chen, "other", about="Something else", details="The office moved.")
    after = {path: api_queries(path) for path in paths}  # the first also reads what changed
    assert after[chen] >= rendered[chen]
    assert after[paths[3]] >= rendered[paths[3]]  # lists Chen
    assert (after[farrow], after[near_farrow]) == (kept_cost[farrow], kept_cost[near_farrow])
