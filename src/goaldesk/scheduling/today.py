"""Today, as it happens: contacts so far against the forecast, the service level so far, the rest
of the day re-forecast from the level seen so far, and the staffing gap that leaves.

It lives in scheduling because the gap compares the re-forecast's requirement (forecasting)
with the agents on shift in the published schedule (here); it only reads.

The re-forecast scales the intervals still to come by actual ÷ forecast of the intervals that
have ended (`engine.forecast.reforecast_rest_of_day`), once the guard measured on the bank's
2003 calls allows it (see `REFORECAST_*` there and bench/reforecast.py).
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from goaldesk.accounts.models import Organisation
from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.engine.forecast import (
    REFORECAST_MAX_FACTOR,
    REFORECAST_MIN_CONTACTS,
    REFORECAST_MIN_OPEN_MINUTES,
    reforecast_rest_of_day,
)
from goaldesk.forecasting.models import ForecastRun, StaffingModel
from goaldesk.forecasting.selectors import (
    QUEUE_CHANNELS,
    forecast_run_latest,
    forecast_volumes,
    interaction_counts,
    staffing_inputs_for,
)
from goaldesk.forecasting.services import effective_aht, open_mask_for
from goaldesk.forecasting.staffing import compute_requirements
from goaldesk.interactions.models import Channel
from goaldesk.metrics.selectors import kpis_for_period
from goaldesk.scheduling.models import ScheduledShift
from goaldesk.team.selectors import agent_skill_codes


@dataclass(frozen=True)
class TodayInterval:
    """One interval of today. `actual` is None for intervals not started yet; `ended` says
    whether it counts in the level so far. Agents: `required` from the re-forecast (with
    shrinkage, as the schedule is built), `scheduled` on duty and not on break, `gap` =
    scheduled − required (negative: short)."""

    start: dt.datetime
    forecast: float
    actual: float | None
    ended: bool
    reforecast: float
    required: int
    scheduled: int
    gap: int


@dataclass
class Today:
    """What the Today page shows; `state` is "ok", "closed" (not a working day) or
    "no_forecast" (the latest forecast does not cover today, or there is none)."""

    day: dt.date
    state: str
    run: ForecastRun | None = None
    channels: list[str] = field(default_factory=list)
    channel: str | None = None
    intervals: list[TodayInterval] = field(default_factory=list)
    contacts_so_far: float = 0.0
    forecast_so_far: float = 0.0
    forecast_day: float = 0.0
    expected_day: float = 0.0
    factor: float = 1.0
    raw_factor: float | None = None
    scaled: bool = False
    min_contacts: float = REFORECAST_MIN_CONTACTS
    min_open_seconds: int = 60 * REFORECAST_MIN_OPEN_MINUTES
    #: Service level so far (0–100; None without live contacts) of the channel, from the metric
    #: catalogue; None too for deferred channels, which have none.
    service_level: float | None = None
    live_channel: bool = True
    has_schedule: bool = False
    model: str = ""


def _covers(run: ForecastRun, day: dt.date) -> bool:
    if run.first_day is None:
        return False
    return run.first_day <= day < run.first_day + dt.timedelta(days=run.horizon_days)


def scheduled_agents(
    *, organisation: Organisation, channel: str, starts: list[dt.datetime], interval_minutes: int
) -> tuple[list[int], bool]:
    """Agents of the published schedule on duty for each whole interval (not on break) who can
    take `channel` on the day (team's skills; an agent with none recorded takes every channel),
    and whether any published shift touches these intervals."""
    if not starts:
        return [], False
    step = dt.timedelta(minutes=interval_minutes)
    shifts = list(
        ScheduledShift.objects.filter(
            schedule__organisation=organisation,
            schedule__published_at__isnull=False,
            start__lt=starts[-1] + step,
            end__gt=starts[0],
        )
    )
    codes = agent_skill_codes(
        organisation=organisation, on=starts[0].astimezone(organisation.tzinfo).date()
    )
    counts = [0] * len(starts)
    for shift in shifts:
        if shift.agent_id in codes and channel not in codes[shift.agent_id]:
            continue
        for i, start in enumerate(starts):
            end = start + step
            if not (shift.start <= start and end <= shift.end):
                continue
            on_break = (
                shift.break_start is not None
                and shift.break_end is not None
                and shift.break_start < end
                and start < shift.break_end
            )
            if not on_break:
                counts[i] += 1
    return counts, bool(shifts)


def today_for(*, organisation: Organisation, now: dt.datetime, channel: str | None = None) -> Today:
    """Today (in the organisation's time zone) as of `now` for `channel` (default: the forecast's
    first channel)."""
    tz = organisation.tzinfo
    day = now.astimezone(tz).date()
    if not business_calendar_for(organisation).is_open_day(day):
        return Today(day=day, state="closed")
    run = forecast_run_latest(organisation=organisation)
    if run is None or not _covers(run, day) or not run.channels:
        return Today(day=day, state="no_forecast", run=run)
    channels = [c["channel"] for c in run.channels]
    shown: str = channel if channel is not None and channel in channels else channels[0]
    minutes = run.interval_minutes
    step = dt.timedelta(minutes=minutes)
    starts, forecast = forecast_volumes(run=run, channel=shown, first_day=day, days=1)
    counts = interaction_counts(
        organisation=organisation,
        channel=shown,
        first_day=day,
        last_day=day,
        interval_minutes=minutes,
    )
    by_instant = {k.astimezone(dt.UTC): v for k, v in counts.items()}
    actual = [by_instant.get(s.astimezone(dt.UTC), 0.0) for s in starts]
    ended = sum(1 for s in starts if s + step <= now)
    result = reforecast_rest_of_day(
        forecast,
        actual,
        elapsed_intervals=ended,
        min_open_intervals=math.ceil(REFORECAST_MIN_OPEN_MINUTES / minutes),
        min_forecast_so_far=REFORECAST_MIN_CONTACTS,
        max_factor=REFORECAST_MAX_FACTOR,
    )
    reforecast = [float(v) for v in result.forecast]
    inputs = staffing_inputs_for(organisation=organisation, channel=shown)
    requirement, model = compute_requirements(
        reforecast,
        starts,
        inputs=inputs,
        aht_seconds=effective_aht(run, inputs),
        interval_minutes=minutes,
        open_mask=open_mask_for(organisation, starts, minutes),
    )
    scheduled, has_schedule = scheduled_agents(
        organisation=organisation, channel=shown, starts=starts, interval_minutes=minutes
    )
    intervals = [
        TodayInterval(
            start=start,
            forecast=forecast[i],
            actual=actual[i] if start <= now else None,
            ended=i < ended,
            reforecast=reforecast[i],
            required=int(requirement.agents_with_shrinkage[i]),
            scheduled=scheduled[i],
            gap=scheduled[i] - int(requirement.agents_with_shrinkage[i]),
        )
        for i, start in enumerate(starts)
    ]
    live = shown in QUEUE_CHANNELS
    service_level = None
    if live:
        service_level = kpis_for_period(
            organisation=organisation,
            date_from=day,
            date_to=day,
            filters={"channel": shown},
            keys=["service_level"],
        )["service_level"]
    return Today(
        day=day,
        state="ok",
        run=run,
        channels=channels,
        channel=shown,
        # Only the intervals that matter: open (forecast or contacts) or staffed.
        intervals=[
            row
            for row in intervals
            if row.forecast > 0 or row.actual or row.scheduled or row.required
        ],
        contacts_so_far=sum(actual[i] for i, s in enumerate(starts) if s <= now),
        forecast_so_far=float(sum(forecast[:ended])),
        forecast_day=float(sum(forecast)),
        # The day's expected total: what came in the ended intervals, the re-forecast after.
        expected_day=float(sum(actual[:ended]) + sum(reforecast[ended:])),
        factor=result.factor,
        raw_factor=result.raw_factor,
        scaled=result.scaled,
        min_contacts=REFORECAST_MIN_CONTACTS,
        min_open_seconds=60 * REFORECAST_MIN_OPEN_MINUTES,
        service_level=service_level,
        live_channel=live,
        has_schedule=has_schedule,
        model=str(StaffingModel(model).label),
    )


def channel_choices(today: Today) -> list[tuple[str, str]]:
    """(value, translated label) of the forecast's channels."""
    labels = dict(Channel.choices)
    return [(c, str(labels.get(c, c))) for c in today.channels]
