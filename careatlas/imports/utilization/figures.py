"""National Medicare figures per procedure, offered to guide editors as suggestions.

Computed over every valid row of the file (NPIs in the directory or not): total services,
the number of distinct rendering NPIs, and the average allowed amount per service,
sum(average allowed x services) / sum(services).
"""

from decimal import Decimal

from careatlas.imports.files import SourceFile
from careatlas.imports.utilization.layout import DATASET, DATASET_URL
from careatlas.imports.utilization.reading import National, whole_services
from careatlas.procedures.models import Guide, Measure
from careatlas.procedures.suggestions import Figure, offer


def procedure_figures(
    whole: National, year: int, source: SourceFile, run_id: int | None
) -> list[Figure]:
    services = whole_services(whole.services)
    if services <= 0:
        return []
    common = {
        "year": year,
        "services": services,
        "practitioners": len(whole.npis),
        "hcpcs_codes": tuple(sorted(whole.codes)),
        "dataset": DATASET,
        "dataset_url": DATASET_URL,
        "file_sha256": source.sha256,
        "import_run": run_id,
    }
    average = Decimal(repr(round(whole.allowed / whole.services, 2)))
    return [
        Figure(measure=Measure.MEDICARE_SERVICES, value=Decimal(services), **common),
        Figure(measure=Measure.MEDICARE_ALLOWED, value=average, **common),
    ]


def offer_figures(
    national: dict[int, National], year: int, source: SourceFile, run_id: int | None
) -> int:
    """Suggest each procedure's figures to the editors of each of its guides; returns how
    many new suggestions were left."""
    created = 0
    guides = Guide.objects.filter(procedure_id__in=list(national)).order_by("id")
    for guide in guides:
        for figure in procedure_figures(national[guide.procedure_id], year, source, run_id):
            created += offer(guide, figure) == "created"
    return created
