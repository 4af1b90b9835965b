"""Headless Chromium and axe-core for the browser tests: where they are, launching, auditing."""

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from careatlas.procedures.models import Procedure
from careatlas.providers.geocoding import load_places
from tests.conftest import load_content_pack, require

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# Debian's Chromium, quiet: no background calls home, so a test sees only the page's own requests.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@contextmanager
def live_site() -> Iterator[LiveServer]:
    """A live server over the test database (which holds the content pack), for one module.

    pytest-django's function-scoped `live_server` flushes the database after every test;
    browser modules only read, so they commit what they add once (in their own setup inside
    the `with` block), and at the end the database is flushed and the content pack loaded
    again, as the session's other tests expect. Call it with the database unblocked
    (`django_db_blocker.unblock()`).
    """
    # Never load into, or flush, the database `make run` uses.
    name = str(connection.settings_dict["NAME"])
    assert name.startswith("test_") or "mode=memory" in name, name
    cache.clear()
    load_places()  # as a server worker does before its first request (careatlas/wsgi.py)
    server = None
    try:
        if not Procedure.objects.exists():  # flushed by a transactional test before this one
            load_content_pack()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        yield server
    finally:
        if server is not None:
            server._live_server_modified_settings.disable()
            server.stop()
        call_command("flush", interactive=False, verbosity=0)
        load_content_pack()
        cache.clear()


def running_chromium() -> Iterator[Browser]:
    """Chromium for a module (a generator for a module-scoped fixture)."""
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
        # While Playwright's event loop runs, Django keeps this thread's connections in a
        # separate context; close them here, or PostgreSQL refuses to drop the test
        # database at the end of the session ("being accessed by other users").
        connections.close_all()


def axe_violations(page: Page, tags: tuple[str, ...] = WCAG_TAGS) -> list[dict[str, Any]]:
    """Run axe-core on the loaded page; the page's context must bypass CSP to inject it."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        list(tags),
    )
    return result["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and one per offending node, for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}  {summary[:200]}")
    return "\n".join(lines)


def assert_clean(page: Page, what: str) -> None:
    """No axe-core violation and no sideways scrolling; with SCREENSHOTS_DIR set, a picture."""
    violations = axe_violations(page)
    assert violations == [], f"{what} ({page.url}):\n{describe(violations)}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{what} scrolls sideways by {overflow}px"
    shots = os.environ.get("SCREENSHOTS_DIR", "")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        size = page.viewport_size or {"width": 0, "height": 0}
        name = re.sub(r"\W+", "-", what) + f"-{size['width']}x{size['height']}.png"
        page.screenshot(path=str(Path(shots) / name), full_page=True)


def local_tab(browser: Browser, viewport: dict, **options) -> Iterator[Page]:
    """A tab at this size whose requests stay on this machine: every one is remembered in
    `page.context.requested`, and any to another host (map tiles) is stopped."""
    context = browser.new_context(viewport=viewport, **options)
    context.requested = []

    def handle(route):
        context.requested.append(route.request.url)
        if urlsplit(route.request.url).hostname in ("localhost", "127.0.0.1"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", handle)
    yield context.new_page()
    context.close()
