"""The one search box's suggestions: topics, doctors, practices and places, in groups.

Procedures, conditions and specialties come from the guide index (`query.autocomplete`),
doctors from the provider name index (typos forgiven, `autocomplete_providers`), practices
and hospitals with a public page by the start of their name (typos not forgiven: a
correction pass cost more than the whole budget), places from the gazetteer.
A doctor or a practice opens its page; a topic or a place opens the finder, with the place
read out of the words if they name one ("back pain near Chic" -> Chicago, IL).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from careatlas.providers.geocoding import suggest_places
from careatlas.providers.models import Organization
from careatlas.providers.registry_presenters import organization_url
from careatlas.search.models import DocumentKind
from careatlas.search.provider_query import autocomplete_providers, names_in_directory
from careatlas.search.query import autocomplete, is_search_term
from careatlas.search.reading import after_connector, read_query
from careatlas.search.results import Suggestion
from careatlas.search.text import MAX_QUERY_LENGTH, words

PER_GROUP = 4
DOCTORS = 5
HEADINGS = {
    DocumentKind.PROCEDURE: _("Procedures"),
    DocumentKind.CONDITION: _("Conditions"),
    DocumentKind.SPECIALTY: _("Specialties"),
    "doctor": _("Doctors"),
    "practice": _("Practices and hospitals"),
    "place": _("Places"),
}
_FINDER_PATHS: dict[str, str] = {}
# Words that introduce a name, dropped before the practice lookup ("Dr Costa").
_TITLES = frozenset({"dr", "doctor", "the"})


@dataclass
class Option:
    label: str
    url: str
    detail: str = ""


@dataclass
class Group:
    kind: str
    heading: str
    options: list[Option] = field(default_factory=list)


def _finder(**params: str) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{_finder_path()}?{query}"


def _finder_path() -> str:
    # One reversal per language, not one per suggestion.
    language = get_language() or ""
    if language not in _FINDER_PATHS:
        _FINDER_PATHS[language] = reverse("providers:find")
    return _FINDER_PATHS[language]


def _topic_url(hit: Suggestion, location: str) -> str:
    """The finder for a procedure or specialty chosen from its list, else for the words."""
    if hit.kind == DocumentKind.PROCEDURE:
        return _finder(procedure=hit.slug, location=location)
    if hit.kind == DocumentKind.SPECIALTY:
        return _finder(specialty=hit.slug, location=location)
    return _finder(q=hit.label, location=location)


def _practices(text: str) -> list[Option]:
    typed = [w for w in words(text) if w not in _TITLES]
    if not typed or len(" ".join(typed)) < 3:
        return []
    prefix = " ".join(typed)
    practices = Organization.objects.public().with_page().named_starting(prefix)
    # In the order of the name index, so the first few rows end the scan.
    found = list(practices.order_by("name_lower")[:PER_GROUP])
    # The index range is a superset under some collations: keep true word-starts only.
    return [
        Option(org.name, organization_url(org))
        for org in found
        if " ".join(words(org.name)).startswith(" ".join(words(prefix)))
    ]


def suggest(text: str, language: str) -> list[Group]:
    """Groups of suggestions for what has been typed (two characters or more), none empty.

    Topic groups come in the order of their best match; doctors come first, and topics
    not at all, when every word is in some practitioner's name ("Dr Costa").
    """
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if len("".join(words(text))) < 2:
        return []
    # The place after "near" is often half typed: the places group completes it instead.
    reading = read_query(text, is_term=is_search_term, place_typos=False)
    place = reading.place.label if reading.has_place else ""
    location = reading.place_text if reading.has_place else ""
    # "back pain near Chic": the place is still being typed; the topic is what comes before.
    wanted, typed_place = ("", "") if place else after_connector(text)
    topic = reading.topic if place else (wanted if typed_place else text)
    groups = {kind: Group(kind, str(heading)) for kind, heading in HEADINGS.items()}
    order: list[str] = []
    is_name = bool(topic) and names_in_directory(topic.split())
    if topic and not is_name:
        detail = str(_("near %(place)s") % {"place": place}) if place else ""
        for hit in autocomplete(topic, language=language, limit=3 * PER_GROUP):
            group = groups[hit.kind].options
            order += [hit.kind] if hit.kind not in order else []
            if len(group) < PER_GROUP:
                group.append(Option(hit.label, _topic_url(hit, location), detail))
    if topic:
        for doctor in autocomplete_providers(topic, limit=DOCTORS):
            groups["doctor"].options.append(Option(doctor.label, doctor.url, doctor.detail))
        groups["practice"].options = _practices(topic)
    if place:
        groups["place"].options.append(
            Option(place, _finder(q=reading.topic, location=location), reading.topic)
        )
    else:
        groups["place"].options = [
            Option(label, _finder(q=wanted, location=label), wanted)
            for label in suggest_places(typed_place or text, PER_GROUP)
        ]
    people = ["doctor", "practice"]
    kinds = [*people, *order] if is_name else [*order, *people]
    kinds += [kind for kind in groups if kind not in kinds]
    return [groups[kind] for kind in kinds if groups[kind].options]
