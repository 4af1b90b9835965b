"""A patient reads a procedure guide: every section of the reference page, in order."""

import json
import re

import pytest
from django.urls import reverse

from careatlas.procedures import revisions, services
from tests.factories import GuideFactory, SourceFactory, add_faq, add_question, add_stat

pytestmark = pytest.mark.django_db

SECTION_ORDER = [
    "Skip to main content",
    "Skip to breadcrumbs",
    'aria-label="Breadcrumb"',
    "<h1",
    'class="lede"',
    'class="stat-cards"',
    ">Find a doctor for",
    ">Who it helps</h2>",
    ">What to expect</h2>",
    ">Recovery</h2>",
    ">Cost range</h2>",
    ">Questions to ask your doctor</h2>",
    ">Frequently asked</h2>",
    ">Deep dive:",
    ">Sources</h2>",
    ">Ready to talk to a specialist?</h2>",
    "General information only",
]


@pytest.fixture
def published_guide():
    guide = GuideFactory(
        title="Knee Bending", abbreviation="KB", summary="Bending the knee, gently."
    )
    guide.procedure.specialty.name = "Joint Medicine"
    guide.procedure.specialty.save()
    add_stat(guide, "success_rate", low=70, high=85, unit="percent")
    add_stat(
        guide,
        "cost",
        source=SourceFactory(title="Fee schedule"),
        low="32.18",
        high="86.50",
        unit="usd",
        qualifier="Medicare payment per session",
    )
    add_stat(guide, "recovery", low=0, high=2, unit="days")
    add_stat(guide, "volume", low=5_000_000, high=10_000_000, unit="per_year")
    add_question(guide, "How many sessions will I need?")
    add_faq(guide, "Does it hurt?", "Usually not.")
    services.publish(guide)
    return guide


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_guide_shows_every_section_in_reference_order(patient, published_guide):
    html = _html(patient.get(published_guide.get_absolute_url()))
    positions = [html.find(marker) for marker in SECTION_ORDER]
    missing = [m for m, p in zip(SECTION_ORDER, positions, strict=True) if p < 0]
    assert not missing, f"missing sections: {missing}"
    assert positions == sorted(positions), "sections are out of order"
    assert html.count("<h1") == 1


def test_stat_cards_show_ranges_with_units_and_sources(patient, published_guide):
    html = _html(patient.get(published_guide.get_absolute_url()))
    for text in ["70\u201385%", "$32.18\u2013$86.50", "0\u20132 days", "5\u201310 million"]:
        assert text in html
    assert html.count('class="footnote-ref" href="#source-') == 4
    assert 'id="source-1"' in html and 'id="source-2"' in html
    assert "Medicare payment per session" in html
    assert "PMID" in html


def test_missing_figure_says_so_instead_of_guessing(patient):
    guide = GuideFactory()
    add_stat(guide, "cost", unit="usd", low=100, high=200)
    services.publish(guide)
    html = _html(patient.get(guide.get_absolute_url()))
    assert html.count("No reliable figure yet") == 3


def test_json_ld_parses_and_has_the_right_types(patient, published_guide):
    html = _html(patient.get(published_guide.get_absolute_url()))
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    types = {node["@type"] for node in data["@graph"]}
    assert {"MedicalWebPage", "MedicalProcedure", "FAQPage", "BreadcrumbList"} <= types
    crumbs = next(n for n in data["@graph"] if n["@type"] == "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Joint Medicine", "Knee Bending"]


def test_reviewed_guide_says_who_reviewed_it_and_json_ld_agrees(patient, published_guide):
    published_guide.reviewer_name = "Dana Reyes"
    published_guide.reviewer_credentials = "DO"
    published_guide.reviewed_on = "2026-03-01"
    published_guide.save()
    revisions.notify_content_changed()
    html = _html(patient.get(published_guide.get_absolute_url()))
    assert "Medically reviewed by Dana Reyes, DO on" in html
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    page = next(n for n in data["@graph"] if n["@type"] == "MedicalWebPage")
    assert page["lastReviewed"] == "2026-03-01"
    assert page["reviewedBy"]["name"] == "Dana Reyes"


def test_draft_guides_are_not_public(patient, editor_client):
    draft = GuideFactory(status="draft")
    assert patient.get(draft.get_absolute_url()).status_code == 404
    assert patient.get(draft.get_preview_url()).status_code == 302  # to the admin login
    preview = editor_client.get(draft.get_preview_url())
    assert preview.status_code == 200
    assert "Preview" in preview.content.decode()
    assert preview["X-Robots-Tag"] == "noindex"


def test_markdown_is_sanitised(patient):
    guide = GuideFactory(
        deep_dive="## Hi\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) *ok*"
    )
    services.publish(guide)
    html = _html(patient.get(guide.get_absolute_url()))
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "<h3>Hi</h3>" in html  # nested under the Deep dive h2
    assert "<em>ok</em>" in html


def test_find_a_doctor_link_keeps_the_procedure(patient, published_guide):
    html = _html(patient.get(published_guide.get_absolute_url()))
    find = reverse("providers:find") + f"?procedure={published_guide.procedure.slug}"
    assert f'href="{find}"' in html
    page = _html(patient.get(find))
    assert "Find a doctor for Knee Bending" in page
    assert 'name="procedure"' in page  # the directory search arrives prefilled


def test_public_page_is_cached_with_validators_and_refreshed_on_publish(patient, published_guide):
    url = published_guide.get_absolute_url()
    first = patient.get(url)
    assert "public" in first["Cache-Control"] and "max-age" in first["Cache-Control"]
    assert first["ETag"] and first["Last-Modified"]
    again = patient.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    published_guide.title = "Knee Straightening"
    published_guide.save()
    assert "Knee Straightening" not in patient.get(url).content.decode()  # still the cached copy
    services.guide_edited(published_guide)  # what the admin calls after a save
    fresh = patient.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200
    assert "Knee Straightening" in fresh.content.decode()


def test_signed_in_editors_get_private_uncached_pages(editor_client, published_guide):
    response = editor_client.get(published_guide.get_absolute_url())
    assert "private" in response["Cache-Control"]


def test_illustration_is_served_as_sandboxed_svg(patient, published_guide):
    procedure = published_guide.procedure
    procedure.illustration_svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'
    )
    procedure.save()
    response = patient.get(reverse("procedures:illustration", args=[procedure.slug]))
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]


def test_specialty_condition_compare_and_lists(patient, published_guide):
    specialty = published_guide.procedure.specialty
    assert "Knee Bending" in _html(patient.get(specialty.get_absolute_url()))
    assert "Knee Bending" in _html(patient.get(reverse("procedures:guides")))
    other = GuideFactory(title="Hip Swaying")
    add_stat(other, "success_rate", low=50, high=60, unit="percent")
    services.publish(other)
    url = (
        reverse("procedures:compare")
        + f"?p={published_guide.procedure.slug}&p={other.procedure.slug}"
    )
    html = _html(patient.get(url))
    assert "Knee Bending" in html and "Hip Swaying" in html
    assert "70\u201385%" in html and "50\u201360%" in html
    one = _html(patient.get(reverse("procedures:compare") + f"?p={other.procedure.slug}"))
    assert "at least two" in one


def test_sitemap_and_robots(patient, published_guide):
    index = _html(patient.get("/sitemap.xml"))
    assert "<sitemapindex" in index and "/sitemap-guides.xml" in index
    sitemap = _html(patient.get("/sitemap-guides.xml"))
    assert published_guide.get_absolute_url() in sitemap
    robots = _html(patient.get("/robots.txt"))
    assert "Sitemap:" in robots and "Disallow: /admin/" in robots


def test_figures_keep_the_precision_of_their_source(patient):
    guide = GuideFactory()
    add_stat(guide, "volume", low="10.3", high="10.3", unit="percent", qualifier="of US adults")
    services.publish(guide)
    html = _html(patient.get(guide.get_absolute_url()))
    assert ">10.3%" in html and "10.30" not in html
    assert "US use per year" in html  # a share of people is not labelled as a procedure count
    assert "(range)" not in html.split('class="stat-cards"')[1].split("</ul>")[0]
