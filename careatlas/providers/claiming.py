"""Record that a practitioner's or organization's profile is claimed, or no longer is."""

import datetime

from django.db import transaction

from careatlas.providers.models import Organization, Practitioner
from careatlas.providers.services import directory_changed


@transaction.atomic
def mark_claimed(subject: Practitioner | Organization, on: datetime.date) -> None:
    """Called by the practices app when a claim is approved; the 90-day clock starts `on`."""
    subject.claimed_on = on
    # save() (not update) so search re-reads the practitioner through its receivers.
    subject.save(update_fields=["claimed_on", "updated_at"])
    directory_changed()


@transaction.atomic
def mark_unclaimed(subject: Practitioner | Organization) -> None:
    """A claim was revoked: the profile stops showing practice confirmation reminders.

    Facts the practice confirmed keep their verifications (they were true when made) and
    age under VERIFICATION_STALE_DAYS like any other.
    """
    subject.claimed_on = None
    subject.save(update_fields=["claimed_on", "updated_at"])
    directory_changed()
