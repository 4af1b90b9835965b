"""factory_boy factories for reviews, written straight to the tables (the writing side has
its own tests): a published review from a verified visit, with or without a reply."""

import datetime

import factory
from django.utils import timezone

from careatlas.practices.models import Practice
from careatlas.practices.models.practices import token_digest
from careatlas.reviews.models import Reply, Review, ReviewLink, Status
from careatlas.reviews.ratings import refresh_rating


def practice_of(practitioner) -> Practice:
    practice, _created = Practice.objects.get_or_create(practitioner=practitioner)
    return practice


class ReviewLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewLink

    token_hash = factory.Sequence(lambda n: token_digest(f"review-link-{n}"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=90))


class ReviewFactory(factory.django.DjangoModelFactory):
    """A published review; pass `practice=practice_of(practitioner)`."""

    class Meta:
        model = Review

    link = factory.SubFactory(ReviewLinkFactory, practice=factory.SelfAttribute("..practice"))
    overall = 4
    bedside_manner = 5
    explained_clearly = 4
    wait_time = 3
    text = "Listened carefully and explained the options."
    status = Status.PUBLISHED
    published_at = factory.Sequence(
        lambda n: timezone.now() - datetime.timedelta(days=400) + datetime.timedelta(hours=n)
    )


class ReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reply

    text = "Thank you for your feedback."
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


def reviews_for(practitioner, scores, refresh: bool = True, **fields) -> list[Review]:
    """One published review per overall score, oldest first, then the stored rating."""
    practice = practice_of(practitioner)
    made = [ReviewFactory(practice=practice, overall=score, **fields) for score in scores]
    if refresh:
        refresh_rating(practice)
    return made
