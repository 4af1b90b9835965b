"""One vocabulary per language: typo correction and partial words stay in the page's language.

SQLite's trigram table gains the language (unindexed) so a fuzzy lookup filters on it before
its LIMIT; PostgreSQL filters the vocabulary table itself. The next rebuild fills both.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    "DROP TABLE IF EXISTS search_term_trigram",
    "CREATE VIRTUAL TABLE search_term_trigram USING fts5("
    "term, language UNINDEXED, tokenize = 'trigram')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS search_term_trigram",
    "CREATE VIRTUAL TABLE search_term_trigram USING fts5(term, tokenize = 'trigram')",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0007_rated_entries")]

    operations = [
        migrations.AddField(
            model_name="searchterm",
            name="language",
            field=models.CharField(default="en", max_length=8),
        ),
        migrations.AlterField(
            model_name="searchterm",
            name="term",
            field=models.CharField(db_index=True, max_length=60),
        ),
        migrations.AddConstraint(
            model_name="searchterm",
            constraint=models.UniqueConstraint(
                fields=("language", "term"), name="one_search_term_per_language"
            ),
        ),
        migrations.RunPython(_run(SQLITE_FORWARD), _run(SQLITE_BACKWARD)),
    ]
