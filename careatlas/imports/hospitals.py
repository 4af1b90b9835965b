"""CMS Hospital General Information in: hospital Organizations and their Locations.

Each hospital is upserted by its CMS Certification Number, so the minimal hospitals that
Care Compare affiliations created get their real name, address and facts, and the
affiliations then lead to full hospital pages. Coordinates come from HIFLD (see hifld.py),
else the ZIP centroid.
"""

from collections import Counter

from careatlas.imports import cms_fields
from careatlas.imports.casing import address_line, place_name
from careatlas.imports.files import SourceFile, describe_file
from careatlas.imports.hifld import HospitalPoints
from careatlas.imports.models import ImportKind
from careatlas.imports.rows import RowSource
from careatlas.imports.source import BadRow
from careatlas.providers.models import Location, Organization, OrganizationKind

COLUMNS = (
    "Facility ID",
    "Facility Name",
    "Address",
    "City/Town",
    "State",
    "ZIP Code",
    "Telephone Number",
    "Hospital Type",
    "Hospital Ownership",
    "Emergency Services",
    "Hospital overall rating",
)
NOT_RATED = {"not available", ""}


def star_rating(value: str) -> int | None:
    """CMS's overall rating, 1 to 5 stars, or None where CMS has not rated the hospital."""
    value = value.strip()
    if value.lower() in NOT_RATED:
        return None
    if value not in {"1", "2", "3", "4", "5"}:
        raise BadRow(f"overall rating {value!r} is not 1 to 5 or Not Available")
    return int(value)


def source_key(ccn: str) -> str:
    return f"ccn:{ccn}"


class HospitalImporter(RowSource):
    """Upserts hospitals by CCN, each with its place; coordinates from HIFLD if given."""

    kind = ImportKind.HOSPITALS
    label = "CMS hospitals"
    columns = COLUMNS

    def __init__(self, path, options: dict) -> None:
        super().__init__(path, options)
        self.points: HospitalPoints | None = None
        self.located: Counter[str] = Counter()
        self.hospitals: dict[str, Organization] = {}
        self.locations: dict[str, Location] = {}

    def identity(self, file: SourceFile) -> dict:
        if not self.options.get("coordinates"):
            return {}
        hifld = describe_file(self.options["coordinates"])
        self.points = HospitalPoints.read(hifld.path)
        # A different coordinates file is a different import, not a resume of this one.
        return {"coordinates_sha256": hifld.sha256}

    def _get(self, fields: list[str], column: str) -> str:
        return " ".join(fields[self.at[column]].split())

    def prepare_batch(self, rows: list[list[str]]) -> None:
        ccns = []
        for fields in rows:
            try:
                ccns.append(cms_fields.ccn(self._get(fields, "Facility ID")))
            except BadRow:
                continue  # reported when the row itself is read
        self.hospitals = {o.ccn: o for o in Organization.objects.filter(ccn__in=ccns)}
        self.locations = {
            loc.source_key: loc
            for loc in Location.objects.filter(source_key__in=[source_key(c) for c in ccns])
        }

    def row(self, line: int, fields: list[str]) -> str:
        ccn = cms_fields.ccn(self._get(fields, "Facility ID"))
        try:
            hospital, place = self._parse(fields, ccn)
        except BadRow as bad:
            raise BadRow(bad.reason, ccn) from None
        organization, org_outcome = self._organization(ccn, hospital)
        location_outcome = self._location(ccn, organization, place)
        if "created" in (org_outcome, location_outcome):
            return "created"
        return "updated" if "updated" in (org_outcome, location_outcome) else "unchanged"

    def _parse(self, fields: list[str], ccn: str) -> tuple[dict, dict]:
        name = place_name(self._get(fields, "Facility Name"))
        if not name:
            raise BadRow("the hospital has no name")
        state = cms_fields.state(self._get(fields, "State"))
        zip_code = cms_fields.zip_code(self._get(fields, "ZIP Code"), state)
        line1 = address_line(self._get(fields, "Address"))
        city = place_name(self._get(fields, "City/Town"))
        if not line1 or not city:
            raise BadRow("street address and city are required")
        hospital = {
            "kind": OrganizationKind.HOSPITAL,
            "name": name,
            "hospital_type": self._get(fields, "Hospital Type"),
            "ownership": self._get(fields, "Hospital Ownership"),
            "star_rating": star_rating(self._get(fields, "Hospital overall rating")),
            "emergency_services": cms_fields.yes_no(self._get(fields, "Emergency Services")),
        }
        latitude, longitude = self._point(ccn, name, line1, zip_code)
        place = {
            "name": name,
            "line1": line1,
            "city": city,
            "state": state,
            "zip_code": zip_code,
            "phone": cms_fields.phone(self._get(fields, "Telephone Number")),
            "latitude": latitude,
            "longitude": longitude,
        }
        return hospital, place

    def _point(self, ccn: str, name: str, line1: str, zip_code: str):
        if self.points is not None:
            found, how = self.points.find(ccn, name, line1, zip_code[:5])
            if found is not None:
                self.located[f"HIFLD ({how})"] += 1
                return found.latitude, found.longitude
        latitude, longitude = cms_fields.zip_point(zip_code)
        self.located["ZIP centroid" if latitude is not None else "none"] += 1
        return latitude, longitude

    def _organization(self, ccn: str, wanted: dict) -> tuple[Organization, str]:
        organization = self.hospitals.get(ccn)
        if organization is None:
            organization = Organization.objects.create(ccn=ccn, **wanted)
            self.hospitals[ccn] = organization
            return organization, "created"
        return organization, _update(organization, wanted)

    def _location(self, ccn: str, organization: Organization, wanted: dict) -> str:
        key = source_key(ccn)
        location = self.locations.get(key)
        if location is None:
            self.locations[key] = Location.objects.create(
                organization=organization, source_key=key, **wanted
            )
            return "created"
        return _update(location, {"organization": organization, **wanted})

    def finish_rows(self) -> None:
        if self.located:
            where = ", ".join(f"{count:,} {how}" for how, count in self.located.most_common())
            self.noted.append(f"Hospital coordinates: {where}.")


def _update(instance, wanted: dict) -> str:
    changed = [name for name, value in wanted.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, wanted[name])
    if changed:
        instance.save(update_fields=[*changed, "updated_at"])
    return "updated" if changed else "unchanged"
