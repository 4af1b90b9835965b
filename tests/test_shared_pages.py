"""A repeat anonymous visit to a public page gets exactly what the full stack would send."""

import gzip

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db
GUIDE = "/procedures/osteopathic-manual-treatment/"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "Permissions-Policy",
    "Cross-Origin-Resource-Policy",
    "Cross-Origin-Opener-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
)


def _full_stack(**headers):
    """A visitor with a session cookie: the shared copy is never used for them."""
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    return visitor.get(GUIDE, **headers)


def _text(response) -> bytes:
    packed = response.get("Content-Encoding") == "gzip"
    return gzip.decompress(response.content) if packed else response.content


def _headers(response) -> dict:
    # The padding changes the compressed length too; each request has an id of its own.
    return {
        k: v for k, v in response.headers.items() if k not in ("Content-Length", "X-Request-ID")
    }


@pytest.mark.parametrize("encoding", [{}, GZIP], ids=["identity", "gzip"])
def test_a_repeat_visit_gets_the_same_bytes_and_headers_as_the_full_stack(
    patient, content_pack, encoding
):
    first = patient.get(GUIDE, **encoding)
    repeat = patient.get(GUIDE, **encoding)
    reference = _full_stack(**encoding)
    assert first.status_code == repeat.status_code == reference.status_code == 200
    assert repeat.content == first.content
    # Each client has its own handler, so gzip's random padding differs; the text does not.
    assert _text(repeat) == _text(reference)
    assert _headers(repeat) == _headers(first)
    assert _headers(repeat) == _headers(reference)
    assert repeat["X-Request-ID"] != first["X-Request-ID"]  # never the kept answer's
    for header in SECURITY_HEADERS:
        assert repeat[header], header
    assert repeat["Vary"] == reference["Vary"]
    assert "public" in repeat["Cache-Control"]
    assert repeat["Content-Language"] == "en"


def test_each_encoding_gets_its_own_copy(patient, content_pack):
    plain = patient.get(GUIDE)
    packed = patient.get(GUIDE, **GZIP)
    plain_again, packed_again = patient.get(GUIDE), patient.get(GUIDE, **GZIP)
    assert not plain_again.has_header("Content-Encoding")
    assert plain_again.content == plain.content
    assert packed_again["Content-Encoding"] == "gzip"
    assert packed_again.content == packed.content
    assert gzip.decompress(packed_again.content) == plain.content
    assert packed_again["ETag"] == "W/" + plain_again["ETag"]


@pytest.mark.parametrize("encoding", [{}, GZIP], ids=["identity", "gzip"])
def test_revalidation_answers_304_like_the_full_stack(patient, content_pack, encoding):
    tag = patient.get(GUIDE, **encoding)["ETag"]
    answers = [patient.get(GUIDE, HTTP_IF_NONE_MATCH=tag, **encoding) for _ in range(3)]
    reference = _full_stack(HTTP_IF_NONE_MATCH=tag, **encoding)
    assert [a.status_code for a in answers] == [304, 304, 304]
    assert answers[-1].content == b""
    assert _headers(answers[-1]) == _headers(answers[0]) == _headers(reference)
    # Someone else's (or an old) tag still gets the page.
    other = patient.get(GUIDE, HTTP_IF_NONE_MATCH='"not-this-one"', **encoding)
    assert other.status_code == 200 and other.content


def test_a_signed_in_editor_never_gets_the_shared_copy(patient, editor_client, content_pack):
    patient.get(GUIDE)
    assert "public" in patient.get(GUIDE)["Cache-Control"]
    own = editor_client.get(GUIDE)
    assert own.status_code == 200
    assert "private" in own["Cache-Control"] and "public" not in own["Cache-Control"]
    assert not own.has_header("ETag")  # a fresh render, not the anonymous copy


def test_each_language_keeps_its_own_copy(patient, content_pack):
    english = [patient.get(GUIDE) for _ in range(2)]
    spanish = [patient.get("/es" + GUIDE) for _ in range(2)]
    assert [r["Content-Language"] for r in english] == ["en", "en"]
    assert [r["Content-Language"] for r in spanish] == ["es", "es"]
    assert b'lang="es"' in spanish[1].content and b'lang="en"' in english[1].content


def test_head_gets_the_headers_without_the_body(patient, content_pack):
    page = patient.get(GUIDE)
    head = patient.head(GUIDE)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == page["ETag"]
    assert head["Content-Security-Policy"] == page["Content-Security-Policy"]


def test_a_host_the_site_does_not_serve_is_refused_even_when_the_page_is_kept(
    patient, content_pack
):
    patient.get(GUIDE)
    assert patient.get(GUIDE).status_code == 200
    assert patient.get(GUIDE, HTTP_HOST="attacker.example").status_code == 400
