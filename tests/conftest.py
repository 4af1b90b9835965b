"""Shared fixtures: personas, the real content pack, real data files, the CI rule for gaps."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.test import Client

from careatlas.procedures.models import Procedure
from tests.accounts_personas import staff_with_mfa_client
from tests.clock import clock  # noqa: F401 - a clock tests move forward
from tests.consultation_personas import office, quick_forms  # noqa: F401 - request fixtures
from tests.practice_personas import clinic, phone_outbox  # noqa: F401 - practice fixtures
from tests.review_personas import visit  # noqa: F401 - review fixtures

REPO = Path(__file__).resolve().parent.parent
# Real public files (NUCC, NPPES layout, Care Compare, hospitals, fees): data/README.md.
DATA = REPO / "data"
CI = os.environ.get("CI", "").lower() == "true"
# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def require(available: bool, what: str) -> None:
    """Skip when a piece the test needs is absent on a user's machine; fail under CI=true."""
    if available:
        return
    if CI:
        pytest.fail(f"{what} is required under CI=true but is missing")
    pytest.skip(f"{what} is not available here")


@pytest.fixture(scope="session", autouse=True)
def _plain_template_rendering(django_test_environment):
    """Templates render as they do in production, without Django's test instrumentation.

    The test environment wraps every template render in a signal whose receiver (the test
    client) copies the context, so that `response.context` and `response.templates` can be
    read; a select of 900 specialties is 900 renders and 900 copies. No test reads them, and
    leaving them out takes about 14% off each request's CPU time (docs/testing.md). A test
    that wants them asks for the `template_context` fixture.
    """
    from django.template.base import Template
    from django.test import utils

    instrumented = Template._render
    Template._render = utils._TestState.saved_data.template_render
    yield
    Template._render = instrumented


@pytest.fixture
def template_context():
    """Django's template instrumentation for one test: `response.context` and
    `response.templates` are filled in again."""
    from django.template.base import Template
    from django.test.utils import instrumented_test_render

    plain = Template._render
    Template._render = instrumented_test_render
    yield
    Template._render = plain


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with an empty page cache: database rollbacks reset the content
    version, so a page cached by an earlier test could otherwise be served again."""
    from django.core.cache import cache

    from careatlas.core.models import forget_site_version

    cache.clear()
    forget_site_version()
    yield


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request to /es/ activates Spanish for the
    thread, and URLs an earlier test left to reverse would otherwise carry its prefix."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def real_data() -> Path:
    """The folder of real public files kept in the repository (see data/README.md)."""
    return DATA


def load_content_pack() -> None:
    """The real content pack shipped in content/, loaded as `make run` loads it: committed,
    so its content_changed signal builds the search index."""
    call_command("load_content", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _quick_flush_on_postgresql():
    """Flushes between committing tests delete rows instead of truncating every table on
    PostgreSQL: 3 s less for each of some 30 flushes (tests/database_reset.py)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    from tests.database_reset import deleting_flush

    truncating = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = deleting_flush(truncating)
    yield
    DatabaseOperations.sql_flush = truncating


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated and holding the content pack: loaded once per session,
    every test's transaction starts from it and rolls back to it."""
    with django_db_blocker.unblock():
        load_content_pack()


def _flushes_the_database(item: pytest.Item) -> bool:
    """Whether the test committed and so flushed the database on its way out (pytest-django's
    rule for a transactional test)."""
    marker = item.get_closest_marker("django_db")
    return bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    ) or bool(
        {"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames)
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a committing test has flushed the database, put the content pack back at once.

    pytest-django runs committing tests last, but pytest-xdist hands each worker whole files
    in turn, so a plain test can follow a committing one; it runs inside a transaction, where
    loading the pack would be undone with it.
    """
    yield
    if nextitem is not None and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            if not Procedure.objects.exists():
                load_content_pack()


@pytest.fixture
def _django_db_helper(_django_db_helper):
    """pytest-django's per-test database setup, plus: a transactional test (django_db
    transaction=True, transactional_db, live_server) starts from the content pack too,
    although the one before it flushed the database on its way out."""
    if not connection.in_atomic_block and not Procedure.objects.exists():
        load_content_pack()


@pytest.fixture
def content_pack(db):
    """The real content pack, as `make run` loads it (already there: see django_db_setup)."""
    assert Procedure.objects.exists(), "the content pack is missing from the test database"


@pytest.fixture
def empty_catalogue(db):
    """No guide, procedure, specialty, condition or source, and an empty search index: for
    tests that build their own catalogue with factories. Undone with the test's transaction."""
    tables = [
        model._meta.db_table
        for model in apps.get_app_config("procedures").get_models(include_auto_created=True)
    ]
    connection.ops.execute_sql_flush(
        connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    )
    call_command("rebuild_search_index", stdout=StringIO())


@pytest.fixture
def patient() -> Client:
    return Client()


def _staff(username: str, *perms: str) -> User:
    user = User.objects.create_user(
        username, f"{username}@example.org", "correct-horse-battery", is_staff=True
    )
    for codename in perms:
        app_label, code = codename.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=code)
        )
    return user


EDITOR_PERMS = [
    "procedures.view_guide",
    "procedures.change_guide",
    "procedures.add_guide",
    "procedures.view_source",
    "procedures.add_statrange",
    "procedures.change_statrange",
    "procedures.delete_statrange",
    "procedures.add_guidesource",
    "procedures.change_guidesource",
    "procedures.delete_guidesource",
    "procedures.add_faqitem",
    "procedures.change_faqitem",
    "procedures.delete_faqitem",
    "procedures.add_guidequestion",
    "procedures.change_guidequestion",
    "procedures.delete_guidequestion",
    "procedures.view_procedure",
]


@pytest.fixture
def editor(db) -> User:
    return _staff("eddie-editor", *EDITOR_PERMS)


@pytest.fixture
def reviewer(db) -> User:
    return _staff("rita-reviewer", *EDITOR_PERMS, "procedures.publish_guide")


@pytest.fixture
def editor_client(editor) -> Client:
    # The admin needs a session that passed MFA (careatlas/accounts/access.py).
    return staff_with_mfa_client(editor)


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    return staff_with_mfa_client(reviewer)


@pytest.fixture
def admin_client(admin_user) -> Client:
    """pytest-django's superuser client, signed in with a second factor as the admin needs."""
    return staff_with_mfa_client(admin_user)
