"""Reads of forecasting: demand histories, the latest forecast, peaks and requirements.

For the scheduler: `requirement_for_week(organisation=…, week_start=…)` returns the agents
needed per interval and channel for one week of the latest finished forecast.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Avg, Min, Q
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation
from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.engine import BusinessCalendar, DemandHistory, IntervalRequirements
from goaldesk.engine.peaks import PeakReport, find_peaks
from goaldesk.forecasting.models import (
    ForecastInterval,
    ForecastRun,
    HistoryPoint,
    HistoryUpload,
    RequirementInterval,
    StaffingInputs,
    StaffingModel,
)
from goaldesk.interactions.models import Channel, Interaction

#: Channels whose customers wait in a live queue (closed hours: no demand).
QUEUE_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.CHAT)

METHOD_NAMES = {
    "seasonal_naive": _("Seasonal naive (same interval last week)"),
    "weekday_mean": _("Mean of the same weekday and interval (6 weeks)"),
    "weekday_median": _("Median of the same weekday and interval"),
    "weekday_trimmed": _("Trimmed mean of the same weekday and interval"),
    "robust_seasonal": _("Robust level × daily and weekly pattern"),
}

#: Per-channel defaults: (concurrency, response-time target in hours).
_CHANNEL_DEFAULTS: dict[str, tuple[int, float]] = {
    Channel.PHONE: (1, 4.0),
    Channel.WALK_IN: (1, 4.0),
    Channel.CHAT: (2, 4.0),
    Channel.EMAIL: (1, 4.0),
    Channel.SOCIAL: (1, 1.0),
    Channel.WEB: (1, 4.0),
    Channel.FIELD: (1, 24.0),
}


def staffing_model_for(inputs: StaffingInputs) -> str:
    """Which staffing model a channel's inputs call for."""
    if inputs.channel not in QUEUE_CHANNELS:
        return StaffingModel.DEFERRED
    if inputs.concurrency > 1:
        return StaffingModel.CHAT
    if inputs.patience_seconds:
        return StaffingModel.ERLANG_A
    return StaffingModel.ERLANG_C


def staffing_inputs_for(*, organisation: Organisation, channel: str) -> StaffingInputs:
    """The channel's saved inputs, or the defaults (unsaved; answer target from the organisation)."""
    saved = StaffingInputs.objects.filter(organisation=organisation, channel=channel).first()
    if saved is not None:
        return saved
    concurrency, response_hours = _CHANNEL_DEFAULTS.get(channel, (1, 4.0))
    return StaffingInputs(
        organisation=organisation,
        channel=channel,
        target_seconds=organisation.answer_target_seconds,
        concurrency=concurrency,
        response_hours=response_hours,
    )


# --- demand history ---------------------------------------------------------------------------


def interval_is_open(
    calendar: BusinessCalendar, interval_minutes: int
) -> Callable[[dt.datetime], bool] | None:
    """is_open(start) for the engine: any business time inside the interval; None = always open."""
    if calendar.always_open:
        return None
    length = dt.timedelta(minutes=interval_minutes)

    def is_open(start: dt.datetime) -> bool:
        return calendar.business_seconds(start, start + length) > 0

    return is_open


def _bin_counts(
    moments: Iterable[tuple[dt.datetime, float]], tz: zoneinfo.ZoneInfo, interval_minutes: int
) -> dict[dt.datetime, float]:
    """Volumes per local interval start (aware, in `tz`)."""
    counts: dict[dt.datetime, float] = defaultdict(float)
    for moment, volume in moments:
        local = moment.astimezone(tz)
        minute = (local.hour * 60 + local.minute) // interval_minutes * interval_minutes
        start = local.replace(hour=minute // 60, minute=minute % 60, second=0, microsecond=0)
        counts[start] += volume
    return counts


def _history(
    counts: dict[dt.datetime, float],
    *,
    first_day: dt.date,
    last_day: dt.date,
    interval_minutes: int,
    tz: zoneinfo.ZoneInfo,
    is_open: Callable[[dt.datetime], bool] | None,
    holidays: Iterable[dt.date],
    missing_is_zero: bool,
) -> DemandHistory:
    inside = {k: v for k, v in counts.items() if first_day <= k.date() <= last_day}
    timestamps = list(inside)
    volumes = list(inside.values())
    if missing_is_zero:
        # Zero volumes at the first and last day pin the grid to exactly first_day..last_day.
        timestamps += [
            dt.datetime(first_day.year, first_day.month, first_day.day, tzinfo=tz),
            dt.datetime(last_day.year, last_day.month, last_day.day, 23, 59, tzinfo=tz),
        ]
        volumes += [0.0, 0.0]
    return DemandHistory.from_points(
        timestamps,
        volumes,
        interval_minutes=interval_minutes,
        timezone=str(tz.key),
        is_open=is_open,
        holidays=holidays,
        missing_is_zero=missing_is_zero,
    )


def interaction_counts(
    *,
    organisation: Organisation,
    channel: str | None,
    first_day: dt.date,
    last_day: dt.date,
    interval_minutes: int,
) -> dict[dt.datetime, float]:
    """Interactions per local interval start (org time zone), by created_at; all channels if None."""
    rows = Interaction.objects.filter(
        organisation=organisation, local_date__gte=first_day, local_date__lte=last_day
    )
    if channel:
        rows = rows.filter(channel=channel)
    moments = ((created, 1.0) for created in rows.values_list("created_at", flat=True).iterator())
    return _bin_counts(moments, organisation.tzinfo, interval_minutes)


def history_from_interactions(
    *,
    organisation: Organisation,
    channel: str,
    interval_minutes: int,
    first_day: dt.date,
    last_day: dt.date,
    calendar: BusinessCalendar | None = None,
) -> DemandHistory:
    """Contacts per interval of `channel` from the organisation's interactions (empty = 0).

    Live-queue channels carry the business hours (closed intervals are not learnt, forecast 0);
    deferred channels (e-mail …) learn when work arrives from the data itself.
    """
    calendar = calendar or business_calendar_for(organisation)
    counts = interaction_counts(
        organisation=organisation,
        channel=channel,
        first_day=first_day,
        last_day=last_day,
        interval_minutes=interval_minutes,
    )
    return _history(
        counts,
        first_day=first_day,
        last_day=last_day,
        interval_minutes=interval_minutes,
        tz=organisation.tzinfo,
        is_open=interval_is_open(calendar, interval_minutes) if channel in QUEUE_CHANNELS else None,
        holidays=calendar.holidays,
        missing_is_zero=True,
    )


def history_from_upload(
    *,
    upload: HistoryUpload,
    channel: str,
    interval_minutes: int,
    calendar: BusinessCalendar,
) -> DemandHistory:
    """An uploaded history of one channel on the interval grid (intervals not in the file unknown)."""
    tz = upload.organisation.tzinfo
    points = HistoryPoint.objects.filter(upload=upload, channel=channel).values_list(
        "start", "volume"
    )
    counts = _bin_counts(points.iterator(), tz, interval_minutes)
    if not counts:
        raise ValueError(f"The uploaded history has no rows for channel {channel}.")
    days = [k.date() for k in counts]
    return _history(
        counts,
        first_day=min(days),
        last_day=max(days),
        interval_minutes=interval_minutes,
        tz=tz,
        is_open=interval_is_open(calendar, interval_minutes) if channel in QUEUE_CHANNELS else None,
        holidays=calendar.holidays,
        missing_is_zero=False,
    )


def channels_with_interactions(
    *, organisation: Organisation, first_day: dt.date, last_day: dt.date
) -> dict[str, dt.date]:
    """Channels (in the catalogue's order) with interactions in the period → their first day."""
    firsts = dict(
        Interaction.objects.filter(
            organisation=organisation, local_date__gte=first_day, local_date__lte=last_day
        )
        .values("channel")
        .annotate(first=Min("local_date"))
        .values_list("channel", "first")
    )
    return {c: firsts[c] for c in Channel.values if c in firsts}


def aht_from_history(
    *, organisation: Organisation, channel: str, first_day: dt.date, last_day: dt.date
) -> float | None:
    """Mean handle_seconds of the channel's interactions in the period (None without data)."""
    value = Interaction.objects.filter(
        organisation=organisation,
        channel=channel,
        local_date__gte=first_day,
        local_date__lte=last_day,
        handle_seconds__isnull=False,
    ).aggregate(aht=Avg("handle_seconds"))["aht"]
    return float(value) if value else None


# --- forecasts ----------------------------------------------------------------------------------


def forecast_runs_recent(*, organisation: Organisation, limit: int = 10) -> list[ForecastRun]:
    return list(
        ForecastRun.objects.filter(organisation=organisation)
        .select_related("created_by", "upload")
        .order_by("-created_at")[:limit]
    )


def forecast_run_latest(*, organisation: Organisation) -> ForecastRun | None:
    """The latest finished forecast: the plan."""
    return (
        ForecastRun.objects.filter(organisation=organisation, state=ForecastRun.State.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def forecast_run_active(*, organisation: Organisation) -> ForecastRun | None:
    return (
        ForecastRun.objects.filter(
            organisation=organisation,
            state__in=(ForecastRun.State.PENDING, ForecastRun.State.RUNNING),
        )
        .order_by("-created_at")
        .first()
    )


def run_channels(run: ForecastRun) -> list[str]:
    return [c["channel"] for c in run.channels]


def run_channel_summary(run: ForecastRun, channel: str) -> dict | None:
    return next((c for c in run.channels if c["channel"] == channel), None)


def interval_starts(
    first_day: dt.date, days: int, interval_minutes: int, tz: zoneinfo.ZoneInfo
) -> list[dt.datetime]:
    """Every interval start of `days` local days from `first_day`, skipping wall times that do
    not exist (clocks going forward) — the same grid as the engine's Forecast.points()."""
    out: list[dt.datetime] = []
    for d in range(days):
        day = first_day + dt.timedelta(days=d)
        for minutes in range(0, 1440, interval_minutes):
            wall = dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=tz)
            if wall.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != wall.replace(
                tzinfo=None
            ):
                continue
            out.append(wall)
    return out


@dataclass(frozen=True)
class ChartSeries:
    """A forecast-vs-actuals chart: labels are aware interval starts (or days)."""

    labels: list[dt.datetime]
    actual: list[float | None]
    forecast: list[float | None]
    lower: list[float | None]
    upper: list[float | None]


def forecast_chart(
    *, run: ForecastRun, channel: str, past_days: int = 14, future_days: int = 14
) -> ChartSeries:
    """Hourly actuals for the `past_days` before the forecast, then the forecast with its band.

    Hours are the display grain whatever the interval, so weeks stay readable.
    """
    organisation = run.organisation
    tz = organisation.tzinfo
    first = run.first_day
    if first is None:
        raise ValueError("The forecast has not finished.")
    future_days = min(future_days, run.horizon_days)
    past_first = first - dt.timedelta(days=past_days)
    hours = interval_starts(past_first, past_days + future_days, 60, tz)
    if run.source == ForecastRun.Source.UPLOAD and run.upload_id:
        points = HistoryPoint.objects.filter(
            upload_id=run.upload_id,
            channel=channel,
            start__gte=hours[0],
            start__lt=dt.datetime(first.year, first.month, first.day, tzinfo=tz),
        ).values_list("start", "volume")
        actual_counts = _bin_counts(points.iterator(), tz, 60)
        known_days = {k.date() for k in actual_counts}
    else:
        actual_counts = interaction_counts(
            organisation=organisation,
            channel=channel,
            first_day=past_first,
            last_day=first - dt.timedelta(days=1),
            interval_minutes=60,
        )
        known_days = None
    forecast_counts: dict[dt.datetime, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    rows = ForecastInterval.objects.filter(
        run=run, channel=channel, start__lt=hours[-1] + dt.timedelta(hours=1)
    ).values_list("start", "forecast", "lower", "upper")
    for start, point, low, high in rows:
        local = start.astimezone(tz).replace(minute=0)
        values = forecast_counts[local]
        values[0] += point
        values[1] += low
        values[2] += high
    series = ChartSeries([], [], [], [], [])
    for hour in hours:
        series.labels.append(hour)
        if hour.date() < first:
            known = known_days is None or hour.date() in known_days
            series.actual.append(actual_counts.get(hour, 0.0) if known else None)
            series.forecast.append(None)
            series.lower.append(None)
            series.upper.append(None)
        else:
            values = forecast_counts.get(hour, [0.0, 0.0, 0.0])
            series.actual.append(None)
            series.forecast.append(round(values[0], 2))
            series.lower.append(round(values[1], 2))
            series.upper.append(round(values[2], 2))
    return series


def forecast_totals_by_day(*, run: ForecastRun, channel: str) -> list[tuple[dt.date, float]]:
    tz = run.organisation.tzinfo
    totals: dict[dt.date, float] = defaultdict(float)
    for start, value in ForecastInterval.objects.filter(run=run, channel=channel).values_list(
        "start", "forecast"
    ):
        totals[start.astimezone(tz).date()] += value
    if run.first_day is None:
        raise ValueError("The forecast has not finished.")
    return [
        (day, totals.get(day, 0.0))
        for day in (run.first_day + dt.timedelta(days=d) for d in range(run.horizon_days))
    ]


def forecast_volumes(
    *, run: ForecastRun, channel: str, first_day: dt.date, days: int
) -> tuple[list[dt.datetime], list[float]]:
    """Forecast volume of every interval of `days` days from `first_day` (closed = 0)."""
    tz = run.organisation.tzinfo
    starts = interval_starts(first_day, days, run.interval_minutes, tz)
    if not starts:
        return [], []
    stored = dict(
        ForecastInterval.objects.filter(
            run=run,
            channel=channel,
            start__gte=starts[0],
            start__lt=starts[-1] + dt.timedelta(minutes=run.interval_minutes),
        ).values_list("start", "forecast")
    )
    by_instant = {k.astimezone(dt.UTC): v for k, v in stored.items()}
    return starts, [by_instant.get(s.astimezone(dt.UTC), 0.0) for s in starts]


# --- peaks --------------------------------------------------------------------------------------


def peaks_for(
    *,
    organisation: Organisation,
    first_day: dt.date,
    last_day: dt.date,
    channel: str | None = None,
) -> PeakReport:
    """Heatmap, peak days and hours and special days of the interactions in the period.

    The period starts no earlier than the first interaction in it: days before the
    organisation's data begins are not days without demand.
    """
    rows = Interaction.objects.filter(
        organisation=organisation, local_date__gte=first_day, local_date__lte=last_day
    )
    if channel:
        rows = rows.filter(channel=channel)
    first_data = rows.aggregate(first=Min("local_date"))["first"]
    if first_data is not None:
        first_day = max(first_day, first_data)
    counts = interaction_counts(
        organisation=organisation,
        channel=channel,
        first_day=first_day,
        last_day=last_day,
        interval_minutes=60,
    )
    days = (last_day - first_day).days + 1
    hourly = np.zeros((days, 24))
    for start, volume in counts.items():
        hourly[(start.date() - first_day).days, start.hour] += volume
    calendar = business_calendar_for(organisation)
    return find_peaks(
        first_day,
        hourly,
        weekend=organisation.weekend_days or (),
        holidays=calendar.holidays,
    )


# --- requirements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementSlot:
    """One interval's requirement; percentages are 0–100."""

    start: dt.datetime
    volume: float
    agents: int
    agents_with_shrinkage: int
    service_level_pct: float
    asa_seconds: float
    occupancy_pct: float
    p_wait_pct: float


@dataclass(frozen=True)
class RequirementDay:
    """One local day of a channel's requirement."""

    day: dt.date
    volume: float
    #: The day's intervals with demand or agents, in time order.
    slots: list[RequirementSlot]
    #: The first of those intervals with the most agents (None on a day without any).
    peak: RequirementSlot | None
    agent_hours: float
    agent_hours_with_shrinkage: float
    #: The lowest service level (0–100) of the intervals with demand; None without any, or for
    #: deferred work, which has no service level.
    min_service_level_pct: float | None


def requirement_days(
    *,
    starts: Sequence[dt.datetime],
    volumes: Sequence[float],
    requirements: IntervalRequirements,
    interval_minutes: int,
    tz: zoneinfo.ZoneInfo,
    deferred: bool,
) -> list[RequirementDay]:
    """The per-interval requirement (in the order of `starts`) grouped into local days.

    Each day has its volume, its peak interval, its agent hours (net and grossed up for
    shrinkage) and its lowest service level; days in the order they first appear in `starts`.
    """
    hours_per_interval = interval_minutes / 60
    per_day: dict[dt.date, list[int]] = defaultdict(list)
    for i, start in enumerate(starts):
        per_day[start.astimezone(tz).date()].append(i)

    def slot(i: int) -> RequirementSlot:
        return RequirementSlot(
            start=starts[i],
            volume=volumes[i],
            agents=int(requirements.agents[i]),
            agents_with_shrinkage=int(requirements.agents_with_shrinkage[i]),
            service_level_pct=100 * float(requirements.service_level[i]),
            asa_seconds=float(requirements.asa_seconds[i]),
            occupancy_pct=100 * float(requirements.occupancy[i]),
            p_wait_pct=100 * float(requirements.p_wait[i]),
        )

    days: list[RequirementDay] = []
    for day, indexes in per_day.items():
        active = [i for i in indexes if volumes[i] > 0 or requirements.agents[i] > 0]
        peak = max(active, key=lambda i: (requirements.agents[i], -i), default=None)
        levels = [float(requirements.service_level[i]) for i in active if volumes[i] > 0]
        days.append(
            RequirementDay(
                day=day,
                volume=sum(volumes[i] for i in indexes),
                slots=[slot(i) for i in active],
                peak=None if peak is None else slot(peak),
                agent_hours=sum(int(requirements.agents[i]) for i in indexes) * hours_per_interval,
                agent_hours_with_shrinkage=sum(
                    int(requirements.agents_with_shrinkage[i]) for i in indexes
                )
                * hours_per_interval,
                min_service_level_pct=100 * min(levels) if levels and not deferred else None,
            )
        )
    return days


def requirement_for_week(
    *, organisation: Organisation, week_start: dt.date, with_shrinkage: bool = True
) -> list[tuple[dt.datetime, str, int]]:
    """Agents needed per interval and channel for the 7 local days from `week_start`.

    From the organisation's latest finished forecast. Each item is (interval start as an aware
    datetime in the organisation's time zone, channel, agents needed). With `with_shrinkage`
    (the default) agents needed is the number of people to schedule — the requirement grossed
    up for shrinkage; without it, the number that must be handling contacts at that time.
    Intervals of the week with no demand (closed hours, holidays, days outside the forecast)
    are left out: they need 0 agents. The interval length is the run's `interval_minutes`
    (see `forecast_run_latest`). Sorted by start, then channel. Empty without a forecast.
    """
    run = forecast_run_latest(organisation=organisation)
    if run is None:
        return []
    tz = organisation.tzinfo
    first = dt.datetime(week_start.year, week_start.month, week_start.day, tzinfo=tz)
    end_day = week_start + dt.timedelta(days=7)
    end = dt.datetime(end_day.year, end_day.month, end_day.day, tzinfo=tz)
    rows = (
        RequirementInterval.objects.filter(run=run, start__gte=first, start__lt=end)
        .filter(Q(agents_with_shrinkage__gt=0) if with_shrinkage else Q(agents__gt=0))
        .order_by("start", "channel")
        .values_list("start", "channel", "agents", "agents_with_shrinkage")
    )
    return [
        (start.astimezone(tz), channel, gross if with_shrinkage else net)
        for start, channel, net, gross in rows
    ]
