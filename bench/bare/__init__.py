"""Bench-only Django wiring: the product site plus a bare, database-free comparison page."""
