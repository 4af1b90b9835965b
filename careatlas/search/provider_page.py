"""What the provider search page shows: heading, result cards, pages, map, empty-state hints."""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careatlas.procedures.models import Specialty
from careatlas.providers.models import Fact
from careatlas.providers.presenters import place_confirmations, role_badges
from careatlas.search.provider_cards import HitCard, hit_card, plan_line
from careatlas.search.provider_form import FILTER_KEYS, ProviderSearchForm
from careatlas.search.provider_results import DEFAULT_RADIUS, RADIUS_CHOICES, ProviderResults

# Fields besides the filters that sit in the folded panel on a phone.
PANEL_KEYS = ("procedure", "specialty", "sort")


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Pages to link, None for a gap: [1, None, 4, 5, 6, 7, 8, None, 20]."""
    wanted = {1, pages, *range(page - around, page + around + 1)}
    shown = sorted(n for n in wanted if 1 <= n <= pages)
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None if n - numbers[-1] > 2 else n - 1)
        numbers.append(n)
    return numbers


def map_markers(cards: list[HitCard]) -> list[dict]:
    """One marker per place; providers sharing an address share a marker and its popup."""
    places: dict[tuple[float, float], dict] = {}
    for card in cards:
        hit = card.hit
        key = (round(hit.latitude, 5), round(hit.longitude, 5))
        place = places.setdefault(
            key, {"lat": key[0], "lon": key[1], "address": hit.address, "providers": []}
        )
        place["providers"].append(
            {"number": card.number, "name": hit.name, "url": hit.url, "distance": card.distance}
        )
    markers = []
    for place in places.values():
        providers = place["providers"]
        numbers = ", ".join(str(p["number"]) for p in providers)
        names = "; ".join(p["name"] for p in providers)
        place["text"] = numbers
        place["label"] = _("%(numbers)s. %(names)s, %(address)s") % {
            "numbers": numbers,
            "names": names,
            "address": place["address"],
        }
        markers.append(place)
    return markers


def related_specialties(procedure: str, specialty: str) -> list[Specialty]:
    """Specialties offering alternatives to this procedure (or to the specialty's procedures)."""
    if procedure:
        found = Specialty.objects.filter(procedures__alternative_to__slug=procedure)
    elif specialty:
        found = Specialty.objects.filter(procedures__alternative_to__specialty__slug=specialty)
    else:
        return []
    return list(found.exclude(slug=specialty).distinct().order_by("name")[:4])


@dataclass
class Link:
    text: str
    url: str


@dataclass
class SearchPage:
    """The search page's variable parts; `results` is None until the patient asks."""

    form: ProviderSearchForm
    results: ProviderResults | None = None
    cards: list[HitCard] = field(default_factory=list)
    heading: str = ""
    count_text: str = ""
    query: str = ""
    location_value: str = ""
    markers: list[dict] = field(default_factory=list)
    pages: list[tuple[int | None, str]] = field(default_factory=list)
    previous_url: str = ""
    next_url: str = ""
    last_page_url: str = ""
    wider: Link | None = None
    related: list[Link] = field(default_factory=list)
    clear_filters_url: str = ""
    location_suggestions: list[Link] = field(default_factory=list)
    reset_url: str = ""
    ask_location: bool = False

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(field id, message) of every error for the summary; no id for hidden fields."""
        rows = []
        for name, messages in self.form.errors.items():
            field = self.form[name] if name in self.form.fields else None
            target = field.id_for_label if field and not field.is_hidden else ""
            if name == "access":
                target = f"{field.auto_id}_0"
            rows.extend((target, str(message)) for message in messages)
        return rows

    @property
    def error_map(self) -> dict[str, list[str]]:
        """Field name -> messages, for the script that marks fields after a live update."""
        return {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}

    @property
    def active_filters(self) -> int:
        """How many filters narrow the search (the collapsed filter list says so)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return sum(
            len(data[k]) if k == "access" else bool(data[k]) for k in data if k in FILTER_KEYS
        )

    @property
    def panel_count(self) -> int:
        """How many choices in the folded filter panel differ from their default: the
        "Filters (3)" on its button (topic lists and the distance sit there too)."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        chosen = [data.get(key) for key in PANEL_KEYS]
        radius = data.get("radius", DEFAULT_RADIUS) != DEFAULT_RADIUS
        return self.active_filters + sum(bool(value) for value in chosen) + radius

    @property
    def panel_open(self) -> bool:
        """Unfolded from the start only when one of its fields needs correcting."""
        return any(name in self.form.errors for name in (*FILTER_KEYS, *PANEL_KEYS, "radius"))

    @property
    def title(self) -> str:
        parts = [self.heading, self.count_text, settings.SITE_NAME]
        title = " – ".join(part for part in parts if part)
        return f"{_('Error:')} {title}" if self.form.errors else title

    @property
    def status_text(self) -> str:
        """What the live region says after an update without reload."""
        if self.form.errors:
            return _("There is a problem with your search.")
        return self.count_text

    @property
    def exact_count(self) -> str:
        """The number of results when it is exact, else "" (for the "Show N results" button)."""
        results = self.results
        if results is None or self.form.errors or results.total_is_lower_bound:
            return ""
        return str(results.total)

    @property
    def past_the_end(self) -> bool:
        results = self.results
        return bool(results and results.total and results.page > results.pages)


def page_heading(form: ProviderSearchForm) -> str:
    """'Find a doctor for Osteopathic Manual Treatment', or for a specialty, or plain."""
    data = form.cleaned_data if form.is_valid() else {}
    procedure = data.get("procedure") or ""
    specialty = data.get("specialty") or ""
    if procedure:
        title = dict(form.fields["procedure"].choices).get(procedure, "")
        return _("Find a doctor for %(procedure)s") % {"procedure": title}
    if specialty:
        name = dict(form.fields["specialty"].choices).get(specialty, "")
        return _("Find a doctor: %(specialty)s") % {"specialty": name}
    return _("Find a doctor")


def _url(query: str) -> str:
    path = reverse("providers:find")
    return f"{path}?{query}" if query else path


def count_text(results: ProviderResults, form: ProviderSearchForm) -> str:
    near = form.resolved_location
    if not results.total:
        if near:
            return _("No providers within %(miles)s miles of %(place)s") % {
                "miles": results.query.radius_miles,
                "place": near.label,
            }
        return _("No providers match your search")
    if near:
        return ngettext(
            "%(count)s provider within %(miles)s miles of %(place)s",
            "%(count)s providers within %(miles)s miles of %(place)s",
            results.total,
        ) % {
            "count": formats.number_format(results.total, 0, force_grouping=True),
            "miles": results.query.radius_miles,
            "place": near.label,
        }
    if results.total_is_lower_bound:
        # Without a place the engine counts only its first candidates: say "at least".
        return ngettext(
            "At least %(count)s provider found",
            "At least %(count)s providers found",
            results.total,
        ) % {"count": formats.number_format(results.total, 0, force_grouping=True)}
    return ngettext("%(count)s provider found", "%(count)s providers found", results.total) % {
        "count": formats.number_format(results.total, 0, force_grouping=True)
    }


def search_page(form: ProviderSearchForm, results: ProviderResults | None) -> SearchPage:
    """Everything the template shows for a bound form and, if it was valid, its results."""
    page = SearchPage(form=form, heading=page_heading(form))
    if not form.is_valid():
        page.location_suggestions = [
            Link(text, _url(_replace(form, location=text, page=None)))
            for text in form.location_suggestions
        ]
        page.location_value = form.data.get("location", "")
        page.query = _replace(form)
        if "page" in form.errors or "page_size" in form.errors:
            page.reset_url = _url(_replace(form, page=None, page_size=None))
        return page
    data = form.cleaned_data
    page.query = form.canonical_query()
    page.location_value = data["location"]
    page.ask_location = data["board_certified"] and not data["location"]
    if results is None:
        return page
    page.results = results
    first = (results.page - 1) * results.page_size + 1
    procedure = data.get("procedure") or ""
    page.cards = [hit_card(first + i, hit, procedure) for i, hit in enumerate(results.hits)]
    confirmed = place_confirmations([(h.practitioner_id, h.location_id) for h in results.hits])
    for card in page.cards:
        card.confirmed = confirmed[(card.hit.practitioner_id, card.hit.location_id)]
    if data["insurance"]:
        # Every hit accepts the plan chosen (the filter says so); each card says how we know.
        plan = dict(form.fields["insurance"].choices).get(data["insurance"], data["insurance"])
        badges = role_badges(Fact.INSURANCE, [card.hit.role_id for card in page.cards])
        for card in page.cards:
            card.plan = plan_line(plan, badges[card.hit.role_id])
    page.markers = map_markers(page.cards)
    page.count_text = count_text(results, form)
    if results.pages > 1:
        page.pages = [
            (n, _url(form.canonical_query(page=n if n > 1 else None)) if n else "")
            for n in page_numbers(min(results.page, results.pages), results.pages)
        ]
        if results.page > 1:
            previous = min(results.page - 1, results.pages)
            page.previous_url = _url(form.canonical_query(page=previous if previous > 1 else None))
        if results.page < results.pages:
            page.next_url = _url(form.canonical_query(page=results.page + 1))
    if page.past_the_end:
        page.last_page_url = _url(form.canonical_query(page=results.pages))
    if not results.total:
        _empty_state_links(page, form)
    return page


def _empty_state_links(page: SearchPage, form: ProviderSearchForm) -> None:
    data = form.cleaned_data
    wider = [miles for miles in RADIUS_CHOICES if miles > data["radius"]]
    if data["location"] and wider:
        page.wider = Link(
            _("Search within %(miles)s miles instead") % {"miles": wider[0]},
            _url(form.canonical_query(radius=wider[0], page=None)),
        )
    for specialty in related_specialties(data["procedure"], data["specialty"]):
        page.related.append(
            Link(
                specialty.name,
                _url(form.canonical_query(procedure=None, specialty=specialty.slug, page=None)),
            )
        )
    if any(data[key] for key in FILTER_KEYS):
        page.clear_filters_url = _url(form.canonical_query(page=None, **dict.fromkeys(FILTER_KEYS)))


def _replace(form: ProviderSearchForm, **changes: str | None) -> str:
    """The raw query string with some keys replaced (for links out of an invalid search)."""
    data = form.data.copy()
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    data.pop("partial", None)
    return data.urlencode()
