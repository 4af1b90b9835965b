"""Consultation requests: from a guide or profile to a claimed practice's inbox."""
