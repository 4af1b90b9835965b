"""The hand-built provider worlds of the tests: the neighbourhood and the directory.

The neighbourhood (search page, API, FHIR, browser tests): six providers whose names sort the
same way by first and last name, and whose distances from ZIP 10001 grow in the order Alvarez
(0.2 mi), Dunn (demo, 1.9 mi), Chen (3.3 mi), Brooks (3.8 mi), Evans (83 mi), Farrow
(2,445 mi), so every sort and filter shows in who is listed and in what order.

The directory (the search engine's own tests): providers placed at measured distances and
bearings from ZIP 10001, at the 25-mile edge, in Philadelphia, Alaska and Hawaii.
Each test builds the one it needs inside its own transaction (a pytest fixture).
"""

import math
from dataclasses import dataclass
from types import SimpleNamespace

from careatlas.procedures.models import Procedure
from careatlas.providers.geocoding import EARTH_RADIUS_MILES, geocode
from careatlas.providers.models import Practitioner
from careatlas.search.interface import GeoPoint, rebuild_provider_index
from tests.provider_factories import (
    CertificationFactory,
    InsurancePlanFactory,
    LicenseFactory,
    LocationFactory,
    PractitionerFactory,
    RoleFactory,
    add_specialty_code,
    offer,
    verified_practitioner,
    verify,
)

OMT = "osteopathic-manual-treatment"
OSTEOPATHIC = "204D00000X"
CHIROPRACTIC = "111N00000X"
PHYSICAL_THERAPY = "225100000X"


@dataclass
class Neighbourhood:
    alvarez: Practitioner
    brooks: Practitioner
    chen: Practitioner
    dunn: Practitioner
    evans: Practitioner
    farrow: Practitioner

    def names(self) -> dict[str, str]:
        """Display name -> persona, e.g. 'Ana Alvarez, DO' -> 'alvarez'."""
        return {
            getattr(self, persona).display_name: persona
            for persona in ("alvarez", "brooks", "chen", "dunn", "evans", "farrow")
        }


def _place(zip_code: str, city: str, state: str, lat: float, lon: float, **fields):
    return LocationFactory(
        zip_code=zip_code, city=city, state=state, latitude=lat, longitude=lon, **fields
    )


def build_neighbourhood() -> Neighbourhood:
    """Six providers (one of them demo data), indexed for search. Needs the content pack."""
    empire = InsurancePlanFactory(slug="empire-demo-ppo", name="Empire Demo PPO")
    harbor = InsurancePlanFactory(slug="harbor-demo-hmo", name="Harbor Demo HMO")
    omt = Procedure.objects.get(slug=OMT)
    manipulation = Procedure.objects.get(slug="chiropractic-manipulation")

    alvarez = verified_practitioner(
        first_name="Ana", last_name="Alvarez", credentials=["DO"], sex="female",
        languages=["en", "es"],
    )  # fmt: skip
    verify(CertificationFactory(practitioner=alvarez), "board_certification")
    role = RoleFactory(
        practitioner=alvarez,
        accepting_new_patients="newpt",
        location=_place(
            "10001", "New York", "NY", 40.7506, -73.9972,
            line1="1 Chelsea Way", telehealth=True, accessibility=["step_free", "elevator"],
        ),
    )  # fmt: skip
    add_specialty_code(role, OSTEOPATHIC)
    offer(role, omt)
    role.insurance_plans.add(empire)

    brooks = PractitionerFactory(
        first_name="Ben", last_name="Brooks", credentials=["DC"], sex="male", languages=["en"]
    )
    role = RoleFactory(
        practitioner=brooks,
        accepting_new_patients="nopt",
        location=_place(
            "11201", "Brooklyn", "NY", 40.6943, -73.9903,
            line1="2 Court Street", telehealth=True, accessibility=["parking"],
        ),
    )  # fmt: skip
    add_specialty_code(role, CHIROPRACTIC)
    offer(role, manipulation)
    role.insurance_plans.add(harbor)

    chen = verified_practitioner(
        first_name="Chloe", last_name="Chen", credentials=["PT"], sex="female",
        languages=["en", "zh"],
    )  # fmt: skip
    role = RoleFactory(
        practitioner=chen,
        accepting_new_patients="newpt",
        location=_place(
            "07302", "Jersey City", "NJ", 40.7196, -74.0466,
            line1="3 Grove Street", telehealth=False,
            accessibility=["step_free", "accessible_parking"],
        ),
    )  # fmt: skip
    add_specialty_code(role, PHYSICAL_THERAPY)
    role.insurance_plans.add(empire)

    dunn = PractitionerFactory(
        first_name="Dara", last_name="Dunn", credentials=["DO"], sex="male", languages=["en"],
        is_demo=True,
    )  # fmt: skip
    role = RoleFactory(
        practitioner=dunn,
        accepting_new_patients="existptonly",
        location=_place(
            "07030", "Hoboken", "NJ", 40.7440, -74.0324,
            line1="4 River Street", telehealth=False, accessibility=[], is_demo=True,
        ),
    )  # fmt: skip
    add_specialty_code(role, OSTEOPATHIC)
    offer(role, omt)

    evans = verified_practitioner(
        first_name="Eva", last_name="Evans", credentials=["DO"], sex="female", languages=["en"]
    )
    verify(CertificationFactory(practitioner=evans), "board_certification")
    role = RoleFactory(
        practitioner=evans,
        location=_place("19103", "Philadelphia", "PA", 39.9526, -75.1652, line1="5 Walnut St"),
    )
    add_specialty_code(role, OSTEOPATHIC)
    offer(role, omt)

    farrow = PractitionerFactory(
        first_name="Finn", last_name="Farrow", credentials=["DO"], sex="male", languages=["en"]
    )
    role = RoleFactory(
        practitioner=farrow,
        location=_place("90012", "Los Angeles", "CA", 34.0614, -118.2385, line1="6 Main St"),
    )
    add_specialty_code(role, OSTEOPATHIC)
    offer(role, omt)

    rebuild_provider_index()
    return Neighbourhood(alvarez, brooks, chen, dunn, evans, farrow)


def zip_point(zip_code: str) -> GeoPoint:
    found = geocode(zip_code)
    return GeoPoint(found.latitude, found.longitude, found.label)


def moved(point: GeoPoint, miles: float, bearing_degrees: float) -> tuple[float, float]:
    """The point `miles` away along a great circle with the given bearing."""
    lat1, lon1 = math.radians(point.latitude), math.radians(point.longitude)
    angle, bearing = miles / EARTH_RADIUS_MILES, math.radians(bearing_degrees)
    lat2 = math.asin(
        math.sin(lat1) * math.cos(angle) + math.cos(lat1) * math.sin(angle) * math.cos(bearing)
    )
    lon2 = lon1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(lat1),
        math.cos(angle) - math.sin(lat1) * math.sin(lat2),
    )
    return math.degrees(lat2), math.degrees(lon2)


def provider(
    first: str,
    last: str,
    at: tuple[float, float],
    code: str = OSTEOPATHIC,
    *,
    city: str = "New York",
    state: str = "NY",
    zip_code: str = "10001",
    practitioner: dict | None = None,
    location: dict | None = None,
    role: dict | None = None,
    procedures: tuple[str, ...] = (),
    plans=(),
    verified: bool = False,
    certified: bool = False,
) -> Practitioner:
    """A practitioner with one role at a place of their own, with one specialty code."""
    person = PractitionerFactory(first_name=first, last_name=last, **(practitioner or {}))
    place = LocationFactory(
        latitude=at[0],
        longitude=at[1],
        city=city,
        state=state,
        zip_code=zip_code,
        **{"telehealth": False, "accessibility": [], **(location or {})},
    )
    job = RoleFactory(
        practitioner=person,
        location=place,
        **{"accepting_new_patients": "nopt", **(role or {})},
    )
    add_specialty_code(job, code)
    for slug in procedures:
        offer(job, Procedure.objects.get(slug=slug))
    job.insurance_plans.set(plans)
    if verified:
        verify(person, "identity")
        verify(LicenseFactory(practitioner=person), "license")
    if certified:
        CertificationFactory(practitioner=person)
    return person


def build_directory() -> SimpleNamespace:
    """Named providers around New York (some just inside or outside 25 miles), in
    Philadelphia, Alaska and Hawaii, indexed for search. Needs the content pack."""
    nyc = zip_point("10001")
    harbor = InsurancePlanFactory(slug="harbor-ppo", name="Harbor PPO")
    people = SimpleNamespace(nyc=nyc, plan=harbor)
    people.dana = provider(
        "Dana",
        "Rodriguez",
        (nyc.latitude, nyc.longitude),
        practitioner={"sex": "female", "languages": ["en", "es"]},
        location={"telehealth": True, "accessibility": ["step_free", "elevator"]},
        role={"accepting_new_patients": "newpt"},
        procedures=("osteopathic-manual-treatment",),
        plans=[harbor],
        verified=True,
        certified=True,
    )
    people.sam = provider(
        "Sam",
        "Okafor",
        moved(nyc, 10, 90),
        CHIROPRACTIC,
        practitioner={"sex": "male", "languages": ["en"], "credentials": ["DC"]},
        procedures=("chiropractic-manipulation",),
    )
    people.priya = provider(
        "Priya",
        "Shah",
        moved(nyc, 3, 200),
        PHYSICAL_THERAPY,
        practitioner={"sex": "female", "languages": ["en", "hi"], "credentials": ["PT"]},
        location={"accessibility": ["step_free"]},
        role={"accepting_new_patients": "newpt"},
        verified=True,
    )
    people.inside = provider("Ina", "Insideedge", moved(nyc, 24.99, 90))
    people.diagonal = provider("Dora", "Diagonal", moved(nyc, 24.97, 45))
    people.outside = provider("Otto", "Outsideedge", moved(nyc, 25.01, 0))
    people.outside_sw = provider("Olga", "Southwest", moved(nyc, 25.01, 225))
    philly = zip_point("19103")
    people.philly = provider(
        "Phil",
        "Adelphia",
        (philly.latitude, philly.longitude),
        city="Philadelphia",
        state="PA",
        zip_code="19103",
    )
    people.hidden = provider("Ivy", "Rodriguez", moved(nyc, 1, 0), practitioner={"active": False})
    anchorage, fairbanks, honolulu = (zip_point(z) for z in ("99501", "99701", "96813"))
    people.anchorage, people.fairbanks, people.honolulu = anchorage, fairbanks, honolulu
    people.alaskan = provider(
        "Aleq", "Northstar", (anchorage.latitude, anchorage.longitude), state="AK"
    )
    # At 65 degrees north a mile east is 2.4 times as many degrees as at the equator.
    people.far_north = provider("Nuna", "Eastfair", moved(fairbanks, 20, 90), state="AK")
    people.islander = provider("Kai", "Makani", (honolulu.latitude, honolulu.longitude), state="HI")
    rebuild_provider_index()
    return people
