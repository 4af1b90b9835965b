"""Account events written to the audit trail: sign-ins, passwords, second factors."""

from allauth.account import signals as account_signals
from allauth.account.authentication import get_authentication_records
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.http import HttpRequest

from careatlas.core.audit import record


def _methods(request: HttpRequest | None, user) -> str:
    """How this session proved who it is, e.g. "password, mfa:totp" (never the secrets)."""
    if request is None or not hasattr(request, "session"):
        return ""
    steps = []
    for step in get_authentication_records(request, user):
        method = step.get("method", "")
        steps.append(f"{method}:{step['type']}" if step.get("type") else method)
    return ", ".join(dict.fromkeys(steps))


@receiver(auth_signals.user_logged_in)
def signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    record("account.signed_in", actor=user, field="method", new=_methods(request, user))


@receiver(auth_signals.user_login_failed)
def sign_in_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    # Refusals while throttled are only logged (core/signin.py): the trail records real
    # attempts, which the throttle keeps few. The password never reaches this receiver.
    if request is not None and getattr(request, "signin_retry_after", None):
        return
    typed = credentials.get("email") or credentials.get("username") or ""
    record("account.sign_in_failed", field="email", new=str(typed)[:254])


@receiver(auth_signals.user_logged_out)
def signed_out(sender, request: HttpRequest | None, user, **kwargs) -> None:
    record("account.signed_out", actor=user)


@receiver(account_signals.user_signed_up)
def signed_up(sender, request: HttpRequest, user, **kwargs) -> None:
    record("account.signed_up", actor=user)


@receiver(account_signals.email_confirmed)
def email_confirmed(sender, request: HttpRequest, email_address, **kwargs) -> None:
    record("account.email_confirmed", actor=email_address.user, new=email_address.email)


@receiver(account_signals.password_changed)
def password_changed(sender, request: HttpRequest, user, **kwargs) -> None:
    record("account.password_changed", actor=user)


@receiver(account_signals.password_set)
def password_set(sender, request: HttpRequest, user, **kwargs) -> None:
    record("account.password_set", actor=user)


@receiver(account_signals.password_reset)
def password_reset(sender, request: HttpRequest, user, **kwargs) -> None:
    record("account.password_reset", actor=user)


@receiver(mfa_signals.authenticator_added)
def mfa_added(sender, request: HttpRequest, user, authenticator: Authenticator, **kwargs):
    record("account.mfa_added", actor=user, field="type", new=authenticator.type)


@receiver(mfa_signals.authenticator_removed)
def mfa_removed(sender, request: HttpRequest, user, authenticator: Authenticator, **kwargs):
    record("account.mfa_removed", actor=user, field="type", old=authenticator.type)


@receiver(mfa_signals.authenticator_reset)
def mfa_reset(sender, request: HttpRequest, user, authenticator: Authenticator, **kwargs):
    record("account.mfa_reset", actor=user, field="type", new=authenticator.type)


@receiver(mfa_signals.authenticator_used)
def mfa_used(sender, request: HttpRequest, user, authenticator: Authenticator, **kwargs):
    # Only recovery codes: each use spends one of a few, which the owner should be able to
    # see; app and passkey use already shows as a sign-in's method.
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        record("account.recovery_code_used", actor=user, field="type", new=authenticator.type)


@receiver(mfa_signals.authentication_failed)
def mfa_failed(sender, request: HttpRequest, user, **kwargs) -> None:
    record("account.mfa_failed", actor=user)
