"""Scorecard figures read from the agent day summaries are the reference's figures (the plain
Python definitions of tests/oracles/metrics.py) whether every day, no day or some days are
built, and stay right the moment an interaction changes, before the worker has caught up."""

import datetime as dt
from dataclasses import replace

import pytest
from django.db.models import F

from goaldesk.coaching.scorecard_selectors import SCORECARD_KEYS, period_figures
from goaldesk.interactions.models import Interaction
from goaldesk.metrics.summaries import summaries_build
from goaldesk.team.models import Agent, Team
from tests.factories import OrganisationFactory
from tests.metrics.test_against_engine import START, random_organisation, reference, same

FIRST, LAST = START.date() + dt.timedelta(days=15), START.date() + dt.timedelta(days=29)
PREVIOUS = (START.date(), START.date() + dt.timedelta(days=14))


@pytest.fixture
def desk(db):
    """An organisation always open, in UTC (as tests/metrics' random data expects)."""
    return OrganisationFactory(name="Desk", slug="desk", timezone="UTC")


def check_against_reference(desk, records, calendar, keys=SCORECARD_KEYS, filters=None):
    figures = period_figures(
        organisation=desk, periods=[(FIRST, LAST), PREVIOUS], keys=keys, filters=filters
    )
    wanted = filters or {}

    def kept(record):
        return all(getattr(record, name) == value for name, value in wanted.items())

    checked = 0
    for agent in Agent.objects.filter(organisation=desk):
        for i, (first, last) in enumerate([(FIRST, LAST), PREVIOUS]):
            theirs = reference(
                desk,
                records,
                calendar,
                first,
                last,
                keep=lambda r, key=agent.key: r.agent == key and kept(r),
            )
            ours = figures.by_agent[agent.pk][i]
            for key in keys:
                expected = theirs[key]["median"] if isinstance(theirs[key], dict) else theirs[key]
                assert same(ours[key].value, expected), (agent.key, i, key, ours[key], expected)
                checked += 1
    for team in Team.objects.filter(organisation=desk):
        theirs = reference(
            desk,
            records,
            calendar,
            FIRST,
            LAST,
            keep=lambda r, name=team.name: r.team == name and kept(r),
        )
        for key in keys:
            expected = theirs[key]["median"] if isinstance(theirs[key], dict) else theirs[key]
            assert same(figures.by_team[team.pk][key].value, expected), (team.name, key)
    theirs = reference(desk, records, calendar, FIRST, LAST, keep=kept)
    for key in keys:
        expected = theirs[key]["median"] if isinstance(theirs[key], dict) else theirs[key]
        assert same(figures.whole[key].value, expected), key
    return checked


@pytest.mark.parametrize("built", ["none", "all", "some"])
def test_figures_match_the_reference_however_many_days_are_built(desk, built):
    records, calendar = random_organisation(desk, 13)
    if built == "all":
        assert summaries_build(desk) == len({r.created_at.date() for r in records})
    elif built == "some":
        summaries_build(desk)
        # Three days change after they were built: they are read from the interactions.
        for day in (FIRST, FIRST + dt.timedelta(days=4), PREVIOUS[0]):
            Interaction.objects.filter(organisation=desk, local_date=day).update(
                category=F("category")  # the same values: still a change to the database
            )
    # 3 agents × 2 periods × 11 figures
    assert check_against_reference(desk, records, calendar) == 66


@pytest.mark.parametrize(
    "filters", [{"channel": "phone"}, {"channel": "field"}, {"category": "billing"}]
)
def test_figures_inside_a_channel_or_category_match_the_reference(desk, filters):
    """A goal on one channel or category measures each agent inside it: the channel from its
    own summary rows, the category from the interactions."""
    records, calendar = random_organisation(desk, 23)
    summaries_build(desk)
    check_against_reference(desk, records, calendar, filters=filters)


def test_a_change_shows_at_once_and_after_the_worker_built_it(desk):
    records, calendar = random_organisation(desk, 17)
    summaries_build(desk)
    changed = Interaction.objects.filter(organisation=desk, local_date=FIRST, agent__isnull=False)
    target = changed.first()
    new_csat = 1 if target.csat != 1 else 5
    Interaction.objects.filter(pk=target.pk).update(csat=new_csat)
    records = [
        replace(r, csat=new_csat) if r.external_id == target.external_id else r for r in records
    ]
    check_against_reference(desk, records, calendar)
    assert summaries_build(desk) == 1
    check_against_reference(desk, records, calendar)


def test_a_changed_answer_target_counts_before_the_summaries_are_built_again(desk):
    records, calendar = random_organisation(desk, 19)
    summaries_build(desk)
    desk.answer_target_seconds = 20
    desk.save()
    check_against_reference(desk, records, calendar, keys=("service_level", "contacts"))
