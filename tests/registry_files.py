"""Real registry files loaded as an operator would: NUCC, a Care Compare excerpt and a
slice of CMS's hospitals, each command run with its own arguments.

Shared by the hospital pages and the API tests, which read the same data through the HTML
site and through /api/v1/.
"""

from collections.abc import Callable
from io import StringIO
from pathlib import Path

from django.core.management import call_command

NAPLES_NPI = "1215911011"  # Dr Perez-Rodriguez, Care Compare excerpt, affiliated with Naples
NAPLES_CCN = "100018"  # Naples Community Hospital


def load(command: str, *args) -> None:
    call_command(command, *map(str, args), stdout=StringIO(), stderr=StringIO())


def excerpt(source: Path, target: Path, keep: Callable[[str], bool]) -> Path:
    """The header of `source` and the lines `keep` accepts, written to `target`."""
    lines = source.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    target.write_text(lines[0] + "".join(line for line in lines[1:] if keep(line)))
    return target


def import_naples(real_data: Path, tmp_path: Path) -> None:
    """NUCC, Dr Perez-Rodriguez from Care Compare, then Florida's hospitals from CMS with
    HIFLD coordinates."""
    load("import_nucc", real_data / "nucc" / "nucc_taxonomy_251.csv")
    dac = real_data / "providers" / "cms_dac_national_downloadable_excerpt.csv"
    load(
        "import_care_compare",
        excerpt(dac, tmp_path / "dac.csv", lambda line: line.startswith(f"{NAPLES_NPI},")),
    )
    cms = real_data / "facilities" / "cms_hospital_general_information.csv"
    florida = excerpt(cms, tmp_path / "cms.csv", lambda line: line.startswith("100"))
    coordinates = real_data / "facilities" / "hifld_hospitals.csv"
    load("import_hospitals", florida, "--coordinates", coordinates)
