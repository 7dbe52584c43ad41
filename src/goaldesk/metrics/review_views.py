"""The reviews page: the imported online reviews of a period, filtered by rating and source,
with their count and average; and the dashboard's link to it."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Organisation, Role
from goaldesk.core.display import lnum
from goaldesk.core.parsing import ascii_digits
from goaldesk.interactions.models import Review
from goaldesk.metrics.review_selectors import (
    REVIEW_RATING_MOST,
    REVIEW_RATINGS,
    review_sources,
    reviews_filtered,
    reviews_summary,
)
from goaldesk.metrics.scope import PERIODS, Scope, scope_from_query

REVIEWS_PER_PAGE = 50
#: The fields of a review the list shows, in order.
REVIEW_COLUMNS = ("date", "rating", "source", "author", "text")


def rating_text(rating: float | None, decimals: int = 0) -> str:
    """A rating as "4 of 5" in the reader's digits ("—" for None)."""
    if rating is None:
        return "—"
    return _("%(rating)s of %(most)s") % {
        "rating": lnum(rating, decimals),
        "most": lnum(REVIEW_RATING_MOST),
    }


def stars(rating: int) -> str:
    """A rating drawn as five stars, so many of them filled."""
    return "★" * rating + "☆" * (REVIEW_RATING_MOST - rating)


def _chosen_rating(value: str) -> tuple[int | None, str | None]:
    """The rating a query asks for (None: every rating) and the message when it names none."""
    text = ascii_digits(value.strip())
    if not text:
        return None, None
    if text.isdigit() and int(text) in REVIEW_RATINGS:
        return int(text), None
    return None, _("Unknown rating “%(value)s”; showing every rating.") % {"value": value.strip()}


def reviews_link(
    organisation: Organisation, scope: Scope, count: int | None
) -> dict[str, str] | None:
    """The dashboard's "N reviews" link to the reviews of its period (None when the count is
    unknown: reviews have no channel, team, agent or category, so a filtered dashboard has
    none)."""
    if count is None:
        return None
    base = reverse("metrics:reviews", args=[organisation.slug])
    period = Scope(scope.period, scope.date_from, scope.date_to)
    return {
        "href": f"{base}?{period.query()}",
        "text": ngettext("%(count)s review", "%(count)s reviews", count) % {"count": lnum(count)},
    }


@org_view(Role.VIEWER)
def review_list(request: OrgRequest) -> HttpResponse:
    """The reviews of a period (?period= or ?from=&to=), of one rating (?rating=1..5) and one
    source (?source=), newest first, 50 to a page, with their count and average rating."""
    organisation = request.org
    scope = scope_from_query(request.GET, organisation)
    for problem in scope.problems:
        messages.error(request, problem)
    rating, rating_problem = _chosen_rating(request.GET.get("rating", ""))
    if rating_problem:
        messages.error(request, rating_problem)
    source = request.GET.get("source", "").strip()
    reviews = reviews_filtered(
        organisation=organisation,
        date_from=scope.date_from,
        date_to=scope.date_to,
        rating=rating,
        source=source,
    )
    summary = reviews_summary(reviews)
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for review in page.object_list:
        review.stars = stars(review.rating)  # type: ignore[attr-defined]
        review.rating_text = rating_text(review.rating)  # type: ignore[attr-defined]
    sources = review_sources(organisation=organisation)
    if source and source not in sources:
        sources.append(source)  # a link may name a source no review has (any longer)
    query = request.GET.copy()
    query.pop("page", None)
    # The column headers are the model's own field names, translated once for imports too.
    fields = {
        field.name: field.verbose_name
        for field in Review._meta.concrete_fields
        if field.name in REVIEW_COLUMNS
    }
    context: dict[str, Any] = {
        "nav": "interactions",
        "scope": scope,
        "periods": PERIODS,
        "page": page,
        "summary": summary,
        "average_text": rating_text(summary.average_rating, 2),
        "ratings": [(value, rating_text(value)) for value in REVIEW_RATINGS],
        "rating": rating,
        "sources": sources,
        "source": source,
        "fields": fields,
        "page_query": query.urlencode(),
    }
    return render(request, "metrics/reviews.html", context)
