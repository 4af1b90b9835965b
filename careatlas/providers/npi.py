"""National Provider Identifier checks: ten digits whose last is a Luhn check digit over 80840."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Every NPI is checked as if it followed the card-issuer prefix 80840 (ISO 7812, US health).
NPI_PREFIX = "80840"


def _luhn_sum(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total


def npi_check_digit(first_nine: str) -> str:
    """The tenth digit that makes `first_nine` a valid NPI."""
    if len(first_nine) != 9 or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("An NPI check digit is computed from exactly nine digits.")
    return str((10 - _luhn_sum(NPI_PREFIX + first_nine + "0") % 10) % 10)


def is_valid_npi(value: str) -> bool:
    """True for a ten-digit string that passes the NPI Luhn check (e.g. 1234567893)."""
    if not isinstance(value, str) or len(value) != 10 or not value.isascii():
        return False
    if not value.isdigit():
        return False
    return _luhn_sum(NPI_PREFIX + value) % 10 == 0


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
