"""What the finder says about how it read a query: the place, a corrected spelling, other places."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from careatlas.search.provider_form import AS_TYPED, ProviderSearchForm
from careatlas.search.provider_results import ProviderResults
from careatlas.search.reading import Reading


@dataclass
class Link:
    text: str
    url: str


@dataclass
class Notice:
    """One line: what we did, then a way to undo it or to pick another meaning."""

    text: str
    links: list[Link] = field(default_factory=list)
    lead: str = ""  # words before the links ("Not what you meant?")


def _finder(query: str) -> str:
    return f"{reverse('providers:find')}?{query}"


def query_notices(
    form: ProviderSearchForm, results: ProviderResults | None, reading: Reading | None
) -> list[Notice]:
    """Notices for a valid search with results (none for an empty or invalid form)."""
    if results is None or not form.is_valid():
        return []
    notices = []
    found = form.location_found
    if reading is not None and reading.has_place and found is not None:
        topic = form.cleaned_data["q"]
        if topic:
            text = _("Showing results for “%(topic)s” near %(place)s.")
        else:
            text = _("Showing providers near %(place)s.")
        as_typed = _finder(urlencode({"q": reading.text, AS_TYPED: "1"}))
        notices.append(
            Notice(
                text % {"topic": topic, "place": found.label},
                [Link(_("Search for “%(text)s” as typed") % {"text": reading.text}, as_typed)],
                _("Not what you meant?"),
            )
        )
    elif found is not None and found.corrected:
        notices.append(
            Notice(
                _("Showing results near %(place)s for “%(typed)s”.")
                % {"place": found.label, "typed": form.cleaned_data["location"]}
            )
        )
    if found is not None and found.alternatives:
        notices.append(
            Notice(
                "",
                [
                    Link(label, _finder(form.canonical_query(location=label, page=None)))
                    for label in found.alternatives
                ],
                _("Another %(place)s?") % {"place": found.label.split(",")[0]},
            )
        )
    if results.corrected_text:
        typed = form.cleaned_data["q"]
        form.as_typed = True
        instead = _finder(form.canonical_query(page=None))
        form.as_typed = False
        notices.append(
            Notice(
                _("Showing results for “%(corrected)s”.") % {"corrected": results.corrected_text},
                [Link(_("Search instead for “%(typed)s”") % {"typed": typed}, instead)],
            )
        )
    return notices
