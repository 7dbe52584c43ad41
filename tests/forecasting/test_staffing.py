"""The requirement for deferred work (e-mail) as a manager reads it: no spike at opening."""

import datetime as dt

import pytest
from django.utils import timezone

from goaldesk.core.models import JobState
from goaldesk.forecasting.models import ForecastInterval, ForecastRun, StaffingInputs
from goaldesk.forecasting.selectors import requirement_for_week
from goaldesk.forecasting.services import requirements_compute
from goaldesk.forecasting.staffing import compute_requirements
from tests.forecasting.conftest import open_weekdays


def test_58_emails_a_day_need_about_their_workload_not_a_crowd_at_opening():
    # The case: 58 e-mails a day arriving around the clock, 5 min 43 s each (about
    # 5.5 h of work a day), desk open 09:00-17:00 in 30-minute intervals, Monday to Friday,
    # 4-hour target, 85 % occupancy, 30 % shrinkage. Before, the night's e-mails all fell on
    # 09:00: 9 agents at 09:00 (13 with shrinkage). A steady plan needs about 5.5 / 0.85 / 8
    # ≈ 0.8 agents all day, so 1-2 agents at any time.
    start = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)  # a Monday
    starts = [start + dt.timedelta(minutes=30 * i) for i in range(48 * 5)]
    volumes = [58 / 48] * len(starts)
    mask = [dt.time(9) <= s.time() < dt.time(17) for s in starts]
    inputs = StaffingInputs(
        channel="email", aht_seconds=343, shrinkage=30, max_occupancy=85, response_hours=4
    )
    result, model = compute_requirements(
        volumes, starts, inputs=inputs, aht_seconds=343, interval_minutes=30, open_mask=mask
    )
    assert model == "deferred"
    assert result.agents.max() <= 2 and result.agents_with_shrinkage.max() <= 3
    # The week's agent-hours are its work / occupancy (÷ 0.7 for people), up to an agent-hour
    # a day for whole agents (an hour at 0.8 agents is one agent); the work after Friday's
    # closing is next week's.
    friday_close = dt.datetime(2026, 12, 11, 17, tzinfo=dt.UTC)
    work_hours = (
        sum(v for s, v in zip(starts, volumes, strict=True) if s < friday_close) * 343 / 3600
    )
    agent_hours = result.agents.sum() / 2
    people_hours = result.agents_with_shrinkage.sum() / 2
    assert work_hours / 0.85 <= agent_hours <= work_hours / 0.85 + 1.0 * 5
    assert work_hours / 0.85 / 0.7 <= people_hours <= work_hours / 0.85 / 0.7 + 1.0 * 5
    assert result.agents[[not m for m in mask]].sum() == 0


@pytest.mark.django_db
def test_people_planned_where_no_agent_is_are_still_asked_of_the_schedule(org):
    # Worked by hand: one e-mail of an hour's work arrives at 07:00, the desk opens 09:00-17:00,
    # 2-hour target (due by 11:00), 100 % occupancy, 50 % shrinkage. Agents: the level plan is
    # half an hour's work an hour; one agent at 09:00 does all of it, none at 10:00. People each
    # do half an agent's work: one at 09:00 does half, the other half is due by 11:00, so one
    # at 10:00 too — 2 person-hours = 1 h / (1 - 0.5). The schedule must be asked for both.
    org.weekend_days = []
    org.save()
    open_weekdays(org, range(1, 8))
    day = dt.date(2026, 12, 7)
    tz = org.tzinfo
    at = lambda hour: dt.datetime(day.year, day.month, day.day, hour, tzinfo=tz)  # noqa: E731
    run = ForecastRun.objects.create(
        organisation=org, interval_minutes=60, horizon_days=1, state=JobState.DONE,
        finished_at=timezone.now(), first_day=day,
        channels=[{"channel": "email", "aht_seconds": 3600.0}],
    )  # fmt: skip
    ForecastInterval.objects.create(
        run=run, channel="email", start=at(7), forecast=1.0, lower=1.0, upper=1.0
    )
    StaffingInputs.objects.create(
        organisation=org, channel="email", aht_seconds=3600, shrinkage=50, max_occupancy=100,
        response_hours=2,
    )  # fmt: skip
    requirements_compute(run=run)
    assert requirement_for_week(organisation=org, week_start=day, with_shrinkage=False) == [
        (at(9), "email", 1)
    ]
    assert requirement_for_week(organisation=org, week_start=day) == [
        (at(9), "email", 1),
        (at(10), "email", 1),
    ]
