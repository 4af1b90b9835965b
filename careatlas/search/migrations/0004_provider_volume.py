"""Medicare volumes in the provider index: one row per practitioner and procedure.

`search_provider_volume` holds, for every indexed practitioner, the services of the newest
data year of each procedure (from providers.ProcedureVolume), and under procedure id 0 the
total over procedures in their newest year. The primary key finds one practitioner's volume
for a procedure (to order or filter a radius search); the second index lists a procedure's
practitioners by volume (a nationwide "performed at least N times" search reads the top of
it). search_provider_entry.procedure_volume keeps the total, so sorting by volume without a
procedure needs no join. Written only by careatlas.search.indexing, like the other tables.
"""

from django.db import migrations

COMMON_FORWARD = [
    "CREATE TABLE search_provider_volume ("
    " practitioner_id integer NOT NULL,"
    " procedure_id integer NOT NULL,"
    " year integer NOT NULL,"
    " services integer NOT NULL,"
    " PRIMARY KEY (practitioner_id, procedure_id))",
    "CREATE INDEX search_provider_volume_rank"
    " ON search_provider_volume (procedure_id, services DESC, practitioner_id)",
]
FORWARD = {
    # WITHOUT ROWID: the primary key is the table, so a lookup reads one b-tree.
    "sqlite": [COMMON_FORWARD[0] + " WITHOUT ROWID", COMMON_FORWARD[1]],
    "postgresql": COMMON_FORWARD,
}
BACKWARD = ["DROP TABLE IF EXISTS search_provider_volume"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_provider_index")]

    operations = [
        migrations.RunPython(_run(FORWARD), _run({"sqlite": BACKWARD, "postgresql": BACKWARD}))
    ]
