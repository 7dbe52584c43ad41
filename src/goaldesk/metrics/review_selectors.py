"""The organisation's imported online reviews: those of a period, by rating and source, and
their count and average rating (the figures `review_count` and `review_rating_avg` give for
the same period when nothing else is filtered)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, QuerySet

from goaldesk.accounts.models import Organisation
from goaldesk.interactions.models import Review

#: The ratings a review can have, best first (the order of the rating filter).
REVIEW_RATINGS = (5, 4, 3, 2, 1)
#: The best rating (the "5" of "4 of 5").
REVIEW_RATING_MOST = max(REVIEW_RATINGS)


@dataclass(frozen=True)
class ReviewSummary:
    """The count of a set of reviews and their mean rating (None for no reviews)."""

    count: int
    average_rating: float | None


def reviews_filtered(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    rating: int | None = None,
    source: str = "",
) -> QuerySet[Review]:
    """The reviews of `organisation` dated `date_from`..`date_to` (both included), with exactly
    `rating` and from `source` when given; newest first."""
    reviews = Review.objects.filter(organisation=organisation, date__range=(date_from, date_to))
    if rating is not None:
        reviews = reviews.filter(rating=rating)
    if source:
        reviews = reviews.filter(source=source)
    return reviews.order_by("-date", "-pk")


def reviews_summary(reviews: QuerySet[Review]) -> ReviewSummary:
    """How many `reviews` there are and their mean rating (1–5), in one query."""
    figures = reviews.order_by().aggregate(count=Count("pk"), average=Avg("rating"))
    average = figures["average"]
    return ReviewSummary(
        count=figures["count"], average_rating=None if average is None else float(average)
    )


def review_sources(*, organisation: Organisation) -> list[str]:
    """The sources the organisation's reviews name (blank ones left out), alphabetically."""
    sources = (
        Review.objects.filter(organisation=organisation)
        .exclude(source="")
        .order_by()
        .values_list("source", flat=True)
        .distinct()
    )
    return sorted(sources, key=lambda name: (name.casefold(), name))
