"""The site in two languages: addresses, the switch, hreflang alternates, `<html lang>`."""

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from careatlas.core.sitemaps import _EveryLanguage
from tests.consultation_personas import Office
from tests.registry_files import import_naples
from tests.review_personas import Visit

pytestmark = pytest.mark.django_db

OMT = "osteopathic-manual-treatment"
CONTENT_PAGES = [
    "/",
    "/procedures/",
    f"/procedures/{OMT}/",
    "/specialties/",
    "/specialties/osteopathic-medicine/",
    "/conditions/",
    "/conditions/low-back-pain/",
    f"/compare/?p={OMT}&p=chiropractic-manipulation",
    "/search/?q=back+pain",
    f"/providers/?procedure={OMT}",
    "/about/figures/",
    "/about/editorial-policy/",
    "/about/privacy/",
    "/about/accuracy/",
    "/about/reviews/",
    "/for-providers/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]


def _flow_pages(visit: Visit) -> list[str]:
    """A provider's profile, its report form, the consultation form and the review form."""
    office: Office = visit.office
    npi = office.clinic.practitioner.npi
    return [
        office.clinic.practitioner.get_absolute_url(),
        f"/providers/{npi}/report/",
        office.form_url,
        visit.link_path,
    ]


def _html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def _alternates(html: str) -> dict[str, str]:
    found = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    return dict(found)


def _switch(html: str) -> list[tuple[str, str, str, str]]:
    """(href, hreflang, lang, name) of the header's language links."""
    return re.findall(
        r'<a class="language-switch" href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)">([^<]+)</a>',
        html,
    )


def _get(client: Client, path: str, **headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_every_page_type_under_es_is_marked_spanish_and_links_to_its_english_twin(
    content_pack, visit, settings
):
    """A page under /es/ says lang="es", its switch leads to the same page in English, and its
    alternates name both addresses; the English address of each says lang="en"."""
    client = Client()
    for english in CONTENT_PAGES + _flow_pages(visit):
        spanish = "/es" + english
        html = _get(client, spanish)
        assert _html_lang(html) == "es", spanish
        assert _switch(html) == [(english.replace("&", "&amp;"), "en", "en", "English")], spanish
        path = english.split("?")[0]
        assert _alternates(html) == {
            "en": settings.SITE_URL + path,
            "es": settings.SITE_URL + "/es" + path,
            "x-default": settings.SITE_URL + path,
        }, spanish
        html = _get(client, english)
        assert _html_lang(html) == "en", english
        assert _switch(html)[0][:3] == (spanish.replace("&", "&amp;"), "es", "es"), english


def test_english_addresses_stay_english_whatever_the_browser_asks(content_pack):
    """No redirect and no switch from Accept-Language: an address shows one language."""
    client = Client()
    response = client.get("/procedures/", headers={"accept-language": "es-US,es;q=0.9"})
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert _html_lang(response.content.decode()) == "en"
    response = client.get("/es/procedures/", headers={"accept-language": "en-US"})
    assert response.status_code == 200 and response["Content-Language"] == "es"


def test_a_page_in_one_language_only_has_no_alternates_and_its_switch_leads_home(content_pack):
    html = _get(Client(), "/api/v1/docs")
    assert _html_lang(html) == "en"
    assert _alternates(html) == {}
    assert _switch(html) == [("/es/", "es", "es", "Español")]


def test_an_error_page_has_no_alternates(content_pack):
    response = Client().get("/es/procedures/no-such-guide/")
    assert response.status_code == 404
    html = response.content.decode()
    assert _html_lang(html) == "es" and _alternates(html) == {}


def test_the_skip_link_is_in_spanish_under_es(content_pack):
    """A string translated before our catalogue lands: Django's own Spanish catalogue has
    "Skip to main content" (the admin's), and ours may word it differently."""
    html = _get(Client(), f"/es/procedures/{OMT}/")
    assert "Skip to main content" not in html
    assert re.search(r'class="skip-link" href="#main">\w', html)


def test_lang_attr_marks_only_a_part_in_another_language_than_the_page():
    template = Template("{% load languages %}<div{% lang_attr part %}>x</div>")
    with translation.override("es"):
        assert template.render(Context({"part": "en"})) == '<div lang="en">x</div>'
        assert template.render(Context({"part": "es"})) == "<div>x</div>"
    with translation.override("en"):
        assert template.render(Context({"part": "en"})) == "<div>x</div>"


def test_sitemaps_list_each_page_in_both_languages_with_alternates(content_pack, settings):
    xml = Client().get("/sitemap-guides.xml").content.decode()
    english = f"http://testserver/procedures/{OMT}/"
    spanish = f"http://testserver/es/procedures/{OMT}/"
    assert f"<loc>{english}</loc>" in xml and f"<loc>{spanish}</loc>" in xml
    entry = re.search(rf"<url><loc>{re.escape(spanish)}</loc>.*?</url>", xml).group(0)
    assert f'hreflang="en" href="{english}"' in entry
    assert f'hreflang="es" href="{spanish}"' in entry
    assert f'hreflang="x-default" href="{english}"' in entry


def test_a_sitemap_page_reads_only_its_own_slice_of_items():
    """Pairs are cut from the items lazily, so a page may start or end mid-item."""
    pairs = _EveryLanguage(["a", "b", "c"], ["en", "es"])
    assert len(pairs) == 6
    assert list(pairs[1:4]) == [("a", "es"), ("b", "en"), ("b", "es")]
    assert list(pairs[4:10]) == [("c", "en"), ("c", "es")]
    assert pairs[2] == ("b", "en")


def test_a_hospital_page_in_spanish(content_pack, real_data, tmp_path, settings):
    import_naples(real_data, tmp_path)
    hospital = "/providers/hospitals/100018/naples-community-hospital/"
    html = _get(Client(), "/es" + hospital)
    assert _html_lang(html) == "es"
    assert _switch(html) == [(hospital, "en", "en", "English")]
    assert _alternates(html)["es"] == settings.SITE_URL + "/es" + hospital
