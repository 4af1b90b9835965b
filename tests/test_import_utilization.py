"""An operator loads a year of CMS Medicare claims: volumes per practitioner and procedure.

Runs `manage.py import_utilization` and `make_synthetic_utilization` the way an operator
would, on whichever database the run uses (set DATABASE_URL for PostgreSQL too).
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from careatlas.demo.utilization import DESCRIPTION, write_synthetic_utilization
from careatlas.imports.models import ImportRun, QuarantinedRow
from careatlas.imports.utilization import importer
from careatlas.imports.utilization.layout import COLUMNS
from careatlas.procedures.models import Procedure, ProcedureCode, StatSuggestion
from careatlas.providers.models import (
    OfferedProcedure,
    Practitioner,
    ProcedureVolume,
    Verification,
)
from tests.provider_factories import PractitionerFactory, RoleFactory, offer, valid_npi, verify
from tests.utilization_files import claim, import_claims, write_claims

pytestmark = pytest.mark.django_db

OMT, CHIRO, COLONOSCOPY = "osteopathic-manual-treatment", "chiropractic-manipulation", "colonoscopy"


@pytest.fixture
def directory(content_pack):
    """Dr Reyes (DO, two practices), Dr Okafor (chiropractor) and Dr Lin (no practice listed)."""
    reyes = RoleFactory(practitioner__npi=valid_npi(1), practitioner__last_name="Reyes")
    RoleFactory(practitioner=reyes.practitioner, location__line1="40 Second Avenue")
    okafor = RoleFactory(practitioner__npi=valid_npi(2), practitioner__last_name="Okafor")
    lin = PractitionerFactory(npi=valid_npi(3), last_name="Lin")
    return {"reyes": reyes.practitioner, "okafor": okafor.practitioner, "lin": lin}


def volume(practitioner, slug: str, year: int = 2023) -> ProcedureVolume:
    return ProcedureVolume.objects.get(practitioner=practitioner, procedure__slug=slug, year=year)


def state() -> list[tuple]:
    """Everything an import writes to the directory, for before/after comparisons."""
    return [
        sorted(
            ProcedureVolume.objects.values_list(
                "practitioner_id",
                "procedure_id",
                "year",
                "services",
                "beneficiaries",
                "hcpcs_codes",
                "allowed_total",
            )
        ),  # fmt: skip
        sorted(OfferedProcedure.objects.values_list("role_id", "procedure_id")),
        sorted(
            Verification.objects.values_list(
                "fact",
                "offered_procedure__role_id",
                "offered_procedure__procedure_id",
                "method",
                "verified_by",
                "verified_on",
            )
        ),
        sorted(StatSuggestion.objects.values_list("guide_id", "measure", "value", "status")),
    ]


def test_services_are_summed_over_codes_and_places_of_service(directory, tmp_path):
    reyes = directory["reyes"].npi
    path = write_claims(
        tmp_path / "claims.csv",
        [
            claim(reyes, "98925", "O", benes=15, services=20, allowed=30.0),
            claim(reyes, "98925", "F", benes=11, services=12, allowed=25.0),
            claim(reyes, "98926", "O", benes=25, services=30, allowed=45.5),
            claim(reyes, "99213", "O", benes=80, services=200, allowed=90.0),  # no guide uses it
        ],
    )
    printed = import_claims(path)
    omt = volume(directory["reyes"], OMT)
    assert omt.services == 62
    # CMS counts patients per code and place: the largest count is a lower bound.
    assert omt.beneficiaries == 25
    assert omt.hcpcs_codes == ["98925", "98926"]
    assert omt.allowed_total == Decimal("2265.00")  # 30x20 + 25x12 + 45.5x30
    assert ProcedureVolume.objects.count() == 1
    assert "4 rows imported" in printed
    assert "1 new" in printed
    assert "1 rows for codes no procedure uses" in printed


def test_a_code_shared_by_two_procedures_counts_for_both(directory, tmp_path):
    # An editor lists 98925 under chiropractic manipulation too.
    ProcedureCode.objects.create(procedure=Procedure.objects.get(slug=CHIRO), code="98925")
    reyes = directory["reyes"]
    path = write_claims(
        tmp_path / "claims.csv",
        [claim(reyes.npi, "98925", services=40), claim(reyes.npi, "98940", services=15)],
    )
    import_claims(path)
    assert volume(reyes, OMT).services == 40
    assert volume(reyes, CHIRO).services == 55
    assert volume(reyes, CHIRO).hcpcs_codes == ["98925", "98940"]


def test_rows_for_npis_not_in_the_directory_are_counted_and_skipped(directory, tmp_path):
    stranger, other = valid_npi(900), valid_npi(901)
    path = write_claims(
        tmp_path / "claims.csv",
        [
            claim(directory["okafor"].npi, "98940"),
            claim(stranger, "98940"),
            claim(stranger, "98941", "F"),
            claim(other, "45378"),
        ],
    )
    printed = import_claims(path)
    assert "Skipped 3 rows for 2 NPIs not in the directory" in printed
    assert ProcedureVolume.objects.count() == 1
    assert not QuarantinedRow.objects.exists()
    assert not Practitioner.objects.filter(npi__in=[stranger, other]).exists()


def test_bad_rows_go_to_quarantine_with_line_and_reason(directory, tmp_path):
    okafor = directory["okafor"].npi
    bad_npi = okafor[:9] + str((int(okafor[9]) + 1) % 10)
    short = [okafor, "Testname"]  # a broken line: two fields
    path = write_claims(
        tmp_path / "claims.csv",
        [
            claim(okafor, "98940", services=30),
            claim(bad_npi, "98940"),
            claim(okafor, "98941", services="N/A"),
            claim(okafor, "98942", place="X"),
            short,
            claim(okafor, "98942", benes="-3"),
            claim(okafor, "98941", services=14),
        ],
    )
    report = tmp_path / "bad.csv"
    with pytest.raises(CommandError, match="more than the 1.00% allowed; the good rows were imp"):
        import_claims(path, 2023, "--quarantine-report", str(report))
    assert volume(directory["okafor"], CHIRO).services == 44
    rows = list(QuarantinedRow.objects.order_by("line").values_list("line", "identifier", "reason"))
    assert rows == [
        (3, bad_npi, f"Rndrng_NPI '{bad_npi}' is not a valid NPI"),
        (4, okafor, "Tot_Srvcs is not a number: 'N/A'"),
        (5, okafor, "Place_Of_Srvc must be F or O, not 'X'"),
        (6, "", "expected 29 fields, found 2"),
        (7, okafor, "Tot_Benes must be a number of 0 or more, not '-3'"),
    ]
    with report.open() as stream:
        assert [row["line"] for row in csv.DictReader(stream)] == ["3", "4", "5", "6", "7"]
    run = ImportRun.objects.get()
    assert (run.status, run.rows_read, run.quarantined) == ("completed", 7, 5)


# Bad rows the test writes itself, each with the start of the reason the importer must give
# (the generator makes a clean file; what is bad, and why, is said here).
def _too_few_columns(row: list[str]) -> tuple[list[str], str]:
    return row[:10], "expected 29 fields"


def _invalid_npi(row: list[str]) -> tuple[list[str], str]:
    wrong = row[0][:9] + str((int(row[0][9]) + 1) % 10)
    return [wrong, *row[1:]], "is not a valid NPI"


def _unreadable_count(row: list[str]) -> tuple[list[str], str]:
    spoilt = list(row)
    spoilt[COLUMNS.index("Tot_Srvcs")] = "many"
    return spoilt, "Tot_Srvcs"


def _unknown_place(row: list[str]) -> tuple[list[str], str]:
    spoilt = list(row)
    spoilt[COLUMNS.index("Place_Of_Srvc")] = "X"
    return spoilt, "Place_Of_Srvc must be F or O"


SPOILERS = (_too_few_columns, _invalid_npi, _unreadable_count, _unknown_place)


def _plant(path, lines: list[int]) -> dict[int, str]:
    """Spoil the rows at these line numbers (the header is line 1); line -> expected reason."""
    with path.open(newline="") as stream:
        rows = list(csv.reader(stream))
    reasons = {}
    for number, line in enumerate(lines):
        rows[line - 1], reasons[line] = SPOILERS[number % len(SPOILERS)](rows[line - 1])
    with path.open("w", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return reasons


def test_a_synthetic_file_with_planted_bad_rows(directory, tmp_path):
    npis = list(Practitioner.objects.values_list("npi", flat=True))
    made = write_synthetic_utilization(
        tmp_path / "synthetic.csv", 400, seed=7, npis=npis, unknown_share=1.0
    )
    planted = _plant(made.path, [2, 37, 88, 121, 150, 199, 240, 262, 300, 333, 380, 401])
    printed = import_claims(made.path, 2023, "--max-bad-share", "0.05")
    quarantined = dict(QuarantinedRow.objects.values_list("line", "reason"))
    assert sorted(quarantined) == sorted(planted)
    for line, reason in planted.items():
        assert reason in quarantined[line]
    assert "400 rows imported" in printed and "12 quarantined" in printed
    # Every good row of a directory practitioner with a pack code is in a volume.
    codes = set(ProcedureCode.objects.values_list("code", flat=True))
    expected: dict[tuple[str, str], float] = {}
    with made.path.open(newline="") as stream:
        for line, row in enumerate(csv.reader(stream), start=1):
            if line == 1 or line in planted or row[0] not in npis or row[18] not in codes:
                continue
            for slug in ProcedureCode.objects.filter(code=row[18]).values_list(
                "procedure__slug", flat=True
            ):
                expected[(row[0], slug)] = expected.get((row[0], slug), 0) + float(row[23])
    found = {
        (npi, slug): services
        for npi, slug, services in ProcedureVolume.objects.values_list(
            "practitioner__npi", "procedure__slug", "services"
        )
    }
    assert found == {key: round(total) for key, total in expected.items()}


def test_importing_the_same_file_twice_changes_nothing(directory, tmp_path):
    npis = list(Practitioner.objects.values_list("npi", flat=True))
    made = write_synthetic_utilization(tmp_path / "claims.csv", 300, seed=3, npis=npis)
    import_claims(made.path)
    before = state()
    assert before[0], "the file should give the directory some volumes"
    printed = import_claims(made.path)
    assert state() == before
    assert " 0 new, 0 updated" in printed
    assert "0 procedures offered added" in printed
    assert ImportRun.objects.filter(status="completed").count() == 2


def test_a_later_year_adds_a_row_and_keeps_the_earlier_one(directory, tmp_path):
    reyes = directory["reyes"]
    import_claims(
        write_claims(tmp_path / "2022.csv", [claim(reyes.npi, "98925", services=40)]), 2022
    )
    import_claims(
        write_claims(tmp_path / "2023.csv", [claim(reyes.npi, "98925", services=55)]), 2023
    )
    assert sorted(
        ProcedureVolume.objects.filter(practitioner=reyes).values_list("year", "services")
    ) == [(2022, 40), (2023, 55)]
    assert Verification.objects.filter(
        offered_procedure__role__practitioner=reyes, verified_by="CMS Medicare claims 2023"
    ).count() == 2  # fmt: skip


def test_claims_make_every_role_offer_the_procedure_with_a_claims_verification(directory, tmp_path):
    reyes, lin = directory["reyes"], directory["lin"]
    path = write_claims(
        tmp_path / "claims.csv", [claim(reyes.npi, "98925"), claim(lin.npi, "98925")]
    )
    import_claims(path)
    offers = OfferedProcedure.objects.filter(role__practitioner=reyes, procedure__slug=OMT)
    assert offers.count() == 2  # both practices
    for offered in offers:
        check = Verification.objects.get(fact="procedure_offered", offered_procedure=offered)
        assert check.method == "claims_data"
        assert check.verified_by == "CMS Medicare claims 2023"
        assert check.verified_on == timezone.localdate()
    # Dr Lin lists no practice: the volume is kept, there is no role to offer it at.
    assert volume(lin, OMT).services == 30
    assert not OfferedProcedure.objects.filter(role__practitioner=lin).exists()


def test_the_claims_badge_dates_from_the_first_import_of_a_data_year(directory, tmp_path):
    reyes = directory["reyes"]
    path = write_claims(tmp_path / "2023.csv", [claim(reyes.npi, "98925")])
    import_claims(path, 2023)
    checks = Verification.objects.filter(offered_procedure__role__practitioner=reyes)
    month_ago = timezone.localdate() - datetime.timedelta(days=30)
    checks.update(verified_on=month_ago)  # as if that import ran a month ago
    import_claims(path, 2023)
    assert set(checks.values_list("verified_on", flat=True)) == {month_ago}
    import_claims(write_claims(tmp_path / "2024.csv", [claim(reyes.npi, "98925")]), 2024)
    assert set(checks.values_list("verified_on", "verified_by")) == {
        (timezone.localdate(), "CMS Medicare claims 2024")
    }


def test_claims_do_not_overrule_a_current_or_disputed_verification(directory, tmp_path):
    okafor = directory["okafor"]
    role = okafor.roles.get()
    chiro, acupuncture, massage = (
        offer(role, Procedure.objects.get(slug=slug))
        for slug in (CHIRO, "acupuncture", "massage-therapy")
    )
    confirmed = verify(chiro, "procedure_offered", days_ago=30, method="office_confirmation")
    disputed = verify(acupuncture, "procedure_offered", days_ago=5, disputed=True)
    stale = verify(massage, "procedure_offered", days_ago=400, method="office_confirmation")
    path = write_claims(
        tmp_path / "claims.csv",
        [claim(okafor.npi, code) for code in ("98940", "97810", "97124")],
    )
    import_claims(path)
    confirmed.refresh_from_db(), disputed.refresh_from_db(), stale.refresh_from_db()
    assert confirmed.method == "office_confirmation"
    assert disputed.disputed and disputed.method == "registry_match"
    assert (stale.method, stale.verified_by) == ("claims_data", "CMS Medicare claims 2023")


def test_an_older_year_does_not_replace_newer_evidence(directory, tmp_path):
    reyes = directory["reyes"]
    import_claims(write_claims(tmp_path / "2023.csv", [claim(reyes.npi, "98925")]), 2023)
    import_claims(write_claims(tmp_path / "2021.csv", [claim(reyes.npi, "98925")]), 2021)
    assert set(
        Verification.objects.filter(offered_procedure__role__practitioner=reyes).values_list(
            "verified_by", flat=True
        )
    ) == {"CMS Medicare claims 2023"}


def test_a_dry_run_checks_everything_and_writes_nothing(directory, tmp_path):
    reyes = directory["reyes"]
    path = write_claims(
        tmp_path / "claims.csv",
        [claim(reyes.npi, "98925"), claim(reyes.npi, "98925", place="Z")]
        + [claim(reyes.npi, "98926")] * 200,
    )
    before = state()
    printed = import_claims(path, 2023, "--dry-run")
    assert state() == before
    assert "validated" in printed and "1 new" in printed
    run = ImportRun.objects.get()
    assert run.status == "validated" and run.dry_run
    assert run.quarantine.get().reason == "Place_Of_Srvc must be F or O, not 'Z'"


def test_an_interrupted_import_resumes_where_it_stopped(directory, tmp_path, monkeypatch):
    for n in range(10, 16):
        RoleFactory(practitioner__npi=valid_npi(n))
    npis = list(Practitioner.objects.values_list("npi", flat=True))
    made = write_synthetic_utilization(tmp_path / "claims.csv", 120, seed=5, npis=npis)
    monkeypatch.setattr(importer, "BATCH", 3)

    class Killed(BaseException):
        """Stands in for kill -9: nothing in the importer may catch it."""

    real_write, calls = importer.write_batch, []

    def dying_write(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise Killed
        return real_write(*args, **kwargs)

    monkeypatch.setattr(importer, "write_batch", dying_write)
    with pytest.raises(Killed):
        import_claims(made.path)
    run = ImportRun.objects.get()
    assert run.status == "running" and run.checkpoint["written"] == 6
    monkeypatch.setattr(importer, "write_batch", real_write)
    import_claims(made.path)
    run.refresh_from_db()
    assert (run.status, run.resumed) == ("completed", 1)
    assert run.created == ProcedureVolume.objects.count() > 6
    interrupted = state()
    # The same file into a clean directory state gives exactly the same rows.
    ProcedureVolume.objects.all().delete()
    OfferedProcedure.objects.all().delete()
    StatSuggestion.objects.all().delete()
    import_claims(made.path)
    assert state() == interrupted


def test_the_descriptor_column_is_never_stored(directory, tmp_path):
    npis = list(Practitioner.objects.values_list("npi", flat=True))
    made = write_synthetic_utilization(tmp_path / "claims.csv", 200, seed=9, npis=npis, bad=4)
    import_claims(made.path, 2023, "--max-bad-share", "0.05")
    assert ProcedureVolume.objects.exists()
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert DESCRIPTION not in dump.getvalue()
    assert "not a CPT descriptor" not in dump.getvalue()


def test_a_file_in_another_layout_is_refused_by_name(directory, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("NPI,Code,Count\n1234567893,98925,12\n")
    with pytest.raises(CommandError, match=r"other\.csv: not a CMS .* missing column\(s\) Rndrng"):
        import_claims(path)
    assert ImportRun.objects.get().status == "failed"
    with pytest.raises(CommandError, match="no such file"):
        import_claims(tmp_path / "missing.csv")


def test_the_year_must_be_a_published_data_year(directory, tmp_path):
    path = write_claims(tmp_path / "claims.csv", [claim(directory["reyes"].npi, "98925")])
    with pytest.raises(CommandError, match="--year 1999"):
        import_claims(path, 1999)
    with pytest.raises(CommandError, match=f"--year {timezone.localdate().year + 1}"):
        import_claims(path, timezone.localdate().year + 1)
    assert not ImportRun.objects.exists()


def test_the_synthetic_file_has_the_real_layout(directory, tmp_path):
    out = io.StringIO()
    path = tmp_path / "synthetic.csv"
    call_command(
        "make_synthetic_utilization", "--rows", "500", "--seed", "2", "--from-db",
        "--bad", "0", "--out", str(path), stdout=out,
    )  # fmt: skip
    assert "500 rows" in out.getvalue()
    with path.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert tuple(rows[0]) == COLUMNS
    data = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    assert len(data) == 500
    pack = set(ProcedureCode.objects.values_list("code", flat=True))
    assert sum(row["HCPCS_Cd"] in pack for row in data) > 300  # mostly the pack's codes
    assert {row["Place_Of_Srvc"] for row in data} == {"F", "O"}
    assert min(int(row["Tot_Benes"]) for row in data) >= 11
    assert all(float(row["Tot_Srvcs"]) >= int(row["Tot_Benes"]) for row in data)
    assert {row["HCPCS_Desc"] for row in data} == {DESCRIPTION}
    assert [row["Rndrng_NPI"] for row in data] == sorted(row["Rndrng_NPI"] for row in data)
    # Same seed, same file.
    again = tmp_path / "again.csv"
    call_command(
        "make_synthetic_utilization", "--rows", "500", "--seed", "2", "--from-db",
        "--out", str(again), stdout=io.StringIO(),
    )  # fmt: skip
    assert again.read_bytes() == path.read_bytes()


def test_npis_can_come_from_an_nppes_file(directory, tmp_path, real_data):
    header = (real_data / "nppes" / "nppes_npidata_pfile_header_2025-06_V2.csv").read_text()
    columns = next(csv.reader([header.splitlines()[0]]))
    nppes = tmp_path / "npidata.csv"
    with nppes.open("w", newline="", encoding="latin-1") as stream:
        writer = csv.writer(stream, quoting=csv.QUOTE_ALL)
        writer.writerow(columns)
        for n, entity in ((40, "1"), (41, "2"), (42, "1")):
            row = [""] * len(columns)
            row[columns.index("NPI")], row[columns.index("Entity Type Code")] = valid_npi(n), entity
            writer.writerow(row)
    out = tmp_path / "claims.csv"
    call_command(
        "make_synthetic_utilization", "--rows", "30", "--npi-file", str(nppes),
        "--unknown-share", "0", "--out", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    with out.open(newline="") as stream:
        used = {row["Rndrng_NPI"] for row in csv.DictReader(stream)}
    assert used == {valid_npi(40), valid_npi(42)}  # individuals only


def test_data_date_and_options_are_recorded(directory, tmp_path):
    path = write_claims(tmp_path / "claims.csv", [claim(directory["reyes"].npi, "98925")])
    import_claims(path, 2022)
    run = ImportRun.objects.get()
    assert run.kind == "utilization"
    assert run.data_date == datetime.date(2022, 12, 31)
    assert run.options == {"year": 2022}
    assert len(run.file_sha256) == 64
