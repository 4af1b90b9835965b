"""An app asks the JSON API for Spanish by `?lang=es` or Accept-Language; FHIR stays as it is."""

import pytest
from django.test import Client

from tests.fake_catalogue import fake_spanish, spanish_for
from tests.fhir_client import FHIR_JSON
from tests.provider_factories import RoleFactory

pytestmark = pytest.mark.django_db

NOTHING = "Nothing is published at this address."


@pytest.mark.parametrize(
    ("query", "headers", "language"),
    [
        ("", {}, "en"),
        ("?lang=es", {}, "es"),
        ("", {"accept-language": "es-MX,es;q=0.9"}, "es"),
        ("?lang=en", {"accept-language": "es"}, "en"),  # the parameter wins
        ("", {"accept-language": "fr, en;q=0.5"}, "en"),
    ],
)
def test_content_endpoints_answer_in_the_language_asked_for(content_pack, query, headers, language):
    response = Client().get("/api/v1/procedures" + query, headers=headers)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    urls = [guide["url"] for guide in response.json()["results"]]
    assert urls and all(("/es/" in url) == (language == "es") for url in urls)


def test_error_messages_follow_the_language(content_pack):
    with spanish_for(NOTHING):
        by_parameter = Client().get("/api/v1/procedures/no-such-guide?lang=es")
        by_header = Client().get("/api/v1/nowhere", headers={"accept-language": "es"})
        english = Client().get("/api/v1/procedures/no-such-guide")
    for response in (by_parameter, by_header):
        assert response.status_code == 404 and response["Content-Language"] == "es"
        assert response.json()["error"]["message"] == fake_spanish(NOTHING)
    assert english.json()["error"]["message"] == NOTHING


def test_a_language_the_site_does_not_have_is_refused_in_the_browsers_language(content_pack):
    response = Client().get("/api/v1/procedures?lang=fr", headers={"accept-language": "es"})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "lang"
    assert response["Content-Language"] == "es"


def test_the_cache_keeps_each_language_apart(content_pack):
    english = Client().get("/api/v1/procedures").json()
    spanish = Client().get("/api/v1/procedures", headers={"accept-language": "es"}).json()
    assert english != spanish
    assert Client().get("/api/v1/procedures").json() == english


def test_fhir_answers_are_the_same_whatever_language_is_asked_for(db):
    role = RoleFactory()
    npi = role.practitioner.npi
    for path in ("/fhir/metadata", f"/fhir/Practitioner/{npi}", "/fhir/Practitioner?name=zz"):
        english = Client().get(path, headers={"accept": FHIR_JSON})
        spanish = Client().get(path, headers={"accept": FHIR_JSON, "accept-language": "es"})
        assert english.status_code == 200, path
        assert english.content == spanish.content, path
        assert english["Content-Language"] == spanish["Content-Language"], path
