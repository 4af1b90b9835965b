"""Several limits on one action (sign-ins, claim attempts): any one used up refuses it."""

import pytest

from careatlas.core.ratelimit import Limits, RateLimit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("store", ["database", "cache"])
def test_an_action_is_refused_by_whichever_limit_its_client_used_up(settings, store):
    settings.RATE_LIMIT_STORE = store
    per_account, per_address = RateLimit("t-account", 2), RateLimit("t-address", 3)
    ann = Limits(((per_account, "ann"), (per_address, "198.51.100.7")))
    assert ann.exceeded() is None
    assert [ann.hit(), ann.hit()] == [1, 2]
    assert ann.exceeded() is per_account

    # Another account from the same address has one try left, then the address is used up.
    bob = Limits(((per_account, "bob"), (per_address, "198.51.100.7")))
    assert bob.exceeded() is None
    assert bob.hit() == 1
    assert bob.exceeded() is per_address
    # Bob from elsewhere is still welcome.
    assert Limits(((per_account, "bob"), (per_address, "203.0.113.9"))).exceeded() is None


def test_a_switched_off_limit_neither_counts_nor_refuses(settings):
    settings.RATE_LIMIT_STORE = "database"
    off = Limits(((RateLimit("t-off", 0), "ann"),))
    assert off.hit() == 0
    assert off.exceeded() is None
