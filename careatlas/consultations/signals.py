"""Signals for the layers above: a request's status changed (reviews send their link then)."""

from django.dispatch import Signal

# Sent after a request's status is saved, with `request` (the ConsultationRequest), `old`
# and `new`. Receivers run inside the caller's transaction; defer mail with on_commit.
status_changed = Signal()
