"""Every metric on a small week worked out by hand (see the comments for the arithmetic)."""

import datetime as dt

import pytest

from goaldesk.interactions.models import Review
from goaldesk.interactions.selectors import FilterError
from goaldesk.metrics.catalogue import KEYS
from goaldesk.metrics.selectors import (
    DURATION_KEYS,
    kpis_breakdown,
    kpis_for_period,
    kpis_trend,
)
from tests.factories import AgentFactory, TeamFactory
from tests.metrics.conftest import at, make_interaction

MON = dt.date(2026, 3, 2)
SUN = dt.date(2026, 3, 8)
H = 3600


@pytest.fixture
def week(desk):
    """Seven contacts in the week of Monday 2 March 2026, plus some outside it."""
    team = TeamFactory(organisation=desk, name="Front")
    ali = AgentFactory(organisation=desk, key="ali", name="Ali", team=team)
    sara = AgentFactory(organisation=desk, key="sara", name="Sara")
    t = at("2026-03-02", "09:00")
    make_interaction(  # A1
        desk,
        external_id="A1",
        channel="phone",
        created_at=t,
        customer_id="c1",
        category="billing",
        resolved_at=t + dt.timedelta(seconds=H),
        wait_seconds=10,
        handle_seconds=300,
        csat=5,
        nps=10,
        ces=2,
        outcome="success",
        sentiment_start="negative",
        sentiment_end="positive",
        agent=ali,
        team=team,
    )
    make_interaction(  # A2: abandoned call
        desk,
        external_id="A2",
        channel="phone",
        created_at=at("2026-03-02", "10:00"),
        customer_id="c2",
        category="billing",
        status="abandoned",
        wait_seconds=50,
    )
    t = at("2026-03-03", "11:00")
    make_interaction(  # A3
        desk,
        external_id="A3",
        channel="chat",
        created_at=t,
        customer_id="c1",
        category="billing",
        resolved_at=t + dt.timedelta(seconds=2 * H),
        wait_seconds=30,
        first_response_at=t + dt.timedelta(seconds=30),
        handle_seconds=600,
        csat=3,
        nps=6,
        outcome="failure",
        sentiment_start="negative",
        agent=sara,
    )
    t = at("2026-03-04", "08:00")
    make_interaction(  # A4
        desk,
        external_id="A4",
        channel="email",
        created_at=t,
        customer_id="c3",
        category="returns",
        first_response_at=t + dt.timedelta(seconds=1800),
        resolved_at=t + dt.timedelta(days=1),
        csat=4,
        nps=9,
        ces=5,
        outcome="success",
        sentiment_start="negative",
        agent=ali,
        team=team,
    )
    t = at("2026-03-05", "12:00")
    make_interaction(  # A5: walk-in, no customer, no wait recorded
        desk,
        external_id="A5",
        channel="walk_in",
        created_at=t,
        resolved_at=t + dt.timedelta(seconds=600),
        handle_seconds=120,
        csat=2,
    )
    t = at("2026-03-06", "09:00")
    make_interaction(  # A6: field visit
        desk,
        external_id="A6",
        channel="field",
        created_at=t,
        customer_id="c4",
        category="repair",
        first_response_at=t + dt.timedelta(seconds=H),
        arrived_at=t + dt.timedelta(seconds=2 * H),
        fixed_at=t + dt.timedelta(seconds=3 * H),
        resolved_at=t + dt.timedelta(seconds=3 * H),
        outcome="success",
        sentiment_start="negative",
        sentiment_end="neutral",
    )
    make_interaction(  # A10: chat answered in 5 s, still open
        desk,
        external_id="A10",
        channel="chat",
        created_at=at("2026-03-02", "15:00"),
        customer_id="c2",
        wait_seconds=5,
    )
    # Outside the week: they only matter for first-contact resolution.
    make_interaction(
        desk,
        external_id="A7",
        created_at=at("2026-03-12", "09:00"),
        customer_id="c1",
        category="billing",
    )
    make_interaction(
        desk,
        external_id="A8",
        created_at=at("2026-03-10", "09:00"),
        customer_id="c3",
        category="returns",
    )
    make_interaction(
        desk,
        external_id="A9",
        created_at=at("2026-03-01", "23:00"),
        customer_id="c1",
        category="billing",
        csat=1,
    )
    for n, (day, rating) in enumerate(
        [(MON, 5), (dt.date(2026, 3, 4), 4), (SUN, 2), (dt.date(2026, 3, 9), 1)]
    ):
        Review.objects.create(organisation=desk, external_id=f"R{n}", date=day, rating=rating)
    return desk


def test_every_metric_of_the_week(week):
    kpis = kpis_for_period(organisation=week, date_from=MON, date_to=SUN)
    assert list(kpis) == list(KEYS)
    assert kpis["contacts"] == 7
    assert kpis["contacts_per_open_day"] == pytest.approx(1.0)
    assert kpis["customers_helped_per_day"] == pytest.approx(5 / 7)  # A1 A3 A4 A5 A6
    # First response: A1 wait 10, A2 wait 50, A3 30, A4 1800, A6 3600, A10 wait 5.
    assert kpis["first_response_seconds"] == pytest.approx(
        {"mean": 5495 / 6, "median": 40.0, "p90": 3600.0, "count": 6}
    )
    assert kpis["first_response_business_seconds"]["median"] == pytest.approx(40.0)
    # Resolution: 600, 3600, 7200, 10800, 86400.
    assert kpis["resolution_seconds"] == pytest.approx(
        {"mean": 21720.0, "median": 7200.0, "p90": 86400.0, "count": 5}
    )
    assert kpis["success_rate"] == pytest.approx(75.0)  # 3 of 4
    # A1 and A4 came back within 7 days (A3, A8); A3 came back after 9 days; A6 never.
    assert kpis["fcr_rate"] == pytest.approx(50.0)
    assert kpis["csat_pct"] == pytest.approx(50.0)  # 5 and 4 of 5, 3, 4, 2
    assert kpis["csat_avg"] == pytest.approx(3.5)
    assert kpis["nps"] == pytest.approx(100 / 3)  # 2 promoters − 1 detractor of 3
    assert kpis["ces_avg"] == pytest.approx(3.5)
    assert kpis["recovery_rate"] == pytest.approx(50.0)  # A1 (positive), A4 (csat 4) of 4
    assert kpis["returning_customer_rate"] == pytest.approx(25.0)  # c1 of c1..c4
    assert kpis["service_level"] == pytest.approx(40.0)  # A1, A10 of 5 live
    assert kpis["abandon_rate"] == pytest.approx(20.0)
    assert kpis["asa_seconds"] == pytest.approx(15.0)  # (10 + 30 + 5) / 3
    assert kpis["aht_seconds"] == pytest.approx(340.0)
    assert kpis["time_to_arrive_seconds"] == pytest.approx(
        {"mean": 7200.0, "median": 7200.0, "p90": 7200.0, "count": 1}
    )
    assert kpis["time_to_fix_seconds"]["p90"] == pytest.approx(10800.0)
    assert kpis["review_rating_avg"] == pytest.approx(11 / 3)
    assert kpis["review_count"] == 3


def test_answer_target_is_the_organisations(week):
    week.answer_target_seconds = 30
    week.save()
    kpis = kpis_for_period(organisation=week, date_from=MON, date_to=SUN, keys=["service_level"])
    assert kpis == {"service_level": pytest.approx(60.0)}  # A3's 30 s now counts


def test_filters(week):
    phone = kpis_for_period(
        organisation=week, date_from=MON, date_to=SUN, filters={"channel": "phone"}
    )
    assert phone["contacts"] == 2
    assert phone["abandon_rate"] == pytest.approx(50.0)
    assert phone["review_count"] is None  # reviews have no channel
    # A1's repeat (A3) is a chat: later contacts count whatever their channel.
    assert phone["fcr_rate"] == pytest.approx(0.0)
    ali = kpis_for_period(organisation=week, date_from=MON, date_to=SUN, filters={"agent": "ali"})
    assert ali["contacts"] == 2
    team = kpis_for_period(organisation=week, date_from=MON, date_to=SUN, filters={"team": "Front"})
    assert team["csat_avg"] == pytest.approx(4.5)
    billing = kpis_for_period(
        organisation=week, date_from=MON, date_to=SUN, filters={"category": "billing"}
    )
    assert billing["contacts"] == 3


def test_unknown_filter_values_are_reported(week):
    with pytest.raises(FilterError, match="nobody"):
        kpis_for_period(organisation=week, date_from=MON, date_to=SUN, filters={"agent": "nobody"})
    with pytest.raises(FilterError, match="fax"):
        kpis_for_period(organisation=week, date_from=MON, date_to=SUN, filters={"channel": "fax"})


def test_empty_period_is_null_not_zero(week):
    day = dt.date(2026, 4, 1)
    kpis = kpis_for_period(organisation=week, date_from=day, date_to=day)
    assert kpis["contacts"] == 0
    assert kpis["review_count"] == 0
    assert kpis["contacts_per_open_day"] == 0.0  # one open day, no contacts
    assert kpis["faq_visits"] == 0  # a count, like contacts
    for key in KEYS:
        if key in DURATION_KEYS:
            assert kpis[key] == {"mean": None, "median": None, "p90": None, "count": 0}, key
        elif key not in (
            "contacts",
            "contacts_per_open_day",
            "customers_helped_per_day",
            "review_count",
            "faq_visits",
        ):
            assert kpis[key] is None, key


def test_another_organisations_interactions_do_not_count(week, other_org):
    make_interaction(other_org, external_id="X", created_at=at("2026-03-03"), csat=1)
    kpis = kpis_for_period(organisation=week, date_from=MON, date_to=SUN)
    assert kpis["contacts"] == 7
    assert kpis["csat_avg"] == pytest.approx(3.5)


def test_fcr_window_is_168_hours_inclusive(desk):
    t = at("2026-03-02", "09:00")
    make_interaction(
        desk,
        external_id="B1",
        created_at=t,
        customer_id="k",
        category="x",
        resolved_at=t + dt.timedelta(hours=1),
    )
    make_interaction(
        desk,
        external_id="B2",
        created_at=t + dt.timedelta(hours=168),
        customer_id="k",
        category="x",
    )
    u = at("2026-03-03", "09:00")
    make_interaction(
        desk,
        external_id="B3",
        created_at=u,
        customer_id="m",
        category="x",
        resolved_at=u + dt.timedelta(hours=1),
    )
    make_interaction(
        desk,
        external_id="B4",
        created_at=u + dt.timedelta(hours=168, seconds=1),
        customer_id="m",
        category="x",
    )
    make_interaction(
        desk,
        external_id="B5",
        created_at=u,
        customer_id="m",
        category="y",
        resolved_at=u + dt.timedelta(hours=1),
    )
    # B6 and B7 are simultaneous: neither is the other's repeat.
    for external_id in ("B6", "B7"):
        make_interaction(
            desk,
            external_id=external_id,
            created_at=u,
            customer_id="t",
            category="x",
            resolved_at=u + dt.timedelta(hours=1),
        )
    kpis = kpis_for_period(
        organisation=desk,
        date_from=MON,
        date_to=MON + dt.timedelta(days=1),
        keys=["fcr_rate"],
    )
    # B1 came back; B3's return was too late; B5 has another category; B6, B7 tie.
    assert kpis["fcr_rate"] == pytest.approx(80.0)


def test_fcr_window_edge_is_exact_to_the_microsecond(desk):
    t = at("2026-03-02", "09:00:00.999999")
    week = dt.timedelta(hours=168)
    for customer, gap in (("k", week), ("m", week + dt.timedelta(microseconds=1))):
        make_interaction(
            desk,
            external_id=f"{customer}1",
            created_at=t,
            customer_id=customer,
            category="x",
            resolved_at=t + dt.timedelta(hours=1),
        )
        make_interaction(
            desk, external_id=f"{customer}2", created_at=t + gap, customer_id=customer, category="x"
        )
    kpis = kpis_for_period(organisation=desk, date_from=MON, date_to=MON, keys=["fcr_rate"])
    # k came back exactly 168 h later (a repeat); m one microsecond after that (not one).
    assert kpis["fcr_rate"] == pytest.approx(50.0)


def test_breakdown_by_channel(week):
    rows = kpis_breakdown(organisation=week, date_from=MON, date_to=SUN, by="channel")
    by = {row["group"]: row for row in rows}
    assert [row["group"] for row in rows][:2] == ["chat", "phone"]  # 2 contacts each, then 1s
    assert by["phone"]["label"] == "Phone"
    assert by["phone"]["contacts"] == 2
    assert by["phone"]["service_level"] == pytest.approx(50.0)
    assert by["email"]["resolution_seconds"]["median"] == pytest.approx(86400.0)
    assert by["chat"]["first_response_seconds"] == pytest.approx(
        {"mean": 17.5, "median": 17.5, "p90": 30.0, "count": 2}
    )
    assert sum(row["contacts"] for row in rows) == 7
    assert by["phone"]["review_count"] is None


def test_breakdown_by_agent_team_category(week):
    agents = kpis_breakdown(organisation=week, date_from=MON, date_to=SUN, by="agent")
    by = {row["label"]: row for row in agents}
    assert by["Ali"]["contacts"] == 2
    assert by["Ali"]["csat_avg"] == pytest.approx(4.5)
    assert by["(no agent)"]["contacts"] == 4
    teams = {
        row["label"]: row
        for row in kpis_breakdown(organisation=week, date_from=MON, date_to=SUN, by="team")
    }
    assert teams["Front"]["fcr_rate"] == pytest.approx(0.0)  # A1 and A4 both came back
    cats = {
        row["label"]: row
        for row in kpis_breakdown(organisation=week, date_from=MON, date_to=SUN, by="category")
    }
    # Groups are labelled by the category's name ("billing" is a default category: "Billing").
    assert cats["Billing"]["group"] == "billing"
    assert cats["Billing"]["returning_customer_rate"] == pytest.approx(50.0)  # c1 of c1, c2
    assert cats["(no category)"]["contacts"] == 2


def test_breakdown_by_day_lists_every_day(week):
    rows = kpis_breakdown(organisation=week, date_from=MON, date_to=SUN, by="day")
    assert [row["group"] for row in rows] == [MON + dt.timedelta(days=i) for i in range(7)]
    assert [row["contacts"] for row in rows] == [3, 1, 1, 1, 1, 0, 0]
    assert rows[0]["review_count"] == 1 and rows[6]["review_rating_avg"] == pytest.approx(2.0)
    assert rows[5]["csat_pct"] is None
    assert rows[5]["resolution_seconds"]["count"] == 0
    assert rows[0]["customers_helped_per_day"] == pytest.approx(1.0)  # A1 on one open day


def test_trend(week):
    trend = kpis_trend(organisation=week, date_from=MON, date_to=SUN)
    assert len(trend["days"]) == 7
    assert trend["contacts_by_channel"]["phone"] == [2, 0, 0, 0, 0, 0, 0]
    assert trend["contacts_by_channel"]["chat"] == [1, 1, 0, 0, 0, 0, 0]
    assert trend["series"]["first_response_seconds"][0] == pytest.approx(10.0)  # 5, 10, 50
    assert trend["series"]["csat_pct"][:4] == [100.0, 0.0, 100.0, 0.0]


def test_fcr_survives_query_logging(week):
    # With DEBUG (or any query capture) Django renders each SQL text with its parameters, and
    # the SQLite SQL of the 168-hour shift has % signs in it.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        kpis = kpis_for_period(organisation=week, date_from=MON, date_to=SUN, keys=["fcr_rate"])
    assert kpis["fcr_rate"] == pytest.approx(50.0)
    assert any("next_contact_at" in q["sql"] for q in queries.captured_queries)


def test_parallel_reads_give_the_same_figures(transactional_db, week, monkeypatch):
    """Outside a transaction kpis_for_periods and kpis_breakdown read the interactions (as
    they do for filters no day summary holds) on two connections."""
    from goaldesk.metrics import selectors

    monkeypatch.setattr(selectors, "_summary_scope", lambda *args: None)

    def figures():
        periods = selectors.kpis_for_periods(
            organisation=week, periods=[(MON, SUN), (MON, MON)], trend_keys=["contacts"]
        )
        by_channel = kpis_breakdown(organisation=week, date_from=MON, date_to=SUN, by="channel")
        return periods, by_channel

    threads = []
    real_both = selectors.both

    def counting_both(first, second):
        threads.append(not selectors.connection.in_atomic_block)
        return real_both(first, second)

    monkeypatch.setattr(selectors, "both", counting_both)
    parallel = figures()
    monkeypatch.setattr(selectors, "PARALLEL", False)
    assert figures() == parallel
    assert threads[0] is True  # the first run did use a second connection
    week_figures = parallel[0].periods[0]
    assert week_figures["contacts"] == 7
    assert week_figures["csat_avg"] == pytest.approx(3.5)
    assert week_figures["returning_customer_rate"] == pytest.approx(25.0)
    assert parallel[0].periods[1]["contacts"] == 3
    assert parallel[0].trend["series"]["contacts"] == [3, 1, 1, 1, 1, 0, 0]


def test_a_new_catalogue_entry_is_computed_with_no_other_edit(week, monkeypatch):
    """The selectors know no metric by name: an entry added to the catalogue is computed for
    periods, breakdowns and the trend from its own definition."""
    from django.db.models import Count, Q

    from goaldesk.metrics import catalogue, selectors

    phone_share = catalogue.Metric(
        "phone_share",
        "Phone share",
        "percent",
        None,
        "The share of contacts made by phone.",
        catalogue.Sums(
            {**catalogue.CONTACTS, "phone": Count("pk", filter=Q(channel="phone"))},
            catalogue.percent("phone", "contacts"),
        ),
    )
    monkeypatch.setattr(catalogue, "_BY_KEY", {**catalogue._BY_KEY, "phone_share": phone_share})
    monkeypatch.setattr(selectors, "KEYS", (*KEYS, "phone_share"))

    kpis = kpis_for_period(organisation=week, date_from=MON, date_to=SUN)
    assert kpis["phone_share"] == pytest.approx(100 * 2 / 7)  # A1 and A2 of the 7 contacts
    assert kpis["contacts"] == 7
    by_channel = {
        row["group"]: row["phone_share"]
        for row in kpis_breakdown(organisation=week, date_from=MON, date_to=SUN, by="channel")
    }
    assert by_channel["phone"] == 100.0 and by_channel["chat"] == 0.0
    trend = kpis_trend(organisation=week, date_from=MON, date_to=SUN, keys=["phone_share"])
    assert trend["series"]["phone_share"] == [
        pytest.approx(200 / 3),
        0.0,
        0.0,
        0.0,
        0.0,
        None,
        None,
    ]


def test_two_metrics_cannot_give_one_aggregate_name_two_meanings(desk):
    from django.db.models import Count, Q

    from goaldesk.metrics import catalogue, selectors

    clash = catalogue.Metric(
        "clash",
        "Clash",
        "count",
        None,
        "Counts phone contacts under the name of all contacts.",
        catalogue.Sums(
            {"contacts": Count("pk", filter=Q(channel="phone"))}, catalogue.Total("contacts")
        ),
    )
    with pytest.raises(ValueError, match="clash"):
        selectors._aggregates([catalogue.metric("contacts"), clash], desk)
