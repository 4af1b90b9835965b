"""Shared fixtures: personas, the real content pack, and the CI rule for missing pieces."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.test import Client

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
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


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with an empty page cache: database rollbacks reset the content
    version, so a page cached by an earlier test could otherwise be served again."""
    from django.core.cache import cache

    from careatlas.core.models import forget_site_version

    cache.clear()
    forget_site_version()
    yield


@pytest.fixture
def shared_data() -> Path:
    require(SHARED_DATA.is_dir(), f"shared data folder {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def content_pack(db, django_capture_on_commit_callbacks):
    """The real content pack shipped in content/, loaded as `make run` loads it.

    On-commit callbacks run as they would after a real commit, so the search index is built.
    """
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_content", verbosity=0)


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
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    client = Client()
    client.force_login(reviewer)
    return client
