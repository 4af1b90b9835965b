"""Account personas and their authenticator app: RFC 6238 codes computed here, not by allauth."""

import base64
import hashlib
import hmac
import re
import struct
import time

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import User
from django.test import Client

PASSWORD = "correct-horse-battery"
SIGN_IN = "/accounts/login/"
MFA_CODE = "/accounts/2fa/authenticate/"


def totp_code(secret: str, *, at: float | None = None, steps_ahead: int = 0) -> str:
    """The six-digit code an authenticator app shows for `secret` (RFC 6238, SHA-1, 30 s)."""
    counter = int((time.time() if at is None else at) // 30) + steps_ahead
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def make_account(email: str, *, staff: bool = False, password: str = PASSWORD) -> User:
    """An account whose email address is confirmed, as after sign-up and confirmation."""
    user = User.objects.create_user(email.split("@")[0], email, password, is_staff=staff)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def give_authenticator_app(user: User) -> str:
    """Activate TOTP for the account as the set-up page does; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def sign_in(client: Client, email: str, password: str = PASSWORD, secret: str | None = None):
    """Sign in through the pages; with a secret, answer the second-factor page too."""
    response = client.post(SIGN_IN, {"login": email, "password": password})
    if secret is not None:
        assert response.status_code == 302 and response["Location"] == MFA_CODE, response
        response = client.post(MFA_CODE, {"code": totp_code(secret)})
    return response


def mfa_client(user: User) -> Client:
    """A client signed in as `user` with password and a fresh authenticator app."""
    # Whatever the persona was created with: an address to sign in by, a password we know.
    user.email = user.email or f"{user.username}@example.org"
    user.set_password(PASSWORD)
    user.save(update_fields=["email", "password"])
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    # A second sign-in of the same persona gets a new app: the old secret is not kept anywhere.
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = give_authenticator_app(user)
    client = Client()
    response = sign_in(client, user.email, secret=secret)
    assert response.status_code == 302, response
    return client


# Staff personas enter the admin the same way.
staff_with_mfa_client = mfa_client


def confirmation_link(body: str) -> str:
    """The path of the first /accounts/ link in an email body."""
    match = re.search(r"https?://[^/\s]+(/accounts/\S+)", body)
    assert match, body
    return match.group(1)
