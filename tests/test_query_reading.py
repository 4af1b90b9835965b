"""Measure: queries that mix topic and place are read into the right topic and place.

The set (tests/reading_queries_heldout.py) was written before the reader ran on it. A query
is read correctly when its topic words (stop words aside) are the expected ones and its
place is within 10 miles of the expected place, or both have no place. The reader runs as
the finder runs it, but without the directory's names (that check needs the database).
"""

from careatlas.providers.geocoding import distance_miles
from careatlas.search.reading import read_query
from careatlas.search.text import STOP_WORDS, words
from tests.reading_queries_heldout import QUERIES
from tests.test_place_resolution import WITHIN_MILES, expected_point

REQUIRED_SHARE = 0.90


def _topic_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOP_WORDS]


def _misread(query: str, topic: str, place: str) -> str:
    reading = read_query(query)
    if _topic_words(reading.topic) != _topic_words(topic):
        return f"topic {reading.topic!r}"
    if not place:
        return f"place {reading.place.label!r}" if reading.has_place else ""
    if not reading.has_place:
        return "no place"
    miles = distance_miles(reading.place.point, expected_point(place))
    return f"place {reading.place.label}, {miles:.0f} mi away" if miles > WITHIN_MILES else ""


def test_the_set_is_big_and_varied():
    assert len(QUERIES) >= 100
    assert sum(1 for _q, _t, place in QUERIES if not place) >= 15


def test_at_least_90_percent_of_mixed_queries_are_read_correctly():
    misses = [(q, why) for q, topic, place in QUERIES if (why := _misread(q, topic, place))]
    share = 1 - len(misses) / len(QUERIES)
    print(f"\n{len(QUERIES) - len(misses)}/{len(QUERIES)} ({share:.1%}) read correctly")
    for miss in misses:
        print("  miss:", *miss)
    assert share >= REQUIRED_SHARE, misses
