"""Who may open which practice page: role x object x verb, as each person would expect.

Outside a practice every page of it is 404 (nobody learns which practices exist or who runs
them); inside it, asking for more than the role allows is 403; signed out, sign in first.
"""

import pytest
from django.test import Client

from careatlas.practices.access import Verb, allows
from careatlas.providers.models import PractitionerRole
from tests.practice_personas import join, make_clinic, own, person, signed_in

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "staff_here", "staff_elsewhere", "other_practice", "editor", "anonymous"]
IN = 302  # sent to the sign-in page


@pytest.fixture
def world(clinic):
    """Dana owns her practice; Sam works uptown only, Lee downtown only; Olga runs another
    practice, with Omar on her staff; Eddie is a CareAtlas editor with no practice."""
    dana, sam, lee = person("dana"), person("sam"), person("lee")
    practice = own(dana, clinic.practitioner)
    join(sam, practice, clinic.uptown)
    lee_membership = join(lee, practice, clinic.downtown)
    here_role = PractitionerRole.objects.get(
        practitioner=clinic.practitioner, location=clinic.uptown
    )
    there_role = PractitionerRole.objects.get(
        practitioner=clinic.practitioner, location=clinic.downtown
    )
    west = make_clinic(" West")
    omar = person("omar")
    other = own(person("olga"), west.organization)
    join(omar, other)
    return {
        "practice": practice,
        "uptown": clinic.uptown,
        "downtown": clinic.downtown,
        "other": other,
        "west_location": west.uptown,
        "here_role": here_role,
        "there_role": there_role,
        "west_role": PractitionerRole.objects.get(location=west.uptown),
        "lee": lee_membership,
        "clients": {
            "owner": signed_in(dana),
            "staff_here": signed_in(sam),
            "staff_elsewhere": signed_in(lee),
            "other_practice": signed_in(omar),
            "editor": signed_in(person("eddie", is_staff=True, is_superuser=True)),
            "anonymous": Client(),
        },
    }


# (what, method, path template, expected status per persona in PERSONAS order)
MATRIX = [
    ("practice home", "get", "/practice/{p}/", [200, 200, 200, 404, 404, IN]),
    ("this location", "get", "/practice/{p}/locations/{here}/", [200, 200, 403, 404, 404, IN]),
    ("other location", "get", "/practice/{p}/locations/{there}/", [200, 403, 200, 404, 404, IN]),
    ("audit trail", "get", "/practice/{p}/audit/", [200, 403, 403, 404, 404, IN]),
    ("invite form", "get", "/practice/{p}/team/invite/", [200, 403, 403, 404, 404, IN]),
    ("invite", "post", "/practice/{p}/team/invite/", [302, 403, 403, 404, 404, IN]),
    ("remove staff", "post", "/practice/{p}/team/{lee}/remove/", [302, 403, 403, 404, 404, IN]),
    ("another practice's home", "get", "/practice/{o}/", [404, 404, 404, 200, 404, IN]),
    ("a location of another practice", "get", "/practice/{p}/locations/{west}/",
     [404, 404, 404, 404, 404, IN]),
    ("a practice that does not exist", "get", "/practice/999999/", [404, 404, 404, 404, 404, IN]),
    # The facts dashboard: staff edit the facts of their locations, owners everything.
    ("edit hours here", "get", "/practice/{p}/locations/{here}/facts/hours/",
     [200, 200, 403, 404, 404, IN]),
    ("save hours there", "post", "/practice/{p}/locations/{there}/facts/hours/",
     [302, 403, 302, 404, 404, IN]),
    ("edit new patients here", "get", "/practice/{p}/practitioners/{here_role}/facts/new-patients/",
     [200, 200, 403, 404, 404, IN]),
    ("edit insurance there", "get", "/practice/{p}/practitioners/{there_role}/facts/insurance/",
     [200, 403, 200, 404, 404, IN]),
    ("edit the bio", "get", "/practice/{p}/about/bio/", [200, 403, 403, 404, 404, IN]),
    ("upload a photo", "get", "/practice/{p}/about/photo/", [200, 403, 403, 404, 404, IN]),
    ("confirm all", "post", "/practice/{p}/confirm-all/", [302, 403, 403, 404, 404, IN]),
    ("hours of another practice's location", "get", "/practice/{p}/locations/{west}/facts/hours/",
     [404, 404, 404, 404, 404, IN]),
    ("another practice's practitioner", "get",
     "/practice/{p}/practitioners/{west_role}/facts/new-patients/", [404, 404, 404, 404, 404, IN]),
    ("a group of facts that does not exist", "get", "/practice/{p}/locations/{here}/facts/nope/",
     [404, 404, 404, 404, 404, IN]),
    ("another practice's dashboard edit", "get", "/practice/{o}/locations/{west}/facts/hours/",
     [404, 404, 404, 200, 404, IN]),
]  # fmt: skip


@pytest.mark.parametrize(("what", "method", "path", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
@pytest.mark.parametrize("who", PERSONAS)
def test_access_matrix(world, who, what, method, path, expected):
    url = path.format(
        p=world["practice"].pk,
        o=world["other"].pk,
        here=world["uptown"].pk,
        there=world["downtown"].pk,
        west=world["west_location"].pk,
        lee=world["lee"].pk,
        here_role=world["here_role"].pk,
        there_role=world["there_role"].pk,
        west_role=world["west_role"].pk,
    )
    client = world["clients"][who]
    data = {"email": "new@example.org", "scope": "all"} if method == "post" else None
    response = getattr(client, method)(url, data)
    assert response.status_code == expected[PERSONAS.index(who)], (who, what)
    if response.status_code == IN and who == "anonymous":
        assert "login" in response["Location"]


def test_a_404_reads_the_same_whether_or_not_the_practice_exists(world):
    omar = world["clients"]["other_practice"]
    real_path, missing_path = f"/practice/{world['practice'].pk}/", "/practice/999999/"
    real, missing = omar.get(real_path), omar.get(missing_path)
    assert real.status_code == missing.status_code == 404
    assert real.content.decode().replace(real_path, "") == missing.content.decode().replace(
        missing_path, ""
    )


def test_staff_see_only_their_locations_on_the_home_page(world):
    page = world["clients"]["staff_here"].get(f"/practice/{world['practice'].pk}/")
    text = page.content.decode()
    assert "Uptown office" in text and "Downtown office" not in text
    owner = world["clients"]["owner"].get(f"/practice/{world['practice'].pk}/").content.decode()
    assert "Uptown office" in owner and "Downtown office" in owner


def test_the_rule_itself_covers_change_per_location(world):
    practice = world["practice"]
    sam = practice.memberships.get(user__username="sam")
    dana = practice.memberships.get(user__username="dana")
    assert allows(sam, Verb.CHANGE, world["uptown"])
    assert not allows(sam, Verb.CHANGE, world["downtown"])
    assert not allows(sam, Verb.MANAGE_TEAM) and not allows(sam, Verb.VIEW_AUDIT)
    assert not allows(sam, Verb.CHANGE_PRACTITIONER) and not allows(sam, Verb.CONFIRM_ALL)
    assert all(allows(dana, verb, world["downtown"]) for verb in Verb)
