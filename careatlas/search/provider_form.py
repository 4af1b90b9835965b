"""The provider search page's query string, validated into a ProviderQuery."""

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from careatlas.core.memo import for_content_version
from careatlas.procedures.models import Guide, Procedure, Specialty
from careatlas.providers.geocoding import (
    Geocode,
    distance_miles,
    geocode,
    standard_zip_places,
    zip_place,
)
from careatlas.providers.models import AccessibilityFeature, InsurancePlan, Sex
from careatlas.providers.presenters import LANGUAGE_CODES, language_names
from careatlas.search.provider_results import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_RADIUS,
    MAX_PAGE_SIZE,
    RADIUS_CHOICES,
    GeoPoint,
    ProviderQuery,
)
from careatlas.search.text import fold

# Languages the filter offers: the most spoken in US homes after English (Census ACS), plus
# American Sign Language. Codes as stored on Practitioner.languages.
SORT_LABELS = {
    "": gettext_lazy("Best match"),
    "distance": gettext_lazy("Distance"),
    "name": gettext_lazy("Name"),
    "volume": gettext_lazy("Procedure volume (Medicare claims)"),
    "rating": gettext_lazy("Rating (verified patient reviews)"),
}
# "Medicare claims" filter: services in the newest data year, at least. Anything CMS lists
# is 11 or more (it omits smaller counts), so 1 means "has Medicare claims".
MIN_VOLUME_CHOICES = (
    ("", gettext_lazy("Any")),
    ("1", gettext_lazy("Has Medicare claims")),
    ("50", gettext_lazy("At least 50 a year")),
    ("100", gettext_lazy("At least 100 a year")),
    ("500", gettext_lazy("At least 500 a year")),
)
MAX_MIN_VOLUME = 10_000_000
# Minimum rating: the mean overall score of verified patients' published reviews.
MIN_RATING_CHOICES = (
    ("", gettext_lazy("Any")),
    ("3", gettext_lazy("3 stars or more")),
    ("4", gettext_lazy("4 stars or more")),
    ("4.5", gettext_lazy("4.5 stars or more")),
)
# A point from "use my location" counts as in the US if a ZIP centre is at most this far away.
MAX_MILES_TO_NEAREST_ZIP = 60
_COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
# Query-string keys that are filters (cleared by "clear filters"; they narrow the results).
FILTER_KEYS = (
    "accepting",
    "telehealth",
    "board_certified",
    "verified",
    "insurance",
    "language",
    "sex",
    "access",
    "min_volume",
    "min_rating",
)
# Every key the page reads, in the order a canonical URL lists them.
QUERY_KEYS = (
    "q",
    "procedure",
    "specialty",
    "location",
    "radius",
    *FILTER_KEYS,
    "sort",
    "speakers_first",
    "page",
    "page_size",
)


_RATING = re.compile(r"^\d(\.\d{1,2})?$")
# The page's own key (not the API's): search the words as typed, without reading a place
# out of them or correcting their spelling.
AS_TYPED = "as_typed"

FLAG_ON = frozenset({"1", "true", "on", "yes"})
FLAG_OFF = frozenset({"", "0", "false", "off", "no"})


def _ticked(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in FLAG_ON)


class FlagInput(forms.CheckboxInput):
    """A checkbox that submits "1"; the raw word goes to FlagField, which judges it."""

    def __init__(self, attrs=None):
        super().__init__({"value": "1", **(attrs or {})}, check_test=_ticked)

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class FlagField(forms.BooleanField):
    """A yes/no filter: 1/true/on/yes or 0/false/off/no; anything else is an error, not yes.

    A plain BooleanField reads any unknown word as True, so `verified=null` filtered for
    verified providers.
    """

    widget = FlagInput

    def to_python(self, value) -> bool:
        if value is None or value is False:
            return False
        if value is True:
            return True
        word = str(value).strip().lower()
        if word in FLAG_ON:
            return True
        if word in FLAG_OFF:
            return False
        raise forms.ValidationError(
            gettext_lazy("Use 1 or 0 (or true or false)."), code="invalid_flag"
        )


def nearest_zip(latitude: float, longitude: float) -> str | None:
    """The standard ZIP whose centre is nearest to a point, or None if none is near (offline)."""
    best, best_miles = None, float(MAX_MILES_TO_NEAREST_ZIP)
    # A degree of latitude is 69 miles: only ZIPs inside that box can be near enough.
    span = MAX_MILES_TO_NEAREST_ZIP / 69.0
    lon_span = span / max(0.05, math.cos(math.radians(latitude)))
    for place in standard_zip_places():
        if abs(place.latitude - latitude) > span or abs(place.longitude - longitude) > lon_span:
            continue
        miles = distance_miles((latitude, longitude), (place.latitude, place.longitude))
        if miles < best_miles:
            best, best_miles = place.zip_code, miles
    return best


@dataclass(frozen=True)
class Choices:
    """What the selects offer (a few small queries, read once per content version)."""

    procedures: list[tuple[str, str, str]]  # (slug, title, specialty slug)
    specialties: list[tuple[str, str]]
    insurance: list[tuple[str, str]]

    @classmethod
    def load(cls, language: str) -> "Choices":
        return for_content_version(("search choices", language), lambda: cls._read(language))

    @classmethod
    def _read(cls, language: str) -> "Choices":
        titles = Guide.objects.titles(language)
        rows = Procedure.objects.values_list("pk", "slug", "specialty__slug")
        procedures = [
            (slug, titles.get(pk) or slug.replace("-", " ").capitalize(), specialty)
            for pk, slug, specialty in rows
        ]
        procedures.sort(key=lambda row: fold(row[1]))
        specialties = [(s.slug, s.name_in(language)) for s in Specialty.objects.all()]
        specialties.sort(key=lambda row: fold(row[1]))
        return cls(
            procedures=procedures,
            specialties=specialties,
            insurance=list(InsurancePlan.objects.order_by("name").values_list("slug", "name")),
        )


class ProviderSearchForm(forms.Form):
    """Every field is optional; `query()` turns a valid form into a ProviderQuery."""

    q = forms.CharField(
        label=gettext_lazy("Name, specialty or condition"),
        help_text=gettext_lazy("For example: back pain, chiropractor, or a doctor's name."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": gettext_lazy("Use at most 200 characters.")},
    )
    procedure = forms.ChoiceField(label=gettext_lazy("Procedure"), required=False)
    specialty = forms.ChoiceField(label=gettext_lazy("Specialty"), required=False)
    location = forms.CharField(
        label=gettext_lazy("ZIP code, or city and state"),
        help_text=gettext_lazy("For example: 10001, Queens, or Austin, TX."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
        error_messages={"max_length": gettext_lazy("Use at most 100 characters.")},
    )
    radius = forms.TypedChoiceField(
        label=gettext_lazy("Distance"),
        coerce=int,
        required=False,
        empty_value=DEFAULT_RADIUS,
        error_messages={"invalid_choice": gettext_lazy("Choose 5, 10, 25, 50 or 100 miles.")},
    )
    accepting = FlagField(label=gettext_lazy("Accepting new patients"), required=False)
    telehealth = FlagField(label=gettext_lazy("Offers video or phone visits"), required=False)
    board_certified = FlagField(label=gettext_lazy("Board certified"), required=False)
    verified = FlagField(
        label=gettext_lazy("Verified provider (identity and license checked)"),
        required=False,
    )
    insurance = forms.ChoiceField(label=gettext_lazy("Insurance plan"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Speaks"), required=False)
    # Orders, never filters; offered on pages in another language than the site's (the
    # page's language is the one put first), and only when the patient ticks it.
    speakers_first = FlagField(
        label=gettext_lazy(
            "Providers who speak the language of the page (or the request) first, then"
            " everyone else; ignored in English"
        ),
        required=False,
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Provider's sex"),
        required=False,
        choices=[
            ("", gettext_lazy("Any")),
            (Sex.FEMALE, Sex.FEMALE.label),
            (Sex.MALE, Sex.MALE.label),
        ],
    )
    access = forms.MultipleChoiceField(
        label=gettext_lazy("Accessibility"),
        required=False,
        choices=AccessibilityFeature.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Choose features from the list.")},
    )
    min_volume = forms.IntegerField(
        label=gettext_lazy("Medicare claims for the procedure"),
        help_text=gettext_lazy(
            "Times the provider billed Original Medicare for it in the latest year CMS "
            "published (all procedures we list when none is chosen). CMS leaves out counts "
            "under 11."
        ),
        required=False,
        min_value=1,
        max_value=MAX_MIN_VOLUME,
        widget=forms.Select,
        error_messages={
            "invalid": gettext_lazy("Choose one of the options, or a whole number such as 50."),
            "min_value": gettext_lazy("The minimum must be 1 or more."),
            "max_value": gettext_lazy("That minimum is too large."),
        },
    )
    min_rating = forms.DecimalField(
        label=gettext_lazy("Patient rating"),
        help_text=gettext_lazy(
            "Average overall score from verified patients' reviews. Providers with fewer than "
            "5 reviews have no average, so a minimum rating leaves them out, and sorting by "
            "rating lists them last."
        ),
        required=False,
        min_value=1,
        max_value=5,
        max_digits=3,
        decimal_places=2,
        widget=forms.Select(choices=MIN_RATING_CHOICES),
        error_messages={
            "invalid": gettext_lazy("Choose one of the options, or a number such as 4.5."),
            "min_value": gettext_lazy("The minimum rating must be 1 star or more."),
            "max_value": gettext_lazy("The minimum rating can be at most 5 stars."),
            "max_digits": gettext_lazy("Use a number such as 4.5."),
            "max_decimal_places": gettext_lazy("Use a number such as 4.5."),
        },
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        help_text=gettext_lazy("Best match lists the nearest first when you give a location."),
        required=False,
        choices=list(SORT_LABELS.items()),
        error_messages={"invalid_choice": gettext_lazy("Choose one of the listed orders.")},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": gettext_lazy("The page number must be a whole number, such as 2."),
            "min_value": gettext_lazy("The page number must be 1 or more."),
            "max_value": gettext_lazy("That page number is too large."),
        },
    )
    page_size = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": gettext_lazy("Results per page must be a whole number, such as 20."),
            "min_value": gettext_lazy("Results per page must be 1 or more."),
        },
    )

    def __init__(self, data: QueryDict, *, choices: Choices):
        data = data.copy()
        procedure_specialty = {slug: specialty for slug, _t, specialty in choices.procedures}
        # Arriving from a guide (?procedure=...) prefills that procedure's specialty too; an
        # explicit "specialty=" (Any) in the query string is kept as the patient's choice.
        if "specialty" not in data and data.get("procedure") in procedure_specialty:
            data["specialty"] = procedure_specialty[data["procedure"]]
        if not data.get("radius"):
            data["radius"] = str(DEFAULT_RADIUS)
        super().__init__(data)
        self.resolved_location: GeoPoint | None = None
        self.location_suggestions: list[str] = []
        self.location_found: Geocode | None = None  # the gazetteer's reading of `location`
        # Set by the page, not read from the API's parameters: search the words as typed,
        # kept in every link of this search (search/reading.py).
        self.as_typed = False
        self.procedure_specialty = procedure_specialty
        self.fields["procedure"].choices = [("", _("Any procedure"))] + [
            (slug, title) for slug, title, _s in choices.procedures
        ]
        self.fields["specialty"].choices = [("", _("Any specialty")), *choices.specialties]
        self.fields["radius"].choices = [
            (str(miles), _("Within %(miles)s miles") % {"miles": miles}) for miles in RADIUS_CHOICES
        ]
        self.fields["insurance"].choices = [("", _("Any plan")), *choices.insurance]
        names = language_names(list(LANGUAGE_CODES))
        self.fields["language"].choices = [
            ("", _("Any language")),
            *zip(LANGUAGE_CODES, names, strict=True),
        ]
        if self.speakers_first_offered:
            self.fields["speakers_first"].label = _("Providers who speak %(language)s first") % {
                "language": get_language_info(get_language())["name_local"]
            }
        for name in ("procedure", "specialty", "insurance", "language", "sex"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose one of the options in the list."
            )
        volume_choices = list(MIN_VOLUME_CHOICES)
        asked = (data.get("min_volume") or "").strip()
        if asked.isdigit() and asked not in dict(volume_choices) and int(asked) > 0:
            # A shared link or an API client may ask for any number: show it as chosen.
            volume_choices.append((asked, _("At least %(n)s a year") % {"n": asked}))
        self.fields["min_volume"].widget.choices = volume_choices
        rating_choices = list(MIN_RATING_CHOICES)
        asked = (data.get("min_rating") or "").strip()
        if _RATING.match(asked) and 1 <= float(asked) <= 5:
            asked = rating_param(Decimal(asked))
            if asked not in dict(rating_choices):
                label = _("%(n)s stars or more") % {"n": asked}
                rating_choices.append((asked, label))
        self.fields["min_rating"].widget.choices = rating_choices
        self.fields["procedure"].widget.attrs["data-specialties"] = ",".join(
            f"{slug}:{specialty}" for slug, specialty in procedure_specialty.items()
        )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_location(self) -> str:
        text = " ".join(self.cleaned_data["location"].split())
        if not text:
            return ""
        coordinates = _COORDINATES.match(text)
        if coordinates:
            return self._clean_coordinates(float(coordinates[1]), float(coordinates[2]))
        found = geocode(text)
        if not found.ok:
            self.location_suggestions = found.suggestions
            raise forms.ValidationError(found.message, code="unresolved")
        self.resolved_location = GeoPoint(found.latitude, found.longitude, found.label)
        self.location_found = found
        return text

    def _clean_coordinates(self, latitude: float, longitude: float) -> str:
        """'40.75,-73.99' from "use my location": the nearest ZIP stands in for the point."""
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise forms.ValidationError(
                _("Enter a ZIP code, or a city and state such as Austin, TX."), code="invalid"
            )
        code = nearest_zip(latitude, longitude)
        if code is None:
            raise forms.ValidationError(
                _("Your location does not seem to be in the US. Enter a ZIP code instead."),
                code="outside",
            )
        place = zip_place(code)
        label = f"{place.zip_code} ({place.city}, {place.state})"
        self.resolved_location = GeoPoint(place.latitude, place.longitude, label)
        return code

    def clean_page(self) -> int:
        return self.cleaned_data["page"] or 1

    def clean_page_size(self) -> int:
        # A cap, not an error: a shared link asking for 500 rows still gets a page.
        return min(self.cleaned_data["page_size"] or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)

    def clean(self) -> dict:
        cleaned = super().clean()
        wants_distance = cleaned.get("sort") == "distance"
        if wants_distance and not cleaned.get("location") and "location" not in self.errors:
            self.add_error("sort", _("Enter a location above to sort by distance."))
        return cleaned

    @property
    def speakers_first_offered(self) -> bool:
        """Whether this page's language may be put first: any but the site's own."""
        return (get_language() or settings.LANGUAGE_CODE) != settings.LANGUAGE_CODE

    @property
    def has_criteria(self) -> bool:
        """Whether a valid form asks for anything (an empty page shows the form only)."""
        keys = ("q", "procedure", "specialty", "location", *FILTER_KEYS)
        return any(self.cleaned_data[key] for key in keys)

    def query(self) -> ProviderQuery:
        data = self.cleaned_data
        return ProviderQuery(
            text=data["q"],
            procedure=data["procedure"],
            specialty=data["specialty"],
            near=self.resolved_location,
            radius_miles=data["radius"],
            accepting_new_patients=data["accepting"],
            telehealth=data["telehealth"],
            insurance=data["insurance"],
            language=data["language"],
            sex=data["sex"],
            board_certified=data["board_certified"],
            verified=data["verified"],
            accessibility=tuple(data["access"]),
            min_volume=data["min_volume"],
            min_rating=float(data["min_rating"]) if data["min_rating"] is not None else None,
            sort=data["sort"],
            speakers_first=get_language()
            if data["speakers_first"] and self.speakers_first_offered
            else "",
            page=data["page"],
            page_size=data["page_size"],
            as_typed=self.as_typed,
        )

    def canonical_params(self, **changes) -> list[tuple[str, str]]:
        """The query string of this search as a shareable URL states it (valid forms only).

        Defaults are left out; `changes` replaces keys (None drops one), e.g. page=2.
        """
        data = self.cleaned_data
        params: dict[str, list[str]] = {
            "q": [data["q"]],
            "procedure": [data["procedure"]],
            "specialty": [data["specialty"]],
            "location": [data["location"]],
            "radius": [str(data["radius"])] if data["location"] else [],
            **{key: ["1"] if data[key] else [] for key in FILTER_KEYS[:4]},
            **{key: [data[key]] for key in ("insurance", "language", "sex")},
            "access": list(data["access"]),
            "min_volume": [str(data["min_volume"])] if data["min_volume"] else [],
            "min_rating": [rating_param(data["min_rating"])] if data["min_rating"] else [],
            "sort": [data["sort"]],
            "speakers_first": ["1"] if data["speakers_first"] else [],
            "page": [str(data["page"])] if data["page"] > 1 else [],
            "page_size": [str(data["page_size"])] if data["page_size"] != DEFAULT_PAGE_SIZE else [],
        }
        for key, value in changes.items():
            params[key] = [] if value is None else [str(v) for v in _as_list(value)]
        pairs = [(key, value) for key in QUERY_KEYS for value in params[key] if value]
        if self.as_typed:
            pairs.append((AS_TYPED, "1"))
        if any(params["procedure"]) and not any(params["specialty"]):
            # "Any specialty" chosen on purpose next to a procedure must survive the round
            # trip, or opening the URL would prefill the procedure's specialty again.
            after_procedure = [key for key, _value in pairs].index("procedure") + 1
            pairs.insert(after_procedure, ("specialty", ""))
        return pairs

    def canonical_query(self, **changes) -> str:
        return urlencode(self.canonical_params(**changes))


def rating_param(value: Decimal) -> str:
    """4.50 -> '4.5', 4 -> '4': how a minimum rating is written in a URL."""
    return format(value.normalize(), "f")


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]
