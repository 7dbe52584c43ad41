"""The dashboard's figures read from the day summaries (everyone, or one channel, agent, team or
category) are the reference's figures (the plain Python definitions of tests/oracles/metrics.py)
for every metric, period, filter and breakdown — whether every day, no day or some days are
built — and stay right the moment an interaction changes, before the worker has caught up."""

import datetime as dt
from dataclasses import replace

import pytest
from django.db.models import F

from goaldesk.interactions.models import Interaction
from goaldesk.metrics import selectors
from goaldesk.metrics.catalogue import Durations, Sums, metric
from goaldesk.metrics.models import DaySummary
from goaldesk.metrics.selectors import REVIEW_KEYS, kpis_breakdown, kpis_for_periods
from goaldesk.metrics.summaries import summaries_build, summary_scope
from goaldesk.team.models import Agent, Team
from tests.factories import OrganisationFactory
from tests.metrics.test_against_engine import KEYS, START, random_organisation, reference, same

PERIOD = (START.date() + dt.timedelta(days=15), START.date() + dt.timedelta(days=29))
PREVIOUS = (START.date(), START.date() + dt.timedelta(days=14))
#: The metrics the daily trend has (the others are None in it).
TREND_KEYS = tuple(k for k in KEYS if isinstance(metric(k).computed, Sums | Durations))
FILTERS = [
    None,
    {"channel": "phone"},
    {"agent": "a1"},
    {"team": "T0"},
    {"category": "billing"},
]


@pytest.fixture
def desk(db):
    """An organisation always open, in UTC (as tests/metrics' random data expects)."""
    return OrganisationFactory(name="Desk", slug="desk", timezone="UTC")


def kept_by(filters):
    """The reference's records a filter keeps (agents by key, teams by name)."""
    wanted = {name: value for name, value in (filters or {}).items() if value}
    return lambda record: all(getattr(record, name) == value for name, value in wanted.items())


def check_periods(desk, records, calendar, filters=None):
    figures = kpis_for_periods(
        organisation=desk, periods=[PERIOD, PREVIOUS], filters=filters, trend_keys=KEYS
    )
    for period, ours in zip([PERIOD, PREVIOUS], figures.periods, strict=True):
        theirs = reference(desk, records, calendar, *period, keep=kept_by(filters))
        for key in KEYS:
            if filters and key in REVIEW_KEYS:
                assert ours[key] is None  # reviews have no channel, agent, team or category
                continue
            assert same(ours[key], theirs[key]), (filters, period, key, ours[key], theirs[key])
    # The trend: each day's value (a duration's median).
    for i, day in enumerate(figures.trend["days"]):
        theirs = reference(desk, records, calendar, day, day, keep=kept_by(filters))
        for key in TREND_KEYS:
            expected = theirs[key]["median"] if isinstance(theirs[key], dict) else theirs[key]
            assert same(figures.trend["series"][key][i], expected), (filters, day, key)
        by_channel = figures.trend["contacts_by_channel"]
        for channel, counts in by_channel.items():
            assert counts[i] == sum(
                1
                for r in records
                if r.channel == channel and r.created_at.date() == day and kept_by(filters)(r)
            )


def check_breakdowns(desk, records, calendar, filters=None):
    names = {
        "agent": {a.pk: a.key for a in Agent.objects.filter(organisation=desk)},
        "team": {t.pk: t.name for t in Team.objects.filter(organisation=desk)},
    }
    checked = 0
    for by in ("channel", "agent", "team", "category", "day"):
        rows = kpis_breakdown(
            organisation=desk, date_from=PERIOD[0], date_to=PERIOD[1], by=by, filters=filters
        )
        for row in rows:
            group = row["group"]
            if by == "day":
                first = last = group

                def keep(record):
                    return kept_by(filters)(record)

            else:
                first, last = PERIOD
                value = names[by].get(group, "") if by in names else group

                def keep(record, by=by, value=value):
                    return getattr(record, by) == value and kept_by(filters)(record)

            theirs = reference(desk, records, calendar, first, last, keep=keep)
            for key in KEYS:
                if key in REVIEW_KEYS:
                    continue
                assert same(row[key], theirs[key]), (filters, by, group, key, row[key], theirs[key])
            checked += 1
    return checked


@pytest.mark.parametrize("built", ["none", "all", "some"])
def test_figures_match_the_reference_however_many_days_are_built(desk, built):
    records, calendar = random_organisation(desk, 31)
    if built != "none":
        summaries_build(desk)
        assert DaySummary.objects.filter(organisation_id=desk.pk, dimension="").count() == len(
            {r.created_at.date() for r in records}
        )
    if built == "some":
        # Three days change after they were built: they are read from the interactions.
        for day in (PERIOD[0], PERIOD[0] + dt.timedelta(days=4), PREVIOUS[0]):
            Interaction.objects.filter(organisation=desk, local_date=day).update(
                category=F("category")  # the same values: still a change to the database
            )
    for filters in FILTERS:
        check_periods(desk, records, calendar, filters)
    # every group of every grouping, unfiltered and inside a channel
    assert check_breakdowns(desk, records, calendar) >= 30
    assert check_breakdowns(desk, records, calendar, {"channel": "email"}) >= 20


def test_a_change_shows_at_once_and_after_the_worker_built_it(desk):
    records, calendar = random_organisation(desk, 37)
    summaries_build(desk)
    check_periods(desk, records, calendar)  # (the figures are now kept by this process)
    target = Interaction.objects.filter(organisation=desk, local_date=PERIOD[0]).first()
    new_csat = 1 if target.csat != 1 else 5
    new_outcome = "failure" if target.outcome != "failure" else "success"
    Interaction.objects.filter(pk=target.pk).update(csat=new_csat, outcome=new_outcome)
    records = [
        replace(r, csat=new_csat, outcome=new_outcome) if r.external_id == target.external_id else r
        for r in records
    ]
    for _built in range(2):  # before the worker built the day again, and after
        check_periods(desk, records, calendar)
        check_periods(desk, records, calendar, {"channel": target.channel})
        assert summaries_build(desk) == (1 if not _built else 0)


def test_summaries_serve_one_filter_and_the_interactions_the_rest(desk):
    """Which reads the summaries answer (the others read the interactions, tested above)."""
    random_organisation(desk, 41)
    agent = Agent.objects.get(organisation=desk, key="a1")
    team = Team.objects.get(organisation=desk, name="T0")
    assert summary_scope(organisation=desk, filters={}) == ("", "")
    assert summary_scope(organisation=desk, filters={"channel": "phone", "team": ""}) == (
        "channel",
        "phone",
    )
    assert summary_scope(organisation=desk, filters={"agent": "a1"}) == ("agent", str(agent.pk))
    assert summary_scope(organisation=desk, filters={"team": "T0"}) == ("team", str(team.pk))
    assert summary_scope(organisation=desk, filters={"channel": "phone", "agent": "a1"}) is None


def test_two_filters_read_the_interactions_and_match_the_reference(desk, monkeypatch):
    records, calendar = random_organisation(desk, 43)
    summaries_build(desk)
    read = []
    real = selectors.day_rows
    monkeypatch.setattr(selectors, "day_rows", lambda **kw: read.append(kw) or real(**kw))
    check_periods(desk, records, calendar, {"channel": "phone", "agent": "a1"})
    check_breakdowns(desk, records, calendar, {"channel": "phone", "category": "billing"})
    # one filter: the summaries
    check_periods(desk, records, calendar, {"agent": "a1"})
    assert [kw["dimension"] for kw in read] == ["agent"]
