"""Revisions, validation, warnings that must be confirmed, and level thresholds."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from goaldesk.accounts.models import Role, today_in
from goaldesk.goals import selectors, services
from goaldesk.goals.models import Revision
from tests.factories import MembershipFactory, UserFactory
from tests.goals.factories import business_goal_make, resolved_visits


@pytest.fixture
def desk(shop):
    today = today_in(shop)
    for back in range(1, 60):
        resolved_visits(shop, today - dt.timedelta(days=back), 20)
    return shop


def _data(shop, **changes):
    today = today_in(shop)
    values = {
        "title": "More customers at the desk",
        "metric_key": "customers_helped_per_day",
        "scope": {"channel": "walk_in"},
        "baseline_from": today - dt.timedelta(days=28),
        "baseline_to": today - dt.timedelta(days=1),
        "target": 22.0,
        "start": today,
        "deadline": today + dt.timedelta(days=28),
        "business_goal": business_goal_make(shop),
        "reason": "Every customer helped is a sale kept.",
    }
    values.update(changes)
    return services.GoalData(**values)


def test_hard_errors_name_their_fields(desk):
    with pytest.raises(ValidationError) as caught:
        services.goal_create(
            organisation=desk,
            data=_data(
                desk,
                business_goal=None,
                reason=" ",
                metric_key="contacts",
                scope={"channel": "fax"},
            ),
            confirm_warnings=True,
        )
    fields = caught.value.error_dict
    assert set(fields) == {"business_goal", "reason", "metric_key", "scope"}
    assert "fax" in " ".join(fields["scope"][0].messages)


def test_warnings_must_be_confirmed_and_are_kept(desk):
    # 20 → 40 a day in four weeks: history never showed such a change.
    data = _data(desk, target=40.0)
    with pytest.raises(services.SmartWarningsUnconfirmed) as caught:
        services.goal_create(organisation=desk, data=data)
    codes = [c.code for c in caught.value.result.report.warnings]
    assert "change_exceeds_history" in codes
    user = UserFactory(username="boss")
    goal = services.goal_create(organisation=desk, data=data, user=user, confirm_warnings=True)
    assert "change_exceeds_history" in goal.confirmed_warnings
    assert goal.confirmed_by == user


def test_a_change_of_target_or_deadline_needs_a_reason_and_is_recorded(desk):
    author = UserFactory(username="maryam")
    MembershipFactory(user=author, organisation=desk, role=Role.MANAGER)
    goal = services.goal_create(organisation=desk, data=_data(desk), confirm_warnings=True)
    new_deadline = goal.deadline + dt.timedelta(days=14)
    changed = _data(desk, target=23.0, deadline=new_deadline)
    with pytest.raises(ValidationError) as caught:
        services.goal_update(goal=goal, data=changed, user=author, confirm_warnings=True)
    assert "revision_reason" in caught.value.error_dict

    services.goal_update(
        goal=goal,
        data=changed,
        user=author,
        reason="A second desk opens later.",
        confirm_warnings=True,
    )
    revision = Revision.objects.get(goal=goal)
    assert revision.author == author
    assert revision.reason == "A second desk opens later."
    assert revision.changes == {
        "target": [22.0, 23.0],
        "deadline": [(new_deadline - dt.timedelta(days=14)).isoformat(), new_deadline.isoformat()],
    }
    # A new title is not an adjustment: no reason needed, no revision.
    services.goal_update(
        goal=goal,
        data=_data(desk, title="Desk", target=23.0, deadline=new_deadline),
        confirm_warnings=True,
    )
    assert Revision.objects.filter(goal=goal).count() == 1


def test_scope_change_measures_the_baseline_again(desk):
    today = today_in(desk)
    for back in range(1, 29):
        resolved_visits(desk, today - dt.timedelta(days=back), 10, prefix="p", channel="phone")
    goal = services.goal_create(organisation=desk, data=_data(desk), confirm_warnings=True)
    assert goal.baseline_value == pytest.approx(20.0)
    services.goal_update(
        goal=goal,
        data=_data(desk, scope={"channel": "phone"}, target=12.0),
        reason="The desk moved to the phone.",
        confirm_warnings=True,
    )
    goal.refresh_from_db()
    assert goal.baseline_value == pytest.approx(10.0)
    assert Revision.objects.get(goal=goal).changes["scope"] == [
        {"channel": "walk_in"},
        {"channel": "phone"},
    ]


def test_level_thresholds_are_validated_and_stored(shop):
    with pytest.raises(ValidationError) as caught:
        services.level_thresholds_update(
            organisation=shop, thresholds={"csat_pct": {"exceptional": 70}}
        )
    message = " ".join(caught.value.error_dict["csat_pct"][0].messages)
    assert "70" in message and "75" in message  # easier than meets expectations' 75
    services.level_thresholds_update(
        organisation=shop, thresholds={"csat_pct": {"exceptional": 88}}
    )
    stored = selectors.level_thresholds_for(shop)
    assert stored.csat_pct.exceptional == 88
    assert stored.csat_pct.meets_expectations == 75  # the rest keep their defaults
