"""What every API answer shares: caching validators, CORS, the rate limit, read-only methods,
JSON errors everywhere, the OpenAPI schema and the docs page (through the HTTP client)."""

import os
import re
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from careatlas.core.ratelimit import RateLimit
from careatlas.procedures import services
from careatlas.search.interface import QUERY_KEYS
from tests.conftest import REPO
from tests.factories import GuideFactory, add_stat
from tests.redis_cache import REDIS_URL, redis_caches, require_redis

pytestmark = pytest.mark.django_db

API = "/api/v1"
REDIS_CACHES = redis_caches()
# Another worker process counting requests of one client, through the settings' own cache.
OTHER_WORKER = """
import django
django.setup()
from careatlas.core.ratelimit import RateLimit
for _ in range({hits}):
    RateLimit.per_minute("api", 3).take("{ip}")
"""


@pytest.fixture
def guide(empty_catalogue):
    guide = GuideFactory(title="Knee Bending")
    add_stat(guide)
    services.publish(guide)
    return guide


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()["error"]


# Caching


def test_answers_carry_an_etag_and_a_304_saves_the_body(patient, guide, settings):
    settings.API_CACHE_SECONDS = 60
    first = patient.get(f"{API}/procedures")
    assert first.status_code == 200
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert first["Cache-Control"] == "public, max-age=60"
    again = patient.get(f"{API}/procedures", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Access-Control-Allow-Origin"] == "*"
    weak = patient.get(f"{API}/procedures", headers={"if-none-match": f'W/{etag}, "x"'})
    assert weak.status_code == 304
    other = patient.get(f"{API}/procedures", headers={"if-none-match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_a_publish_changes_the_answer_and_its_etag(patient, guide):
    before = patient.get(f"{API}/procedures")
    services.publish(GuideFactory(title="Elbow Waving"))
    after = patient.get(f"{API}/procedures", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert [p["title"] for p in after.json()["results"]] == ["Elbow Waving", "Knee Bending"]


def test_errors_are_cacheable_only_when_they_do_not_depend_on_the_client(patient, settings):
    assert "public" in patient.get(f"{API}/procedures/nothing-here")["Cache-Control"]
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    patient.get(f"{API}/procedures")
    assert patient.get(f"{API}/procedures")["Cache-Control"] == "no-store"


def test_head_answers_the_headers_of_get(patient, guide):
    got = patient.get(f"{API}/procedures")
    head = patient.head(f"{API}/procedures")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == got["ETag"]
    assert head["Content-Length"] == str(len(got.content))


# CORS and methods


def test_any_origin_may_read_without_credentials(patient, guide):
    response = patient.get(f"{API}/procedures", headers={"origin": "https://app.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["X-Robots-Tag"] == "noindex"
    # The HTML site keeps its own, stricter policy.
    assert patient.get("/")["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Access-Control-Allow-Origin" not in patient.get("/")


def test_a_preflight_for_get_is_answered(patient):
    response = patient.options(
        f"{API}/providers",
        headers={
            "origin": "https://app.example",
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert int(response["Access-Control-Max-Age"]) > 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_methods_are_refused_as_json(method):
    stranger = Client(enforce_csrf_checks=True)
    for path in (f"{API}/procedures", f"{API}/no-such-endpoint"):
        response = getattr(stranger, method)(path)
        error = _error(response, 405)
        assert error["code"] == "method_not_allowed"
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_paths_are_json_404s(patient):
    for path in (f"{API}/nothing", f"{API}/providers/", f"{API}/procedures/a/b"):
        error = _error(patient.get(path), 404)
        assert error["code"] == "not_found", path


# Rate limit


def test_the_rate_limit_answers_429_with_retry_after(patient, guide, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    answers = [patient.get(f"{API}/procedures") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert answers[0]["RateLimit-Limit"] == "3"
    blocked = patient.get(f"{API}/specialties")
    error = _error(blocked, 429)
    assert error["code"] == "rate_limited"
    assert "at most 3 a minute" in error["message"]
    assert 1 <= int(blocked["Retry-After"]) <= 61
    assert blocked["Access-Control-Allow-Origin"] == "*"
    # The limit is per client address; another client is still served.
    neighbour = patient.get(f"{API}/procedures", REMOTE_ADDR="203.0.113.9")
    assert neighbour.status_code == 200


def test_behind_a_trusted_proxy_clients_are_told_apart_and_cannot_forge_their_address(
    patient, guide, settings
):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert (
        patient.get(f"{API}/procedures", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code
        == 200
    )
    # A second visitor behind the same proxy has their own count.
    assert (
        patient.get(f"{API}/procedures", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code
        == 200
    )
    # The first one, prepending a made-up address, is still counted as themselves.
    forged = patient.get(
        f"{API}/procedures", HTTP_X_FORWARDED_FOR="192.0.2.77, 198.51.100.1", **proxy
    )
    assert forged.status_code == 429


def test_without_trusted_proxies_forwarded_for_is_ignored(patient, guide, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    assert patient.get(f"{API}/procedures", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    again = patient.get(f"{API}/procedures", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert again.status_code == 429


def test_worker_processes_share_one_count_through_redis(patient, guide, settings):
    require_redis()
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    ip = "198.51.100.77"  # a documentation address no other test or server uses
    if time.time() % 60 > 50:  # all counts must land in one minute's window
        time.sleep(61 - time.time() % 60)
    env = {**os.environ, "CAREATLAS_ENV": "test", "REDIS_URL": REDIS_URL}
    env["DJANGO_SETTINGS_MODULE"] = "careatlas.settings"
    with override_settings(CACHES=REDIS_CACHES, RATE_LIMIT_STORE="cache"):
        key = RateLimit.per_minute("api", 3)._key(ip)
        cache.delete(key)
        try:
            code = OTHER_WORKER.format(hits=2, ip=ip)
            subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True)
            assert patient.get(f"{API}/procedures", REMOTE_ADDR=ip).status_code == 200
            assert patient.get(f"{API}/procedures", REMOTE_ADDR=ip).status_code == 429
        finally:
            cache.delete(key)


def test_the_rate_limit_can_be_switched_off(patient, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    for _ in range(5):
        response = patient.get(f"{API}/specialties")
        assert response.status_code == 200
        assert "RateLimit-Limit" not in response


def test_the_html_site_is_not_limited_by_the_api_limit(patient, guide, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    patient.get(f"{API}/procedures")
    assert patient.get(f"{API}/procedures").status_code == 429
    assert patient.get("/procedures/").status_code == 200


# Schema, index and docs


def test_the_openapi_schema_describes_every_endpoint_and_error(patient):
    schema = patient.get(f"{API}/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        f"{API}/",
        f"{API}/specialties",
        f"{API}/specialties/{{slug}}",
        f"{API}/procedures",
        f"{API}/procedures/{{slug}}",
        f"{API}/conditions",
        f"{API}/conditions/{{slug}}",
        f"{API}/search",
        f"{API}/search/autocomplete",
        f"{API}/providers",
        f"{API}/providers/filters",
        f"{API}/providers/autocomplete",
        f"{API}/providers/{{npi}}",
        f"{API}/hospitals/{{ccn}}",
        f"{API}/practices/{{pac_id}}",
    }
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, methods in schema["paths"].items():
        responses = methods["get"]["responses"]
        for status in ("400", "429"):
            assert responses[status]["content"]["application/json"]["schema"] == error, path
        assert "Retry-After" in responses["429"]["headers"]
        if "{" in path:
            assert responses["404"]["content"]["application/json"]["schema"] == error
    search = schema["paths"][f"{API}/providers"]["get"]["parameters"]
    # Exactly the search page's parameters, in the page's order, plus the answer's language.
    assert [p["name"] for p in search] == ["lang", *QUERY_KEYS]
    assert {"q", "location", "radius", "access", "sort", "page", "page_size"} <= set(QUERY_KEYS)
    radius = next(p for p in search if p["name"] == "radius")
    assert radius["schema"]["enum"] == [5, 10, 25, 50, 100]


def test_the_index_links_everything(patient):
    body = patient.get(f"{API}/").json()
    assert body["docs"] == "http://127.0.0.1:8000/api/v1/docs"
    assert body["openapi"] == "http://127.0.0.1:8000/api/v1/openapi.json"
    assert body["endpoints"]["provider_search"] == "http://127.0.0.1:8000/api/v1/providers"


def test_the_docs_page_lists_every_endpoint_without_third_party_requests(patient):
    response = patient.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    schema = patient.get(f"{API}/openapi.json").json()
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in html
    assert "Content-Security-Policy" in response
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # Our own origin only: no CDN scripts, styles or fonts.
    assert not re.search(r'(src|href)="(https?:)?//', html.replace('href="http://127.0.0.1', ""))
    assert '<label for="search_providers-location"><code>location</code>' in html
    assert 'action="/api/v1/docs/try/get_provider"' in html


def test_the_docs_forms_send_real_requests(patient):
    try_search = patient.get(
        f"{API}/docs/try/search_providers",
        {"location": "10001", "radius": "", "access": ["step_free", "elevator"]},
    )
    assert try_search.status_code == 302
    sent = f"{API}/providers?location=10001&access=step_free&access=elevator"
    assert try_search["Location"] == sent
    try_detail = patient.get(f"{API}/docs/try/get_provider", {"npi": "1234567893"})
    assert try_detail["Location"] == f"{API}/providers/1234567893"
    missing = patient.get(f"{API}/docs/try/get_provider")
    assert _error(missing, 400)["field"] == "npi"
    assert _error(patient.get(f"{API}/docs/try/no_such_operation"), 404)["code"] == "not_found"
