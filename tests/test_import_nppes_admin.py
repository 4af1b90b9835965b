"""An operator reviews the import history in the back office and downloads a quarantine."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from careatlas.imports.models import ImportRun
from tests.accounts_personas import staff_with_mfa_client
from tests.conftest import _staff
from tests.nppes_files import individual, load_taxonomy, npi, write_nppes

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator() -> Client:
    """Olivia, who runs the imports: staff, allowed to see the import history."""
    return staff_with_mfa_client(_staff("olivia-operator", "imports.view_importrun"))


@pytest.fixture
def imported_with_bad_rows(tmp_path, real_data) -> ImportRun:
    load_taxonomy(real_data)
    bad = individual("1234567890")  # the check digit should be 3
    rows = [individual(npi(n)) for n in range(1, 5)] + [bad]
    with pytest.raises(CommandError):  # 1 of 5 is over the 1% default
        call_command("import_nppes", str(write_nppes(tmp_path, rows)), stdout=io.StringIO())
    return ImportRun.objects.get()


def test_the_history_lists_each_run_with_its_counts_and_quarantine(
    operator, imported_with_bad_rows
):
    run = imported_with_bad_rows
    page = operator.get(reverse("admin:imports_importrun_changelist"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "npidata_pfile_20050523-20250608.csv" in html
    assert "NPPES registry" in html and "Completed" in html
    assert run.get_quarantine_url() in html and "1 row (CSV)" in html
    detail = operator.get(reverse("admin:imports_importrun_change", args=[run.pk]))
    assert run.file_sha256 in detail.content.decode()


def test_the_quarantine_downloads_as_csv(operator, imported_with_bad_rows):
    response = operator.get(imported_with_bad_rows.get_quarantine_url())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert list(csv.reader(io.StringIO(body))) == [
        ["line", "npi", "reason"],
        ["6", "1234567890", "invalid NPI '1234567890' (10 digits with a valid check digit)"],
    ]


def test_strangers_and_staff_without_permission_see_nothing(imported_with_bad_rows, editor):
    url = imported_with_bad_rows.get_quarantine_url()
    stranger = Client()
    assert stranger.get(url).status_code == 302  # to the login page
    staff = staff_with_mfa_client(editor)
    assert staff.get(url).status_code == 403
    assert staff.get(reverse("admin:imports_importrun_changelist")).status_code == 403
