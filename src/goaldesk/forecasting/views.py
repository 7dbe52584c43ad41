"""Planning pages: forecast vs actuals, forecast jobs, history upload, peaks, staffing (what-if).

Everyone in the organisation reads; managers and owners run forecasts and change inputs.
"""

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role, today_in
from goaldesk.core.display import digits, ldate, lnum, percent
from goaldesk.core.views import job_progress_response, job_retry_response
from goaldesk.forecasting.forms import ForecastForm, HistoryUploadForm, StaffingInputsForm
from goaldesk.forecasting.history import HistoryFileError
from goaldesk.forecasting.models import ForecastRun, HistoryUpload, StaffingModel
from goaldesk.forecasting.selectors import (
    METHOD_NAMES,
    QUEUE_CHANNELS,
    forecast_chart,
    forecast_run_active,
    forecast_run_latest,
    forecast_runs_recent,
    forecast_totals_by_day,
    forecast_volumes,
    peaks_for,
    requirement_days,
    run_channel_summary,
    staffing_inputs_for,
    staffing_model_for,
)
from goaldesk.forecasting.services import (
    effective_aht,
    forecast_run_create,
    history_upload_create,
    open_mask_for,
    staffing_inputs_save,
)
from goaldesk.forecasting.staffing import compute_requirements
from goaldesk.interactions.models import Channel

CHANNEL_LABELS = dict(Channel.choices)
PEAK_WEEKS = (4, 8, 13, 26)


def _can_edit(request: OrgRequest) -> bool:
    return request.membership.allows(Role.MANAGER)


def _weekday(iso: int, short: bool = False) -> str:
    return str((WEEKDAYS_ABBR if short else WEEKDAYS)[iso - 1])


def _hm(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    return digits(local.strftime("%H:%M"))


def _method_rows(summary: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not summary:
        return []
    return [
        {
            "key": m["method"],
            "name": METHOD_NAMES.get(m["method"], m["method"]),
            "wape": None if m["wape"] is None else 100 * m["wape"],
            "mase": m["mase"],
            "chosen": m["method"] == summary["method"],
        }
        for m in summary["methods"]
    ]


def _channel_choice(params: Mapping[str, str], channels: list[str]) -> str | None:
    """The channel named in `params` (a request's GET or POST) if the forecast has it, else the
    forecast's first channel; None without channels."""
    wanted = params.get("channel", "")
    if wanted in channels:
        return wanted
    return channels[0] if channels else None


# --- forecast -----------------------------------------------------------------------------------


@org_view(Role.VIEWER)
def planning_home(request: OrgRequest) -> HttpResponse:
    """The latest forecast against actuals, each method's accuracy, and the forecast form."""
    org = request.org
    run = forecast_run_latest(organisation=org)
    channels = [c["channel"] for c in run.channels] if run else []
    channel = _channel_choice(request.GET, channels)
    context: dict[str, Any] = {
        "nav": "planning",
        "run": run,
        "active": forecast_run_active(organisation=org),
        "channels": [(c, CHANNEL_LABELS.get(c, c)) for c in channels],
        "channel": channel,
        "can_edit": _can_edit(request),
        "runs": forecast_runs_recent(organisation=org, limit=5),
    }
    if context["can_edit"]:
        uploads = HistoryUpload.objects.filter(organisation=org)[:10]
        context["form"] = ForecastForm(uploads=uploads)
    summary = run_channel_summary(run, channel) if run and channel else None
    if run and channel and summary is not None:
        context["summary"] = summary
        context["methods"] = _method_rows(summary)
        context["chosen_name"] = METHOD_NAMES.get(summary["method"], summary["method"])
        series = forecast_chart(run=run, channel=channel)
        context["chart_data"] = {
            "rtl": bool(get_language_bidi()),
            "labels": [
                f"{_weekday(h.isoweekday(), True)} {ldate(h)} {_hm(h)}" for h in series.labels
            ],
            "actual": series.actual,
            "forecast": series.forecast,
            "lower": series.lower,
            "upper": series.upper,
            "text": {
                "actual": _("Actual contacts per hour"),
                "forecast": _("Forecast per hour"),
                "lower": _("Lower bound (%(level)s)") % {"level": percent(80)},
                "upper": _("Upper bound (%(level)s)") % {"level": percent(80)},
            },
        }
        context["daily"] = [
            {"day": day, "weekday": _weekday(day.isoweekday()), "total": total}
            for day, total in forecast_totals_by_day(run=run, channel=channel)
        ]
    return render(request, "forecasting/home.html", context)


@org_view(Role.MANAGER)
@require_POST
def forecast_start(request: OrgRequest) -> HttpResponse:
    org = request.org
    uploads = HistoryUpload.objects.filter(organisation=org)
    form = ForecastForm(request.POST, uploads=uploads)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect("forecasting:home", org_slug=org.slug)
    upload = None
    if form.cleaned_data["upload"]:
        upload = uploads.filter(pk=form.cleaned_data["upload"]).first()
    run = forecast_run_create(
        organisation=org,
        interval_minutes=form.cleaned_data["interval_minutes"],
        horizon_days=form.cleaned_data["horizon_days"],
        upload=upload,
        created_by=request.user,
    )
    return redirect("forecasting:run", org_slug=org.slug, run_id=run.pk)


def _run(request: OrgRequest, run_id: int) -> ForecastRun:
    return get_object_or_404(
        ForecastRun.objects.select_related("organisation", "created_by", "upload"),
        pk=run_id,
        organisation=request.org,
    )


def _run_channels(run: ForecastRun) -> list[dict[str, Any]]:
    return [
        {
            "channel": CHANNEL_LABELS.get(c["channel"], c["channel"]),
            "method": METHOD_NAMES.get(c["method"], c["method"]),
            "methods": _method_rows(c),
            "note": c.get("note", ""),
        }
        for c in run.channels
    ]


@org_view(Role.VIEWER)
def forecast_run(request: OrgRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    return render(
        request,
        "forecasting/run.html",
        {
            "nav": "planning",
            "run": run,
            "run_channels": _run_channels(run),
            "can_edit": _can_edit(request),
        },
    )


@org_view(Role.VIEWER)
def forecast_run_progress(request: OrgRequest, run_id: int) -> HttpResponse:
    """The progress bar, polled by htmx every second until the run is finished."""
    return job_progress_response(request, _run(request, run_id))


@org_view(Role.MANAGER)
@require_POST
def forecast_run_retry(request: OrgRequest, run_id: int) -> HttpResponse:
    """Queue a failed forecast again."""
    run = _run(request, run_id)
    return job_retry_response(
        request, run, next_url=reverse("forecasting:run", args=[request.org.slug, run.pk])
    )


# --- history upload -----------------------------------------------------------------------------


@org_view(Role.MANAGER)
def history_upload(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = HistoryUploadForm(request.POST or None, request.FILES or None)
    created = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            created = history_upload_create(
                organisation=org,
                content=upload_file.read(),
                original_name=upload_file.name,
                default_channel=form.cleaned_data["channel"],
                created_by=request.user,
            )
        except HistoryFileError as problem:
            form.add_error("file", problem.message)
        else:
            if created.rows_rejected:
                messages.warning(
                    request,
                    ngettext(
                        "%(ok)s row kept, %(bad)s rows rejected (listed below).",
                        "%(ok)s rows kept, %(bad)s rows rejected (listed below).",
                        created.rows_accepted,
                    )
                    % {"ok": lnum(created.rows_accepted), "bad": lnum(created.rows_rejected)},
                )
            else:
                messages.success(
                    request,
                    ngettext("%(ok)s row kept.", "%(ok)s rows kept.", created.rows_accepted)
                    % {"ok": lnum(created.rows_accepted)},
                )
    uploads = HistoryUpload.objects.filter(organisation=org).select_related("created_by")[:10]
    return render(
        request,
        "forecasting/upload.html",
        {
            "nav": "planning",
            "form": form,
            "created": created,
            "uploads": uploads,
            "forecast_form": ForecastForm(uploads=uploads, initial={"upload": created.pk})
            if created
            else None,
        },
    )


# --- peaks --------------------------------------------------------------------------------------


@org_view(Role.VIEWER)
def peaks(request: OrgRequest) -> HttpResponse:
    org = request.org
    try:
        weeks = int(request.GET.get("weeks", 8))
    except ValueError:
        weeks = 8
    weeks = weeks if weeks in PEAK_WEEKS else 8
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    last_day = today_in(org) - dt.timedelta(days=1)
    first_day = last_day - dt.timedelta(days=7 * weeks - 1)
    report = peaks_for(
        organisation=org, first_day=first_day, last_day=last_day, channel=channel or None
    )
    top = float(report.heatmap.max()) if report.heatmap.size else 0.0
    weekend = set(org.weekend_days or ())
    rows = []
    for r, weekday in enumerate(report.weekday_order):
        cells = []
        for hour in range(24):
            value = float(report.heatmap[r, hour])
            share = value / top if top > 0 else 0.0
            cells.append({"value": value, "alpha": round(0.08 + 0.92 * share, 3) if value else 0})
        rows.append(
            {
                "weekday": _weekday(weekday),
                "weekend": weekday in weekend,
                "days": report.days_counted[r],
                "cells": cells,
            }
        )
    context = {
        "nav": "planning",
        "weeks": weeks,
        "week_choices": PEAK_WEEKS,
        "channel": channel,
        "channels": Channel.choices,
        "first_day": first_day,
        "last_day": last_day,
        "rows": rows,
        "hours": [digits(f"{h:02d}") for h in range(24)],
        "weekdays": [
            {
                "name": _weekday(w.weekday),
                "volume": w.volume,
                "days": w.days,
                "weekend": w.is_weekend,
            }
            for w in report.weekdays
        ],
        "peak_cells": [
            {"weekday": _weekday(c.weekday), "hour": c.hour, "volume": c.volume}
            for c in report.peak_cells
        ],
        "busiest_hours": report.hours[:5],
        "special_days": [
            {
                "day": s.day,
                "weekday": _weekday(s.day.isoweekday()),
                "volume": s.volume,
                "expected": s.expected,
                "z": s.z if math.isfinite(s.z) else None,
                "high": s.direction == "high",
                "holiday": s.is_holiday,
            }
            for s in report.special_days
        ],
    }
    return render(request, "forecasting/peaks.html", context)


# --- staffing -----------------------------------------------------------------------------------


def _weeks(run: ForecastRun) -> list[tuple[int, dt.date]]:
    if run.first_day is None:
        raise ValueError("The forecast has not finished.")
    return [
        (i, run.first_day + dt.timedelta(days=7 * i))
        for i in range(math.ceil(run.horizon_days / 7))
    ]


def _requirement_context(
    request: HttpRequest, run: ForecastRun, channel: str, week: int, inputs: Any
) -> dict[str, Any]:
    """Chart, per-day and per-interval tables of one channel-week for the given inputs."""
    org = run.organisation
    weeks = _weeks(run)
    week = week if 0 <= week < len(weeks) else 0
    first_day = weeks[week][1]
    days = min(7, run.horizon_days - 7 * week)
    starts, volumes = forecast_volumes(run=run, channel=channel, first_day=first_day, days=days)
    aht = effective_aht(run, inputs)
    mask = open_mask_for(org, starts, run.interval_minutes)
    result, model = compute_requirements(
        volumes,
        starts,
        inputs=inputs,
        aht_seconds=aht,
        interval_minutes=run.interval_minutes,
        open_mask=mask,
    )
    deferred = model == StaffingModel.DEFERRED
    days_required = requirement_days(
        starts=starts,
        volumes=volumes,
        requirements=result,
        interval_minutes=run.interval_minutes,
        tz=org.tzinfo,
        deferred=deferred,
    )
    day_rows = [
        {
            "day": d.day,
            "weekday": _weekday(d.day.isoweekday()),
            "volume": d.volume,
            "peak": d.peak.agents if d.peak else 0,
            "peak_at": _hm(d.peak.start) if d.peak else "",
            "peak_gross": d.peak.agents_with_shrinkage if d.peak else 0,
            "hours": d.agent_hours,
            "hours_gross": d.agent_hours_with_shrinkage,
            "min_sl": d.min_service_level_pct,
            "intervals": [
                {
                    "time": _hm(slot.start),
                    "volume": slot.volume,
                    "agents": slot.agents,
                    "gross": slot.agents_with_shrinkage,
                    "sl": slot.service_level_pct,
                    "asa": slot.asa_seconds,
                    "occupancy": slot.occupancy_pct,
                    "p_wait": slot.p_wait_pct,
                }
                for slot in d.slots
            ],
        }
        for d in days_required
    ]
    # Chart: only the intervals of the week that have demand or agents, plus their neighbours'
    # zeros would clutter it; every interval is kept so the time axis stays true.
    chart = {
        "rtl": bool(get_language_bidi()),
        "labels": [f"{_weekday(s.isoweekday(), True)} {_hm(s)}" for s in starts],
        "agents": [int(a) for a in result.agents],
        "gross": [int(a) for a in result.agents_with_shrinkage],
        "volume": [round(float(v), 2) for v in volumes],
        "text": {
            "agents": _("Agents needed"),
            "gross": _("With shrinkage"),
            "volume": _("Forecast contacts"),
        },
    }
    return {
        "model": model,
        "model_name": StaffingModel(model).label,
        "deferred": deferred,
        "aht": aht,
        "aht_from_history": not inputs.aht_seconds,
        "day_rows": day_rows,
        "week": week,
        "weeks": weeks,
        "week_first": first_day,
        "peak": max((d.peak.agents for d in days_required if d.peak), default=0),
        "peak_gross": max(
            (d.peak.agents_with_shrinkage for d in days_required if d.peak), default=0
        ),
        "week_hours": sum(d.agent_hours for d in days_required),
        "week_hours_gross": sum(d.agent_hours_with_shrinkage for d in days_required),
        "requirement_chart": chart,
    }


def _week_param(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("week", 0))
    except ValueError:
        return 0


@org_view(Role.VIEWER)
def staffing(request: OrgRequest) -> HttpResponse:
    """Inputs per channel (managers save them) and the requirement of one week."""
    org = request.org
    run = forecast_run_latest(organisation=org)
    channels = [c["channel"] for c in run.channels] if run else []
    channel = _channel_choice(request.GET if request.method == "GET" else request.POST, channels)
    context: dict[str, Any] = {
        "nav": "planning",
        "run": run,
        "channels": [(c, CHANNEL_LABELS.get(c, c)) for c in channels],
        "channel": channel,
        "can_edit": _can_edit(request),
    }
    if run is None or channel is None:
        if request.method == "POST" and not _can_edit(request):
            raise PermissionDenied
        return render(request, "forecasting/staffing.html", context)
    inputs = staffing_inputs_for(organisation=org, channel=channel)
    week = _week_param(request)
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        form = StaffingInputsForm(request.POST, instance=inputs)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            staffing_inputs_save(organisation=org, channel=channel, values=values)
            messages.success(
                request,
                _("Inputs for %(channel)s saved; the plan's requirement is updated.")
                % {"channel": CHANNEL_LABELS.get(channel, channel)},
            )
            return redirect(
                f"{request.path}?channel={channel}&week={int(request.POST.get('week', 0) or 0)}"
            )
    else:
        form = StaffingInputsForm(instance=inputs)
    shown = inputs
    if form.is_bound and not form.is_valid():
        # The requirement shown stays that of the saved inputs while the typed ones are wrong.
        shown = staffing_inputs_for(organisation=org, channel=channel)
    context.update(
        form=form,
        inputs_model=staffing_model_for(inputs),
        queue=channel in QUEUE_CHANNELS,
        **_requirement_context(request, run, channel, week, shown),
    )
    return render(request, "forecasting/staffing.html", context)


@org_view(Role.VIEWER)
def staffing_preview(request: OrgRequest) -> HttpResponse:
    """What-if: the requirement for typed inputs, nothing saved (htmx swaps it in)."""
    org = request.org
    run = forecast_run_latest(organisation=org)
    channels = [c["channel"] for c in run.channels] if run else []
    channel = _channel_choice(request.GET, channels)
    if run is None or channel is None:
        return render(request, "forecasting/_requirement.html", {"empty": True})
    saved = staffing_inputs_for(organisation=org, channel=channel)
    form = StaffingInputsForm(request.GET, instance=saved)
    if form.is_valid():
        inputs = form.save(commit=False)  # a what-if: never saved here
        errors = None
    else:
        inputs = staffing_inputs_for(organisation=org, channel=channel)
        errors = form.errors
    context = _requirement_context(request, run, channel, _week_param(request), inputs)
    context.update(channel=channel, what_if=True, errors=errors, form=form, run=run)
    return render(request, "forecasting/_requirement.html", context)
