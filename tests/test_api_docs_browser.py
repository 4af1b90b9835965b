"""A developer's browser on the API docs page: accessible, no third-party requests, and its
"try it" forms work without JavaScript under the site's CSP."""

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import AXE, axe_violations, describe, live_site, running_chromium
from tests.conftest import require

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DOCS = "/api/v1/docs"


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker) -> Iterator[str]:
    with django_db_blocker.unblock(), live_site() as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Browser]:
    yield from running_chromium()


def _page(browser: Browser, **options) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    yield context.new_page()
    context.close()


@pytest.fixture
def audit_page(browser: Browser) -> Iterator[Page]:
    require(AXE.exists(), f"axe-core at {AXE} (run `npm ci`)")
    yield from _page(browser, bypass_csp=True)


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    yield from _page(browser, java_script_enabled=False)


def test_docs_page_has_no_wcag_violations(site, audit_page):
    assert audit_page.goto(site + DOCS).status == 200
    violations = axe_violations(audit_page)
    assert not violations, f"axe-core on {DOCS}:\n{describe(violations)}"


def test_docs_page_asks_nothing_of_third_parties(site, browser):
    hosts: set[str] = set()
    for page in _page(browser):
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
        page.goto(site + DOCS)
        page.wait_for_load_state("networkidle")
    assert hosts == {urlsplit(site).netloc}


def test_a_try_it_form_sends_a_request_without_javascript(site, no_js_page):
    no_js_page.goto(site + DOCS)
    form = no_js_page.locator("#get_procedure form")
    form.get_by_label("slug").fill("osteopathic-manual-treatment")
    form.get_by_label("lang").select_option("es")
    form.get_by_role("button").click()
    assert urlsplit(no_js_page.url).path == "/api/v1/procedures/osteopathic-manual-treatment"
    body = json.loads(no_js_page.locator("body").inner_text())
    assert body["title"] == "Tratamiento manual osteopático"  # the Spanish guide
    assert body["url"].endswith("/es/procedures/osteopathic-manual-treatment/")
