"""Hostile input to every practice fact form gets a field error or a save, never a 500."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careatlas.providers.models import Location, PractitionerRole
from tests.fact_urls import FORMS
from tests.practice_world import FACT_PAGES, build_practice

pytestmark = pytest.mark.django_db
FIELDS = {
    "accepting": ["accepting_new_patients"],
    "visits": ["video_visits", "phone_visits"],
    "hours": ["mon", "tue", "sun"],
    "staff-languages": ["staff_languages"],
    "languages": ["languages"],
    "accessibility": ["accessibility"],
    "bio": ["bio"],
    "insurance": ["plans"],
    "procedure": ["procedure", "self_pay_low", "self_pay_high"],
}
# Text a browser can send, and text it should not: control characters, NULs, lone
# surrogates are not sendable, huge numbers, SQL, markup, very long strings.
nasty = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "\x00",
            "1e309",
            "NaN",
            "-0",
            "99999999999999999999",  # once a 500 in the insurance form (plan ids)
            "'; DROP TABLE providers_location; --",
            "<script>alert(1)</script>",
            "23:59-24:00",
            "00:00-00:00",
            "x" * 5000,
            "１２:００-１３:００",
        ]
    ),
)
values = st.one_of(nasty, st.lists(nasty, max_size=4))


@pytest.fixture(autouse=True)
def _fact_pages(settings):
    settings.ROOT_URLCONF = FACT_PAGES
    cache.clear()


@pytest.fixture
def practice(content_pack):
    return build_practice()


def _subject_pk(practice, name: str) -> int:
    model = FORMS[name].subject_model
    if model is PractitionerRole:
        return practice.role.pk
    if model is Location:
        return practice.location.pk
    return practice.practitioner.pk


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_fact_forms_never_fail_on_hostile_input(practice, name):
    url = practice.edit_url(name, _subject_pk(practice, name))

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({field: values for field in FIELDS[name]}))
    def post(data):
        response = practice.office.post(url, data)
        # 400: the site's request bounds (core.bounds) refuse NULs and oversized values
        # before any form sees them, with a message naming the parameter.
        assert response.status_code in (200, 302, 400)
        if response.status_code == 200:
            assert 'class="errorlist' in response.content.decode()
        if response.status_code == 400:
            assert "Parameter" in response.content.decode()

    post()


@given(data=st.binary(max_size=2000), name=st.sampled_from(["a.jpg", "b.png", "c.webp", "d"]))
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_random_bytes_are_never_taken_for_a_photo(practice, data, name):
    response = practice.office.post(
        practice.edit_url("photo", practice.practitioner.pk),
        {"photo": SimpleUploadedFile(name, data, content_type="image/jpeg")},
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
