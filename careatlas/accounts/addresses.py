"""The email addresses an account has proved it reads."""

from allauth.account.models import EmailAddress


def verified_addresses(user) -> set[str]:
    """Every confirmed address of the account, lower-cased (allauth lets one have several)."""
    return {
        address.strip().lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
