"""Every email this app sends goes through send_email (one place to route it)."""

from django.conf import settings

from careatlas.accounts import emails


def send_email(to: str, subject: str, template_name: str, context: dict) -> None:
    """Queue a plain-text email rendered from `template_name`; nothing about it is logged."""
    emails.send_email([to], subject, template_name, {"SITE_NAME": settings.SITE_NAME, **context})
