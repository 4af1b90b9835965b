# ruff: noqa: S608 - every statement is a fixed template: table names come from model
# metadata, values are always parameters.
"""The set-based merge of one staged batch into the directory (the same SQL on both databases).

Every step is an UPDATE or INSERT ... SELECT over the batch tables, so a batch of 20,000
rows costs a few dozen statements, not 20,000 ORM saves. Steps only fill what is missing
or rewrite what the batch carries, so running a batch twice gives the same directory; the
importer runs each batch, the record of its hashes and its checkpoint in one transaction.

What NPPES owns: a practitioner's or organization's names, dates and active state; the
location keyed "nppes:<NPI>" and, for an individual, the role there (no organization);
that role's specialties; the licenses it lists; and the identity and license verifications
it vouches for (never moved back in time, never overriding newer evidence). Everything else
(bios, hours, insurance, an editor's own verifications, a hospital's name) is left alone.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, models

from careatlas.imports.models import NppesRecord
from careatlas.imports.nppes.staging import BATCH, BATCH_LICENSE, BATCH_SPECIALTY
from careatlas.imports.sql import database
from careatlas.providers.models import (
    Fact,
    LicenseStatus,
    Location,
    Method,
    Organization,
    OrganizationKind,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    StateLicense,
    Verification,
)

NPPES_SOURCE = "NPPES registry"  # Verification.verified_by of what this importer vouches for
LOCATION_KEY_PREFIX = "nppes:"


# Column -> SQL over the batch row `b`, for each directory row a batch creates.
_PRACTITIONER = {
    "npi": "b.npi",
    "prefix": "b.prefix",
    "first_name": "b.first_name",
    "middle_name": "b.middle_name",
    "last_name": "b.last_name",
    "suffix": "b.suffix",
    "credentials": "b.credentials{json}",
    "sex": "b.sex",
    "active": "b.active",
    "enumerated_on": "b.enumerated_on",
    "registry_updated_on": "b.updated_on",
    "deactivated_on": "b.deactivated_on",
    "reactivated_on": "b.reactivated_on",
    "created_at": "%(now)s",
    "updated_at": "%(now)s",
}
_ORGANIZATION = {
    "name": "b.org_name",
    "kind": "%(practice)s",
    "npi": "b.npi",
    "active": "b.active",
    "enumerated_on": "b.enumerated_on",
    "registry_updated_on": "b.updated_on",
    "deactivated_on": "b.deactivated_on",
    "reactivated_on": "b.reactivated_on",
    "created_at": "%(now)s",
    "updated_at": "%(now)s",
}
_LOCATION = {
    "organization_id": "CASE WHEN b.entity = 2 THEN b.organization_id ELSE NULL END",
    "name": "CASE WHEN b.entity = 2 THEN b.org_name ELSE '' END",
    "line1": "b.line1",
    "line2": "b.line2",
    "city": "b.city",
    "state": "b.state",
    "zip_code": "b.zip_code",
    "latitude": "b.latitude",
    "longitude": "b.longitude",
    "phone": "b.phone",
    "source_key": "%(key)s || b.npi",
    "created_at": "%(now)s",
    "updated_at": "%(now)s",
}
_ROLE = {
    "practitioner_id": "b.practitioner_id",
    "organization_id": "NULL",
    "location_id": "b.location_id",
    "active": "TRUE",
    "created_at": "%(now)s",
    "updated_at": "%(now)s",
}
_VERIFIED = {
    "method": "%(method)s",
    "verified_by": "%(source)s",
    "verified_on": "%(day)s",
    "disputed": "FALSE",
    "created_at": "%(now)s",
    "updated_at": "%(now)s",
}


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    """A field's column, quoted; a field the model no longer has fails here, loudly."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _assignments(model: type[models.Model], values: dict[str, str], *, skip: set[str], **own):
    """The SET list of an UPDATE from the map its INSERT uses, so the two cannot drift;
    `own` gives a column an expression of its own."""
    return ", ".join(
        f"{_column(model, name)} = {own.get(name, expression)}"
        for name, expression in values.items()
        if name not in skip
    )


def _kept_active(table: str) -> str:
    """A registry reactivation shows a row the registry had hidden; an editor's own
    "inactive" is kept."""
    return (
        f"CASE WHEN NOT b.active THEN FALSE WHEN {table}.deactivated_on IS NOT NULL"
        f" AND ({table}.reactivated_on IS NULL OR {table}.reactivated_on < {table}.deactivated_on)"
        f" THEN TRUE ELSE {table}.active END"
    )


@dataclass
class MergeResult:
    delisted_licenses: list[int]


class Merger:
    """Runs the merge statements for the batch currently in the batch tables."""

    def __init__(self, data_date: date, run_id: int, now: datetime):
        sql = database()
        ops = connection.ops
        self.params = {
            "now": ops.adapt_datetimefield_value(now),
            "day": ops.adapt_datefield_value(data_date),
            "run": run_id,
            "identity": Fact.IDENTITY.value,
            "license": Fact.LICENSE.value,
            "method": Method.REGISTRY_MATCH.value,
            "source": NPPES_SOURCE,
            "key": LOCATION_KEY_PREFIX,
            "practice": OrganizationKind.PRACTICE.value,
            "active_license": LicenseStatus.ACTIVE.value,
        }
        self.t = {
            "p": _table(Practitioner),
            "o": _table(Organization),
            "l": _table(Location),
            "r": _table(PractitionerRole),
            "rs": _table(RoleSpecialty),
            "sl": _table(StateLicense),
            "v": _table(Verification),
            "nr": _table(NppesRecord),
            "b": BATCH,
            "bs": BATCH_SPECIALTY,
            "bl": BATCH_LICENSE,
            "json": sql.json_cast,
            "distinct": sql.distinct,
        }
        self._defaults: dict[tuple, dict[str, object]] = {}

    # -- helpers -------------------------------------------------------------------------

    def _run(self, sql: str, params: dict | None = None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql.format(**self.t), {**self.params, **(params or {})})
            return cursor.rowcount

    def _insert(self, model: type[models.Model], values: dict[str, str], rest: str) -> int:
        """INSERT INTO model (...) SELECT <values> <rest>: columns the batch does not give get
        their field defaults, prepared as the ORM would prepare them."""
        key = (model, tuple(values))
        defaults = self._defaults.get(key)
        if defaults is None:
            defaults = self._defaults[key] = {}
            given = {model._meta.get_field(name).column for name in values}
            for field in model._meta.concrete_fields:
                if field.primary_key or field.column in given:
                    continue
                defaults[field.column] = field.get_db_prep_save(field.get_default(), connection)
        params = {f"default_{column}": value for column, value in defaults.items()}
        qn = connection.ops.quote_name
        columns = [_column(model, name) for name in values] + [qn(c) for c in defaults]
        expressions = [*values.values(), *(f"%(default_{column})s" for column in defaults)]
        sql = (
            f"INSERT INTO {_table(model)} ({', '.join(columns)})"
            f" SELECT {', '.join(expressions)} {rest}"
        )
        return self._run(sql, params)

    def _link(self, column: str, lookup: str, where: str) -> None:
        self._run(f"UPDATE {{b}} SET {column} = ({lookup}) WHERE {column} IS NULL AND {where}")

    # -- the steps ------------------------------------------------------------------------

    def merge(self) -> MergeResult:
        self._new_rows()
        self._people()
        self._organizations()
        self._locations()
        self._roles()
        self._specialties()
        delisted = self._licenses()
        self._verifications()
        self._confirmations()
        self._remember()
        return MergeResult(delisted)

    def _new_rows(self) -> None:
        """NPIs new to the directory: every row inserted once, with the ids linking gave."""
        self._insert(
            Practitioner,
            {"id": "b.practitioner_id", **_PRACTITIONER},
            "FROM {b} b WHERE b.mode = 'insert' AND b.entity = 1",
        )
        self._insert(
            Organization,
            {"id": "b.organization_id", **_ORGANIZATION},
            "FROM {b} b WHERE b.mode = 'insert' AND b.entity = 2",
        )
        self._insert(
            Location,
            {"id": "b.location_id", **_LOCATION},
            "FROM {b} b WHERE b.mode = 'insert' AND b.location_id IS NOT NULL",
        )
        self._insert(
            PractitionerRole,
            {"id": "b.role_id", **_ROLE},
            "FROM {b} b WHERE b.mode = 'insert' AND b.role_id IS NOT NULL",
        )
        self._insert(
            RoleSpecialty,
            {
                "role_id": "bs.role_id",
                "code": "bs.code",
                "specialty_id": "bs.specialty_id",
                "is_primary": "bs.is_primary",
            },
            "FROM {bs} bs WHERE bs.role_id IS NOT NULL",
        )
        self._insert(
            StateLicense,
            {
                "id": "bl.id",
                "practitioner_id": "bl.practitioner_id",
                "state": "bl.state",
                "number": "bl.number",
                "status": "%(active_license)s",
            },
            "FROM {bl} bl WHERE bl.id IS NOT NULL",
        )
        self._insert(
            Verification,
            {"fact": "%(identity)s", "practitioner_id": "b.practitioner_id", **_VERIFIED},
            "FROM {b} b WHERE b.mode = 'insert' AND b.entity = 1 AND b.active",
        )
        self._insert(
            Verification,
            {"fact": "%(license)s", "license_id": "bl.id", **_VERIFIED},
            "FROM {bl} bl WHERE bl.id IS NOT NULL AND bl.vouched",
        )

    def _people(self) -> None:
        self._link(
            "practitioner_id",
            "SELECT p.id FROM {p} p WHERE p.npi = {b}.npi",
            "(entity IS NULL OR entity = 1) AND mode <> 'insert'",
        )
        kept, active = {"npi", "created_at"}, _kept_active("{p}")
        assignments = _assignments(Practitioner, _PRACTITIONER, skip=kept, active=active)
        self._run(
            f"UPDATE {{p}} SET {assignments}"
            " FROM {b} b WHERE {p}.id = b.practitioner_id AND b.entity = 1"
            " AND b.mode = 'merge'"
        )
        self._run(
            "UPDATE {p} SET deactivated_on = b.deactivated_on, reactivated_on = b.reactivated_on,"
            " active = FALSE, updated_at = %(now)s"
            " FROM {b} b WHERE {p}.id = b.practitioner_id AND b.entity IS NULL"
        )
        self._insert(
            Practitioner,
            _PRACTITIONER,
            "FROM {b} b WHERE b.entity = 1 AND b.practitioner_id IS NULL"
            " AND b.mode = 'merge' ORDER BY b.npi",
        )
        self._link(
            "practitioner_id",
            "SELECT p.id FROM {p} p WHERE p.npi = {b}.npi",
            "entity = 1 AND mode = 'merge'",
        )

    def _organizations(self) -> None:
        lookup = "SELECT o.id FROM {o} o WHERE o.npi = {b}.npi AND NOT (o.npi = '')"
        self._link("organization_id", lookup, "(entity IS NULL OR entity = 2) AND mode = 'merge'")
        # A hospital keeps the name CMS gives it; NPPES names practices.
        name = "CASE WHEN {o}.kind = %(practice)s THEN b.org_name ELSE {o}.name END"
        kept, active = {"kind", "npi", "created_at"}, _kept_active("{o}")
        own = {"name": name, "active": active}
        self._run(
            f"UPDATE {{o}} SET {_assignments(Organization, _ORGANIZATION, skip=kept, **own)}"
            " FROM {b} b WHERE {o}.id = b.organization_id AND b.entity = 2"
            " AND b.mode = 'merge'"
        )
        self._run(
            "UPDATE {o} SET deactivated_on = b.deactivated_on, reactivated_on = b.reactivated_on,"
            " active = FALSE, updated_at = %(now)s"
            " FROM {b} b WHERE {o}.id = b.organization_id AND b.entity IS NULL"
        )
        self._insert(
            Organization,
            _ORGANIZATION,
            "FROM {b} b WHERE b.entity = 2 AND b.organization_id IS NULL"
            " AND b.mode = 'merge' ORDER BY b.npi",
        )
        self._link("organization_id", lookup, "entity = 2 AND mode = 'merge'")

    def _locations(self) -> None:
        lookup = (
            "SELECT l.id FROM {l} l WHERE l.source_key = %(key)s || {b}.npi"
            " AND NOT (l.source_key = '')"
        )
        where = "entity IS NOT NULL AND line1 <> '' AND mode = 'merge'"
        self._link("location_id", lookup, where)
        name = "CASE WHEN b.entity = 2 THEN b.org_name ELSE {l}.name END"
        kept = {"source_key", "created_at"}
        self._run(
            f"UPDATE {{l}} SET {_assignments(Location, _LOCATION, skip=kept, name=name)}"
            " FROM {b} b WHERE {l}.id = b.location_id AND b.mode = 'merge'"
        )
        self._insert(
            Location,
            _LOCATION,
            "FROM {b} b WHERE b.location_id IS NULL AND b.entity IS NOT NULL"
            " AND b.line1 <> '' AND b.mode = 'merge' ORDER BY b.npi",
        )
        self._link("location_id", lookup, where)

    def _roles(self) -> None:
        lookup = (
            "SELECT r.id FROM {r} r WHERE r.practitioner_id = {b}.practitioner_id"
            " AND r.location_id = {b}.location_id AND r.organization_id IS NULL"
        )
        where = "entity = 1 AND location_id IS NOT NULL AND mode = 'merge'"
        self._link("role_id", lookup, where)
        self._insert(
            PractitionerRole,
            _ROLE,
            "FROM {b} b WHERE b.role_id IS NULL AND b.entity = 1 AND b.location_id IS NOT NULL"
            " AND b.mode = 'merge' ORDER BY b.npi",
        )
        self._link("role_id", lookup, where)

    def _specialties(self) -> None:
        # The role's codes become exactly the row's: stale ones go, flags follow, new ones
        # come in (primary first).
        self._run(
            "DELETE FROM {rs} WHERE role_id IN (SELECT role_id FROM {b}"
            "  WHERE role_id IS NOT NULL AND mode = 'merge' AND change <> 'new')"
            " AND NOT EXISTS (SELECT 1 FROM {b} b JOIN {bs} bs ON bs.npi = b.npi"
            "  WHERE b.role_id = {rs}.role_id AND bs.code = {rs}.code)"
        )
        self._run(
            "UPDATE {rs} SET is_primary = bs.is_primary,"
            " specialty_id = coalesce(bs.specialty_id, {rs}.specialty_id)"
            " FROM {b} b JOIN {bs} bs ON bs.npi = b.npi"
            " WHERE {rs}.role_id = b.role_id AND {rs}.code = bs.code AND b.mode = 'merge'"
            " AND b.change <> 'new'"
            " AND ({rs}.is_primary <> bs.is_primary"
            "  OR coalesce(bs.specialty_id, {rs}.specialty_id) {distinct} {rs}.specialty_id)"
        )
        self._insert(
            RoleSpecialty,
            {
                "role_id": "b.role_id",
                "code": "bs.code",
                "specialty_id": "bs.specialty_id",
                "is_primary": "bs.is_primary",
            },
            "FROM {b} b JOIN {bs} bs ON bs.npi = b.npi WHERE b.role_id IS NOT NULL"
            " AND b.mode = 'merge' AND NOT EXISTS (SELECT 1 FROM {rs} x"
            "  WHERE x.role_id = b.role_id AND x.code = bs.code)"
            " ORDER BY b.npi, bs.is_primary DESC, bs.code",
        )

    def _licenses(self) -> list[int]:
        self._insert(
            StateLicense,
            {
                "practitioner_id": "b.practitioner_id",
                "state": "bl.state",
                "number": "bl.number",
                "status": "%(active_license)s",
            },
            "FROM {b} b JOIN {bl} bl ON bl.npi = b.npi WHERE b.entity = 1"
            " AND b.practitioner_id IS NOT NULL AND b.mode = 'merge'"
            " AND NOT EXISTS (SELECT 1 FROM {sl} x WHERE x.practitioner_id = b.practitioner_id"
            "  AND x.state = bl.state AND x.number = bl.number)"
            " ORDER BY b.npi, bl.state, bl.number",
        )
        # Licenses NPPES vouched for and no longer lists; deleted through the ORM (their
        # verifications and the reports that cite them must follow), which is rare.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sl.id FROM {b} b JOIN {sl} sl ON sl.practitioner_id = b.practitioner_id"
                " WHERE b.entity = 1 AND b.mode = 'merge' AND b.change <> 'new'"
                " AND NOT EXISTS (SELECT 1 FROM {bl} bl WHERE bl.npi = b.npi"
                "  AND bl.state = sl.state AND bl.number = sl.number)"
                " AND EXISTS (SELECT 1 FROM {v} v WHERE v.license_id = sl.id"
                "  AND v.fact = %(license)s AND v.verified_by = %(source)s)".format(**self.t),
                self.params,
            )
            return [pk for (pk,) in cursor.fetchall()]

    def _verifications(self) -> None:
        vouched = (
            "FROM {b} b WHERE b.entity = 1 AND b.active AND b.practitioner_id IS NOT NULL"
            " AND b.mode = 'merge'"
        )
        licensed = (
            "FROM {b} b JOIN {bl} bl ON bl.npi = b.npi JOIN {sl} sl"
            " ON sl.practitioner_id = b.practitioner_id AND sl.state = bl.state"
            " AND sl.number = bl.number WHERE b.entity = 1 AND b.active"
            " AND b.mode = 'merge'"
        )
        verified = (
            "method = %(method)s, verified_by = %(source)s, verified_on = %(day)s,"
            " updated_at = %(now)s"
        )
        self._run(
            f"UPDATE {{v}} SET {verified} WHERE fact = %(identity)s"
            f" AND practitioner_id IN (SELECT b.practitioner_id {vouched})"
            " AND verified_on < %(day)s"
        )
        self._run(
            f"UPDATE {{v}} SET {verified} WHERE fact = %(license)s"
            f" AND license_id IN (SELECT sl.id {licensed}) AND verified_on < %(day)s"
        )
        self._insert(
            Verification,
            {"fact": "%(identity)s", "practitioner_id": "b.practitioner_id", **_VERIFIED},
            f"{vouched} AND NOT EXISTS (SELECT 1 FROM {{v}} x"
            " WHERE x.practitioner_id = b.practitioner_id AND x.fact = %(identity)s)"
            " ORDER BY b.npi",
        )
        self._insert(
            Verification,
            {"fact": "%(license)s", "license_id": "sl.id", **_VERIFIED},
            f"{licensed} AND NOT EXISTS (SELECT 1 FROM {{v}} x"
            " WHERE x.license_id = sl.id AND x.fact = %(license)s) ORDER BY sl.id",
        )

    def _confirmations(self) -> None:
        """Unchanged rows of a later file: NPPES vouches for the same facts again."""
        again = " AND verified_on < %(day)s AND method = %(method)s AND verified_by = %(source)s"
        self._run(
            "UPDATE {v} SET verified_on = %(day)s, updated_at = %(now)s WHERE fact = %(identity)s"
            " AND practitioner_id IN (SELECT practitioner_id FROM {b}"
            "  WHERE mode = 'confirm' AND practitioner_id IS NOT NULL)" + again
        )
        self._run(
            "UPDATE {v} SET verified_on = %(day)s, updated_at = %(now)s WHERE fact = %(license)s"
            " AND license_id IN (SELECT sl.id FROM {b} b JOIN {sl} sl"
            "  ON sl.practitioner_id = b.practitioner_id WHERE b.mode = 'confirm')" + again
        )

    def _remember(self) -> None:
        # Rows inserted as new need no conflict handling, which costs per row (a batch that
        # collided with unknown rows comes back with every row in merge mode).
        remembered = (
            "INSERT INTO {nr} (npi, row_hash, entity, deactivated, as_of, verified_on, run_id)"
            " SELECT npi, row_hash, entity, NOT active, as_of, %(day)s, %(run)s FROM {b}"
        )
        self._run(remembered + " WHERE mode = 'insert'")
        self._run(
            remembered + " WHERE mode <> 'insert'"
            " ON CONFLICT (npi) DO UPDATE SET row_hash = excluded.row_hash,"
            " entity = excluded.entity, deactivated = excluded.deactivated,"
            " as_of = excluded.as_of, verified_on = excluded.verified_on,"
            " run_id = excluded.run_id"
        )
