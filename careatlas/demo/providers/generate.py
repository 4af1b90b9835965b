"""Deterministic synthetic providers, produced in chunks of rows (field name -> value).

Everything is drawn from one seeded random stream and decided in Python, so a chunk is
inserted with one statement per table and no query per row. Ids are assigned here, which
lets children point at parents before anything is written.
"""

import datetime
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone

from careatlas.demo.providers import catalogue as cat
from careatlas.providers.geocoding import (
    STATE_NAMES,
    ZipPlace,
    distance_miles,
    standard_zip_places,
)
from careatlas.providers.models import (
    BoardCertification,
    Location,
    OfferedProcedure,
    Organization,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    StateLicense,
    Verification,
)
from careatlas.providers.npi import npi_check_digit

InsuranceLink = PractitionerRole.insurance_plans.through
# Parents before children: the order rows are inserted in.
MODELS = (
    Organization,
    Location,
    Practitioner,
    StateLicense,
    BoardCertification,
    PractitionerRole,
    RoleSpecialty,
    OfferedProcedure,
    InsuranceLink,
    Verification,
)
US_STATES = frozenset(STATE_NAMES) - {"PR", "GU", "VI", "AS", "MP"}
STALE_AFTER = 180


@dataclass(frozen=True)
class SpecialtyRow:
    id: int
    slug: str
    nucc_codes: tuple[str, ...]
    procedure_ids: tuple[int, ...]


@dataclass(frozen=True)
class ContentPack:
    """What the generator needs from the content pack and plans, read once up front."""

    specialties: tuple[SpecialtyRow, ...]
    # procedure id -> (low, high) US dollars, from the guides' cost figures
    prices: dict[int, tuple[float, float]]
    # (plan id, share of roles that accept it)
    plans: tuple[tuple[int, float], ...]


@dataclass
class Chunk:
    rows: dict[type[models.Model], list[dict]] = field(
        default_factory=lambda: {model: [] for model in MODELS}
    )

    @property
    def practitioners(self) -> int:
        return len(self.rows[Practitioner])


def demo_npis(count: int, seed: int) -> list[str]:
    """`count` distinct NPIs in the demo range (leading 9), the same for the same seed."""
    serials = random.Random(seed).sample(range(10**8), count)
    npis = []
    for serial in serials:
        first_nine = f"{cat.DEMO_NPI_LEAD}{serial:08d}"
        npis.append(first_nine + npi_check_digit(first_nine))
    return npis


def _cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


class DemoGenerator:
    def __init__(
        self,
        count: int,
        seed: int,
        pack: ContentPack,
        first_ids: dict[type[models.Model], int],
        today: datetime.date | None = None,
        stale_after_days: int = STALE_AFTER,
    ):
        self.count = count
        self.pack = pack
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.rng = random.Random(seed)
        self.npis = iter(demo_npis(count, seed))
        self.ids = {model: itertools.count(first_ids.get(model, 1)) for model in MODELS}
        self.stale_after = stale_after_days
        self.days_ago = [self.today - datetime.timedelta(days=n) for n in range(1200)]
        self.days_ahead = [self.today + datetime.timedelta(days=n) for n in range(3200)]

        places = [p for p in standard_zip_places() if p.state in US_STATES]
        self.places = places
        self.places_by_state: dict[str, list[ZipPlace]] = defaultdict(list)
        for place in places:
            self.places_by_state[place.state].append(place)
        # The first group of each state guarantees every state has demo providers.
        self.state_openers = sorted(self.places_by_state)
        self.metro_places = [_places_near(places, lat, lon) for _, lat, lon, _ in cat.METROS]
        self.metro_cw = _cumulative(weight for *_, weight in cat.METROS)

        self.specialties = pack.specialties
        self.professions = [
            cat.PROFESSIONS.get(s.slug, cat.DEFAULT_PROFESSION) for s in self.specialties
        ]
        self.specialty_cw = _cumulative(p.weight for p in self.professions)
        self.size_values = [s for s, _ in cat.PRACTICE_SIZES]
        self.size_cw = _cumulative(w for _, w in cat.PRACTICE_SIZES)
        self.accepting_values = [a for a, _ in cat.ACCEPTING]
        self.accepting_cw = _cumulative(w for _, w in cat.ACCEPTING)
        self.hours_values = [h for h, _ in cat.HOURS_TEMPLATES]
        self.hours_cw = _cumulative(w for _, w in cat.HOURS_TEMPLATES)

    # -- small draws -------------------------------------------------------------------

    def _pick(self, values, cum_weights):
        return self.rng.choices(values, cum_weights=cum_weights)[0]

    def _next_id(self, model) -> int:
        return next(self.ids[model])

    def _age_days(self) -> int:
        """Verification ages: mostly fresh, some close to stale, a third stale."""
        r = self.rng.random()
        if r < 0.55:
            return self.rng.randrange(0, self.stale_after - 30)
        if r < 0.65:
            return self.rng.randrange(self.stale_after - 30, self.stale_after)
        return self.rng.randrange(self.stale_after + 1, 1100)

    def _place_for_group(self, group: int) -> ZipPlace:
        if group < len(self.state_openers):
            return self.rng.choice(self.places_by_state[self.state_openers[group]])
        if self.rng.random() < cat.METRO_SHARE:
            return self.rng.choice(self._pick(self.metro_places, self.metro_cw))
        return self.rng.choice(self.places)

    # -- rows ----------------------------------------------------------------------------

    def _verify(self, chunk, fact, subject, subject_id, chance, methods, by) -> None:
        if self.rng.random() >= chance:
            return
        chunk.rows[Verification].append(
            dict(
                id=self._next_id(Verification),
                fact=fact,
                **{f"{subject}_id": subject_id},
                method=self.rng.choice(methods),
                verified_by=by,
                verified_on=self.days_ago[self._age_days()],
                disputed=self.rng.random() < 0.01,
                created_at=self.now,
                updated_at=self.now,
            )
        )

    def _organization(self, chunk, profession, place, hospital: bool) -> dict:
        surname = self.rng.choice(cat.SURNAMES)
        if hospital:
            name = f"{cat.DEMO_PREFIX} {place.city} General Hospital"
        elif self.rng.random() < 0.5:
            name = f"{cat.DEMO_PREFIX} {surname} {self.rng.choice(profession.practice_words)}"
        else:
            name = f"{place.city} {self.rng.choice(profession.practice_words)} ({cat.DEMO_PREFIX})"
        org = dict(
            id=self._next_id(Organization),
            name=name,
            kind="hospital" if hospital else "practice",
            is_demo=True,
            created_at=self.now,
            updated_at=self.now,
        )
        chunk.rows[Organization].append(org)
        return org

    def _location(self, chunk, org, profession, place, name="") -> dict:
        rng = self.rng
        area_code = place.area_codes[0] if place.area_codes else "202"
        features = [code for code, share in cat.ACCESSIBILITY if rng.random() < share]
        location = dict(
            id=self._next_id(Location),
            organization_id=org["id"],
            name=name,
            line1=f"{rng.randrange(10, 9990)} Example {rng.choice(cat.STREETS)} "
            f"{rng.choice(cat.STREET_TYPES)}",
            line2=f"Suite {rng.randrange(100, 600)}" if rng.random() < 0.3 else "",
            city=place.city,
            state=place.state,
            zip_code=place.zip_code,
            latitude=place.latitude,
            longitude=place.longitude,
            # 555-0100 to 555-0199 are reserved for fiction in every area code.
            phone=f"{area_code}5550{rng.randrange(100, 200)}",
            hours=self._pick(self.hours_values, self.hours_cw),
            accessibility=features,
            telehealth=rng.random() < profession.telehealth_share,
            is_demo=True,
            created_at=self.now,
            updated_at=self.now,
        )
        chunk.rows[Location].append(location)
        self._verify(chunk, "address", "location", location["id"], 0.8, _ADDRESS_METHODS, _OFFICE)
        self._verify(chunk, "phone", "location", location["id"], 0.7, _OFFICE_METHODS, _OFFICE)
        if location["hours"]:
            self._verify(chunk, "hours", "location", location["id"], 0.45, _OFFICE_METHODS, _OFFICE)
        if features:
            self._verify(
                chunk, "accessibility", "location", location["id"], 0.25, _ACCESS_METHODS, _OFFICE
            )
        return location

    def _practitioner(self, chunk, specialty, profession, state) -> dict:
        rng = self.rng
        sex = "female" if rng.random() < 0.52 else "male"
        if rng.random() < 0.01:
            sex = "unknown"
        first = rng.choice(cat.FEMALE_NAMES if sex == "female" else cat.MALE_NAMES)
        last = rng.choice(cat.SURNAMES)
        credentials = list(self._pick(*_unzip(profession.credentials)))
        languages = ["en"] if rng.random() < 0.97 else []
        languages += [code for code, share in cat.LANGUAGES if rng.random() < share]
        graduated = self.today.year - rng.randrange(3, 38)
        school = f"{cat.DEMO_PREFIX} University of {STATE_NAMES[rng.choice(self.state_openers)]}"
        practitioner = dict(
            id=self._next_id(Practitioner),
            npi=next(self.npis),
            prefix=cat.DEMO_PREFIX,
            first_name=first,
            middle_name=f"{rng.choice(cat.MIDDLE_INITIALS)}." if rng.random() < 0.4 else "",
            last_name=last,
            credentials=credentials,
            sex=sex,
            languages=languages or ["en"],
            bio=f"{first} {last} is a synthetic {profession.noun} created for CareAtlas demos. "
            f"This is not a real person.",
            education=f"{profession.degree}, {school}, {graduated}",
            is_demo=True,
            created_at=self.now,
            updated_at=self.now,
        )
        chunk.rows[Practitioner].append(practitioner)
        self._verify(chunk, "identity", "practitioner", practitioner["id"], 0.93, _REGISTRY, _NPPES)
        self._licenses(chunk, practitioner, state)
        self._certification(chunk, practitioner, profession)
        return practitioner

    def _licenses(self, chunk, practitioner, state) -> None:
        rng = self.rng
        states = [state]
        if rng.random() < 0.1:
            states.append(rng.choice(self.state_openers))
        for st in dict.fromkeys(states):
            r = rng.random()
            status, expires = "active", self.days_ahead[rng.randrange(30, 1100)]
            if r < 0.02:
                status, expires = "expired", self.days_ago[rng.randrange(1, 900)]
            elif r < 0.04:
                status = "inactive"
            license_ = dict(
                id=self._next_id(StateLicense),
                practitioner_id=practitioner["id"],
                state=st,
                number=f"DEMO-{rng.randrange(100000, 999999)}",
                status=status,
                expires_on=expires,
            )
            chunk.rows[StateLicense].append(license_)
            self._verify(chunk, "license", "license", license_["id"], 0.9, _LICENSE_METHODS, _BOARD)

    def _certification(self, chunk, practitioner, profession) -> None:
        rng = self.rng
        if not profession.boards or rng.random() >= profession.certified_share:
            return
        board, specialty = rng.choice(profession.boards)
        r = rng.random()
        status, expires = "active", self.days_ahead[rng.randrange(60, 3100)]
        if r < 0.1:
            expires = None  # a lifetime certificate
        elif r < 0.15:
            status, expires = "expired", self.days_ago[rng.randrange(1, 1000)]
        certification = dict(
            id=self._next_id(BoardCertification),
            practitioner_id=practitioner["id"],
            board=board,
            specialty=specialty,
            status=status,
            expires_on=expires,
        )
        chunk.rows[BoardCertification].append(certification)
        self._verify(
            chunk,
            "board_certification",
            "certification",
            certification["id"],
            0.75,
            _CERT_METHODS,
            _BOARD,
        )

    def _role(self, chunk, practitioner, org, location, specialty, profession) -> None:
        rng = self.rng
        role = dict(
            id=self._next_id(PractitionerRole),
            practitioner_id=practitioner["id"],
            organization_id=org["id"],
            location_id=location["id"],
            accepting_new_patients=self._pick(self.accepting_values, self.accepting_cw),
            created_at=self.now,
            updated_at=self.now,
        )
        chunk.rows[PractitionerRole].append(role)
        codes = specialty.nucc_codes
        if codes:
            chunk.rows[RoleSpecialty].append(
                dict(
                    id=self._next_id(RoleSpecialty),
                    role_id=role["id"],
                    code=codes[0],
                    specialty_id=specialty.id,
                    is_primary=True,
                )
            )
            if len(codes) > 1 and rng.random() < 0.2:
                chunk.rows[RoleSpecialty].append(
                    dict(
                        id=self._next_id(RoleSpecialty),
                        role_id=role["id"],
                        code=rng.choice(codes[1:]),
                        specialty_id=specialty.id,
                    )
                )
        for procedure_id in specialty.procedure_ids:
            if rng.random() < 0.8:
                self._offer(chunk, role, procedure_id)
        low, high = profession.insured_plans
        plans = [plan for plan, share in self.pack.plans if rng.random() < share]
        rng.shuffle(plans)
        for plan_id in sorted(plans[: rng.randint(low, high)]):
            chunk.rows[InsuranceLink].append(
                dict(
                    id=self._next_id(InsuranceLink),
                    practitionerrole_id=role["id"],
                    insuranceplan_id=plan_id,
                )
            )
        self._verify(
            chunk, "accepting_new_patients", "role", role["id"], 0.6, _OFFICE_METHODS, _OFFICE
        )
        self._verify(chunk, "specialty", "role", role["id"], 0.5, _REGISTRY, _NPPES)
        self._verify(chunk, "insurance", "role", role["id"], 0.35, _CLAIMS_METHODS, _CLAIMS)

    def _offer(self, chunk, role, procedure_id) -> None:
        rng = self.rng
        low = high = None
        price = self.pack.prices.get(procedure_id)
        if price and rng.random() < 0.4:
            base_low, base_high = price
            low = _round5(base_low * rng.uniform(0.8, 1.2))
            high = max(low, _round5(low + (base_high - base_low) * rng.uniform(0.1, 0.6)))
            low, high = Decimal(low), Decimal(high)
        offered = dict(
            id=self._next_id(OfferedProcedure),
            role_id=role["id"],
            procedure_id=procedure_id,
            self_pay_low=low,
            self_pay_high=high,
        )
        chunk.rows[OfferedProcedure].append(offered)
        self._verify(
            chunk, "procedure_offered", "offered_procedure", offered["id"], 0.55, _CLAIMS_METHODS,
            _CLAIMS,
        )  # fmt: skip
        if low is not None:
            self._verify(
                chunk, "self_pay_price", "offered_procedure", offered["id"], 0.5, _OFFICE_METHODS,
                _OFFICE,
            )  # fmt: skip

    def _group(self, chunk, group: int, size_left: int) -> int:
        """One organization with its locations and practitioners; returns how many."""
        rng = self.rng
        index = self.rng.choices(range(len(self.specialties)), cum_weights=self.specialty_cw)[0]
        specialty, profession = self.specialties[index], self.professions[index]
        place = self._place_for_group(group)
        hospital = rng.random() < profession.hospital_share
        size = rng.randint(5, 15) if hospital else self._pick(self.size_values, self.size_cw)
        size = min(size, size_left)
        org = self._organization(chunk, profession, place, hospital)
        locations = [self._location(chunk, org, profession, place)]
        if rng.random() < 0.1:
            second = rng.choice(self.places_by_state[place.state])
            locations[0]["name"] = f"{org['name']} – {place.city}"
            locations.append(
                self._location(chunk, org, profession, second, f"{org['name']} – {second.city}")
            )
        for _ in range(size):
            practitioner = self._practitioner(chunk, specialty, profession, place.state)
            self._role(chunk, practitioner, org, locations[0], specialty, profession)
            if len(locations) > 1 and rng.random() < 0.7:
                self._role(chunk, practitioner, org, locations[1], specialty, profession)
        return size

    def chunks(self, size: int = 10_000) -> Iterator[Chunk]:
        """Chunks of about `size` practitioners (whole organizations) until `count` is made."""
        made, group = 0, 0
        chunk = Chunk()
        while made < self.count:
            made += self._group(chunk, group, self.count - made)
            group += 1
            if chunk.practitioners >= size:
                yield chunk
                chunk = Chunk()
        if chunk.practitioners:
            yield chunk


def _places_near(places: list[ZipPlace], latitude: float, longitude: float) -> list[ZipPlace]:
    # A degree of latitude is 69 miles: the box test skips the trigonometry for most ZIPs.
    box = cat.METRO_MILES / 69 * 1.5
    return [
        p
        for p in places
        if abs(p.latitude - latitude) < box
        and abs(p.longitude - longitude) < box * 1.6
        and distance_miles((latitude, longitude), (p.latitude, p.longitude)) <= cat.METRO_MILES
    ]


def _round5(value: float) -> int:
    return max(5, int(round(value / 5.0)) * 5)


def _unzip(pairs):
    values, weights = zip(*pairs, strict=True)
    return list(values), _cumulative(weights)


_NPPES = "NPPES registry match (demo data)"
_BOARD = "Licensing board lookup (demo data)"
_OFFICE = "Office confirmation call (demo data)"
_CLAIMS = "Claims data (demo data)"
_REGISTRY = ("registry_match",)
_LICENSE_METHODS = ("registry_match", "registry_match", "document")
_CERT_METHODS = ("document", "registry_match")
_ADDRESS_METHODS = ("registry_match", "office_confirmation", "claims_data")
_OFFICE_METHODS = ("office_confirmation",)
_ACCESS_METHODS = ("office_confirmation", "patient_report")
_CLAIMS_METHODS = ("claims_data", "claims_data", "office_confirmation")
