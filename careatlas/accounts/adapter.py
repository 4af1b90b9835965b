"""allauth, fitted to the project: its mail goes through send_email, its IPs through core."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.loader import render_to_string

from careatlas.accounts.emails import send_email
from careatlas.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's messages (confirm your address, reset your password...), sent in a task."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            # allauth's templates greet from "current_site.name": the site's name, not its host.
            "current_site": SimpleNamespace(
                name=settings.SITE_NAME, domain=request.get_host() if request else ""
            ),
            **context,
        }
        subject = render_to_string(f"{template_prefix}_subject.txt", full_context)
        send_email(
            to=[email],
            subject=self.format_email_subject(" ".join(subject.splitlines()).strip()),
            template_name=f"{template_prefix}_message.txt",
            context=full_context,
        )

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address the project's own limits count (TRUSTED_PROXY_COUNT aware).
        return client_ip(request)

    def validation_error(self, code: str, *args) -> ValidationError:
        if code == "too_many_login_attempts":
            # allauth's own limit tripped (passwords or second-factor codes): the view answers
            # with the 429 page, as for the project's throttle (accounts/views.py).
            request = allauth_context.request
            if request is not None:
                request.signin_retry_after = settings.SIGNIN_WINDOW_SECONDS
        return super().validation_error(code, *args)
