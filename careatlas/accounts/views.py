"""Account pages of our own: the account home and the answers to too many attempts."""

from collections.abc import Callable
from functools import wraps

from allauth.account import views as account_views
from allauth.mfa.base import views as mfa_views
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from careatlas.accounts.access import has_second_factor, session_passed_mfa
from careatlas.core import errors


def too_many_attempts(request: HttpRequest, retry_after: int | None = None) -> HttpResponse:
    """The friendly 429 page for sign-in and account actions (allauth's handler429 too)."""
    return errors.too_many_attempts(
        request, "accounts/too_many_attempts.html", retry_after or settings.SIGNIN_WINDOW_SECONDS
    )


def refuse_throttled_sign_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 429 when the sign-in the view just tried was refused by a rate limit."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        retry_after = getattr(request, "signin_retry_after", None)
        if retry_after:
            return too_many_attempts(request, retry_after)
        return response

    return guarded


sign_in = refuse_throttled_sign_in(account_views.login)
reauthenticate = refuse_throttled_sign_in(account_views.reauthenticate)
mfa_authenticate = refuse_throttled_sign_in(mfa_views.authenticate)
mfa_reauthenticate = refuse_throttled_sign_in(mfa_views.reauthenticate)


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a signed-in account lands: its security at a glance and where to go next."""
    kinds = set(
        Authenticator.objects.filter(user_id=request.user.pk).values_list("type", flat=True)
    )
    return render(
        request,
        "accounts/home.html",
        {
            "has_second_factor": has_second_factor(request.user),
            "session_passed_mfa": session_passed_mfa(request),
            "has_totp": Authenticator.Type.TOTP in kinds,
            "has_passkey": Authenticator.Type.WEBAUTHN in kinds,
            "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in kinds,
        },
    )
