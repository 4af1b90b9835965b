"""Responses travel compressed, except a page that holds a CSRF token and echoes input."""

import gzip

import pytest

from tests.conftest import REPO
from tests.provider_factories import RoleFactory

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _html(response) -> str:
    return gzip.decompress(response.content).decode()


def test_a_guide_page_is_gzipped_to_a_fraction_of_its_size(patient, content_pack):
    plain = patient.get("/procedures/osteopathic-manual-treatment/")
    packed = patient.get("/procedures/osteopathic-manual-treatment/", **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert _html(packed) == plain.content.decode()
    assert len(packed.content) < len(plain.content) * 0.4
    assert packed["ETag"] == "W/" + plain["ETag"]
    # The cached page is compressed once per process, not once per request.
    again = patient.get("/procedures/osteopathic-manual-treatment/", **GZIP)
    assert again.content == packed.content


def test_search_results_and_the_json_api_are_gzipped(patient, content_pack):
    page = patient.get("/search/?q=back+pain", **GZIP)
    assert page["Content-Encoding"] == "gzip"
    assert "back pain" in _html(page).lower()
    api = patient.get("/api/v1/procedures", **GZIP)
    assert api.status_code == 200
    assert api["Content-Encoding"] == "gzip"


def test_a_form_that_echoes_input_next_to_its_token_is_not_compressed(patient):
    practitioner = RoleFactory().practitioner
    url = f"/providers/{practitioner.npi}/report/"
    # The form with no input is safe to compress: nothing of the attacker's is in it.
    assert patient.get(url, **GZIP)["Content-Encoding"] == "gzip"
    echoed = patient.get(url + "?fact=phone&details=secret-guess", **GZIP)
    assert echoed.status_code == 200
    assert "csrfmiddlewaretoken" in echoed.content.decode()
    assert not echoed.has_header("Content-Encoding")
    errors = patient.post(url, {"fact": "", "details": "x-probe-x"}, **GZIP)
    assert errors.status_code == 200
    assert "x-probe-x" in errors.content.decode()
    assert not errors.has_header("Content-Encoding")


def test_static_files_get_brotli_and_gzip_copies_when_collected(tmp_path):
    # Production's CompressedManifestStaticFilesStorage runs this compressor on every file
    # collectstatic writes; it makes .br copies only when the Brotli package is installed.
    from whitenoise.compress import Compressor

    sheet = tmp_path / "site.css"
    sheet.write_text((REPO / "careatlas/core/static/css/site.css").read_text() * 3)
    written = set(Compressor(quiet=True).compress(str(sheet)))
    assert written == {f"{sheet}.br", f"{sheet}.gz"}
    assert (tmp_path / "site.css.br").stat().st_size < sheet.stat().st_size / 3
