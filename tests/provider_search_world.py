"""A small, hand-made neighbourhood of providers around Manhattan for the search page tests.

Names sort the same way by first and last name, and distances from ZIP 10001 grow in the
order Alvarez (0.2 mi), Dunn (demo, 1.9 mi), Chen (3.3 mi), Brooks (3.8 mi), Evans (83 mi),
Farrow (2,445 mi), so every sort and filter shows in who is listed and in what order.
"""

from dataclasses import dataclass

from careatlas.procedures.models import Procedure
from careatlas.providers.models import Practitioner
from careatlas.search.interface import rebuild_provider_index
from tests.provider_factories import (
    CertificationFactory,
    InsurancePlanFactory,
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
