"""/api/v1/orgs/{slug}/workforce (forecasting): forecasts, requirements, peaks and a staffing calculator.

Viewer tokens read; starting a forecast needs a manager token (or a manager's session).
"""

import datetime as dt
import math
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from pydantic import Field, StrictInt, WithJsonSchema

from goaldesk.accounts.models import today_in
from goaldesk.api.auth import caller_of, organisation_for
from goaldesk.api.errors import FieldChecks, FieldInvalid
from goaldesk.api.params import parse_date
from goaldesk.api.schemas import BodyIn, ErrorList, Message, OptionalDateText
from goaldesk.engine import InputError, required_agents
from goaldesk.forecasting.models import ForecastInterval, ForecastRun, RequirementInterval
from goaldesk.forecasting.selectors import forecast_run_latest, peaks_for
from goaldesk.forecasting.services import MAX_HORIZON_DAYS, forecast_run_create
from goaldesk.forecasting.staffing import staffing_input_message
from goaldesk.interactions.models import Channel

router = Router(tags=["workforce"])

#: The most work (in Erlangs: agents busy all interval) the staffing calculator takes on.
MAX_OFFERED_LOAD = 10_000

#: The `channel` filter: empty (every channel) or one channel.
ChannelText = Annotated[
    str, WithJsonSchema({"type": "string", "enum": ["", *Channel.values], "default": ""})
]

_ERRORS = {401: Message, 403: Message, 404: Message, 422: ErrorList}


class ForecastIn(BodyIn):
    interval_minutes: StrictInt = Field(30, json_schema_extra={"enum": [15, 30, 60]})
    horizon_days: StrictInt = Field(
        28, json_schema_extra={"minimum": 1, "maximum": MAX_HORIZON_DAYS}
    )


def _finite(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value


def _run_out(run: ForecastRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "state": run.state,
        "percent": run.percent,
        "error": run.error,
        "interval_minutes": run.interval_minutes,
        "horizon_days": run.horizon_days,
        "first_day": run.first_day.isoformat() if run.first_day else None,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "channels": run.channels,
    }


def _channel(value: str) -> str:
    if value and value not in Channel.values:
        raise FieldInvalid(
            "channel",
            _("“%(value)s” is not a channel. The channels are: %(channels)s.")
            % {"value": value, "channels": ", ".join(Channel.values)},
        )
    return value


@router.post(
    "/v1/orgs/{slug}/workforce/forecasts",
    response={202: dict[str, Any], **_ERRORS},
    summary="Start a forecast",
)
def forecast_start(request: HttpRequest, slug: str, body: ForecastIn):
    """Queue a forecast of every channel from the organisation's interactions.

    `interval_minutes` 15, 30 or 60; `horizon_days` 1–56. Poll the returned run for `state`
    (pending, running, done, failed) and `percent`.
    """
    organisation = organisation_for(request, slug, write=True)
    checks = FieldChecks()
    if body.interval_minutes not in (15, 30, 60):
        checks.add(
            FieldInvalid("interval_minutes", _("The interval must be 15, 30 or 60 minutes."))
        )
    if not 1 <= body.horizon_days <= MAX_HORIZON_DAYS:
        checks.add(
            FieldInvalid(
                "horizon_days",
                _("The horizon must be between 1 and %(max)s days.") % {"max": MAX_HORIZON_DAYS},
            )
        )
    checks.done()
    run = forecast_run_create(
        organisation=organisation,
        interval_minutes=body.interval_minutes,
        horizon_days=body.horizon_days,
        created_by=caller_of(request).user,
    )
    run.refresh_from_db()
    return Status(202, _run_out(run))


@router.get(
    "/v1/orgs/{slug}/workforce/forecasts/{run_id}",
    response={200: dict[str, Any], **_ERRORS},
    summary="One forecast run: state, progress and methods",
)
def forecast_run(request: HttpRequest, slug: str, run_id: int):
    organisation = organisation_for(request, slug)
    run = get_object_or_404(ForecastRun, pk=run_id, organisation=organisation)
    return _run_out(run)


@router.get(
    "/v1/orgs/{slug}/workforce/forecast",
    response={200: dict[str, Any], **_ERRORS},
    summary="The latest forecast",
)
def forecast_latest(request: HttpRequest, slug: str, channel: ChannelText = ""):
    """The latest finished forecast: each channel's chosen method and every method's backtest
    WAPE and MASE, and the intervals with demand (start, channel, forecast, lower, upper; an
    interval not listed forecasts 0). `run` is null when there is no forecast yet."""
    organisation = organisation_for(request, slug)
    channel = _channel(channel)
    run = forecast_run_latest(organisation=organisation)
    if run is None:
        return {"run": None, "intervals": []}
    rows = ForecastInterval.objects.filter(run=run).order_by("start", "channel")
    if channel:
        rows = rows.filter(channel=channel)
    tz = organisation.tzinfo
    return {
        "run": _run_out(run),
        "intervals": [
            {
                "start": start.astimezone(tz).isoformat(),
                "channel": ch,
                "forecast": f,
                "lower": lo,
                "upper": hi,
            }
            for start, ch, f, lo, hi in rows.values_list(
                "start", "channel", "forecast", "lower", "upper"
            )
        ],
    }


@router.get(
    "/v1/orgs/{slug}/workforce/requirements",
    response={200: dict[str, Any], **_ERRORS},
    summary="Agents needed per interval",
)
def requirements(
    request: HttpRequest,
    slug: str,
    week_start: OptionalDateText = None,
    channel: ChannelText = "",
):
    """The latest plan's requirement for the 7 days from `week_start` (default: the forecast's
    first day): per interval and channel the agents needed, with shrinkage, and the expected
    service level, ASA (seconds), occupancy and P(wait) (fractions) with that many."""
    organisation = organisation_for(request, slug)
    checks = FieldChecks()
    channel = checks.take(_channel, channel) or ""
    week_first_day = checks.take(parse_date, week_start, "week_start")
    checks.done()
    run = forecast_run_latest(organisation=organisation)
    if run is None:
        return {"run": None, "interval_minutes": None, "intervals": []}
    first_day = week_first_day or run.first_day
    if first_day is None:  # a run that forecast nothing has no first day
        return {"run": run.pk, "interval_minutes": run.interval_minutes, "intervals": []}
    tz = organisation.tzinfo
    start = dt.datetime(first_day.year, first_day.month, first_day.day, tzinfo=tz)
    end_day = first_day + dt.timedelta(days=7)
    end = dt.datetime(end_day.year, end_day.month, end_day.day, tzinfo=tz)
    rows = RequirementInterval.objects.filter(run=run, start__gte=start, start__lt=end)
    if channel:
        rows = rows.filter(channel=channel)
    return {
        "run": run.pk,
        "interval_minutes": run.interval_minutes,
        "week_start": first_day.isoformat(),
        "intervals": [
            {
                "start": r.start.astimezone(tz).isoformat(),
                "channel": r.channel,
                "model": r.model,
                "volume": r.volume,
                "agents": r.agents,
                "agents_with_shrinkage": r.agents_with_shrinkage,
                "service_level": r.service_level,
                "asa_seconds": r.asa_seconds,
                "occupancy": r.occupancy,
                "p_wait": r.p_wait,
            }
            for r in rows.order_by("start", "channel")
        ],
    }


@router.get(
    "/v1/orgs/{slug}/workforce/peaks",
    response={200: dict[str, Any], **_ERRORS},
    by_alias=True,
    summary="Weekday × hour heatmap, peak days and hours, special days",
)
def peaks(
    request: HttpRequest,
    slug: str,
    date_from: OptionalDateText = Query(None, alias="from"),  # noqa: B008 - ninja reads the alias from it
    date_to: OptionalDateText = Query(None, alias="to"),  # noqa: B008 - ninja reads the alias from it
    channel: ChannelText = "",
):
    """Interactions of the days `from`..`to` (default: the last 8 weeks). `heatmap`
    rows follow `weekday_order` (ISO weekdays, the organisation's week: the day after its
    weekend first); values are mean contacts per hour, holidays left out."""
    organisation = organisation_for(request, slug)
    checks = FieldChecks()
    channel = checks.take(_channel, channel) or ""
    last = checks.take(parse_date, date_to, "to") or today_in(organisation) - dt.timedelta(days=1)
    first = checks.take(parse_date, date_from, "from") or last - dt.timedelta(days=55)
    # The period is judged only from dates that were read (not from a default that
    # stands in for a bad one).
    if not (checks.failed("from") or checks.failed("to")):
        if first > last:
            checks.add(FieldInvalid("from", _("The first day is after the last day.")))
        elif (last - first).days > 366:
            checks.add(FieldInvalid("from", _("The period may be at most a year.")))
    checks.done()
    report = peaks_for(
        organisation=organisation, first_day=first, last_day=last, channel=channel or None
    )
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "weekday_order": list(report.weekday_order),
        "heatmap": [[round(v, 3) for v in row] for row in report.heatmap.tolist()],
        "weekdays": [
            {
                "weekday": w.weekday,
                "mean_per_day": round(w.volume, 3),
                "days": w.days,
                "weekend": w.is_weekend,
            }
            for w in report.weekdays
        ],
        "peak_hours": [
            {"weekday": c.weekday, "hour": c.hour, "mean": round(c.volume, 3)}
            for c in report.peak_cells
        ],
        "special_days": [
            {
                "date": s.day.isoformat(),
                "volume": s.volume,
                "expected": s.expected,
                "z": _finite(round(s.z, 3)),
                "direction": s.direction,
                "holiday": s.is_holiday,
            }
            for s in report.special_days
        ],
    }


@router.get(
    "/v1/orgs/{slug}/workforce/staffing",
    response={200: dict[str, Any], **_ERRORS},
    summary="Agents needed for one interval (calculator)",
)
def staffing(
    request: HttpRequest,
    slug: str,
    volume: float,
    aht_seconds: float,
    interval_minutes: int = 30,
    target_sl: float = 0.8,
    target_seconds: float | None = None,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    patience_seconds: float | None = None,
    concurrency: int = 1,
):
    """Erlang C (Erlang A with `patience_seconds`; chat slots with `concurrency` > 1).
    Fractions are 0–1; `target_seconds` defaults to the organisation's answer-time target."""
    organisation = organisation_for(request, slug)
    if volume > 0 and aht_seconds > 0 and interval_minutes > 0:
        # The search for the agent count takes time in proportion to the load: bound it, so
        # that one request cannot hold a worker for minutes.
        offered_load = volume * aht_seconds / (interval_minutes * 60)
        if not offered_load <= MAX_OFFERED_LOAD:
            raise FieldInvalid(
                "volume",
                _(
                    "This is more work than %(max)s agents can do in one interval; "
                    "calculate smaller groups (a channel or a team at a time)."
                )
                % {"max": MAX_OFFERED_LOAD},
            )
    try:
        result = required_agents(
            volume=volume,
            interval_minutes=interval_minutes,
            aht_seconds=aht_seconds,
            target_sl=target_sl,
            target_seconds=organisation.answer_target_seconds
            if target_seconds is None
            else target_seconds,
            shrinkage=shrinkage,
            max_occupancy=max_occupancy,
            patience_seconds=patience_seconds,
            concurrency=concurrency,
        )
    except InputError as error:
        # The API's parameters carry the engine's names, so each names itself.
        raise FieldInvalid(error.field, staffing_input_message(error, names={})) from error
    return {
        "model": result.model,
        "offered_load": result.offered_load,
        "agents": result.agents,
        "agents_with_shrinkage": result.agents_with_shrinkage,
        "service_level": result.service_level,
        "asa_seconds": _finite(result.asa_seconds),
        "occupancy": result.occupancy,
        "p_wait": result.p_wait,
        "p_abandon": result.p_abandon,
    }
