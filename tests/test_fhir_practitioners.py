"""A health plan's directory client reads practitioners from /fhir/: Plan-Net Practitioners with
their licences, certifications and verification records, found by name, NPI and change date."""

import datetime

import pytest
from django.utils import timezone

from careatlas.providers.models import Practitioner, Verification
from careatlas.providers.services import file_report
from careatlas.search.interface import rebuild_provider_index
from tests.fhir_client import extension, fhir_get, ids, sub_extension
from tests.provider_factories import (
    CertificationFactory,
    LicenseFactory,
    PractitionerFactory,
    RoleFactory,
    verified_practitioner,
    verify,
)

pytestmark = pytest.mark.django_db

NPI = "http://hl7.org/fhir/sid/us-npi"
QUALIFICATION = (
    "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/practitioner-qualification"
)
NDH_STATUS = "http://hl7.org/fhir/us/ndh/StructureDefinition/base-ext-verification-status"
VERIFICATION = "http://testserver-fhir.example/fhir/StructureDefinition/verification"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver-fhir.example"


@pytest.fixture
def dr_reyes() -> Practitioner:
    """Dana Reyes, DO: verified, licensed in NY (and once in NJ), board-certified."""
    practitioner = verified_practitioner(
        first_name="Dana",
        middle_name="Q.",
        last_name="Reyes",
        suffix="Jr.",
        credentials=["DO"],
        languages=["en", "es", "asl"],
        medical_school="Example College of Osteopathic Medicine",
        graduation_year=2010,
    )
    LicenseFactory(practitioner=practitioner, state="NJ", number="NJ-1", status="expired")
    verify(CertificationFactory(practitioner=practitioner), "board_certification", days_ago=400)
    return practitioner


def _qualification(body: dict, text_start: str) -> dict:
    return next(q for q in body["qualification"] if q["code"]["text"].startswith(text_start))


def test_a_practitioner_is_read_by_npi_as_a_plan_net_practitioner(patient, dr_reyes):
    body = fhir_get(patient, f"/fhir/Practitioner/{dr_reyes.npi}")

    assert body["id"] == dr_reyes.npi
    assert body["meta"]["profile"] == [
        "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/plannet-Practitioner"
    ]
    dr_reyes.refresh_from_db()
    updated = datetime.datetime.fromisoformat(body["meta"]["lastUpdated"].replace("Z", "+00:00"))
    assert updated == dr_reyes.updated_at
    assert body["identifier"] == [
        {
            "use": "official",
            "type": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                        "code": "NPI",
                        "display": "National provider identifier",
                    }
                ]
            },
            "system": NPI,
            "value": dr_reyes.npi,
        }
    ]
    assert body["active"] is True
    assert body["name"] == [
        {
            "use": "official",
            "text": "Dana Q. Reyes Jr., DO",
            "family": "Reyes",
            "given": ["Dana", "Q."],
            "suffix": ["Jr.", "DO"],
        }
    ]
    assert body["gender"] == "female"
    languages = [c["coding"][0]["code"] for c in body["communication"]]
    assert languages == ["en", "es", "ase"]  # the site's "asl" is BCP 47 "ase"
    assert body["communication"][2]["text"] == "American Sign Language"
    assert "meta" in body and "tag" not in body["meta"]  # real data carries no test label


def test_licences_certifications_and_degree_are_qualifications(patient, dr_reyes):
    body = fhir_get(patient, f"/fhir/Practitioner/{dr_reyes.npi}")

    new_york = _qualification(body, "State license (New York)")
    status = extension(new_york, QUALIFICATION)[0]
    assert sub_extension(status, "status") == "active"
    assert sub_extension(status, "whereValid")["coding"][0] == {
        "system": "https://www.usps.com/",
        "code": "NY",
        "display": "New York",
    }
    assert new_york["identifier"][0]["value"] == dr_reyes.licenses.get(state="NY").number
    assert new_york["issuer"] == {"display": "State of New York"}

    new_jersey = _qualification(body, "State license (New Jersey)")
    assert sub_extension(extension(new_jersey, QUALIFICATION)[0], "status") == "inactive"
    assert not extension(new_jersey, VERIFICATION)  # never verified: no record to show

    board = _qualification(body, "Board certification in Neuromusculoskeletal Medicine")
    assert board["issuer"]["display"].startswith("American Osteopathic Board")

    degree = _qualification(body, "DO, Example College")
    assert degree["code"]["coding"] == [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v2-0360",
            "code": "DO",
            "display": "Doctor of Osteopathy",
        }
    ]
    assert degree["period"] == {"end": "2010"}


def test_an_active_licence_past_its_expiry_date_is_not_an_active_qualification(patient, db):
    practitioner = PractitionerFactory()
    LicenseFactory(practitioner=practitioner, expires_on=datetime.date(2020, 1, 31))
    LicenseFactory(practitioner=practitioner, state="CA", status="revoked")
    body = fhir_get(patient, f"/fhir/Practitioner/{practitioner.npi}")
    statuses = {
        q["code"]["text"]: sub_extension(extension(q, QUALIFICATION)[0], "status")
        for q in body["qualification"]
    }
    assert statuses == {
        "State license (New York)": "inactive",
        "State license (California)": "revoked",
    }
    assert _qualification(body, "State license (New York)")["period"] == {"end": "2020-01-31"}


def test_each_fact_carries_its_verification_record(patient, dr_reyes):
    body = fhir_get(patient, f"/fhir/Practitioner/{dr_reyes.npi}")

    identity = extension(body, VERIFICATION)
    assert len(identity) == 1
    assert sub_extension(identity[0], "fact") == "identity"
    assert sub_extension(identity[0], "method")["code"] == "registry_match"
    expected_day = timezone.localdate() - datetime.timedelta(days=10)
    assert sub_extension(identity[0], "date") == expected_day.isoformat()
    assert sub_extension(identity[0], "stale") is False
    assert sub_extension(identity[0], "disputed") is False

    licence = extension(_qualification(body, "State license (New York)"), VERIFICATION)
    assert [sub_extension(v, "fact") for v in licence] == ["license"]
    board = _qualification(body, "Board certification")
    assert sub_extension(extension(board, VERIFICATION)[0], "stale") is True  # 400 days old

    status = extension(body, NDH_STATUS)[0]["valueCodeableConcept"]["coding"][0]
    assert status["code"] == "complete"


@pytest.mark.parametrize(
    ("identity_days", "identity_disputed", "licence_status", "expected"),
    [
        (10, False, "active", "complete"),
        (400, False, "active", "incomplete"),  # identity check gone stale
        (10, True, "active", "incomplete"),  # someone reported the identity as wrong
        (10, False, "suspended", "incomplete"),  # verified, but the licence is not active
        (None, False, "active", "incomplete"),  # identity never verified
    ],
)
def test_verification_status_is_the_sites_verified_provider_rule(
    patient, db, identity_days, identity_disputed, licence_status, expected
):
    practitioner = PractitionerFactory()
    licence = LicenseFactory(practitioner=practitioner, status=licence_status)
    verify(licence, "license")
    if identity_days is not None:
        verify(practitioner, "identity", days_ago=identity_days, disputed=identity_disputed)

    body = fhir_get(patient, f"/fhir/Practitioner/{practitioner.npi}")

    code = extension(body, NDH_STATUS)[0]["valueCodeableConcept"]["coding"][0]["code"]
    assert code == expected
    assert (code == "complete") == practitioner.is_verified()


def test_who_verified_and_what_patients_reported_is_never_published(patient, db):
    practitioner = verified_practitioner(last_name="Okafor")
    role = RoleFactory(practitioner=practitioner)
    verify(role.location, "phone")
    Verification.objects.filter(location=role.location).update(
        verified_by="Nurse Jackie Peyton", note="called back on her mobile 555-0199"
    )
    file_report(
        practitioner,
        f"phone:{role.location_id}",
        about="Phone: (212) 555-0123",
        details="They moved to 9 Secret Lane last spring",
        contact="patient.person@example.org",
    )

    bodies = [
        patient.get(f"/fhir/Practitioner/{practitioner.npi}").content,
        patient.get(
            f"/fhir/PractitionerRole?practitioner={practitioner.npi}"
            "&_include=PractitionerRole:location&_include=PractitionerRole:practitioner"
        ).content,
        patient.get(f"/fhir/Location/{role.location_id}").content,
    ]
    for body in bodies:
        for secret in ("Peyton", "555-0199", "Secret Lane", "patient.person", "Test verifier"):
            assert secret.encode() not in body
    location = fhir_get(patient, f"/fhir/Location/{role.location_id}")
    phone = next(
        v for v in extension(location, VERIFICATION) if sub_extension(v, "fact") == "phone"
    )
    assert sub_extension(phone, "disputed") is True  # the report shows only as a dispute


def test_inactive_practitioners_are_neither_read_nor_found(patient, db):
    hidden = PractitionerFactory(active=False, last_name="Hidden")
    body = fhir_get(patient, f"/fhir/Practitioner/{hidden.npi}", status=404)
    assert body["issue"][0]["code"] == "not-found"
    assert fhir_get(patient, "/fhir/Practitioner?family=Hidden")["total"] == 0
    assert fhir_get(patient, "/fhir/Practitioner/not-an-npi", status=404)


@pytest.fixture
def people(db) -> dict[str, Practitioner]:
    made = {
        "alvarez": PractitionerFactory(first_name="Ana", middle_name="B.", last_name="Alvarez"),
        "alvaro": PractitionerFactory(first_name="Alvaro", last_name="Chen", sex="male"),
        "brooks": PractitionerFactory(first_name="Ben", last_name="Brooks", sex="male"),
    }
    # Name searches go through the search index, which a commit would update.
    rebuild_provider_index()
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=alv", {"alvarez", "alvaro"}),  # family or given name starts with it
        ("name=ana%20alv", {"alvarez"}),  # every word starts a part of the name
        ("name=ALVAREZ", {"alvarez"}),  # case does not matter
        ("name=alv,bro", {"alvarez", "alvaro", "brooks"}),  # a comma means "or"
        ("name=alv&given=ana", {"alvarez"}),  # repeating parameters means "and"
        ("family=alv", {"alvarez"}),
        ("family:exact=Alvarez", {"alvarez"}),
        ("family:exact=Alv", set()),
        ("family:contains=vare", {"alvarez"}),
        ("given=alv", {"alvaro"}),
        ("given=b", {"alvarez", "brooks"}),  # a middle name is a given name
        ("name=zzz", set()),
    ],
)
def test_search_by_name(patient, people, query, expected):
    bundle = fhir_get(patient, f"/fhir/Practitioner?{query}")
    by_npi = {p.npi: name for name, p in people.items()}
    assert {by_npi[i] for i in ids(bundle)} == expected
    assert bundle["total"] == len(expected)


def test_search_by_npi_identifier_and_id(patient, people):
    npi = people["brooks"].npi
    for query in (f"identifier={npi}", f"identifier={NPI}|{npi}", f"_id={npi}"):
        assert ids(fhir_get(patient, f"/fhir/Practitioner?{query}")) == [npi], query
    for query in (f"identifier=http://example.org/other|{npi}", f"identifier=|{npi}"):
        assert fhir_get(patient, f"/fhir/Practitioner?{query}")["total"] == 0, query
    both = fhir_get(patient, f"/fhir/Practitioner?identifier={npi},{people['alvaro'].npi}")
    assert set(ids(both)) == {npi, people["alvaro"].npi}


@pytest.fixture
def changed_on(people) -> dict[str, str]:
    """Each person last changed at a known instant (update() keeps auto_now out of it)."""
    moments = {
        "alvarez": datetime.datetime(2026, 1, 10, 12, 0, tzinfo=datetime.UTC),
        "alvaro": datetime.datetime(2026, 2, 1, 8, 30, tzinfo=datetime.UTC),
        "brooks": datetime.datetime(2026, 3, 5, 23, 59, 59, 500000, tzinfo=datetime.UTC),
    }
    for name, moment in moments.items():
        Practitioner.objects.filter(pk=people[name].pk).update(updated_at=moment)
    return {people[name].npi: name for name in moments}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("_lastUpdated=2026-02", {"alvaro"}),
        ("_lastUpdated=eq2026-02-01", {"alvaro"}),
        ("_lastUpdated=ge2026-02-01", {"alvaro", "brooks"}),
        ("_lastUpdated=gt2026-02-01", {"brooks"}),  # after the whole of that day
        ("_lastUpdated=lt2026-02-01", {"alvarez"}),
        ("_lastUpdated=le2026-02-01", {"alvarez", "alvaro"}),
        ("_lastUpdated=ge2026-01-01&_lastUpdated=lt2026-03", {"alvarez", "alvaro"}),
        ("_lastUpdated=2026-01-10T12:00:00Z", {"alvarez"}),
        ("_lastUpdated=2026-01-10T12:00Z", {"alvarez"}),  # a minute's precision
        ("_lastUpdated=gt2026-03-05T23:59:59.4Z", {"brooks"}),
        ("_lastUpdated=gt2026-03-05T23:59:59.5Z", set()),
        ("_lastUpdated=ge2026-02-01T10:00:00%2B05:00", {"alvaro", "brooks"}),  # 05:00 UTC
        ("_lastUpdated=2025,2026-03", {"brooks"}),
    ],
)
def test_search_by_last_updated(patient, changed_on, query, expected):
    bundle = fhir_get(patient, f"/fhir/Practitioner?{query}")
    assert {changed_on[i] for i in ids(bundle)} == expected


def test_last_updated_shown_can_be_searched_back_exactly(patient, changed_on):
    read = fhir_get(patient, f"/fhir/Practitioner/{next(iter(changed_on))}")
    shown = read["meta"]["lastUpdated"]
    assert ids(fhir_get(patient, f"/fhir/Practitioner?_lastUpdated={shown}")) == [read["id"]]
    assert read["id"] not in ids(fhir_get(patient, f"/fhir/Practitioner?_lastUpdated=gt{shown}"))


def test_roles_come_along_with_revinclude(patient, db):
    role = RoleFactory()
    RoleFactory(practitioner=role.practitioner, active=False)
    bundle = fhir_get(
        patient,
        f"/fhir/Practitioner?_id={role.practitioner.npi}&_revinclude=PractitionerRole:practitioner",
    )
    assert ids(bundle) == [role.practitioner.npi]
    assert ids(bundle, "include") == [str(role.pk)]  # the inactive role stays out
    assert bundle["total"] == 1


def test_name_searches_find_practitioners_with_no_located_role(patient, db):
    """Names come from the search index, which holds every public practitioner's name,
    not only those a map search can place."""
    nowhere = PractitionerFactory(first_name="Odile", last_name="Nowhere-Smith")
    assert not nowhere.roles.exists()
    rebuild_provider_index()
    for query in ("name=odile", "name=smith", "family=nowhere-sm", "given=odi"):
        assert ids(fhir_get(patient, f"/fhir/Practitioner?{query}")) == [nowhere.npi], query


def test_name_matches_words_of_the_name_not_its_prefix_or_suffix(patient, db):
    doctor = PractitionerFactory(prefix="Dr.", first_name="Ada", last_name="Lovett", suffix="Jr.")
    rebuild_provider_index()
    assert ids(fhir_get(patient, "/fhir/Practitioner?name=ada+lov")) == [doctor.npi]
    assert fhir_get(patient, "/fhir/Practitioner?name=dr")["total"] == 0
