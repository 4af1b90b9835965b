"""A visitor whose browser asks for Spanish, on an English address: offered, never redirected."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from careatlas.core.languages import OFFER_DISMISSED_COOKIE
from tests.fake_catalogue import without_spanish_for

pytestmark = pytest.mark.django_db

GUIDE = "/procedures/osteopathic-manual-treatment/"
SPANISH_BROWSER = {"accept-language": "es-US,es;q=0.9,en;q=0.5"}
OFFER_SENTENCES = (
    "This page is available in %(language)s.",
    "Read it in %(language)s",
    "No, thanks",
)


def _offer(html: str) -> str:
    found = re.search(r'<div class="language-offer".*?</form>', html, re.S)
    return found.group(0) if found else ""


def test_a_spanish_browser_is_offered_the_same_page_in_spanish(content_pack):
    response = Client().get(GUIDE, headers=SPANISH_BROWSER)
    assert response.status_code == 200  # offered, not redirected
    offer = _offer(response.content.decode())
    assert f'<a href="/es{GUIDE}" hreflang="es">' in offer
    assert f'name="next" value="{GUIDE}"' in offer
    # Revalidated per cookie, so "No, thanks" shows at once, not after the browser's cache.
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        (GUIDE, {}),
        (GUIDE, {"accept-language": "en-US,en;q=0.9,es;q=0.8"}),  # English first
        (GUIDE, {"accept-language": "fr-FR"}),  # a language the site does not have
        ("/es" + GUIDE, SPANISH_BROWSER),  # already Spanish
    ],
)
def test_no_offer_when_the_page_is_already_in_the_visitors_first_language(
    content_pack, path, headers
):
    response = Client().get(path, headers=headers)
    assert _offer(response.content.decode()) == ""
    assert "no-cache" not in response["Cache-Control"]


def test_no_thanks_works_without_javascript_and_is_remembered(content_pack):
    client = Client()
    response = client.post("/language-offer", {"next": GUIDE})
    assert (response.status_code, response["Location"]) == (303, GUIDE)
    cookie = response.cookies[OFFER_DISMISSED_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] > 86400
    html = client.get(GUIDE, headers=SPANISH_BROWSER).content.decode()
    assert _offer(html) == ""
    assert 'class="language-switch" href="/es' in html  # the header's switch stays


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "", "javascript:1"])
def test_no_thanks_goes_back_only_to_this_site(content_pack, target):
    response = Client().post("/language-offer", {"next": target})
    assert response["Location"] == "/"


def test_the_page_cache_keeps_the_offered_and_the_plain_page_apart(content_pack):
    """Shared cache and ETag both key by the offer: neither visitor gets the other's copy."""
    plain = Client().get(GUIDE)
    offered = Client().get(GUIDE, headers=SPANISH_BROWSER)
    again_plain = Client().get(GUIDE)
    assert _offer(offered.content.decode()) and not _offer(again_plain.content.decode())
    assert plain["ETag"] != offered["ETag"]
    offered_again = Client().get(GUIDE, headers=SPANISH_BROWSER)
    assert _offer(offered_again.content.decode())
    revalidated = Client().get(GUIDE, headers={"if-none-match": offered["ETag"]})
    assert revalidated.status_code == 200  # an English reader's browser gets the plain page


def test_the_offer_speaks_spanish_only_when_the_catalogue_has_all_of_it(content_pack):
    """lang tells a screen reader the offer's language: Spanish with the real catalogue, and
    English while any of its sentences lacks its Spanish."""
    offer = _offer(Client().get(GUIDE, headers=SPANISH_BROWSER).content.decode())
    assert offer.startswith('<div class="language-offer" lang="es">')
    assert "Esta página está disponible en español." in offer
    cache.clear()  # a changed catalogue shows once cached pages expire (PAGE_CACHE_SECONDS)
    with without_spanish_for("No, thanks"):
        partial = _offer(Client().get(GUIDE, headers=SPANISH_BROWSER).content.decode())
    assert partial.startswith('<div class="language-offer">')
    assert "This page is available in Spanish." in partial
