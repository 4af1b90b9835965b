"""Each index entry carries its role's NUCC codes, so a search by code reads no other table.

FHIR's `PractitionerRole?specialty=<code>&location.near=...` tested every entry in the
circle with a semi-join to providers_rolespecialty: near New York about 20,000 index probes,
about half of the search's database time. The codes sit beside the specialty facet in the
same form: `' 207X00000X 2251X0800X '` on SQLite (instr() tests membership, like the other
id lists) and a text[] on PostgreSQL (`&&`). Existing entries are filled here from the
roles' codes; later builds write the column with the rest of the entry.
"""

from django.db import migrations

FORWARD = {
    "sqlite": [
        "ALTER TABLE search_provider_entry ADD COLUMN nucc_codes TEXT NOT NULL DEFAULT ' '",
        "UPDATE search_provider_entry SET nucc_codes = ' ' || coalesce(replace("
        "(SELECT group_concat(DISTINCT x.code) FROM providers_rolespecialty x"
        " WHERE x.role_id = search_provider_entry.role_id), ',', ' ') || ' ', '')",
    ],
    "postgresql": [
        "ALTER TABLE search_provider_entry ADD COLUMN nucc_codes text[] NOT NULL DEFAULT '{}'",
        "UPDATE search_provider_entry e SET nucc_codes = x.codes FROM (SELECT role_id,"
        " array_agg(DISTINCT code ORDER BY code) AS codes FROM providers_rolespecialty"
        " GROUP BY role_id) x WHERE x.role_id = e.role_id",
    ],
}
BACKWARD = ["ALTER TABLE search_provider_entry DROP COLUMN nucc_codes"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_provider_volume"),
        ("providers", "0004_lookups_served_by_unique_indexes"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run({"sqlite": BACKWARD, "postgresql": BACKWARD}))
    ]
