"""Every email this app sends goes through send_email (one place to route it)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_email(to: str, subject: str, template_name: str, context: dict) -> None:
    """Send a plain-text email rendered from `template_name`; nothing about it is logged."""
    body = render_to_string(template_name, {"SITE_NAME": settings.SITE_NAME, **context})
    send_mail(str(subject), body, None, [to])
