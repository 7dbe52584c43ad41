"""The reviews page: the imported reviews of a period by rating and source, their count and
average, in the reader's digits and calendar; and the dashboard's link to it."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from goaldesk.accounts.models import Role, today_in
from goaldesk.interactions.models import Review
from goaldesk.metrics.review_selectors import review_sources, reviews_filtered, reviews_summary

pytestmark = pytest.mark.django_db

MARCH_1_TO_4 = {"from": "2026-03-01", "to": "2026-03-04"}


def review(organisation, external_id, day, rating, source="Google", text="", author=""):
    return Review.objects.create(
        organisation=organisation,
        external_id=external_id,
        date=dt.date.fromisoformat(day),
        rating=rating,
        source=source,
        text=text,
        author=author,
    )


@pytest.fixture
def reviewed(org, other_org):
    """Three reviews of `org` from 1 to 4 March 2026 (5, 4 and 2 stars), one on each side of
    that period, and one of another organisation inside it."""
    review(org, "g1", "2026-03-01", 5, text="Quick and kind")
    review(org, "g2", "2026-03-02", 4)
    review(org, "t1", "2026-03-02", 2, source="Trustpilot", text="Slow reply", author="Ali")
    review(org, "g3", "2026-03-05", 1)
    review(org, "t2", "2026-02-28", 3, source="Trustpilot")
    review(other_org, "x1", "2026-03-03", 1, source="Elsewhere", text="Other organisation")
    return org


def page(client, organisation, **query):
    return client.get(reverse("metrics:reviews", args=[organisation.slug]), query)


def shown_ids(response):
    return [r.external_id for r in response.context["page"].object_list]


def test_the_period_lists_its_reviews_newest_first_with_count_and_average(client_as, reviewed):
    response = page(client_as(Role.VIEWER), reviewed, **MARCH_1_TO_4)
    assert response.status_code == 200
    # 2 March has two reviews: the later one entered first (the page breaks ties by entry).
    assert shown_ids(response) == ["t1", "g2", "g1"]
    # (5 + 4 + 2) / 3 = 3.666… → 3.67
    assert response.context["summary"].count == 3
    assert response.context["average_text"] == "3.67 of 5"
    html = response.content.decode()
    assert "3 reviews from" in html and "Average rating: 3.67 of 5." in html
    assert "★★☆☆☆" in html and "2 of 5" in html  # Ali's review: stars and words
    assert "<bdi>Slow reply</bdi>" in html and "<bdi>Ali</bdi>" in html
    assert "Other organisation" not in html and "Elsewhere" not in html


@pytest.mark.parametrize(
    ("query", "expected_ids", "count", "average"),
    [
        ({"rating": "4"}, ["g2"], 1, "4.00 of 5"),
        ({"rating": "۲"}, ["t1"], 1, "2.00 of 5"),  # Persian digits in a link still read
        ({"source": "Google"}, ["g2", "g1"], 2, "4.50 of 5"),  # (5 + 4) / 2
        ({"source": "Trustpilot", "rating": "2"}, ["t1"], 1, "2.00 of 5"),
        (
            {"source": "Trustpilot", "from": "2026-02-28", "to": "2026-03-05"},
            ["t1", "t2"],
            2,
            "2.50 of 5",
        ),  # (2 + 3) / 2
        ({"rating": "1"}, [], 0, "—"),  # the 1-star review is dated 5 March, outside the period
    ],
)
def test_filters_by_rating_source_and_period(
    client_as, reviewed, query, expected_ids, count, average
):
    response = page(client_as(Role.VIEWER), reviewed, **{**MARCH_1_TO_4, **query})
    assert shown_ids(response) == expected_ids
    assert response.context["summary"].count == count
    assert response.context["average_text"] == average
    if not count:
        assert "No reviews match these filters." in response.content.decode()


def test_a_period_preset_is_the_same_reading_as_the_dashboards(client_as, org):
    today = today_in(org)
    review(org, "today", today.isoformat(), 5)
    review(org, "day-30", (today - dt.timedelta(days=29)).isoformat(), 4)
    review(org, "day-31", (today - dt.timedelta(days=30)).isoformat(), 1)
    response = page(client_as(Role.VIEWER), org, period="30")
    assert shown_ids(response) == ["today", "day-30"]
    assert response.context["average_text"] == "4.50 of 5"


def test_a_rating_that_is_no_rating_is_refused_by_name_and_every_rating_shown(client_as, reviewed):
    response = page(client_as(Role.VIEWER), reviewed, rating="7", **MARCH_1_TO_4)
    assert response.status_code == 200
    assert shown_ids(response) == ["t1", "g2", "g1"]
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Unknown rating “7”; showing every rating."]


def test_a_bad_date_is_reported_not_a_server_error(client_as, reviewed):
    response = page(client_as(Role.VIEWER), reviewed, **{"from": "2026-13-45", "to": "x"})
    assert response.status_code == 200
    assert response.context["messages"]


def test_fifty_to_a_page_and_the_count_of_all(client_as, org):
    for n in range(51):
        review(org, f"r{n}", "2026-03-02", 1 + n % 5)
    client = client_as(Role.VIEWER)
    first = page(client, org, **MARCH_1_TO_4)
    second = page(client, org, page="2", **MARCH_1_TO_4)
    assert len(shown_ids(first)) == 50 and len(shown_ids(second)) == 1
    assert set(shown_ids(first)) | set(shown_ids(second)) == {f"r{n}" for n in range(51)}
    # ratings 1..5 ten times each and one more 1: (10 × 15 + 1) / 51 = 151 / 51 = 2.96
    assert second.context["summary"].count == 51
    assert second.context["average_text"] == "2.96 of 5"
    assert "page=2" in first.content.decode()


def test_the_sources_filter_offers_the_organisations_own_sources(client_as, reviewed):
    assert review_sources(organisation=reviewed) == ["Google", "Trustpilot"]
    html = page(client_as(Role.VIEWER), reviewed, **MARCH_1_TO_4).content.decode()
    assert 'value="Trustpilot"' in html and 'value="Elsewhere"' not in html


def test_the_selectors_stay_inside_the_organisation(reviewed, other_org):
    mine = reviews_filtered(
        organisation=reviewed, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 4)
    )
    theirs = reviews_filtered(
        organisation=other_org, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 4)
    )
    assert reviews_summary(mine).count == 3
    assert reviews_summary(theirs).count == 1 and reviews_summary(theirs).average_rating == 1.0


def test_a_persian_reader_gets_persian_digits_and_the_jalali_date(client_as, reviewed):
    reviewed.language = "fa"
    reviewed.calendar = "jalali"
    reviewed.save()
    response = page(client_as(Role.VIEWER), reviewed, **MARCH_1_TO_4)
    html = response.content.decode()
    assert response.context["average_text"].startswith("۳٫۶۷")
    # 2 March 2026 is 11 Esfand 1404.
    assert "۱۴۰۴/۱۲/۱۱" in html
    ratings = [r.rating_text for r in response.context["page"].object_list]
    assert ratings[0].startswith("۲") and ratings[0].endswith("۵")  # t1: 2 of 5
    assert not any(c.isascii() and c.isdigit() for c in "".join(ratings))


def test_the_dashboard_links_the_review_rating_to_the_reviews_of_its_period(client_as, reviewed):
    dashboard = reverse("metrics:dashboard", args=[reviewed.slug])
    client = client_as(Role.VIEWER)
    response = client.get(dashboard, MARCH_1_TO_4)
    link = response.context["reviews_link"]
    assert link["text"] == "3 reviews"
    target = urlparse(link["href"])
    assert target.path == reverse("metrics:reviews", args=[reviewed.slug])
    assert parse_qs(target.query) == {"from": ["2026-03-01"], "to": ["2026-03-04"]}
    html = response.content.decode()
    row = html.split('id="metric-review_rating_avg"')[1].split("</tr>")[0]
    assert 'id="reviews-link"' in row and "3 reviews" in row
    # Following it lists the same three reviews the dashboard counted.
    assert shown_ids(client.get(link["href"])) == ["t1", "g2", "g1"]


def test_a_dashboard_filtered_by_channel_has_no_review_count_to_link(client_as, reviewed):
    dashboard = reverse("metrics:dashboard", args=[reviewed.slug])
    response = client_as(Role.VIEWER).get(dashboard, {**MARCH_1_TO_4, "channel": "phone"})
    assert response.context["reviews_link"] is None
    assert 'id="reviews-link"' not in response.content.decode()


def test_the_navigation_reaches_the_reviews(client_as, reviewed):
    html = client_as(Role.VIEWER).get(reverse("metrics:dashboard", args=[reviewed.slug])).content
    assert reverse("metrics:reviews", args=[reviewed.slug]).encode() in html
