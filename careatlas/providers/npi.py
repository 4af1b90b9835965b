"""National Provider Identifier checks: ten digits whose last is a Luhn check digit over 80840."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every NPI is checked as if it followed the card-issuer prefix 80840 (ISO 7812, US health).
# A digit's byte -> the byte of its doubled digit sum (Luhn doubles every second digit).
_DOUBLED = str.maketrans("0123456789", "0246813579")


def _luhn_sum(ten_digits: str) -> int:
    """The Luhn sum of 80840 followed by ten ASCII digits, fast enough to run for every row
    of a nine-million-row registry file."""
    # The prefix 80840 always adds 24; every ASCII digit's byte is 48 more than its value.
    return (
        24 + sum(ten_digits[1::2].encode()) + sum(ten_digits[0::2].translate(_DOUBLED).encode())
    ) - 480


def npi_check_digit(first_nine: str) -> str:
    """The tenth digit that makes `first_nine` a valid NPI."""
    if len(first_nine) != 9 or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("An NPI check digit is computed from exactly nine digits.")
    return str((10 - _luhn_sum(first_nine + "0") % 10) % 10)


def is_valid_npi(value: str) -> bool:
    """True for a ten-digit string that passes the NPI Luhn check (e.g. 1234567893)."""
    if not isinstance(value, str) or len(value) != 10 or not value.isascii():
        return False
    if not value.isdigit():
        return False
    return _luhn_sum(value) % 10 == 0


def validate_npi(value: str) -> None:
    """Django validator: say what is wrong so the person can correct it."""
    if not isinstance(value, str) or len(value) != 10 or not (value.isascii() and value.isdigit()):
        raise ValidationError(_("An NPI is exactly 10 digits, e.g. 1234567893."), code="npi_format")
    if not is_valid_npi(value):
        raise ValidationError(
            _("%(value)s is not a valid NPI: its check digit does not match. Check for a typo."),
            code="npi_check_digit",
            params={"value": value},
        )
