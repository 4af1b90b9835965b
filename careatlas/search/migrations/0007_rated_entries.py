"""A spatial index of the rated entries only, for a minimum-rating search.

A quarter of providers have the 5 reviews a rating needs, fewer still reach a minimum of 4,
yet the radius search read every entry in the circle and dropped the unrated ones row by
row (about 8,000 entries within 25 miles of ZIP 10001 at 100,000 providers). SQLite: a
second R*Tree over the rated entries with the rating as a third dimension, so the tree
itself cuts both the box and the minimum. PostgreSQL: a partial GiST index over the rated
entries' points, which a search with a minimum rating names (`rating > 0`). Written by the
index builders with the entries; filled here from the existing ones.
"""

from django.db import migrations

from careatlas.core.migration_ops import vendor_sql

FORWARD = {
    "sqlite": [
        "CREATE VIRTUAL TABLE search_provider_rated_rtree USING rtree("
        "id, min_lat, max_lat, min_lon, max_lon, min_rating, max_rating)",
        "INSERT INTO search_provider_rated_rtree"
        " SELECT id, latitude, latitude, longitude, longitude, rating, rating"
        " FROM search_provider_entry WHERE rating > 0",
    ],
    "postgresql": [
        "CREATE INDEX search_provider_entry_rated ON search_provider_entry"
        " USING gist (location) WHERE rating > 0",
    ],
}
BACKWARD = {
    "sqlite": ["DROP TABLE IF EXISTS search_provider_rated_rtree"],
    "postgresql": ["DROP INDEX IF EXISTS search_provider_entry_rated"],
}


class Migration(migrations.Migration):
    dependencies = [("search", "0006_entry_rating")]

    operations = [vendor_sql(FORWARD, BACKWARD)]
