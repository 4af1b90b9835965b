"""Create the vendor's full-text structures beside the search tables.

SQLite: an FTS5 table of documents (porter stemmer, accents folded) and an FTS5
trigram table over the vocabulary. PostgreSQL: pg_trgm, a weighted tsvector column
with a GIN index, and a trigram GIN index on the vocabulary. Other vendors get none.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_document_fts USING fts5("
    "title, keywords, body, language UNINDEXED,"
    " tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_term_trigram USING fts5(term, tokenize = 'trigram')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS search_term_trigram",
    "DROP TABLE IF EXISTS search_document_fts",
]
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
    # fastupdate off: the index is rewritten at every rebuild, and GIN's pending list
    # would otherwise grow until autovacuum and be scanned by every lookup.
    "CREATE INDEX search_document_vector_idx ON search_searchdocument"
    " USING GIN (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX search_term_trigram_idx ON search_searchterm"
    " USING GIN (term gin_trgm_ops) WITH (fastupdate = off)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_trigram_idx",
    "DROP INDEX IF EXISTS search_document_vector_idx",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
