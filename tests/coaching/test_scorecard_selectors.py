"""Scorecard figures against the hand-worked desk of conftest.py."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goaldesk.coaching.scorecard_selectors import scorecard, scorecards
from tests.coaching.conftest import FIRST, LAST, PREVIOUS


def _card(desk, agent):
    return scorecard(organisation=desk.org, agent=agent, date_from=FIRST, date_to=LAST)


def test_value_sample_change_and_team_value(desk):
    card = _card(desk, desk.ana)
    assert card.previous == PREVIOUS
    csat = card.row("csat_pct")
    assert csat.current.value == pytest.approx(100 * 10 / 12)
    assert csat.current.sample == 12
    assert csat.previous.value == pytest.approx(50.0)
    assert csat.previous.sample == 4
    assert csat.change == pytest.approx(100 * 10 / 12 - 50)
    assert csat.change_tone == "good"
    assert csat.team == pytest.approx(70.0)  # team North: 14 good of 20
    assert card.team_name == "North"
    contacts = card.row("contacts")
    assert (contacts.current.value, contacts.current.sample) == (12, 12)
    assert (contacts.previous.value, contacts.team) == (4, 20)
    aht = card.row("aht_seconds")
    assert (aht.current.value, aht.current.sample, aht.team) == (300, 12, pytest.approx(420.0))


def test_an_agent_without_a_team_is_compared_with_the_whole_desk(desk):
    card = _card(desk, desk.cleo)
    assert card.team_name is None
    assert card.row("contacts").team == 25  # 12 + 8 + 5 this week
    assert card.row("contacts").previous.value == 0  # a count without contacts is 0
    assert card.row("csat_pct").current.value is None
    assert card.row("csat_pct").current.sample == 0
    assert card.row("csat_pct").team == pytest.approx(100 * 14 / 20)
    # Field figures only appear for someone with field visits or a goal on them.
    assert "time_to_arrive_seconds" not in [r.metric.key for r in card.rows]


def test_goals_fed_their_targets_and_progress_against_the_target_for_each_agent(desk_goals):
    desk = desk_goals
    ana = _card(desk, desk.ana).row("csat_pct")
    by_goal = {t.goal.title: t for t in ana.goals}
    assert set(by_goal) == {"CSAT for all", "North CSAT"}  # not Ben's own goal
    assert by_goal["CSAT for all"].person_target == 85.0
    assert by_goal["CSAT for all"].own == pytest.approx(83.333, abs=0.001)
    assert by_goal["CSAT for all"].met is False  # 83.3 % < 85 %
    assert by_goal["CSAT for all"].gap == pytest.approx(83.333 - 85, abs=0.001)
    assert by_goal["North CSAT"].met is True  # 83.3 % ≥ 80 %

    ben = {t.goal.title: t for t in _card(desk, desk.ben).row("csat_pct").goals}
    assert set(ben) == {"CSAT for all", "North CSAT", "Ben CSAT"}
    assert ben["North CSAT"].own == pytest.approx(50.0)
    assert ben["North CSAT"].own_sample == 8
    assert ben["North CSAT"].met is None  # 8 answers: not enough data
    assert ben["Ben CSAT"].person_target is None

    cleo = {t.goal.title for t in _card(desk, desk.cleo).row("csat_pct").goals}
    assert cleo == {"CSAT for all"}  # not in team North


def test_a_goal_on_one_channel_measures_the_agent_inside_that_channel(desk_goals):
    from goaldesk.goals.models import Goal

    Goal.objects.filter(pk=desk_goals.whole.pk).update(scope={"channel": "phone"})
    target = next(
        t
        for t in _card(desk_goals, desk_goals.ana).row("csat_pct").goals
        if t.goal.title == "CSAT for all"
    )
    assert (target.own, target.own_sample, target.met) == (None, 0, None)  # no phone calls


def test_all_scorecards_agree_with_one_and_take_a_fixed_number_of_queries(desk_goals):
    desk = desk_goals
    cards = scorecards(organisation=desk.org, date_from=FIRST, date_to=LAST)
    assert [c.agent.key for c in cards] == ["ana", "ben", "cleo"]
    ana = cards[0].row("csat_pct")
    assert (ana.current.value, ana.current.sample, ana.team) == (
        pytest.approx(100 * 10 / 12),
        12,
        pytest.approx(70.0),
    )
    with CaptureQueriesContext(connection) as three:
        scorecards(organisation=desk.org, date_from=FIRST, date_to=LAST)
    from tests.factories import AgentFactory

    for n in range(5):
        AgentFactory(organisation=desk.org, key=f"extra{n}", team=desk.north)
    with CaptureQueriesContext(connection) as eight:
        scorecards(organisation=desk.org, date_from=FIRST, date_to=LAST)
    assert len(eight) == len(three)  # grouped queries: no query per agent


def test_objectives_badges_and_recognitions_are_on_the_scorecard(desk_goals):
    from goaldesk.coaching.models import Badge, Recognition
    from tests.goals.factories import objective_make

    desk = desk_goals
    objective_make(desk.whole, title="Call back the two unhappy customers", owner=desk.ana_user)
    objective_make(desk.whole, title="Someone else's", owner=desk.ben_user)
    Badge.objects.create(agent=desk.ana, kind="team_goal", goal=desk.team_goal)
    Recognition.objects.create(
        organisation=desk.org, giver=desk.manager, agent=desk.ana, reason="Calm", goal=desk.whole
    )
    card = _card(desk, desk.ana)
    assert [o.title for o in card.objectives] == ["Call back the two unhappy customers"]
    assert [b.goal.title for b in card.badges] == ["North CSAT"]
    assert [r.reason for r in card.recognitions] == ["Calm"]


def test_field_figures_appear_for_an_agent_with_field_visits(desk):
    from goaldesk.interactions.models import Interaction

    Interaction.objects.filter(agent=desk.ben).update(time_to_arrive_seconds=1800)
    ben = [r.metric.key for r in _card(desk, desk.ben).rows]
    assert "time_to_arrive_seconds" in ben
    assert _card(desk, desk.ben).row("time_to_arrive_seconds").current.value == 1800
    assert "time_to_arrive_seconds" not in [r.metric.key for r in _card(desk, desk.ana).rows]


def test_a_time_is_the_median_of_the_agents_answers_with_its_count(desk):
    from goaldesk.interactions.models import Interaction

    ana_now = Interaction.objects.filter(agent=desk.ana, local_date=dt.date(2026, 3, 2))
    ids = list(ana_now.order_by("pk").values_list("pk", flat=True))
    Interaction.objects.filter(pk__in=ids[:6]).update(first_response_seconds=60)
    Interaction.objects.filter(pk__in=ids[6:]).update(first_response_seconds=120)
    Interaction.objects.filter(agent=desk.ana, local_date=dt.date(2026, 2, 24)).update(
        first_response_seconds=30
    )
    Interaction.objects.filter(agent=desk.ben).update(first_response_seconds=300)
    row = _card(desk, desk.ana).row("first_response_seconds")
    assert (row.current.value, row.current.sample) == (90.0, 12)  # between 60 and 120
    assert (row.previous.value, row.previous.sample) == (30.0, 4)
    assert row.change == 60.0 and row.change_tone == "bad"  # slower
    # North: 6 × 60 s, 6 × 120 s and Ben's 8 × 300 s; the 10th and 11th of 20 are 120 s.
    assert row.team == 120.0
    assert _card(desk, desk.cleo).row("first_response_seconds").team == 120.0
    cards = {
        c.agent.key: c for c in scorecards(organisation=desk.org, date_from=FIRST, date_to=LAST)
    }
    assert cards["ben"].row("first_response_seconds").current.value == 300.0
    assert cards["ana"].row("first_response_seconds").team == 120.0
