# Indexes for the FHIR directory's string searches (family=, given=, name=, address-city=,
# address-postalcode=) and specialty= without near. Django's istartswith is
# `col LIKE 'x%'` on SQLite (case-insensitive: usable only by a NOCASE index) and
# `UPPER(col::text) LIKE UPPER('x%')` on PostgreSQL (usable only by an expression index with
# pattern ops), so neither is expressible as a portable models.Index.

from django.db import migrations

# (index name, table, column)
CASE_INSENSITIVE = [
    ("practitioner_last_name_ci", "providers_practitioner", "last_name"),
    ("practitioner_first_name_ci", "providers_practitioner", "first_name"),
    ("location_zip_code_ci", "providers_location", "zip_code"),
    ("location_city_ci", "providers_location", "city"),
    ("organization_name_ci", "providers_organization", "name"),
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, table, column in CASE_INSENSITIVE:
        if vendor == "postgresql":
            expression = f"(UPPER({column}::text) text_pattern_ops)"
        else:
            expression = f"({column} COLLATE NOCASE)"
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {expression}")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS rolespecialty_code ON providers_rolespecialty (code)"
    )


def drop(apps, schema_editor):
    for name, _, _ in [*CASE_INSENSITIVE, ("rolespecialty_code", "", "")]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("providers", "0002_registry_facts_taxonomy_and_claims")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
