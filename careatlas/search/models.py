"""The search index: one row per public page that search can land on, plus its vocabulary.

Both tables are derived data, rebuilt from the procedures app by `rebuild_index()`.
The full-text structures beside them (FTS5 tables on SQLite, a tsvector column and
trigram index on PostgreSQL) are created by migration 0002 and kept by the backends.
"""

from django.db import models


class DocumentKind(models.TextChoices):
    PROCEDURE = "procedure", "Procedure"
    CONDITION = "condition", "Condition"
    SPECIALTY = "specialty", "Specialty"


class SearchDocument(models.Model):
    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=80)
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=200)
    # Folded phrases, one per line: synonyms, abbreviations, condition names, codes.
    keywords = models.TextField(blank=True)
    # Folded running text: summary and every section of the page.
    body = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    # Multiplies the score, so a procedure guide edges out a specialty with the same name.
    boost = models.FloatField(default=1.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "slug", "language"], name="one_search_document_per_page"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.slug} [{self.language}]"


class SearchTerm(models.Model):
    """A distinct word of one language's indexed text; typos are corrected towards these.

    One vocabulary per language, so an English query is never "corrected" to a Spanish
    word that no English page holds ("colonoscopia" for "colonoscopía" on /).
    """

    language = models.CharField(max_length=8, default="en")
    # Indexed on its own too: PostgreSQL's pattern index serves the prefix lookups.
    term = models.CharField(max_length=60, db_index=True)
    # Higher for words in titles and keywords, so corrections prefer them.
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "term"], name="one_search_term_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} [{self.language}]"
