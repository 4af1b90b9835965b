"""CMS Care Compare clinicians in: education, Medicare assignment, practices, hospitals, places.

The "Doctors and Clinicians National Downloadable File" has one row per clinician and
address. Rows join the directory on NPI: a clinician NPPES already brought in is enriched,
one it has not is created from the row (names, sex, credential). Each address becomes a
Location keyed "dac:<npi>:<adrs_id>" with a PractitionerRole there, unless the clinician
already practises at that street address from another source (then that place is kept).
"""

import csv
import datetime
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import timezone

from careatlas.imports import cms_fields
from careatlas.imports.casing import address_line, person_name, place_name
from careatlas.imports.files import SourceFile
from careatlas.imports.models import ImportKind
from careatlas.imports.rows import RowSource
from careatlas.imports.source import BadFile, BadRow, refresh_search
from careatlas.providers.models import (
    Fact,
    Location,
    MedicareAssignment,
    Method,
    Organization,
    OrganizationKind,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    Sex,
    Verification,
)
from careatlas.providers.models.roles import specialty_ids_by_nucc_code
from careatlas.providers.models.verification import FACT_SUBJECTS

SOURCE = "CMS Care Compare"
SPECIALTY_TABLE = Path(__file__).parent / "data" / "cms_specialty_to_nucc.csv"
SPECIALTY_COLUMNS = ("pri_spec", "sec_spec_1", "sec_spec_2", "sec_spec_3", "sec_spec_4")
HOSPITAL_COLUMNS = tuple((f"hosp_afl_{n}", f"hosp_afl_lbn_{n}") for n in range(1, 6))
COLUMNS = (
    "NPI", "Ind_PAC_ID", "lst_nm", "frst_nm", "mid_nm", "suff", "gndr", "Cred", "Med_sch",
    "Grd_yr", *SPECIALTY_COLUMNS, "org_nm", "org_pac_id", "adr_ln_1", "adr_ln_2", "ln_2_sprs",
    "cty", "st", "zip", "phn_numbr", *(name for pair in HOSPITAL_COLUMNS for name in pair),
    "ind_assgn", "adrs_id",
)  # fmt: skip
_PAC_ID = re.compile(r"^\d{10}$")
_SEX = {"M": Sex.MALE, "F": Sex.FEMALE}
_ASSIGNMENT = {"Y": MedicareAssignment.ACCEPTS, "M": MedicareAssignment.MAY_ACCEPT}
# Care Compare's placeholder for a school it does not name.
_NO_SCHOOL = {"OTHER", "UNKNOWN", ""}


@cache
def cms_specialty_codes() -> dict[str, str]:
    """Care Compare specialty name -> NUCC code, from the table kept with the importer."""
    with SPECIALTY_TABLE.open(encoding="utf-8", newline="") as table:
        return {row["cms_specialty"]: row["nucc_code"] for row in csv.DictReader(table)}


@dataclass(frozen=True)
class Clinician:
    """One row of the file, checked and in the directory's forms."""

    npi: str
    pac_id: str
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    sex: str
    credential: str
    medical_school: str
    graduation_year: int | None
    medicare_assignment: str
    specialties: tuple[str, ...]  # CMS names, primary first
    practice_name: str
    practice_pac_id: str
    line1: str
    line2: str
    city: str
    state: str
    zip_code: str
    phone: str
    address_id: str
    hospitals: tuple[tuple[str, str], ...]  # (CCN, name as the file gives it)

    @property
    def location_key(self) -> str:
        if self.address_id:
            return address_key(self.npi, self.address_id)
        address = "|".join((self.line1, self.line2, self.zip_code)).upper()
        return address_key(self.npi, hashlib.sha256(address.encode()).hexdigest()[:16])


def address_key(npi: str, address_id: str) -> str:
    """Location.source_key of one clinician's address in the file."""
    return f"dac:{npi}:{address_id}"[:60]


def parse_clinician(get, this_year: int) -> Clinician:
    """A Clinician from a row (`get(column)` returns a field), or BadRow with the reason."""
    npi = cms_fields.npi(get("NPI"))
    try:
        return _parse(get, npi, this_year)
    except BadRow as bad:
        raise BadRow(bad.reason, npi) from None


def _parse(get, npi: str, this_year: int) -> Clinician:
    last, first = person_name(get("lst_nm")), person_name(get("frst_nm"))
    if not last or not first:
        raise BadRow("first and last name are required")
    pac_id = _pac_id(get("Ind_PAC_ID"), "PAC ID")
    practice_pac_id = _pac_id(get("org_pac_id"), "group PAC ID")
    line1 = address_line(get("adr_ln_1"))
    if not line1 or not get("cty").strip():
        raise BadRow("street address and city are required")
    state = cms_fields.state(get("st"))
    zip_code = cms_fields.zip_code(get("zip"), state)
    school = " ".join(get("Med_sch").split())
    hospitals = []
    for ccn_column, name_column in HOSPITAL_COLUMNS:
        if get(ccn_column).strip():
            hospitals.append((cms_fields.ccn(get(ccn_column)), " ".join(get(name_column).split())))
    specialties = [" ".join(get(column).split()).upper() for column in SPECIALTY_COLUMNS]
    return Clinician(
        npi=npi,
        pac_id=pac_id,
        first_name=first,
        middle_name=person_name(get("mid_nm")),
        last_name=last,
        suffix=person_name(get("suff")),
        sex=_SEX.get(get("gndr").strip().upper(), Sex.UNKNOWN),
        credential=get("Cred").strip(),
        medical_school="" if school.upper() in _NO_SCHOOL else place_name(school),
        graduation_year=cms_fields.year(get("Grd_yr"), 1900, this_year, "graduation year"),
        medicare_assignment=_ASSIGNMENT.get(get("ind_assgn").strip().upper(), ""),
        specialties=tuple(dict.fromkeys(name for name in specialties if name)),
        practice_name=place_name(get("org_nm")) if practice_pac_id else "",
        practice_pac_id=practice_pac_id,
        line1=line1,
        # "Y" in ln_2_sprs: CMS suppressed the second line; what is left there is not for show.
        line2="" if get("ln_2_sprs").strip().upper() == "Y" else address_line(get("adr_ln_2")),
        city=place_name(get("cty")),
        state=state,
        zip_code=zip_code,
        phone=cms_fields.phone(get("phn_numbr")),
        address_id=get("adrs_id").strip(),
        hospitals=tuple(dict.fromkeys(hospitals)),
    )


def _pac_id(value: str, what: str) -> str:
    """PECOS PAC IDs are ten digits; like ZIPs they lose their leading zeros in CMS's CSV."""
    value = value.strip()
    if value.isdigit() and len(value) < 10:
        value = value.zfill(10)
    if value and not _PAC_ID.match(value):
        raise BadRow(f"{what} {value!r} is not 10 digits")
    return value


def record_verification(
    fact: str, subject, verified_on: datetime.date, known: dict | None = None
) -> bool:
    """A registry-match verification by Care Compare, unless a later one already stands.

    `known` maps subject ids to their verification of this fact, when a batch loaded them.
    A dispute stays flagged: only the review of the report clears it.
    """
    field = FACT_SUBJECTS[fact]
    if known is not None and subject.pk in known:
        current = known[subject.pk]
    else:
        current = Verification.objects.filter(fact=fact, **{field: subject}).first()
    if current is None:
        created = Verification.objects.create(
            fact=fact,
            **{field: subject},
            method=Method.REGISTRY_MATCH,
            verified_by=SOURCE,
            verified_on=verified_on,
        )
        if known is not None:
            known[subject.pk] = created
        return True
    if current.verified_on >= verified_on:
        return False
    current.method, current.verified_by, current.verified_on = (
        Method.REGISTRY_MATCH,
        SOURCE,
        verified_on,
    )
    current.save(update_fields=["method", "verified_by", "verified_on", "updated_at"])
    return True


class CareCompareImporter(RowSource):
    """Joins clinicians on NPI; their places are keyed by NPI and CMS's address id."""

    kind = ImportKind.CARE_COMPARE
    label = "Care Compare"
    columns = COLUMNS

    def __init__(self, path, options: dict) -> None:
        super().__init__(path, options)
        self.specialty_ids = specialty_ids_by_nucc_code()
        self.practices: dict[str, Organization] = {}
        self.hospitals: dict[str, int] = {}
        self.unmapped: Counter[str] = Counter()
        self.touched: set[int] = set()
        self.created: set[int] = set()  # practitioners new in this run: no other places
        # What the current batch's rows will look up, loaded in a few queries per batch.
        self.people: dict[str, Practitioner] = {}
        self.affiliated: dict[int, set[int]] = defaultdict(set)
        self.places: dict[str, Location | None] = {}
        self.roles: dict[tuple[int, int], PractitionerRole] = {}
        self.addresses: dict[int, Verification | None] = {}

    def identity(self, file: SourceFile) -> dict:
        """Verifications carry the day CMS published the file (--data-date), else today."""
        given = self.options.get("data_date")
        if not given:
            self.verified_on = self.data_date = timezone.localdate()
            return {}
        try:
            self.verified_on = datetime.date.fromisoformat(given)
        except ValueError:
            raise BadFile(f"--data-date {given!r} is not a date such as 2025-06-01") from None
        if self.verified_on > timezone.localdate():
            raise BadFile(f"--data-date {given} is in the future")
        self.data_date = self.verified_on
        return {"data_date": given}

    def prepare_batch(self, rows: list[list[str]]) -> None:
        at = self.at
        npis = {fields[at["NPI"]].strip() for fields in rows}
        self.people = {p.npi: p for p in Practitioner.objects.filter(npi__in=npis)}
        through = Practitioner.hospital_affiliations.through.objects
        self.affiliated = defaultdict(set)
        for practitioner_id, hospital_id in through.filter(practitioner__npi__in=npis).values_list(
            "practitioner_id", "organization_id"
        ):
            self.affiliated[practitioner_id].add(hospital_id)
        keys = {
            address_key(fields[at["NPI"]].strip(), fields[at["adrs_id"]].strip())
            for fields in rows
            if fields[at["adrs_id"]].strip()
        }
        self.places = dict.fromkeys(keys)
        self.places.update((p.source_key, p) for p in Location.objects.filter(source_key__in=keys))
        found = [place for place in self.places.values() if place is not None]
        roles = PractitionerRole.objects.filter(location__in=found).prefetch_related("specialties")
        self.roles = {(r.practitioner_id, r.location_id): r for r in roles}
        self.addresses = dict.fromkeys(place.pk for place in found)
        self.addresses.update(
            (v.location_id, v)
            for v in Verification.objects.filter(fact=Fact.ADDRESS, location__in=found)
        )
        ccns = {
            fields[at[column]].strip().upper().zfill(6)
            for fields in rows
            for column, _name in HOSPITAL_COLUMNS
            if fields[at[column]].strip()
        }
        wanted = ccns - set(self.hospitals)
        self.hospitals.update(Organization.objects.filter(ccn__in=wanted).values_list("ccn", "pk"))

    def row(self, line: int, fields: list[str]) -> str:
        clinician = parse_clinician(
            lambda column: fields[self.at[column]], self.verified_on.year + 1
        )
        practitioner, created, changed = self._practitioner(clinician)
        practice = self._practice(clinician)
        location, location_created, location_changed = self._place(clinician, practitioner)
        changed |= location_changed
        changed |= self._affiliations(practitioner, clinician)
        if created:
            record_verification(Fact.IDENTITY, practitioner, self.verified_on)
        if location_created or location.source_key == clinician.location_key:
            changed |= self._role(clinician, practitioner, practice, location)
        changed |= record_verification(Fact.ADDRESS, location, self.verified_on, self.addresses)
        if created or location_created or changed:
            self.touched.add(practitioner.pk)
        if created or location_created:
            return "created"
        return "updated" if changed else "unchanged"

    def finish_rows(self) -> None:
        if not self.run.dry_run:
            refresh_search(self.touched)
        for name, rows in sorted(self.unmapped.items()):
            self.noted.append(
                f"Care Compare specialty {name!r} ({rows:,} rows) has no NUCC code in "
                f"{SPECIALTY_TABLE.name}; those roles list no specialty for it."
            )

    def _practitioner(self, c: Clinician) -> tuple[Practitioner, bool, bool]:
        facts = {
            "medical_school": c.medical_school,
            "graduation_year": c.graduation_year,
            "medicare_assignment": c.medicare_assignment,
            "pac_id": c.pac_id,
        }
        facts = {name: value for name, value in facts.items() if value not in ("", None)}
        practitioner = self.people.get(c.npi)
        if practitioner is None:
            practitioner = self.people[c.npi] = Practitioner.objects.create(
                npi=c.npi,
                first_name=c.first_name,
                middle_name=c.middle_name,
                last_name=c.last_name,
                suffix=c.suffix,
                sex=c.sex,
                credentials=c.credential,
                **facts,
            )
            self.created.add(practitioner.pk)
            return practitioner, True, False
        # NPPES is the authority on names; Care Compare only fills what is missing.
        if practitioner.sex == Sex.UNKNOWN and c.sex != Sex.UNKNOWN:
            facts["sex"] = c.sex
        if not practitioner.credentials and c.credential:
            facts["credentials"] = [c.credential]
        changed = [name for name, value in facts.items() if getattr(practitioner, name) != value]
        for name in changed:
            setattr(practitioner, name, facts[name])
        if changed:
            practitioner.save(update_fields=[*changed, "updated_at"])
        return practitioner, False, bool(changed)

    def _practice(self, c: Clinician) -> Organization | None:
        if not c.practice_pac_id:
            return None
        practice = self.practices.get(c.practice_pac_id)
        if practice is None:
            practice = Organization.objects.filter(
                pac_id=c.practice_pac_id, kind=OrganizationKind.PRACTICE
            ).first() or Organization.objects.create(
                kind=OrganizationKind.PRACTICE, pac_id=c.practice_pac_id, name=c.practice_name
            )
            self.practices[c.practice_pac_id] = practice
        if c.practice_name and practice.name != c.practice_name:
            practice.name = c.practice_name
            practice.save(update_fields=["name", "updated_at"])
        return practice

    def _place(self, c: Clinician, practitioner: Practitioner) -> tuple[Location, bool, bool]:
        """The row's Location: its own, or the clinician's place at the same street address."""
        if c.location_key in self.places:
            location = self.places[c.location_key]
        else:
            location = Location.objects.filter(source_key=c.location_key).first()
        if location is None:
            created = practitioner.pk in self.created
            same = None if created else self._same_street(c, practitioner)
            if same is not None:
                return same, False, False
            latitude, longitude = cms_fields.zip_point(c.zip_code)
            location = Location.objects.create(
                source_key=c.location_key,
                organization=self.practices.get(c.practice_pac_id),
                line1=c.line1,
                line2=c.line2,
                city=c.city,
                state=c.state,
                zip_code=c.zip_code,
                phone=c.phone,
                latitude=latitude,
                longitude=longitude,
            )
            self.places[c.location_key] = location
            self.addresses[location.pk] = None
            return location, True, False
        wanted = {
            "organization": self.practices.get(c.practice_pac_id),
            "line1": c.line1,
            "line2": c.line2,
            "city": c.city,
            "state": c.state,
            "zip_code": c.zip_code,
            "phone": c.phone,
        }
        if location.zip_code[:5] != c.zip_code[:5]:
            wanted["latitude"], wanted["longitude"] = cms_fields.zip_point(c.zip_code)
        changed = [name for name, value in wanted.items() if getattr(location, name) != value]
        for name in changed:
            setattr(location, name, wanted[name])
        if changed:
            location.save(update_fields=[*changed, "updated_at"])
        return location, False, bool(changed)

    def _same_street(self, c: Clinician, practitioner: Practitioner) -> Location | None:
        if practitioner.pk is None:
            return None
        places = Location.objects.filter(roles__practitioner=practitioner).exclude(
            source_key__startswith="dac:"
        )
        for place in places.filter(zip_code__startswith=c.zip_code[:5]):
            if cms_fields.street_key(place.line1) == cms_fields.street_key(c.line1):
                return place
        return None

    def _role(self, c, practitioner, practice, location) -> bool:
        role = self.roles.get((practitioner.pk, location.pk))
        changed = role_created = False
        if role is None:
            role = PractitionerRole.objects.create(
                practitioner=practitioner, organization=practice, location=location
            )
            self.roles[(practitioner.pk, location.pk)] = role
            changed = role_created = True
        elif role.organization_id != (practice.pk if practice else None) or not role.active:
            role.organization, role.active = practice, True
            role.save(update_fields=["organization", "active", "updated_at"])
            changed = True
        return self._specialties(c, role, new=role_created) or changed

    def _specialties(self, c: Clinician, role: PractitionerRole, new: bool = False) -> bool:
        wanted: dict[str, bool] = {}
        for position, name in enumerate(c.specialties):
            code = cms_specialty_codes().get(name)
            if code is None:
                self.unmapped[name] += 1
            elif code not in wanted:
                wanted[code] = position == 0
        # Written in bulk (no signals): finish() reindexes every practitioner touched.
        current = {} if new else {rs.code: rs for rs in role.specialties.all()}
        stale = [rs.pk for code, rs in current.items() if code not in wanted]
        if stale:
            RoleSpecialty.objects.filter(pk__in=stale).delete()
        added = [
            RoleSpecialty(
                role=role, code=code, is_primary=primary, specialty_id=self.specialty_ids.get(code)
            )
            for code, primary in wanted.items()
            if code not in current
        ]
        RoleSpecialty.objects.bulk_create(added)
        changed = bool(stale or added)
        for code, primary in wanted.items():
            existing = current.get(code)
            if existing is not None and existing.is_primary != primary:
                existing.is_primary = primary
                existing.save(update_fields=["is_primary"])
                changed = True
        if changed:  # the batch's prefetched list is stale now
            getattr(role, "_prefetched_objects_cache", {}).pop("specialties", None)
        return changed

    def _affiliations(self, practitioner: Practitioner, c: Clinician) -> bool:
        wanted = [self._hospital(ccn, name) for ccn, name in c.hospitals]
        have = self.affiliated[practitioner.pk]
        missing = [pk for pk in wanted if pk not in have]
        if missing:
            practitioner.hospital_affiliations.add(*missing)
            have.update(missing)
        return bool(missing)

    def _hospital(self, ccn: str, name: str) -> int:
        """The hospital with this CCN; a minimal one until import_hospitals fills it in."""
        if ccn not in self.hospitals:
            existing = Organization.objects.filter(ccn=ccn).values_list("pk", flat=True).first()
            self.hospitals[ccn] = existing or (
                Organization.objects.create(
                    kind=OrganizationKind.HOSPITAL,
                    ccn=ccn,
                    name=place_name(name) or f"CMS-certified hospital {ccn}",
                ).pk
            )
        return self.hospitals[ccn]
