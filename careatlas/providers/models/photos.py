"""A practitioner's photo, stored resized in the database so every app server can serve it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careatlas.providers.models.practitioners import Practitioner


class PractitionerPhoto(models.Model):
    """The re-encoded image (never the upload itself); `digest` names it in its URL.

    A photo is a few tens of kilobytes once resized, so the database holds it and a
    cacheable view serves it: no shared disk or object store between app servers.
    """

    practitioner = models.OneToOneField(
        Practitioner, on_delete=models.CASCADE, related_name="photo", primary_key=True
    )
    image = models.BinaryField(_("image"))
    content_type = models.CharField(_("content type"), max_length=20)
    width = models.PositiveSmallIntegerField(_("width"))
    height = models.PositiveSmallIntegerField(_("height"))
    digest = models.CharField(_("digest"), max_length=64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("practitioner photo")

    def __str__(self) -> str:
        return f"{self.practitioner_id} {self.width}x{self.height}"
