"""What the provider search page shows: heading, result cards, pages, map, empty-state hints."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careatlas.procedures.models import Specialty
from careatlas.providers.presenters import place_confirmations
from careatlas.search.provider_form import FILTER_KEYS, ProviderSearchForm
from careatlas.search.provider_results import RADIUS_CHOICES, ProviderHit, ProviderResults


def distance_text(miles: float | None) -> str:
    """'0.4 miles', '1 mile', '12 miles'; '' without a location."""
    if miles is None:
        return ""
    if miles < 10:
        value = round(miles, 1)
        shown = formats.number_format(value, 0 if value == int(value) else 1)
    else:
        value = round(miles)
        shown = formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    return ngettext("%(n)s mile", "%(n)s miles", 1 if value == 1 else 2) % {"n": shown}


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


@dataclass
class HitCard:
    number: int
    hit: ProviderHit
    distance: str
    action_label: str
    action_url: str
    volume: str
    # Badge text by fact ("accepting_new_patients", "telehealth") the practice confirmed.
    confirmed: dict[str, str] = field(default_factory=dict)


def hit_card(number: int, hit: ProviderHit, procedure: str = "") -> HitCard:
    # Offices taking new patients get the request form itself (with the procedure searched
    # for); others the profile to read first.
    if hit.accepting_new_patients:
        url = reverse("consultations:new", args=[hit.npi])
        if procedure:
            url += "?" + urlencode({"procedure": procedure})
        label = _("Request a consultation")
    else:
        label, url = _("View profile"), hit.url
    return HitCard(number, hit, distance_text(hit.distance_miles), label, url, volume_text(hit))


def volume_text(hit: ProviderHit) -> str:
    """'412 Medicare services in 2023', or '' when CMS lists none."""
    if hit.procedure_volume is None:
        return ""
    return ngettext(
        "%(n)s Medicare service in %(year)s",
        "%(n)s Medicare services in %(year)s",
        hit.procedure_volume,
    ) % {
        "n": formats.number_format(hit.procedure_volume, 0, force_grouping=True),
        "year": hit.volume_year,
    }


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
