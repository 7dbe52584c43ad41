"""The FAQ's catalogue metrics on a worked example, computed by hand below.

The organisation is in Tehran; all times are Tehran's. D1 = 2 March, D2 = 3 March 2026.

Page views (X, Y: articles; "home": the front page):
  A: 09:00 home, 09:20 X, 09:45 Y            → visit A1 (gaps 20, 25 min), began D1, read an article
     10:20 X (35 min after 09:45)             → visit A2, began D1; A sends the contact form at
     10:40 (20 min after 10:20)               →   during A2
  B: 23:50 D1 home, 00:10 D2 X                → visit B (gap 20 min) began D1: counts on D1
  C: 08:00 D2 home                            → a visit that read no article: not an FAQ visit
  D: 12:00 D2 X; contact form at 13:00 D2     → visit D began D2; the contact comes 60 min after
                                                the last view: not during the visit
Other contacts: one phone call on D2.

faq_visits: D1 = A1, A2, B = 3; D2 = D = 1; both days 4.
deflection_rate: D1 = 2 of 3 without a contact in the visit (A2 had one) = 66.67 %;
  D2 = 1 of 1 = 100 %; both 3 of 4 = 75 %.
contacts (interactions): D1 = A's form = 1; D2 = D's form + the call = 2.
self_service_rate: D1 = 3 / (3 + 1) = 75 %; D2 = 1 / (1 + 2) = 33.33 %; both 4 / 7 = 57.14 %.
Answers (by the day of the answer; answering again replaces the answer):
  A: X "no" D1 09:30, Y "yes" D1 09:50; B: X "yes" D2 00:15; C: Y "no" D2 08:05 then "yes"
  D2 08:06; D: X "no" D2 12:10.
faq_helpful_rate: D1 = 1 / 2 = 50 %; D2 = B yes, C yes, D no = 2 / 3 = 66.67 %; both 3 / 5 = 60 %.
"""

import datetime as dt
import zoneinfo

import pytest

from goaldesk.knowledge.services import contact_from_article_create, page_view_record, vote_record
from goaldesk.metrics.providers import provided
from goaldesk.metrics.selectors import kpis_for_period
from tests.factories import InteractionFactory
from tests.knowledge.factories import article_make

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
D1, D2 = dt.date(2026, 3, 2), dt.date(2026, 3, 3)


def at(day, hh, mm):
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=TEHRAN)


@pytest.fixture
def example(org):
    x = article_make(org, {"en": ("X", "x")})
    y = article_make(org, {"en": ("Y", "y")})

    def view(who, article, when):
        page_view_record(
            organisation=org, visitor_key=who * 20, article=article, language="en", at=when
        )

    def contact(who, article, when):
        contact_from_article_create(
            organisation=org,
            article=article,
            language="en",
            visitor_key=who * 20,
            name="",
            email=f"{who}@example.org",
            message="help",
            at=when,
        )

    def vote(who, article, helpful, when):
        vote_record(article=article, language="en", visitor_key=who * 20, helpful=helpful, at=when)

    view("A", None, at(D1, 9, 0))
    view("A", x, at(D1, 9, 20))
    vote("A", x, False, at(D1, 9, 30))
    view("A", y, at(D1, 9, 45))
    vote("A", y, True, at(D1, 9, 50))
    view("A", x, at(D1, 10, 20))
    contact("A", x, at(D1, 10, 40))
    view("B", None, at(D1, 23, 50))
    view("B", x, at(D2, 0, 10))
    vote("B", x, True, at(D2, 0, 15))
    view("C", None, at(D2, 8, 0))
    vote("C", y, False, at(D2, 8, 5))
    vote("C", y, True, at(D2, 8, 6))
    view("D", x, at(D2, 12, 0))
    vote("D", x, False, at(D2, 12, 10))
    contact("D", x, at(D2, 13, 0))
    InteractionFactory(organisation=org, channel="phone", created_at=at(D2, 15, 0), local_date=D2)
    return {"x": x, "y": y}


PERIODS = [(D1, D1), (D2, D2), (D1, D2)]


def _values(org, key):
    return [v.value for v in provided(key, organisation=org, periods=PERIODS)]


def test_faq_visits_by_the_day_the_visit_began(org, example):
    assert _values(org, "faq_visits") == [3, 1, 4]


def test_deflection_counts_contacts_sent_during_the_visit_only(org, example):
    assert _values(org, "deflection_rate") == pytest.approx([200 / 3, 100.0, 75.0])


def test_self_service_rate(org, example):
    assert _values(org, "self_service_rate") == pytest.approx([75.0, 100 / 3, 400 / 7])


def test_helpful_rate_by_the_day_of_the_answer_one_answer_per_visitor(org, example):
    assert _values(org, "faq_helpful_rate") == pytest.approx([50.0, 200 / 3, 60.0])
    found = provided("faq_helpful_rate", organisation=org, periods=[(D1, D2)])
    assert found[0].sample == 5


def test_the_dashboard_reads_them_and_a_filter_leaves_them_empty(org, example):
    figures = kpis_for_period(organisation=org, date_from=D1, date_to=D2)
    assert figures["faq_visits"] == 4 and figures["deflection_rate"] == pytest.approx(75.0)
    filtered = kpis_for_period(
        organisation=org, date_from=D1, date_to=D2, filters={"channel": "web"}
    )
    assert filtered["faq_visits"] is None and filtered["self_service_rate"] is None


def test_the_articles_that_fail_most(org, example):
    from goaldesk.knowledge.selectors import failing_articles

    rows = failing_articles(organisation=org, date_from=D1, date_to=D2)
    # X in English: "no" from A and D (2 of 4 answers... A's, B's, D's = 3 answers), 2 contacts
    x = rows[0]
    assert (x.article, x.language, x.answers, x.no, x.contacts) == (example["x"], "en", 3, 2, 2)
    assert x.views == 4  # A twice, B, D
    # Y: two answers (A yes, C's "no" replaced by yes), no contact: nothing to rewrite
    assert [r.article for r in rows] == [example["x"]]


def test_one_articles_helpful_rate_and_deflection_per_language(org, example):
    """X over both days: the visits that read it are A1, A2, B and D (4); only A2 sent the
    contact form during the visit (D's came after it ended): deflection 3 / 4 = 75 %. Its
    answers: A no, B yes, D no: helpful 1 / 3. Y: read in A1 only, no contact: 100 %; answers
    A yes and C yes (C's "no" replaced): 2 / 2. On D1 alone X has A1, A2, B and A's "no"."""
    from goaldesk.knowledge.selectors import article_figures

    (x,) = article_figures(article=example["x"], date_from=D1, date_to=D2)
    assert (x.language, x.visits, x.contacted, x.answers, x.yes) == ("en", 4, 1, 3, 1)
    assert x.deflection_rate == pytest.approx(75.0)
    assert x.helpful_rate == pytest.approx(100 / 3)
    (y,) = article_figures(article=example["y"], date_from=D1, date_to=D2)
    assert (y.visits, y.contacted, y.answers, y.yes) == (1, 0, 2, 2)
    assert (y.deflection_rate, y.helpful_rate) == (100.0, 100.0)
    (x1,) = article_figures(article=example["x"], date_from=D1, date_to=D1)
    assert (x1.visits, x1.contacted, x1.answers, x1.yes) == (3, 1, 1, 0)
    assert x1.deflection_rate == pytest.approx(200 / 3) and x1.helpful_rate == 0.0
    assert article_figures(article=example["x"], date_from=D2 + dt.timedelta(days=1),
                           date_to=D2 + dt.timedelta(days=9)) == []  # fmt: skip
