"""Practices: claiming a provider profile, proving it, and the office team that keeps it."""
