"""Writes of forecasting: history uploads, forecast runs, staffing inputs, requirements."""

import datetime as dt
import logging
import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Organisation, today_in
from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.core.display import lnum
from goaldesk.core.jobs import job_mark_done, job_mark_failed, job_mark_progress, job_mark_running
from goaldesk.engine import (
    BacktestResult,
    DemandHistory,
    Forecaster,
    WeekdayIntervalMean,
    backtest,
    default_forecasters,
    select_best,
    weekly_origins,
)
from goaldesk.forecasting.history import HistoryFileError, parse_history
from goaldesk.forecasting.models import (
    ForecastInterval,
    ForecastRun,
    HistoryPoint,
    HistoryUpload,
    RequirementInterval,
    StaffingInputs,
)
from goaldesk.forecasting.selectors import (
    QUEUE_CHANNELS,
    aht_from_history,
    channels_with_interactions,
    forecast_volumes,
    history_from_interactions,
    history_from_upload,
    interval_is_open,
    staffing_inputs_for,
)
from goaldesk.forecasting.staffing import compute_requirements

logger = logging.getLogger(__name__)

#: Rolling-origin backtest: one week ahead from each of the last 8 weekly origins.
BACKTEST_WEEKS = 8
BACKTEST_HORIZON_DAYS = 7
MAX_HORIZON_DAYS = 56
#: Used when a channel's history has no handle times.
FALLBACK_AHT_SECONDS = 300.0
_BATCH = 5000


# --- uploads ------------------------------------------------------------------------------------


def history_upload_create(
    *,
    organisation: Organisation,
    content: bytes,
    original_name: str,
    default_channel: str,
    created_by: Any = None,
) -> HistoryUpload:
    """Store the good rows of a `timestamp,volume[,channel]` file; remember the rejected ones.

    Raises HistoryFileError when the file is unusable or no row is good.
    """
    parsed = parse_history(content, timezone=organisation.timezone, default_channel=default_channel)
    if not parsed.points:
        if parsed.errors:
            raise HistoryFileError(
                _("No row could be used. The first problem: %(error)s")
                % {"error": parsed.errors[0]}
            )
        raise HistoryFileError(_("The file has a header but no rows."))
    with transaction.atomic():
        upload = HistoryUpload.objects.create(
            organisation=organisation,
            original_name=original_name[:255],
            created_by=created_by,
            rows_accepted=len(parsed.points),
            rows_rejected=parsed.rows_rejected,
            rejections=[e.as_dict() for e in parsed.errors],
            channels=sorted({p.channel for p in parsed.points}),
            first_at=min(p.start for p in parsed.points),
            last_at=max(p.start for p in parsed.points),
        )
        HistoryPoint.objects.bulk_create(
            (
                HistoryPoint(upload=upload, channel=p.channel, start=p.start, volume=p.value)
                for p in parsed.points
            ),
            batch_size=_BATCH,
        )
    return upload


# --- forecast runs ------------------------------------------------------------------------------


def forecast_run_create(
    *,
    organisation: Organisation,
    interval_minutes: int,
    horizon_days: int,
    created_by: Any = None,
    upload: HistoryUpload | None = None,
    history_weeks: int = 26,
) -> ForecastRun:
    """Queue a forecast of every channel (from the interactions, or from `upload`)."""
    if interval_minutes not in (15, 30, 60):
        raise ValueError(_("The interval must be 15, 30 or 60 minutes."))
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValueError(
            _("The horizon must be between 1 and %(max)s days.") % {"max": lnum(MAX_HORIZON_DAYS)}
        )
    if upload is not None and upload.organisation_id != organisation.pk:
        raise ValueError("The upload belongs to another organisation.")
    from goaldesk.forecasting.tasks import forecast_run_task

    with transaction.atomic():
        run = ForecastRun.objects.create(
            organisation=organisation,
            created_by=created_by,
            source=ForecastRun.Source.UPLOAD if upload else ForecastRun.Source.INTERACTIONS,
            upload=upload,
            interval_minutes=interval_minutes,
            horizon_days=horizon_days,
            history_weeks=history_weeks,
        )
        run_id = run.pk
        transaction.on_commit(lambda: forecast_run_task.enqueue(run_id))
    return run


def _progress(run: ForecastRun, done: int, label: str) -> None:
    """Written outside any transaction so the progress bar sees it at once."""
    job_mark_progress(job=run, steps_done=done, step_label=label[:200])


def _method_rows(results: Sequence[BacktestResult]) -> list[dict[str, Any]]:
    def clean(value: float) -> float | None:
        return round(value, 4) if math.isfinite(value) else None

    return [{"method": r.method, "wape": clean(r.wape), "mase": clean(r.mase)} for r in results]


def forecast_channel(
    history: DemandHistory,
    *,
    horizon_days: int,
    is_open: Callable[[dt.datetime], bool] | None,
    future_holidays: Sequence[dt.date] | None,
    on_step: Callable[[str], None] = lambda _label: None,
) -> tuple[Any, str, list[dict[str, Any]], str]:
    """Backtest every method, refit the best on the whole history, forecast `horizon_days`.

    Returns (engine Forecast, chosen method, [{method, wape, mase}], note). With less than three
    weeks of history there is nothing to backtest: the same-weekday mean is used, unscored.
    """
    origins = weekly_origins(history, weeks=BACKTEST_WEEKS)
    factories = default_forecasters()
    note = ""
    if origins:
        results = []
        for factory in factories:
            results.append(
                backtest(factory, history, origins=origins, horizon_days=BACKTEST_HORIZON_DAYS)
            )
            on_step(results[-1].method)
        best = select_best(results)
        chosen: Callable[[], Forecaster] = factories[results.index(best)]
        methods = _method_rows(results)
    else:
        chosen = WeekdayIntervalMean
        methods = []
        note = "short_history"
        for _factory in factories:
            on_step("")
    model = chosen().fit(history)
    forecast = model.predict(horizon_days, is_open=is_open, holidays=future_holidays)
    return forecast, model.name, methods, note


def forecast_run_execute(run_id: int) -> ForecastRun:
    """Run a queued forecast: every channel's backtest, forecast and requirement."""
    run = ForecastRun.objects.select_related("organisation", "upload").get(pk=run_id)
    if run.finished:
        return run
    job_mark_running(job=run)
    try:
        _execute(run)
    except Exception as error:
        logger.exception("Forecast run %s failed", run.pk)
        message = str(error) if isinstance(error, ValueError) else ""
        job_mark_failed(job=run, error=message or _("An unexpected error stopped the forecast."))
        return run
    return run


def _execute(run: ForecastRun) -> None:
    organisation = run.organisation
    calendar = business_calendar_for(organisation)
    if run.upload is not None:
        channels = list(run.upload.channels)
        # Read one channel at a time, when its turn comes.
        histories: dict[str, Callable[[], DemandHistory]] = {
            c: partial(
                history_from_upload,
                upload=run.upload,
                channel=c,
                interval_minutes=run.interval_minutes,
                calendar=calendar,
            )
            for c in channels
        }
    else:
        last_day = today_in(organisation) - dt.timedelta(days=1)
        first_day = last_day - dt.timedelta(days=7 * run.history_weeks - 1)
        starts = channels_with_interactions(
            organisation=organisation, first_day=first_day, last_day=last_day
        )
        channels = list(starts)
        # Each channel's history starts on its first day with contacts: the weeks before the
        # organisation used GoalDesk are not weeks without demand.
        histories = {
            c: partial(
                history_from_interactions,
                organisation=organisation,
                channel=c,
                interval_minutes=run.interval_minutes,
                first_day=starts[c],
                last_day=last_day,
                calendar=calendar,
            )
            for c in channels
        }
    if not channels:
        raise ValueError(
            _(
                "There is no demand history to forecast from: no interactions in the last %(weeks)s weeks."
            )
            % {"weeks": lnum(run.history_weeks)}
        )
    methods_per_channel = len(default_forecasters())
    job_mark_progress(job=run, steps_total=len(channels) * (methods_per_channel + 1) + 1)
    done = 0
    summaries: list[dict[str, Any]] = []
    new_intervals: list[ForecastInterval] = []
    first_forecast_day: dt.date | None = None
    for channel in channels:
        _progress(run, done, channel)
        history = histories[channel]()
        live = channel in QUEUE_CHANNELS
        is_open = interval_is_open(calendar, run.interval_minutes) if live else None

        def step(label: str, channel: str = channel) -> None:
            nonlocal done
            done += 1
            _progress(run, done, f"{channel} {label}".strip())

        forecast, method, methods, note = forecast_channel(
            history,
            horizon_days=run.horizon_days,
            is_open=is_open,
            # Live queues are closed on holidays; written contacts still arrive.
            future_holidays=None if live else (),
            on_step=step,
        )
        first_forecast_day = forecast.first_day
        for point in forecast.points():
            if point.forecast > 0 or point.upper > 0:
                new_intervals.append(
                    ForecastInterval(
                        run=run,
                        channel=channel,
                        start=point.start,
                        forecast=round(point.forecast, 4),
                        lower=round(point.lower, 4),
                        upper=round(point.upper, 4),
                    )
                )
        aht = None
        if run.upload is None:
            aht = aht_from_history(
                organisation=organisation,
                channel=channel,
                first_day=history.last_day - dt.timedelta(days=55),
                last_day=history.last_day,
            )
        summaries.append(
            {
                "channel": channel,
                "method": method,
                "methods": methods,
                "first_day": history.first_day.isoformat(),
                "last_day": history.last_day.isoformat(),
                "history_total": float(np.nansum(history.volumes)),
                "aht_seconds": round(aht, 1) if aht else None,
                "note": note,
            }
        )
        done += 1  # noqa: SIM113 - also advanced by each method's step
        _progress(run, done, channel)
    with transaction.atomic():
        ForecastInterval.objects.bulk_create(new_intervals, batch_size=_BATCH)
        run.channels = summaries
        run.first_day = first_forecast_day
        run.save(update_fields=["channels", "first_day"])
        requirements_compute(run=run)
        job_mark_done(job=run, steps_done=run.steps_total)
        # Only the latest plan keeps its interval rows.
        older = ForecastRun.objects.filter(organisation=organisation).exclude(pk=run.pk)
        ForecastInterval.objects.filter(run__in=older).delete()
        RequirementInterval.objects.filter(run__in=older).delete()


# --- staffing -----------------------------------------------------------------------------------


def effective_aht(run: ForecastRun | None, inputs: StaffingInputs) -> float:
    """The AHT used: the typed one, else the history's mean, else a fallback of 300 s."""
    if inputs.aht_seconds:
        return float(inputs.aht_seconds)
    if run is not None:
        summary = next((c for c in run.channels if c["channel"] == inputs.channel), None)
        if summary and summary.get("aht_seconds"):
            return float(summary["aht_seconds"])
    return FALLBACK_AHT_SECONDS


def open_mask_for(
    organisation: Organisation, starts: Sequence[dt.datetime], minutes: int
) -> list[bool]:
    is_open = interval_is_open(business_calendar_for(organisation), minutes)
    return [True] * len(starts) if is_open is None else [is_open(s) for s in starts]


def requirements_compute(*, run: ForecastRun, channels: Sequence[str] | None = None) -> int:
    """(Re)compute and store the run's requirement per interval for `channels` (default: all).

    Returns the number of rows written.
    """
    organisation = run.organisation
    if run.first_day is None:
        raise ValueError("The forecast has not finished.")
    written = 0
    mask: list[bool] | None = None
    with transaction.atomic():
        for summary in run.channels:
            channel = summary["channel"]
            if channels is not None and channel not in channels:
                continue
            inputs = staffing_inputs_for(organisation=organisation, channel=channel)
            starts, volumes = forecast_volumes(
                run=run, channel=channel, first_day=run.first_day, days=run.horizon_days
            )
            if mask is None:
                mask = open_mask_for(organisation, starts, run.interval_minutes)
            result, model = compute_requirements(
                volumes,
                starts,
                inputs=inputs,
                aht_seconds=effective_aht(run, inputs),
                interval_minutes=run.interval_minutes,
                open_mask=mask,
            )
            RequirementInterval.objects.filter(run=run, channel=channel).delete()
            rows = [
                RequirementInterval(
                    run=run,
                    channel=channel,
                    start=starts[i],
                    volume=round(float(volumes[i]), 4),
                    agents=int(result.agents[i]),
                    agents_with_shrinkage=int(result.agents_with_shrinkage[i]),
                    service_level=float(result.service_level[i]),
                    asa_seconds=_finite(result.asa_seconds[i]),
                    occupancy=float(result.occupancy[i]),
                    p_wait=float(result.p_wait[i]),
                    model=model,
                )
                for i in range(len(starts))
                # Deferred work can plan people where no agent is planned (each does less).
                if volumes[i] > 0 or result.agents[i] > 0 or result.agents_with_shrinkage[i] > 0
            ]
            RequirementInterval.objects.bulk_create(rows, batch_size=_BATCH)
            written += len(rows)
    return written


def _finite(value: float) -> float:
    value = float(value)
    return value if math.isfinite(value) else 1e9


def staffing_inputs_save(
    *, organisation: Organisation, channel: str, values: dict[str, Any]
) -> StaffingInputs:
    """Save a channel's staffing inputs and recompute the latest plan's requirement for it."""
    from goaldesk.forecasting.selectors import forecast_run_latest

    with transaction.atomic():
        inputs, _created = StaffingInputs.objects.update_or_create(
            organisation=organisation, channel=channel, defaults=values
        )
        run = forecast_run_latest(organisation=organisation)
        if run is not None and any(c["channel"] == channel for c in run.channels):
            requirements_compute(run=run, channels=[channel])
    return inputs
