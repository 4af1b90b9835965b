"""Demo providers: deterministic, valid, everywhere, obviously synthetic, and removable."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from careatlas.practices.models import Membership, Practice
from careatlas.providers.models import (
    IncorrectInfoReport,
    Location,
    OfferedProcedure,
    Organization,
    Practitioner,
    PractitionerRole,
    RoleSpecialty,
    Verification,
)
from careatlas.providers.npi import is_valid_npi
from careatlas.reviews.models import MIN_REVIEWS_FOR_AVERAGE, Review, ReviewLink
from careatlas.reviews.ratings import refresh_rating
from tests.practice_personas import own, person
from tests.provider_factories import PractitionerFactory, RoleFactory

pytestmark = pytest.mark.django_db


def _seed(count: int, seed: int = 1) -> None:
    call_command("seed_demo_providers", count=count, seed=seed, chunk=150, verbosity=0)


def _npis() -> list[str]:
    return list(Practitioner.objects.demo().order_by("npi").values_list("npi", flat=True))


def test_same_seed_gives_the_same_providers_without_duplicates(content_pack):
    _seed(300, seed=11)
    first = _npis()
    names = set(Practitioner.objects.values_list("npi", "first_name", "last_name"))
    _seed(300, seed=11)
    assert _npis() == first
    assert len(first) == 300
    assert set(Practitioner.objects.values_list("npi", "first_name", "last_name")) == names
    _seed(300, seed=12)
    assert _npis() != first


def test_demo_data_is_valid_and_plausible(content_pack):
    _seed(400)
    demo = Practitioner.objects.demo()
    assert demo.count() == 400
    assert all(
        is_valid_npi(npi) and npi.startswith("9") for npi in demo.values_list("npi", flat=True)
    )
    assert set(demo.values_list("prefix", flat=True)) == {"Demo"}
    # Credentials match the profession.
    for slug, credentials in [("chiropractic", {"DC"}), ("acupuncture", {"LAc"})]:
        for creds in demo.filter(roles__specialties__specialty__slug=slug).values_list(
            "credentials", flat=True
        ):
            assert credentials <= set(creds)
    # Every role has a NUCC code mapped to one of our specialties.
    assert not RoleSpecialty.objects.filter(specialty=None).exists()
    # Procedures offered belong to the role's specialty; some have self-pay prices.
    for offered in OfferedProcedure.objects.select_related("procedure", "role")[:200]:
        assert offered.role.specialties.filter(specialty=offered.procedure.specialty_id).exists()
    priced = OfferedProcedure.objects.exclude(self_pay_low=None)
    assert priced.exists()
    assert all(o.self_pay_low <= o.self_pay_high for o in priced)
    # Verification ages vary: some current, some stale, some facts unverified.
    assert Verification.objects.current().exists()
    assert Verification.objects.stale().exists()
    assert Practitioner.objects.verified().exists()
    assert Practitioner.objects.exclude(pk__in=Practitioner.objects.verified()).exists()
    assert Location.objects.exclude(hours=[]).exists()


def test_first_providers_cover_every_state(content_pack):
    _seed(200)
    states = set(Location.objects.filter(is_demo=True).values_list("state", flat=True))
    assert len(states) == 51  # the 50 states and DC


def test_demo_profiles_render_with_the_demo_label(content_pack, patient):
    _seed(30)
    for practitioner in Practitioner.objects.demo()[:5]:
        html = patient.get(practitioner.get_absolute_url()).content.decode()
        assert "Demo data – this provider is synthetic." in html


def test_clear_removes_demo_data_and_keeps_real_providers(content_pack):
    real = RoleFactory().practitioner
    _seed(120)
    demo = Practitioner.objects.demo().first()
    IncorrectInfoReport.objects.create(practitioner=demo, fact="other", details="Not real.")
    call_command("seed_demo_providers", clear=True, verbosity=0)
    assert list(Practitioner.objects.all()) == [real]
    assert not Organization.objects.filter(is_demo=True).exists()
    assert PractitionerRole.objects.count() == 1
    assert not IncorrectInfoReport.objects.exists()


def test_ids_continue_after_existing_rows(content_pack):
    existing = PractitionerFactory()
    _seed(20)
    assert Practitioner.objects.demo().order_by("id").first().pk > existing.pk
    # The database hands out fresh ids after explicit ones (PostgreSQL sequences reset).
    assert PractitionerFactory().pk > Practitioner.objects.demo().order_by("-id").first().pk


def test_seeding_without_the_content_pack_says_what_to_do(empty_catalogue):
    with pytest.raises(CommandError, match="load_content"):
        _seed(10)


@pytest.mark.parametrize("with_real_providers", [False, True], ids=["demo only", "mixed"])
def test_reseeding_removes_claimed_demo_practices_with_their_members(
    content_pack, with_real_providers
):
    _seed(20)
    if with_real_providers:
        RoleFactory(practitioner__is_demo=False, location__is_demo=False)
    demo = Practitioner.objects.demo().first()
    practice = own(person("dana"), demo)
    assert Membership.objects.filter(practice=practice).exists()
    _seed(20)
    assert not Membership.objects.exists()
    # The practices left are the fresh ones that hold the new demo reviews, unclaimed.
    assert not Practice.objects.exclude(reviews__is_demo=True).exists()
    assert Practitioner.objects.demo().count() == 20


def test_demo_reviews_are_marked_spread_and_counted(content_pack):
    _seed(200)
    counts = sorted(Practitioner.objects.demo().values_list("review_count", flat=True))
    assert counts.count(0) > 60  # most demo providers have no review
    assert any(1 <= n < MIN_REVIEWS_FOR_AVERAGE for n in counts)  # some too few to judge
    assert any(n >= 10 for n in counts)  # some with many
    assert not Review.objects.filter(is_demo=False).exists()
    # The stored figures are the ones refresh_rating computes from the published reviews.
    sample = Practitioner.objects.demo().filter(review_count__gte=MIN_REVIEWS_FOR_AVERAGE)[:5]
    for practitioner in sample:
        stored = (practitioner.review_count, practitioner.review_average)
        refresh_rating(practitioner.practice)
        practitioner.refresh_from_db()
        assert (practitioner.review_count, practitioner.review_average) == stored
    # Reseeding replaces them; clearing removes them.
    before = Review.objects.count()
    _seed(200)
    assert Review.objects.count() == before
    call_command("seed_demo_providers", clear=True, stdout=StringIO())
    assert not Review.objects.exists() and not ReviewLink.objects.exists()
