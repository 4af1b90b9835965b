"""/metrics: per-route figures for Prometheus, shown only to the addresses an operator lists."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django_tasks_db.models import DBTaskResult

from careatlas.accounts.emails import deliver_email
from careatlas.imports.models import ImportRun
from careatlas.procedures import services
from tests.factories import GuideFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scraper(settings) -> Client:
    """Prometheus, scraping from the monitoring host."""
    settings.METRICS_ALLOWED_ADDRESSES = ["127.0.0.1"]
    return Client(REMOTE_ADDR="127.0.0.1")


def _value(text: str, name: str, **labels) -> float:
    """The sum of the samples `name{...}` whose labels include `labels`, 0 if none: other
    tests in the same process may have added series with other values of the rest."""
    total = 0.0
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and all(f'{k}="{v}"' in match.group(1) for k, v in labels.items()):
            total += float(match.group(2))
    return total


def _scrape(client: Client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_nobody_may_scrape_until_an_operator_lists_them(settings):
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.0.0/8"]
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="192.0.2.7").get("/metrics").status_code == 404


def test_behind_a_proxy_the_client_address_decides_not_the_proxys(settings):
    settings.METRICS_ALLOWED_ADDRESSES = ["127.0.0.1"]
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx on 127.0.0.1 forwards a visitor from the internet: no figures for them.
    visitor = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert visitor.get("/metrics").status_code == 404
    # A forged left-hand entry is not the address the proxy saw.
    forged = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9")
    assert forged.get("/metrics").status_code == 404


def test_requests_latency_and_database_time_are_counted_per_route(scraper, empty_catalogue):
    cache.clear()
    guide = GuideFactory(title="Knee Bending")
    services.publish(guide)
    before = _scrape(scraper)
    visitor = Client()
    for _ in range(3):
        assert visitor.get(guide.get_absolute_url()).status_code == 200
    assert visitor.get("/no-such-page/").status_code == 404
    after = _scrape(scraper)

    def grew(name: str, **labels) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    route = "procedures:guide"
    assert grew("careatlas_http_requests_total", route=route, method="GET", status="200") == 3
    assert grew("careatlas_http_request_duration_seconds_count", route=route) == 3
    assert grew("careatlas_http_requests_total", route="unmatched", method="GET", status="404") == 1
    # The first visit rendered the page (and read the database); the next two were replays.
    assert grew("careatlas_page_cache_requests_total", result="hit") == 2
    assert grew("careatlas_page_cache_requests_total", result="miss") >= 1
    assert grew("careatlas_db_statements_total", route=route, database="default") >= 1
    assert grew("careatlas_db_seconds_total", route=route, database="default") > 0


def test_task_queue_depth_and_import_progress_are_read_when_scraped(scraper, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    text = _scrape(scraper)
    assert _value(text, "careatlas_task_queue_depth", queue="default", status="ready") == 0
    for _ in range(2):
        deliver_email.enqueue("s", "b", "", ["x@example.org"], "site@example.org")
    assert DBTaskResult.objects.count() == 2
    run = ImportRun.objects.create(
        kind="nppes",
        file_name="npidata.csv",
        file_sha256="0" * 64,
        file_size=1000,
        rows_read=120,
        checkpoint={"offset": 250, "line": 121},
    )
    text = _scrape(scraper)
    assert _value(text, "careatlas_task_queue_depth", queue="default", status="ready") == 2
    assert _value(text, "careatlas_import_rows_read", run=run.pk, kind="nppes") == 120
    assert _value(text, "careatlas_import_file_fraction_read", run=run.pk) == 0.25
    run.status = "completed"
    run.save()
    assert 'run="' not in _scrape(scraper)
