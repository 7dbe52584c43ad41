"""The demo shows scorecards with something on them: vision values, a goal with a target for
each agent, objectives of the agent user, recognitions and badges."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from goaldesk.accounts.models import Organisation, today_in
from goaldesk.coaching.models import Badge, BadgeKind, Recognition
from goaldesk.goals.models import Goal, Objective, Outcome, Strategy
from goaldesk.team.models import Agent
from tests.demo_once import demo_built

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_built(
        django_db_blocker, tmp_path_factory.mktemp("demo"), without="schedule_demo_build"
    ):
        yield


def test_the_demo_has_values_a_person_target_recognitions_and_badges(demo):
    org = Organisation.objects.get(slug="demo")
    assert len(Strategy.objects.get(organisation=org).values) == 3
    person = Goal.objects.get(organisation=org, person_target__isnull=False, outcome=Outcome.ACTIVE)
    assert person.metric_key == "csat_pct" and person.start > today_in(org)
    assert Recognition.objects.filter(organisation=org).count() >= 5
    assert all(r.giver.pk != r.agent.user_id for r in Recognition.objects.filter(organisation=org))
    kinds = set(Badge.objects.filter(goal__organisation=org).values_list("kind", flat=True))
    assert kinds == {BadgeKind.TEAM_GOAL, BadgeKind.PERSONAL_TARGET}
    fa = Organisation.objects.get(slug="demo-fa")
    assert Recognition.objects.filter(organisation=fa).exists()


def test_the_agent_user_lands_on_a_scorecard_with_objectives_and_badges(demo):
    org = Organisation.objects.get(slug="demo")
    agent = Agent.objects.get(organisation=org, user__username="demo-agent")
    mine = Objective.objects.filter(goal__organisation=org, owner__username="demo-agent")
    assert mine.filter(due__gt=today_in(org)).count() >= 2
    client = Client()
    client.force_login(agent.user)
    landing = client.get(reverse("coaching:scorecards", kwargs={"org_slug": "demo"}))
    assert landing["Location"].endswith(f"/team/scorecards/{agent.pk}/")
    today = today_in(org)
    page = client.get(
        landing["Location"],
        {"from": (today - dt.timedelta(days=28)).isoformat(), "to": today.isoformat()},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Team goal achieved" in text and "Personal targets" in text
    assert "Ask every unhappy chat customer" in text
