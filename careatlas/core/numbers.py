"""Numbers and money in the reader's language (formats from Django and core/formats)."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import pgettext


def grouped(value: Decimal | int, decimal_pos: int | None = None) -> str:
    """`value` with the active language's digit grouping and decimal mark."""
    return formats.number_format(value, decimal_pos, use_l10n=True, force_grouping=True)


def dollars(value: Decimal) -> str:
    """US dollars: whole dollars stay whole ($100); amounts with cents show both ($86.50)."""
    whole = value == value.to_integral_value()
    amount = grouped(int(value)) if whole else grouped(value, 2)
    # Translators: where the dollar sign goes around an amount in your language's convention.
    return pgettext("money", "$%(amount)s") % {"amount": amount}
