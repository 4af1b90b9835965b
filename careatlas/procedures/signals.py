"""Signals other apps listen to (search re-indexes on content_changed)."""

from django.dispatch import Signal

# Sent after a transaction that changed public content commits.
content_changed = Signal()
