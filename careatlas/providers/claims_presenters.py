"""Medicare claims evidence on a profile: how often the provider performed each procedure.

Figures come from ProcedureVolume (written by import_utilization): the newest data year of
each procedure, as "Performed 412 times for Medicare patients in 2023 (CMS)" with a link to
the CMS dataset. The HCPCS descriptors of the file are never stored, so never shown.
"""

from dataclasses import dataclass

from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext

from careatlas.procedures.models import Guide
from careatlas.providers.medicare import DATASET, DATASET_URL, SUPPRESSION_THRESHOLD
from careatlas.providers.models import Practitioner, ProcedureVolume


@dataclass(frozen=True)
class ClaimsLine:
    procedure: str  # the guide's title in the page's language, else a readable slug
    url: str  # the guide, or ""
    services: int
    year: int
    text: SafeString  # "Performed 412 times for Medicare patients in 2023 (CMS)", linked
    slug: str  # the procedure's
    plain_text: str  # the same sentence without markup (the JSON API's)


@dataclass(frozen=True)
class ClaimsEvidence:
    lines: list[ClaimsLine]
    dataset: str
    dataset_url: str
    threshold: int  # CMS omits counts under this


def newest_volumes(practitioner: Practitioner) -> list[ProcedureVolume]:
    """The newest data year's volume of each procedure, most services first."""
    newest: dict[int, ProcedureVolume] = {}
    volumes = ProcedureVolume.objects.filter(practitioner=practitioner).select_related("procedure")
    for volume in volumes.order_by("procedure_id", "-year"):
        newest.setdefault(volume.procedure_id, volume)
    return sorted(newest.values(), key=lambda v: (-v.services, v.procedure.slug))


def _performed(services: int, year: int) -> tuple[str, dict]:
    sentence = ngettext(
        "Performed %(n)s time for Medicare patients in %(year)s (%(source)s)",
        "Performed %(n)s times for Medicare patients in %(year)s (%(source)s)",
        services,
    )
    return sentence, {"n": formats.number_format(services, 0, force_grouping=True), "year": year}


def performed_text(services: int, year: int) -> SafeString:
    """'Performed 412 times for Medicare patients in 2023 (CMS)', CMS linking to the data."""
    sentence, values = _performed(services, year)
    values["source"] = format_html(
        '<a href="{}" rel="noopener" title="{}">CMS</a>', DATASET_URL, f"{DATASET}, {year}"
    )
    # The translated sentence is escaped first; only the link is markup.
    return mark_safe(conditional_escape(sentence) % values)  # noqa: S308


def performed_plain_text(services: int, year: int) -> str:
    """The same sentence as plain text, for answers that are not HTML."""
    sentence, values = _performed(services, year)
    return sentence % (values | {"source": "CMS"})


def claims_evidence(practitioner: Practitioner) -> ClaimsEvidence | None:
    """What the profile's Medicare claims section shows, or None when CMS lists nothing."""
    volumes = newest_volumes(practitioner)
    if not volumes:
        return None
    titles = Guide.objects.filter(procedure_id__in=[v.procedure_id for v in volumes]).titles(
        get_language() or "en"
    )
    lines = []
    for volume in volumes:
        procedure = volume.procedure
        title = titles.get(procedure.pk)
        lines.append(
            ClaimsLine(
                procedure=title or procedure.slug.replace("-", " ").capitalize(),
                url=procedure.get_absolute_url() if title else "",
                services=volume.services,
                year=volume.year,
                text=performed_text(volume.services, volume.year),
                slug=procedure.slug,
                plain_text=performed_plain_text(volume.services, volume.year),
            )
        )
    return ClaimsEvidence(
        lines=lines, dataset=DATASET, dataset_url=DATASET_URL, threshold=SUPPRESSION_THRESHOLD
    )
