"""Verified patient reviews: written from a visit's link, moderated, shown with honest counts."""
