"""The demo's schedule: work profiles for its agents and a solved, published week."""

import datetime as dt
import random

from goaldesk.accounts.models import Organisation
from goaldesk.demo.generator import DemoProfile
from goaldesk.forecasting.models import ForecastRun
from goaldesk.forecasting.selectors import forecast_run_latest
from goaldesk.forecasting.services import forecast_run_execute, staffing_inputs_save
from goaldesk.interactions.models import Channel
from goaldesk.scheduling.models import Schedule
from goaldesk.scheduling.selectors import week_start_for
from goaldesk.scheduling.services import (
    ScheduleError,
    agent_profile_save,
    schedule_create,
    schedule_publish,
    scheduling_rules_save,
)
from goaldesk.team.models import Agent

#: The solver's time limit for the demo's week: its 16 agents are covered to half an agent-hour
#: within 3 s on an idle machine and within 6 s at a load of 5 on two cores (4 s sometimes left
#: 48 hours short there); at a load of 7, 6 s once left a day under its requirement. 10 s keeps
#: the week believable on a busy machine, and `goaldesk demo` quick.
DEMO_TIME_LIMIT_SECONDS = 10


def first_full_week(organisation: Organisation, today: dt.date) -> dt.date:
    """The first day of the first week the forecast (from `today` on) covers entirely: this week
    when today is its first day, else next week — the week a manager plans now."""
    week_start = week_start_for(organisation, today)
    return week_start if week_start == today else week_start + dt.timedelta(days=7)


def _settings_save(*, organisation: Organisation, profile: DemoProfile) -> None:
    """The organisation's staffing inputs, shift lengths and each agent's skills and contract."""
    for channel, values in profile.staffing.items():
        staffing_inputs_save(organisation=organisation, channel=channel, values=dict(values))
    scheduling_rules_save(
        organisation=organisation,
        values={"shift_lengths_minutes": list(profile.shift_lengths_minutes)},
    )
    specs = {spec.key: spec for spec in profile.agents}
    full_hours, full_days = profile.full_time
    parts = ["morning", "afternoon"]  # the desks close before the evening
    agents = Agent.objects.filter(organisation=organisation, active=True).order_by("pk")
    for n, agent in enumerate(agents):
        spec = specs.get(agent.key)
        if spec is None:
            continue
        agent_profile_save(
            agent=agent,
            values={
                "channels": list(spec.channels),
                "languages": [organisation.language],
                # Paid for their contract: at least four fifths of it on the schedule.
                "min_hours_per_week": 0.8 * (spec.hours_per_week or full_hours),
                "max_hours_per_week": spec.hours_per_week or full_hours,
                "max_days_per_week": full_days,
                # Every other agent prefers mornings or afternoons, in turn.
                "preferred_day_parts": [parts[n // 2 % len(parts)]] if n % 2 == 0 else [],
                "preferred_days_off": [],
            },
        )


def _profiles_guess(*, organisation: Organisation, channels: list[str]) -> None:
    """Profiles for agents without any: skills spread over the forecast's channels."""
    rng = random.Random(organisation.pk)
    agents = list(
        Agent.objects.filter(
            organisation=organisation, active=True, work_profile__isnull=True
        ).order_by("pk")
    )
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


def schedule_demo_build(
    *,
    organisation: Organisation,
    today: dt.date,
    week_start: dt.date | None = None,
    profile: DemoProfile | None = None,
    time_limit_seconds: int = DEMO_TIME_LIMIT_SECONDS,
) -> Schedule | None:
    """Work profiles for the demo's agents and a solved, published schedule of a whole week.

    With `profile` (the demo organisation's own), its staffing inputs, shift lengths and each
    roster agent's skills and contract are saved first; agents still without a profile get
    skills spread over the forecast's channels. Uses the latest forecast's requirement when
    there is one; otherwise runs a forecast first (in this process). The week is the one
    starting on `week_start`, else the one containing `today` (the demo itself asks for the
    first week its forecast covers whole, `first_full_week`). Returns the schedule, or None
    when there is no demand to cover.
    """
    if profile is not None:
        _settings_save(organisation=organisation, profile=profile)
    run = forecast_run_latest(organisation=organisation)
    if run is None:
        run = ForecastRun.objects.create(
            organisation=organisation, interval_minutes=30, horizon_days=14
        )
        run = forecast_run_execute(run.pk)
        if run.state != ForecastRun.State.DONE:
            return None
    channels = [c["channel"] for c in run.channels] or [Channel.PHONE]
    _profiles_guess(organisation=organisation, channels=channels)
    try:
        schedule = schedule_create(
            organisation=organisation,
            week_start=week_start or week_start_for(organisation, today),
            time_limit_seconds=time_limit_seconds,
            run_now=True,
        )
    except ScheduleError:
        return None
    if schedule.state == Schedule.State.DONE:
        schedule_publish(schedule=schedule)
    return schedule
