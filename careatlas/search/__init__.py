"""Search over guides, conditions, specialties and providers; callers use `interface`."""
