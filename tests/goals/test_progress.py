"""Progress, projection and closing on constructed walk-in data whose answers are known.

The shop is always open (no business hours), so customers helped per day over a 7-day window
is simply the resolved visits of those 7 days divided by 7.
"""

import datetime as dt

import numpy as np
import pytest

from goaldesk.accounts.models import today_in
from goaldesk.goals import selectors, services
from goaldesk.goals.models import Outcome
from tests.goals.factories import business_goal_make, resolved_visits


@pytest.fixture
def growing_desk(shop):
    """20 resolved visits a day for the 28 days before `start`, then 20 + i on day i."""
    today = today_in(shop)
    start = today - dt.timedelta(days=14)
    for back in range(1, 29):
        resolved_visits(shop, start - dt.timedelta(days=back), 20)
    for i in range(0, 15):  # up to and including today (today is not complete: not used)
        resolved_visits(shop, start + dt.timedelta(days=i), 20 + i)
    return start


def _data(shop, start, *, target, deadline_days, milestones=()):
    return services.GoalData(
        title="More customers at the desk",
        metric_key="customers_helped_per_day",
        scope={"channel": "walk_in"},
        baseline_from=start - dt.timedelta(days=28),
        baseline_to=start - dt.timedelta(days=1),
        target=target,
        start=start,
        deadline=start + dt.timedelta(days=deadline_days),
        milestones=milestones,
        business_goal=business_goal_make(shop),
        reason="Every customer helped is a sale kept.",
    )


def test_baseline_is_measured_from_the_baseline_period_with_its_sample(shop, growing_desk):
    goal = services.goal_create(
        organisation=shop,
        data=_data(shop, growing_desk, target=50, deadline_days=60),
        confirm_warnings=True,
    )
    assert goal.baseline_value == pytest.approx(20.0)  # 28 × 20 visits / 28 open days
    assert goal.baseline_sample == 28  # open days


def test_progress_plan_and_projection_of_a_growing_desk(shop, growing_desk):
    start = growing_desk
    goal = services.goal_create(
        organisation=shop,
        data=_data(shop, start, target=50, deadline_days=60),
        confirm_warnings=True,
    )
    progress = selectors.progress_for(goal)
    report = progress.report

    # Last complete day is start + 13: visits 27..33 over its 7-day window, mean 30.
    assert report.current_date == start + dt.timedelta(days=13)
    assert report.current_value == pytest.approx(30.0)
    # Plan: 20 → 50 over 60 days; on day 13 that is 20 + 30 × 13/60 = 26.5.
    assert report.planned_value == pytest.approx(26.5)
    assert report.progress == pytest.approx(10 / 30)
    # Window value on day k: 20 + k(k+1)/14 for k < 6, 17 + k from then on.
    expected = [20 + k * (k + 1) / 14 if k < 6 else 17 + k for k in range(14)]
    assert [v for _d, v in progress.series] == pytest.approx(expected)
    slope, intercept = np.polyfit(range(14), expected, 1)
    assert report.projection == pytest.approx(intercept + slope * 60)
    assert progress.status == "on_track"


def test_a_flat_desk_is_at_risk(shop):
    today = today_in(shop)
    start = today - dt.timedelta(days=14)
    for back in range(-14, 29):
        resolved_visits(shop, start - dt.timedelta(days=back), 20)
    goal = services.goal_create(
        organisation=shop,
        data=_data(shop, start, target=50, deadline_days=60),
        confirm_warnings=True,
    )
    progress = selectors.progress_for(goal)
    assert progress.report.current_value == pytest.approx(20.0)
    assert progress.report.projection == pytest.approx(20.0)
    assert progress.status == "at_risk"  # heading for 20 where 50 is wanted


def test_goals_past_their_deadline_are_archived_with_the_value_they_had(shop, growing_desk):
    start = growing_desk
    achieved = services.goal_create(
        organisation=shop,
        data=_data(shop, start, target=25, deadline_days=10),
        confirm_warnings=True,
    )
    missed = services.goal_create(
        organisation=shop,
        data=_data(shop, start, target=40, deadline_days=10),
        confirm_warnings=True,
    )
    assert services.goals_close_due(organisation=shop) == 2
    achieved.refresh_from_db()
    missed.refresh_from_db()
    # Day 10's window holds visits 24..30: mean 27.
    assert achieved.outcome == Outcome.ACHIEVED
    assert achieved.final_value == pytest.approx(27.0)
    assert missed.outcome == Outcome.MISSED
    assert missed.final_value == pytest.approx(27.0)
    # Later data does not change an archived goal.
    resolved_visits(shop, start + dt.timedelta(days=5), 100, prefix="late")
    assert services.goals_close_due(organisation=shop) == 0
    missed.refresh_from_db()
    assert missed.final_value == pytest.approx(27.0)
    assert selectors.progress_for(missed).status == "missed"


def test_milestones_shape_the_plan(shop, growing_desk):
    start = growing_desk
    goal = services.goal_create(
        organisation=shop,
        data=_data(
            shop,
            start,
            target=50,
            deadline_days=60,
            milestones=[(start + dt.timedelta(days=10), 40.0)],
        ),
        confirm_warnings=True,
    )
    report = selectors.progress_for(goal).report
    # Between start (20) and the milestone on day 10 (40), day 13 is past it: 40 + 10 × 3/50.
    assert report.planned_value == pytest.approx(40 + 10 * 3 / 50)
    assert report.current_value == pytest.approx(30.0)
    assert report.gap_to_plan == pytest.approx(40.6 - 30.0)
