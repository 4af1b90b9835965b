"""NPIs are checked the way CMS issues them: ten digits, Luhn over the 80840 prefix."""

import pytest
from django.core.exceptions import ValidationError

from careatlas.demo.providers import demo_npis
from careatlas.providers.credentials import normalise_credentials
from careatlas.providers.npi import is_valid_npi, npi_check_digit, validate_npi

# CMS's worked example first, then NPIs that appear in public test data.
REAL_VALID = ["1234567893", "1245319599", "1003000126", "1679576722"]


@pytest.mark.parametrize("npi", REAL_VALID)
def test_valid_npis_pass(npi):
    assert is_valid_npi(npi)
    validate_npi(npi)


@pytest.mark.parametrize(
    "npi",
    ["1234567890", "1234567894", "1245319598", "123456789", "12345678931", "12345678a3", ""],
)
def test_invalid_npis_fail(npi):
    assert not is_valid_npi(npi)
    with pytest.raises(ValidationError):
        validate_npi(npi)


def test_non_ascii_digits_are_not_an_npi():
    assert not is_valid_npi("١٢٣٤٥٦٧٨٩٣")


def test_the_error_says_what_to_fix():
    with pytest.raises(ValidationError, match="exactly 10 digits"):
        validate_npi("12345")
    with pytest.raises(ValidationError, match="check digit"):
        validate_npi("1234567890")


def test_check_digit_completes_the_number():
    assert npi_check_digit("123456789") == "3"
    with pytest.raises(ValueError):
        npi_check_digit("12345")


def test_demo_npis_are_valid_distinct_and_never_issued_by_cms():
    npis = demo_npis(5000, seed=3)
    assert len(set(npis)) == 5000
    assert all(is_valid_npi(n) for n in npis)
    # CMS issues NPIs starting with 1 or 2; the demo range starts with 9.
    assert all(n.startswith("9") for n in npis)
    assert demo_npis(5000, seed=3) == npis
    assert demo_npis(5000, seed=4) != npis


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("d.o.", ["DO"]),
        ("M.D., FACS", ["MD", "FACS"]),
        ("L.Ac.", ["LAc"]),
        (["pt", "DPT", "P.T."], ["PT", "DPT"]),
        ("dc", ["DC"]),
        ("", []),
    ],
)
def test_credentials_are_normalised(raw, expected):
    assert normalise_credentials(raw) == expected
