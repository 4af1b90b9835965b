"""Each index entry carries its practitioner's rating, so a search filters and sorts by it.

`rating` is the mean overall score of published reviews in hundredths of a star (4.37 ->
437), or 0 while the practitioner has fewer than providers.MIN_REVIEWS_FOR_AVERAGE reviews:
a minimum-rating filter (`rating >= 400`) excludes them, and sorting by rating (descending)
puts them after everyone with enough reviews, never among five-star providers. Existing
entries are filled here from the practitioners' stored counts; later builds write the
column with the rest of the entry.
"""

from django.db import migrations

from careatlas.core.migration_ops import vendor_sql

# ">= 5": providers.MIN_REVIEWS_FOR_AVERAGE at the time of writing (migrations import no
# app code); builds read the constant itself.
FILL = (
    "UPDATE search_provider_entry SET rating = coalesce((SELECT {value}"
    " FROM providers_practitioner p WHERE p.id = search_provider_entry.practitioner_id"
    " AND p.review_count >= 5), 0)"
)
FORWARD = {
    "sqlite": [
        "ALTER TABLE search_provider_entry ADD COLUMN rating INTEGER NOT NULL DEFAULT 0",
        FILL.format(value="CAST(round(p.review_average * 100) AS INTEGER)"),
    ],
    "postgresql": [
        "ALTER TABLE search_provider_entry ADD COLUMN rating smallint NOT NULL DEFAULT 0",
        FILL.format(value="round(p.review_average * 100)::smallint"),
    ],
}
BACKWARD = ["ALTER TABLE search_provider_entry DROP COLUMN rating"]


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_entry_nucc_codes"),
        ("providers", "0006_practitioner_rating"),
    ]

    operations = [
        vendor_sql(FORWARD, {"sqlite": BACKWARD, "postgresql": BACKWARD}),
    ]
