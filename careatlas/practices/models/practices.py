"""A practice is one provider NPI that people manage here, with its members and invitations."""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careatlas.providers.fields import EncryptedTextField
from careatlas.providers.models import Location, Organization, Practitioner

# Website hosts many unrelated practices share: an address at one of these domains proves
# nothing about a practice, so they never qualify for the email-link claim.
SHARED_HOSTS = frozenset(
    {
        "facebook.com",
        "google.com",
        "sites.google.com",
        "instagram.com",
        "linkedin.com",
        "wixsite.com",
        "squarespace.com",
        "wordpress.com",
        "weebly.com",
        "godaddysites.com",
        "yelp.com",
        "healthgrades.com",
        "zocdoc.com",
        "gmail.com",
        "yahoo.com",
        "outlook.com",
        "hotmail.com",
        "aol.com",
    }
)


def website_domain(url: str) -> str:
    """'https://www.Riverside-Spine.com/about' -> 'riverside-spine.com'; '' if none or shared."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    if "." not in host or any(host == s or host.endswith("." + s) for s in SHARED_HOSTS):
        return ""
    return host


def token_digest(token: str) -> str:
    """How a link's token is stored: a digest, so the table alone opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class Practice(models.Model):
    """One practitioner's or one organization's NPI, once somebody starts to claim it."""

    practitioner = models.OneToOneField(
        Practitioner, on_delete=models.CASCADE, null=True, blank=True, related_name="practice"
    )
    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="practice"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the owners were last emailed to confirm their facts again (practices.reminders).
    reminded_at = models.DateTimeField(_("confirmation reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("practice")
        constraints = [
            models.CheckConstraint(
                condition=Q(practitioner__isnull=True, organization__isnull=False)
                | Q(practitioner__isnull=False, organization__isnull=True),
                name="practice_is_one_npi",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (NPI {self.npi})"

    @property
    def subject(self) -> Practitioner | Organization:
        return self.practitioner or self.organization

    @property
    def kind(self) -> str:
        return "practitioner" if self.practitioner_id else "organization"

    @property
    def npi(self) -> str:
        return self.subject.npi

    @property
    def name(self) -> str:
        return self.practitioner.display_name if self.practitioner_id else self.organization.name

    @property
    def key(self) -> str:
        """How the audit trail files this practice's events, e.g. "practitioner:1234567893"."""
        return self.subject.practice_key

    def locations(self) -> models.QuerySet[Location]:
        """The places this NPI practises at: its active roles' locations, or its own."""
        return Location.objects.kept_by(self.subject).order_by("id")

    def website_domains(self) -> list[str]:
        """Domains of the websites on file: the organization's, or those of a practitioner's
        organizations. An email address at one of them can receive a claim link."""
        if self.organization_id:
            websites = [self.organization.website]
        else:
            websites = Organization.objects.filter(
                roles__practitioner_id=self.practitioner_id, roles__active=True
            ).values_list("website", flat=True)
        return sorted({d for d in map(website_domain, websites) if d})

    def owners(self) -> models.QuerySet["Membership"]:
        return self.memberships.filter(role=PracticeRole.OWNER)

    def is_claimed(self) -> bool:
        return self.owners().exists()


class PracticeRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Office staff")


class Membership(models.Model):
    """A person's place in a practice. Deleted when they are removed, so access ends at once."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=PracticeRole.choices)
    # Staff limited to some locations have all_locations off and those locations listed.
    all_locations = models.BooleanField(_("all locations"), default=True)
    locations = models.ManyToManyField(Location, verbose_name=_("locations"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["role", "created_at", "id"]
        verbose_name = _("practice member")
        constraints = [
            models.UniqueConstraint(fields=["practice", "user"], name="member_of_practice_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @property
    def is_owner(self) -> bool:
        return self.role == PracticeRole.OWNER

    def covers(self, location: Location) -> bool:
        return self.is_owner or self.all_locations or self.locations.filter(pk=location.pk).exists()


class InvitationQuerySet(models.QuerySet):
    def open(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An owner's invitation for office staff: a link that works once, until it expires."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invitations")
    email = EncryptedTextField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    all_locations = models.BooleanField(_("all locations"), default=True)
    locations = models.ManyToManyField(Location, verbose_name=_("locations"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("staff invitation")

    def __str__(self) -> str:
        return f"{_('Invitation')} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.cancelled_at is None
            and self.expires_at > timezone.now()
        )
