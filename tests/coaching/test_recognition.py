"""Recognition (given once, never to oneself, told to the agent) and badges (earned once)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from goaldesk.coaching.models import Badge, BadgeKind, Recognition
from goaldesk.coaching.recognition_services import badges_award, recognition_give
from goaldesk.core.periodic import registered
from goaldesk.goals.models import Goal, Outcome, Strategy
from goaldesk.notifications.models import Notification
from tests.coaching.conftest import FIRST, LAST
from tests.goals.factories import goal_make


@pytest.fixture
def vision(desk):
    Strategy.objects.create(
        organisation=desk.org, vision="Every customer leaves helped.", values=["We own it"]
    )
    return desk


def test_a_manager_recognises_an_agent_for_a_value_and_the_agent_is_told(vision):
    desk = vision
    client = Client()
    client.force_login(desk.manager)
    response = client.post(
        reverse("coaching:recognitions", kwargs={"org_slug": "desk"}),
        {"agent": desk.ana.pk, "reason": "Stayed late for a customer", "value": "We own it"},
    )
    assert response.status_code == 302
    recognition = Recognition.objects.get()
    assert (recognition.agent, recognition.giver, recognition.value) == (
        desk.ana,
        desk.manager,
        "We own it",
    )
    told = Notification.objects.get(recipient=desk.ana_user)
    assert told.kind == "recognition_received"
    assert "Stayed late" in told.params["reason"]


def test_nobody_recognises_themselves(vision):
    with pytest.raises(ValidationError) as error:
        recognition_give(
            organisation=vision.org,
            giver=vision.ana_user,
            agent=vision.ana,
            reason="Me",
            value="We own it",
        )
    assert "agent" in error.value.error_dict
    client = Client()
    client.force_login(vision.ana_user)
    page = client.get(reverse("coaching:recognitions", kwargs={"org_slug": "desk"}))
    assert str(vision.ana.pk) not in dict(page.context["form"].fields["agent"].choices)
    assert Recognition.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reason": "", "value": "We own it"}, "reason"),
        ({"reason": "Good", "value": "Something else"}, "value"),
        ({"reason": "Good"}, "goal"),
    ],
)
def test_a_recognition_needs_a_reason_and_a_goal_or_a_value_of_the_vision(vision, fields, field):
    with pytest.raises(ValidationError) as error:
        recognition_give(organisation=vision.org, giver=vision.ben_user, agent=vision.ana, **fields)
    assert field in error.value.error_dict


def test_a_colleague_recognises_for_a_goal_and_a_form_error_loses_nothing(desk_goals):
    desk = desk_goals
    client = Client()
    client.force_login(desk.ben_user)
    url = reverse("coaching:recognitions", kwargs={"org_slug": "desk"})
    page = client.post(url, {"agent": desk.ana.pk, "reason": "Helped me with a refund"})
    assert page.status_code == 200
    assert "Link the recognition to a goal" in page.content.decode()
    assert page.context["form"]["reason"].value() == "Helped me with a refund"
    assert (
        client.post(
            url, {"agent": desk.ana.pk, "reason": "Helped me", "goal": desk.whole.pk}
        ).status_code
        == 302
    )
    assert Recognition.objects.get().goal == desk.whole


def _close(goal, outcome):
    Goal.objects.filter(pk=goal.pk).update(outcome=outcome, start=FIRST, deadline=LAST)
    goal.refresh_from_db()
    return goal


def test_an_achieved_goal_earns_every_agent_in_its_scope_a_badge_once(desk):
    achieved = _close(
        goal_make(desk.org, title="North up", metric_key="csat_pct", scope={"team": "North"}),
        Outcome.ACHIEVED,
    )
    assert badges_award(organisation=desk.org) == 2
    assert badges_award(organisation=desk.org) == 0
    assert sorted(
        Badge.objects.filter(goal=achieved, kind=BadgeKind.TEAM_GOAL).values_list(
            "agent__key", flat=True
        )
    ) == ["ana", "ben"]  # Cleo is not in team North


def test_a_closed_goal_with_a_target_for_each_agent_badges_who_met_it_on_ten_answers(desk):
    goal = _close(
        goal_make(
            desk.org,
            title="Each 80",
            metric_key="csat_pct",
            scope={},
            target=90.0,
            person_target=80.0,
        ),
        Outcome.MISSED,
    )
    assert badges_award(organisation=desk.org) == 1
    badge = Badge.objects.get(goal=goal)
    # Ana: 10 of 12 = 83.3 % ≥ 80 %; Ben: 50 % on 8 answers; Cleo: no answers.
    assert (badge.agent, badge.kind, badge.sample) == (desk.ana, BadgeKind.PERSONAL_TARGET, 12)
    assert badge.value == pytest.approx(100 * 10 / 12)
    Badge.objects.all().delete()
    assert badges_award(organisation=desk.org) == 0  # each goal is looked at once


def test_an_active_goal_earns_nothing_and_the_clock_runs_the_awards(desk):
    goal_make(desk.org, title="Running", metric_key="csat_pct", scope={}, person_target=10.0)
    assert badges_award(organisation=desk.org) == 0
    assert "coaching-badges" in [job.name for job in registered()]


def test_badges_appear_on_the_scorecard(desk):
    _close(goal_make(desk.org, title="Desk up", metric_key="csat_pct", scope={}), Outcome.ACHIEVED)
    badges_award(organisation=desk.org)
    client = Client()
    client.force_login(desk.ana_user)
    page = client.get(
        reverse("coaching:scorecard", kwargs={"org_slug": "desk", "agent_id": desk.ana.pk}),
        {"from": FIRST.isoformat(), "to": (FIRST + dt.timedelta(days=6)).isoformat()},
    )
    assert "Team goal achieved" in page.content.decode()
    assert "Desk up" in page.content.decode()
