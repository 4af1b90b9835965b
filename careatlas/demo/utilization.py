"""Synthetic utilization files in the real CMS layout, for tests and benchmarks.

Rows look like the real file where it matters to an importer: the 29 real columns, rows
grouped by NPI in ascending order, one row per HCPCS code and place of service (F or O),
at least 11 beneficiaries (CMS suppresses smaller counts), services at least the
beneficiaries, allowed amounts that depend on the code and the place, fractional services
for drug codes. Most rows use the content pack's codes (each practitioner focuses on one or
two procedures), the rest everyday codes no guide uses. Surnames are obviously fake and the
HCPCS_Desc column never holds a real (AMA-copyrighted) descriptor. Same seed, same file.
"""

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from careatlas.imports.utilization.layout import COLUMNS, SUPPRESSION_THRESHOLD
from careatlas.providers.geocoding import standard_zip_places
from careatlas.providers.npi import npi_check_digit

BAD_KINDS = ("columns", "npi", "count", "place")
# What HCPCS_Desc holds in every synthetic row: never a CPT descriptor. Tests look for it.
DESCRIPTION = "Synthetic test description, not a CPT descriptor"
# The content pack's codes by procedure, used when the database has no ProcedureCode rows.
PACK_CODES = {
    "acupuncture": ("97810", "97811", "97813", "97814"),
    "carpal-tunnel-release": ("29848", "64721"),
    "cataract-surgery": ("66982", "66984"),
    "chiropractic-manipulation": ("98940", "98941", "98942"),
    "colonoscopy": ("45378", "45380", "45385", "G0105", "G0121"),
    "epidural-steroid-injection": ("62321", "62323", "64479", "64483"),
    "massage-therapy": ("97124",),
    "osteopathic-manual-treatment": ("98925", "98926", "98927", "98928", "98929"),
    "physical-therapy": ("97110", "97140", "97161", "97162", "97163"),
    "total-hip-replacement": ("27130",),
    "total-knee-replacement": ("27447",),
    "upper-endoscopy": ("43235", "43239"),
}
# Everyday codes outside the pack (visits, labs, imaging, a drug): rows the importer skips.
OTHER_CODES = (
    "99213", "99214", "99204", "99203", "36415", "93000", "20610", "97112", "97530", "97012",
    "92014", "71046", "80053", "G0439", "J1030", "J3301",
)  # fmt: skip
# Rndrng_Prvdr_Type for practitioners focused on a procedure (CMS's own wording).
_TYPES = {
    "acupuncture": "Acupuncturist",
    "carpal-tunnel-release": "Hand Surgery",
    "cataract-surgery": "Ophthalmology",
    "chiropractic-manipulation": "Chiropractic",
    "colonoscopy": "Gastroenterology",
    "epidural-steroid-injection": "Interventional Pain Management",
    "massage-therapy": "Physical Therapist in Private Practice",
    "osteopathic-manual-treatment": "Osteopathic Manipulative Medicine",
    "physical-therapy": "Physical Therapist in Private Practice",
    "total-hip-replacement": "Orthopedic Surgery",
    "total-knee-replacement": "Orthopedic Surgery",
    "upper-endoscopy": "Gastroenterology",
}
_CREDENTIALS = {
    "Acupuncturist": ("L.Ac.", "LAc"),
    "Chiropractic": ("D.C.", "DC"),
    "Physical Therapist in Private Practice": ("PT", "DPT", "PT, DPT"),
    "Osteopathic Manipulative Medicine": ("D.O.", "DO"),
}
# Typical average allowed amount per service in an office (dollars); facility rows get less.
_ALLOWED = {
    "27130": 1400, "27447": 1390, "66982": 780, "66984": 540, "29848": 420, "64721": 380,
    "45378": 230, "45380": 280, "45385": 330, "G0105": 230, "G0121": 230, "43235": 150,
    "43239": 180, "62321": 170, "62323": 180, "64479": 210, "64483": 200, "98925": 32,
    "98926": 46, "98927": 59, "98928": 72, "98929": 86, "98940": 28, "98941": 40,
    "98942": 52, "97110": 29, "97140": 27, "97161": 100, "97162": 100, "97163": 100,
    "97810": 27, "97811": 20, "97813": 29, "97814": 24, "97124": 25, "J1030": 6, "J3301": 2,
}  # fmt: skip
_RUCA = (
    ("1", "Metropolitan area core: primary flow within an urbanized area of 50,000 and greater"),
    ("2", "Metropolitan area high commuting: primary flow 30% or more to a UA"),
    ("4", "Micropolitan area core: primary flow within an Urban Cluster of 10,000 to 49,999"),
    ("10", "Rural areas: primary flow to a tract outside a UA or UC"),
)
_STATE_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56", "PR": "72",
}  # fmt: skip
_SURNAMES = (
    "Testname", "Fakesworth", "Samplesson", "Mockwell", "Placeholder", "Dummyfield",
    "Examplar", "Syntheticson", "Pretendley", "Madeupova",
)  # fmt: skip
_FIRST_NAMES = ("Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Sam", "Jamie", "Avery")
_PACK_SHARE = 0.75  # of rows that use a code the content pack lists


@dataclass
class SyntheticFile:
    path: Path
    rows: int
    npis: list[str]
    planted: dict[int, str] = field(default_factory=dict)  # line number -> kind of bad row


def random_npis(count: int, seed: int) -> list[str]:
    """Valid NPIs, ascending, in a range (19...) directories of synthetic data do not use."""
    rng = random.Random(seed)
    numbers = sorted(rng.sample(range(190_000_000, 198_999_999), count))
    return [f"{n}{npi_check_digit(str(n))}" for n in numbers]


def _more_npis(rng: random.Random) -> Iterator[str]:
    """Fresh valid NPIs after every other one (199...), for files that need more NPIs."""
    number = 199_000_000
    while True:
        number += rng.randint(1, 50)
        yield f"{number}{npi_check_digit(str(number))}"


def _amount(value: float) -> str:
    """CMS writes amounts with up to eight decimals and no trailing zeros."""
    return f"{value:.8f}".rstrip("0").rstrip(".")


class _Generator:
    def __init__(self, seed: int, pack: dict[str, tuple[str, ...]]):
        self.rng = random.Random(seed)
        self.pack = {slug: codes for slug, codes in sorted(pack.items()) if codes}
        if not self.pack:
            raise ValueError("no procedure codes to draw from")
        self.slugs = list(self.pack)
        self.places = standard_zip_places()

    def _provider(self, npi: str) -> tuple[list[str], list[str]]:
        """The 18 provider columns of a practitioner, and the codes they bill."""
        rng = self.rng
        focus = rng.sample(self.slugs, 2 if rng.random() < 0.2 else 1)
        kind = _TYPES.get(focus[0], "Internal Medicine")
        place = rng.choice(self.places)
        ruca, ruca_text = rng.choice(_RUCA)
        credentials = rng.choice(_CREDENTIALS.get(kind, ("M.D.", "MD", "D.O.")))
        columns = [
            npi,
            rng.choice(_SURNAMES),
            rng.choice(_FIRST_NAMES),
            rng.choice("ABCDEJKLMRS") if rng.random() < 0.6 else "",
            credentials,
            rng.choice("FM"),
            "I",
            f"{rng.randint(1, 9999)} Example {rng.choice(('St', 'Ave', 'Rd', 'Blvd'))}",
            f"Suite {rng.randint(100, 999)}" if rng.random() < 0.3 else "",
            place.city,
            place.state,
            _STATE_FIPS.get(place.state, "99"),
            place.zip_code,
            ruca,
            ruca_text,
            "US",
            kind,
            "Y" if rng.random() < 0.97 else "N",
        ]
        codes = [code for slug in focus for code in self.pack[slug]]
        return columns, codes

    def _service(self, code: str, place: str) -> list[str]:
        rng = self.rng
        drug = code.startswith("J")
        beneficiaries = SUPPRESSION_THRESHOLD + int(rng.expovariate(1 / 40))
        services = beneficiaries * rng.uniform(1.0, 6.0 if code.startswith("97") else 1.6)
        services = round(services, 1) if drug else float(round(services))
        day_services = min(services, round(beneficiaries * rng.uniform(1.0, 3.0)))
        base = _ALLOWED.get(code, 40 + (sum(map(ord, code)) % 160))
        allowed = base * (0.7 if place == "F" else 1.0) * rng.uniform(0.85, 1.15)
        payment = allowed * rng.uniform(0.76, 0.80)
        return [
            code,
            DESCRIPTION,
            "Y" if drug else "N",
            place,
            str(beneficiaries),
            f"{services:g}",
            f"{day_services:g}",
            _amount(allowed * rng.uniform(1.5, 4.0)),
            _amount(allowed),
            _amount(payment),
            _amount(payment * rng.uniform(0.92, 1.08)),
        ]

    def rows_for(self, npi: str, count: int) -> Iterator[list[str]]:
        """Up to `count` rows of one NPI, each code and place at most once."""
        rng = self.rng
        provider, focus = self._provider(npi)
        combos = [(code, place) for code in focus for place in ("O", "F")]
        rng.shuffle(combos)
        others = [(code, place) for code in OTHER_CODES for place in ("O", "F")]
        rng.shuffle(others)
        chosen = []
        for _ in range(count):
            if rng.random() < _PACK_SHARE or not others:
                if not combos:  # a busy practitioner: one more procedure of the pack
                    more = [c for c in self.pack[rng.choice(self.slugs)] if c not in focus]
                    focus.extend(more)
                    combos = [(code, place) for code in more for place in ("O", "F")]
                pool = combos or others
            else:
                pool = others
            if not pool:
                break
            chosen.append(pool.pop())
        chosen.sort()
        for code, place in chosen:
            yield provider + self._service(code, place)


def _spoil(row: list[str], kind: str, rng: random.Random) -> list[str]:
    row = list(row)
    if kind == "columns":
        return row[:-1]
    if kind == "npi":
        first_nine = row[0][:9]
        row[0] = first_nine + str((int(npi_check_digit(first_nine)) + 1) % 10)
    elif kind == "count":
        row[COLUMNS.index("Tot_Srvcs")] = rng.choice(("N/A", "twelve", "", "1O"))
    elif kind == "place":
        row[COLUMNS.index("Place_Of_Srvc")] = "X"
    return row


def write_synthetic_utilization(
    out: str | Path,
    rows: int,
    *,
    seed: int = 1,
    npis: list[str] | None = None,
    pack: dict[str, tuple[str, ...]] | None = None,
    bad: int = 0,
    unknown_share: float = 0.0,
) -> SyntheticFile:
    """Write `rows` data rows (including `bad` planted bad ones) for these NPIs, in order.

    Without NPIs, random valid ones are used. The rows are spread over the NPIs (about
    rows / len(npis) each, as the real file has eight or so); NPIs are added if needed.
    `unknown_share` mixes in that share of extra NPIs no directory has (as a real file
    has NPIs a directory lacks).
    """
    if rows < 0 or not 0 <= bad <= rows:
        raise ValueError("rows must be 0 or more and bad at most rows")
    generator = _Generator(seed, pack or PACK_CODES)
    rng = generator.rng
    pool = sorted(set(npis)) if npis else random_npis(max(1, rows // 8), seed)
    if npis and unknown_share > 0:
        pool = sorted({*pool, *random_npis(max(1, round(len(pool) * unknown_share)), seed)})
    spoiled = set(rng.sample(range(rows), bad))
    kinds = [BAD_KINDS[i % len(BAD_KINDS)] for i in range(bad)]
    rng.shuffle(kinds)
    path = Path(out)
    result = SyntheticFile(path=path, rows=0, npis=[])
    extra = _more_npis(random.Random(seed + 1))
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        written, index = 0, 0
        while written < rows:
            if index < len(pool):
                npi, left = pool[index], len(pool) - index
            else:
                npi, left = next(extra), 1
            index += 1
            average = max(1.0, (rows - written) / left)
            count = min(rows - written, max(1, round(rng.gauss(average, average / 3))))
            if left == 1:  # the last NPI given takes the rest, as far as it can
                count = rows - written
            used = False
            for row in generator.rows_for(npi, count):
                if written in spoiled:
                    kind = kinds.pop()
                    row = _spoil(row, kind, rng)
                    result.planted[written + 2] = kind  # line 1 is the header
                writer.writerow(row)
                written += 1
                used = True
            if used:
                result.npis.append(npi)
    result.rows = written
    return result
