"""The map a page shows: Leaflet and tile settings, and markers for a profile's places."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.staticfiles import finders

LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>'
)


def location_markers(places) -> list[dict]:
    """Markers for a profile's locations (presenters.PlaceView), numbered as on the page."""
    markers = []
    for number, place in enumerate(places, start=1):
        location = place.location
        if location.latitude is None or location.longitude is None:
            continue
        address = ", ".join(place.address)
        markers.append(
            {
                "lat": round(location.latitude, 5),
                "lon": round(location.longitude, 5),
                "address": address,
                "text": str(number),
                "label": f"{number}. {place.heading}, {address}",
                "providers": [
                    {"number": number, "name": place.heading, "url": f"#place-{number}-h"}
                ],
            }
        )
    return markers


# Google's documented cross-platform Maps URL: it opens the Maps app on a phone that has it,
# else the website (developers.google.com/maps/documentation/urls/get-started).
DIRECTIONS_URL = "https://www.google.com/maps/dir/?"


def directions_links(address: str, latitude: float | None, longitude: float | None) -> dict:
    """Plain links to directions to an address: nothing is fetched until one is followed.

    `maps` works on every device; `geo` (RFC 5870) lets a phone open whichever map app its
    owner chose.
    """
    maps = DIRECTIONS_URL + urlencode({"api": "1", "destination": address})
    if latitude is not None and longitude is not None:
        point = f"{latitude:.5f},{longitude:.5f}"
        geo = f"geo:{point}?q={point}({quote(address)})"
    else:
        geo = f"geo:0,0?q={quote(address)}"
    return {"maps": maps, "geo": geo}


def map_settings() -> dict | None:
    """Tiles and Leaflet for the map, or None when either is missing (the list still works)."""
    tile_url = getattr(settings, "MAP_TILE_URL", DEFAULT_TILE_URL)
    if not tile_url or not _leaflet_installed():
        return None
    return {
        "tiles": tile_url,
        "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        "leaflet_js": LEAFLET_JS,
        "leaflet_css": LEAFLET_CSS,
    }


def _leaflet_installed() -> bool:
    return bool(finders.find(LEAFLET_JS))
