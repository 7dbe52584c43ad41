"""The demo's schedule: profiles for its agents and this week solved from the forecast."""

import datetime as dt

from goaldesk.accounts.models import today_in
from goaldesk.demo.schedule import first_full_week, schedule_demo_build
from goaldesk.scheduling.models import AgentProfile, Schedule
from goaldesk.scheduling.selectors import schedule_evaluate
from tests.factories import AgentFactory
from tests.forecasting.conftest import _immediate_tasks, make_run, planned_org

__all__ = ["_immediate_tasks", "make_run", "planned_org"]


def test_demo_build_schedules_the_latest_forecast_and_publishes_it(planned_org, make_run):
    """Open Sat–Thu 09:00–17:00 with calls 09:00–10:30 and 16:45: four agents, 8-hour shifts."""
    org = planned_org
    for n in range(4):
        AgentFactory(organisation=org, key=f"a{n}")
    make_run(organisation=org, interval_minutes=30, horizon_days=14)
    # The week the demo plans: the first the forecast (from today on) covers whole. (This week
    # would have no demand on a Friday, the last day of a week that starts on Saturday: its
    # open days are all before the forecast.)
    today = today_in(org)
    schedule = schedule_demo_build(
        organisation=org,
        today=today,
        week_start=first_full_week(org, today),
        time_limit_seconds=10,
    )
    assert schedule.state == Schedule.State.DONE and schedule.published_at is not None
    assert schedule.source == Schedule.Source.FORECAST and schedule.requirement
    assert AgentProfile.objects.filter(agent__organisation=org).count() == 4
    state = schedule_evaluate(schedule)
    assert state.evaluation.violations == ()
    assert state.evaluation.under_coverage == 0
    tz = org.tzinfo
    for shift in state.shifts:  # inside the opening hours, never on the Friday weekend
        start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
        assert (
            start.time() >= dt.time(9) and end.time() <= dt.time(17) and start.date() == end.date()
        )
        assert start.isoweekday() != 5


def test_the_demo_plans_the_first_week_its_forecast_covers_whole(planned_org):
    # planned_org: Friday weekend, so its weeks start on Saturday. The forecast starts today.
    saturday = dt.date(2026, 12, 5)
    assert first_full_week(planned_org, saturday) == saturday
    assert first_full_week(planned_org, saturday + dt.timedelta(days=1)) == dt.date(2026, 12, 12)
    assert first_full_week(planned_org, dt.date(2026, 12, 11)) == dt.date(2026, 12, 12)
