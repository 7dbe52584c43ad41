"""Issue 18 in goals: a target for each agent, the values of the vision, objectives assigned
to a member (who is told) and the "My objectives" page."""

import datetime as dt

from django.urls import reverse

from goaldesk.accounts.models import Role, today_in
from goaldesk.goals.models import Goal, Strategy
from goaldesk.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.goals.factories import business_goal_make, goal_make, objective_make, resolved_visits


def test_a_goal_keeps_a_time_target_for_each_agent_in_its_unit(org, client_as):
    today = today_in(org)
    for back in range(1, 29):
        resolved_visits(org, today - dt.timedelta(days=back), 5, channel="phone", wait_seconds=30)
    manager = client_as(Role.MANAGER)
    form = {
        "title": "Answer faster",
        "goal_type": "responsiveness",
        "metric_key": "first_response_seconds",
        "statistic": "median",
        "value_unit": "minutes",
        "whole_organisation": "on",
        "baseline_from": (today - dt.timedelta(days=28)).isoformat(),
        "baseline_to": (today - dt.timedelta(days=1)).isoformat(),
        "target": "0.4",
        "person_target": "۰.۵",  # Persian digits: half a minute
        "start": today.isoformat(),
        "deadline": (today + dt.timedelta(days=60)).isoformat(),
        "tracking_window_days": "7",
        "business_goal": business_goal_make(org).pk,
        "reason": "Customers wait less.",
        "confirm_warnings": "on",
    }
    saved = manager.post(reverse("goals:new", args=[org.slug]), form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    goal = Goal.objects.get()
    assert goal.person_target == 30.0  # seconds
    detail = manager.get(saved["Location"]).content.decode()
    assert "Target for each agent" in detail and "0.5 minutes" in detail
    edit = manager.get(reverse("goals:edit", args=[org.slug, goal.pk]))
    assert edit.context["form"]["person_target"].value() == 0.5


def test_the_vision_keeps_its_values_one_per_line(org, client_as):
    manager = client_as(Role.MANAGER)
    url = reverse("goals:strategy", args=[org.slug])
    manager.post(
        url, {"vision": "Helped, first time.", "values": "We own it\n\n  Kind  \nwe own it"}
    )
    assert Strategy.objects.get(organisation=org).values == ["We own it", "Kind"]
    page = manager.get(url).content.decode()
    assert "We own it" in page and "Our values" in page


def test_an_assigned_objective_tells_its_owner_and_is_on_my_objectives(org, client_as):
    agent_user = UserFactory(username="sara")
    MembershipFactory(user=agent_user, organisation=org, role=Role.AGENT)
    goal = goal_make(org)
    manager = client_as(Role.MANAGER)
    due = today_in(org) + dt.timedelta(days=5)
    manager.post(
        reverse("goals:objective_add", args=[org.slug, goal.pk]),
        {"title": "Greet every walk-in", "owner": agent_user.pk, "due": due.isoformat()},
    )
    told = Notification.objects.get(recipient=agent_user)
    assert told.kind == "objective_assigned"
    assert told.params == {
        "objective": "Greet every walk-in",
        "goal": goal.title,
        "due": due.isoformat(),
    }
    objective_make(goal, title="Not hers")
    from django.test import Client

    client = Client()
    client.force_login(agent_user)
    page = client.get(reverse("goals:my_objectives", args=[org.slug]))
    assert [o.title for o in page.context["objectives"]] == ["Greet every walk-in"]
    assert page.context["objectives"][0].can_tick is True
    assert "1 action step to do." in page.content.decode()


def test_reassigning_tells_only_the_new_owner_and_nobody_is_told_of_their_own(org, member):
    from goaldesk.goals.services import objective_create, objective_update

    manager = member(Role.MANAGER)
    goal = goal_make(org)
    objective = objective_create(goal=goal, title="Mine", owner=manager, assigned_by=manager)
    assert not Notification.objects.exists()
    other = member(Role.AGENT)
    objective_update(objective=objective, title="Mine", owner=other, assigned_by=manager)
    objective_update(objective=objective, title="Renamed", owner=other, assigned_by=manager)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        other.username
    ]
