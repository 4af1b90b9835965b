"""Pages that need a second factor: the `mfa_required` decorator and the admin's gate."""

from collections.abc import Callable
from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

# A recovery code alone is not a way to sign in: it comes with an app or a passkey.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def has_second_factor(user) -> bool:
    return is_mfa_enabled(user, types=SECOND_FACTORS)


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether this session was signed in, or re-authenticated, with a second factor."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def mfa_refusal(request: HttpRequest) -> HttpResponse | None:
    """Where to send a request that may not pass yet, or None when it may."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_second_factor(user):
        messages.info(
            request,
            _(
                "This page needs two-factor authentication. Set up an authenticator app or "
                "a passkey first; it keeps your practice's listing safe if your password "
                "is ever guessed."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_index"))
    if not session_passed_mfa(request):
        # Signed in before the second factor was added (or by some other way): prove it now.
        messages.info(request, _("Please confirm it is you with your authenticator."))
        return suspend_request(request, reverse("mfa_reauthenticate"))
    return None


def mfa_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view decorator: the view runs only for a session that passed MFA."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return mfa_refusal(request) or view(request, *args, **kwargs)

    return guarded


class AdminRequiresMFAMiddleware:
    """Staff enter the Django admin only from a session that passed MFA.

    A middleware rather than a custom AdminSite: every app registers its models on the
    default site, and this covers all of them. Admin sign-in itself goes to allauth's
    sign-in page (see careatlas/urls.py), which asks for the second factor.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        user = getattr(request, "user", None)
        if user is not None and user.is_staff and request.path.startswith(self.admin_prefix):
            refusal = mfa_refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)
