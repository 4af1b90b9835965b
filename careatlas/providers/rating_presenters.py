"""How a practitioner's rating reads wherever it is shown: profile, search results, API docs."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careatlas.providers.models import MIN_REVIEWS_FOR_AVERAGE


def stars(value: Decimal | float) -> str:
    """4.366 -> '4.4': one decimal, rounded half up (as people round), localised."""
    shown = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return formats.number_format(shown, 1)


def review_count_text(count: int) -> str:
    """'1 review', '23 reviews', '1,204 reviews'."""
    return ngettext("%(n)s review", "%(n)s reviews", count) % {
        "n": formats.number_format(count, 0, force_grouping=True)
    }


def rating_summary(rating: Decimal | None, count: int) -> str:
    """One line for a result card: '4.4 out of 5 from 23 reviews', 'Fewer than 5 reviews:
    too few to judge (3 reviews)', or '' with none."""
    if not count:
        return ""
    if rating is None:
        return _("Fewer than %(min)s reviews: too few to judge (%(count)s)") % {
            "min": MIN_REVIEWS_FOR_AVERAGE,
            "count": review_count_text(count),
        }
    return _("%(stars)s out of 5 from %(count)s") % {
        "stars": stars(rating),
        "count": review_count_text(count),
    }
