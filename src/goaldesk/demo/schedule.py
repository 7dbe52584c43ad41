"""The demo's schedule: work profiles for its agents and a solved, published week."""

import datetime as dt
import random

from goaldesk.accounts.models import Organisation
from goaldesk.forecasting.models import ForecastRun
from goaldesk.forecasting.selectors import forecast_run_latest
from goaldesk.forecasting.services import forecast_run_execute
from goaldesk.interactions.models import Channel
from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.selectors import week_start_for
from goaldesk.scheduling.services import (
    ScheduleError,
    agent_profile_save,
    schedule_create,
    schedule_publish,
)
from goaldesk.team.models import Agent


def schedule_demo_build(
    *, organisation: Organisation, today: dt.date, time_limit_seconds: int = 10
) -> Schedule | None:
    """Work profiles for the demo's agents and a solved, published schedule of this week.

    Uses the latest forecast's requirement when there is one; otherwise runs a forecast first
    (in this process). Returns the schedule, or None when there is no demand to cover.
    """
    run = forecast_run_latest(organisation=organisation)
    if run is None:
        run = ForecastRun.objects.create(
            organisation=organisation, interval_minutes=30, horizon_days=14
        )
        run = forecast_run_execute(run.pk)
        if run.state != ForecastRun.State.DONE:
            return None
    channels = [c["channel"] for c in run.channels] or [Channel.PHONE]
    rng = random.Random(organisation.pk)
    agents = list(Agent.objects.filter(organisation=organisation, active=True).order_by("pk"))
    parts = ["morning", "afternoon", "evening"]
    for n, agent in enumerate(agents):
        skills = [channels[n % len(channels)]]
        skills += [c for c in channels if c not in skills and rng.random() < 0.5]
        part_time = n % 4 == 3
        agent_profile_save(
            agent=agent,
            values={
                "channels": skills,
                "languages": [organisation.language],
                "min_hours_per_week": 0.0,
                "max_hours_per_week": 24.0 if part_time else 40.0,
                "max_days_per_week": 3 if part_time else 5,
                "preferred_day_parts": [parts[n % len(parts)]] if n % 2 == 0 else [],
                "preferred_days_off": [],
            },
        )
    week_start = week_start_for(organisation, today)
    try:
        schedule = schedule_create(
            organisation=organisation,
            week_start=week_start,
            time_limit_seconds=time_limit_seconds,
            run_now=True,
        )
    except ScheduleError:
        return None
    if schedule.state == Schedule.State.DONE:
        schedule_publish(schedule=schedule)
    return schedule
