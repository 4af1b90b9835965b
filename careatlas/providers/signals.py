"""Signals other apps listen to (search re-indexes on practitioners_changed)."""

from django.dispatch import Signal

# Sent with `practitioner_ids` when a bulk `.update()` changed what search shows about
# them (for example a fact marked disputed), since such updates send no post_save.
practitioners_changed = Signal()
