"""What a profile shows of its reviews: the summary, the star chart, one page of reviews."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from careatlas.providers.models import Practitioner
from careatlas.providers.rating_presenters import review_count_text, stars
from careatlas.reviews.models import MIN_REVIEWS_FOR_AVERAGE, Review, Status

PER_PAGE = 10
PAGE_PARAM = "reviews_page"
SUB_SCORES = (
    ("bedside_manner", gettext_lazy("Bedside manner")),
    ("explained_clearly", gettext_lazy("Explained things clearly")),
    ("wait_time", gettext_lazy("Wait time")),
)
# The star chart's drawing, in SVG user units: a row per star value, the label left of the
# bar and the count right of it. The SVG scales to the column's width.
CHART_WIDTH, ROW_HEIGHT, BAR_X, BAR_MAX = 320, 24, 64, 200


def score_text(score: int) -> str:
    """'4 out of 5'."""
    return _("%(n)s out of 5") % {"n": score}


@dataclass(frozen=True)
class StarRow:
    """One bar of the chart and one row of its table: how many reviews gave `stars`."""

    stars: int
    count: int
    label: str  # '5 stars'
    share: str  # '62%'
    y: int  # top of the row, SVG units
    width: int  # bar length, SVG units (0 for none)

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT // 2 + 4

    @property
    def bar_y(self) -> int:
        return self.y + 5


@dataclass(frozen=True)
class ReviewItem:
    review: Review
    score: str  # '4 out of 5'
    filled: range  # for the star glyphs (aria-hidden; the score says it in words)
    empty: range
    date: str
    sub_scores: list[tuple[str, str]]
    reply_text: str
    reply_date: str


@dataclass
class ReviewSection:
    """A practitioner's published reviews as the profile shows them."""

    count: int
    count_text: str
    average: str = ""  # '4.4'; '' below MIN_REVIEWS_FOR_AVERAGE
    average_label: str = ""  # 'Rated 4.4 out of 5 from 23 reviews'
    too_few_text: str = ""
    chart: list[StarRow] = field(default_factory=list)
    chart_height: int = 0
    sub_scores: list[tuple[str, str]] = field(default_factory=list)
    items: list[ReviewItem] = field(default_factory=list)
    previous_url: str = ""
    next_url: str = ""
    page_text: str = ""

    @property
    def enough(self) -> bool:
        return bool(self.average)

    @property
    def headline(self) -> str:
        """The profile header's line: the average, or the count and why there is none."""
        if self.enough:
            return self.average_label
        return _("%(count)s – too few to judge") % {"count": self.count_text}

    @property
    def chart_width(self) -> int:
        return CHART_WIDTH

    @property
    def bar_x(self) -> int:
        return BAR_X


def _month(value) -> str:
    return formats.date_format(value, "YEAR_MONTH_FORMAT") if value else ""


def _item(review: Review) -> ReviewItem:
    reply = getattr(review, "reply", None)
    shown_reply = reply if reply is not None and reply.status == Status.PUBLISHED else None
    return ReviewItem(
        review=review,
        score=score_text(review.overall),
        filled=range(review.overall),
        empty=range(5 - review.overall),
        date=_month(review.published_at),
        sub_scores=[(label, score_text(getattr(review, name))) for name, label in SUB_SCORES],
        reply_text=shown_reply.text if shown_reply else "",
        reply_date=_month(shown_reply.published_at) if shown_reply else "",
    )


def _chart(counts: dict[int, int], total: int) -> list[StarRow]:
    most = max(counts.values(), default=0) or 1
    rows = []
    for i, value in enumerate(range(5, 0, -1)):
        n = counts.get(value, 0)
        rows.append(
            StarRow(
                stars=value,
                count=n,
                label=ngettext("%(n)s star", "%(n)s stars", value) % {"n": value},
                share=formats.number_format(round(100 * n / total), 0) + "%" if total else "",
                y=i * ROW_HEIGHT,
                width=round(BAR_MAX * n / most),
            )
        )
    return rows


def _page_url(base: str, number: int) -> str:
    """The profile's own URL for page 1 (the canonical one), ?reviews_page=N for others."""
    query = f"?{urlencode({PAGE_PARAM: number})}" if number > 1 else ""
    return f"{base}{query}#reviews"


def _page_number(asked: str | None, pages: int) -> int:
    """The page asked for, or the nearest real one (a bad value is page 1, not an error)."""
    try:
        number = int(asked or 1)
    except ValueError:
        return 1
    return min(max(number, 1), pages)


def review_section(practitioner: Practitioner, page_number: str | None) -> ReviewSection:
    """The summary, chart and sub-scores (only with enough reviews) and one page of reviews.

    The headline average is the practitioner's stored rating (what search, the API and the
    JSON-LD say); the chart and sub-scores are counted from the same published reviews, in
    one aggregate query, and the page is a second one. A practitioner whose stored count is
    0 (most of them) costs no query: refresh_rating keeps that count with every change.
    """
    if not practitioner.review_count:
        return ReviewSection(count=0, count_text=review_count_text(0))
    published = Review.objects.published().for_practitioner(practitioner)
    totals = published.aggregate(
        count=Count("id"),
        **{name: Avg(name) for name, _label in SUB_SCORES},
        **{f"stars_{n}": Count("id", filter=Q(overall=n)) for n in range(1, 6)},
    )
    count = totals["count"]
    section = ReviewSection(count=count, count_text=review_count_text(count))
    if not count:
        return section
    rating = practitioner.rating
    if rating is not None and count >= MIN_REVIEWS_FOR_AVERAGE:
        section.average = stars(rating)
        section.average_label = _("Rated %(stars)s out of 5 from %(count)s") % {
            "stars": section.average,
            "count": section.count_text,
        }
        section.chart = _chart({n: totals[f"stars_{n}"] for n in range(1, 6)}, count)
        section.chart_height = 5 * ROW_HEIGHT
        section.sub_scores = [
            (label, _("%(stars)s out of 5") % {"stars": stars(totals[name])})
            for name, label in SUB_SCORES
        ]
    else:
        section.too_few_text = _(
            "Fewer than %(min)s reviews: too few to judge. We show an average once %(min)s "
            "verified patients have reviewed this provider."
        ) % {"min": MIN_REVIEWS_FOR_AVERAGE}
    pages = -(-count // PER_PAGE)
    number = _page_number(page_number, pages)
    newest_first = published.select_related("reply").order_by("-published_at", "-id")
    start = (number - 1) * PER_PAGE
    section.items = [_item(review) for review in newest_first[start : start + PER_PAGE]]
    base = practitioner.get_absolute_url()
    if number > 1:
        section.previous_url = _page_url(base, number - 1)
    if number < pages:
        section.next_url = _page_url(base, number + 1)
    if pages > 1:
        section.page_text = _("Page %(page)s of %(pages)s") % {"page": number, "pages": pages}
    return section


def review_graph(section: ReviewSection, profile_url: str) -> list[dict]:
    """schema.org Review nodes for the reviews on this page, only with enough reviews."""
    if not section.enough:
        return []
    return [
        {
            "@type": "Review",
            "@id": f"{profile_url}#review-{item.review.pk}",
            "author": {"@type": "Person", "name": item.review.shown_name},
            "datePublished": item.review.published_at.date().isoformat(),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": item.review.overall,
                "bestRating": 5,
                "worstRating": 1,
            },
            **({"reviewBody": item.review.text} if item.review.text else {}),
        }
        for item in section.items
    ]
