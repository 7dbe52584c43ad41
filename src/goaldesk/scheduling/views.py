"""Scheduling pages: build a week's schedule, look at it, edit it, publish it; work profiles and
rules; an agent's own shifts, calendar feed and shift swaps.

Everyone reads schedules; managers build, edit and publish them and approve swaps; an agent
(any member with a linked agent record) sees their published shifts and offers or takes swaps.
"""

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from goaldesk.accounts.access import OrgRequest, org_view
from goaldesk.accounts.models import Role, today_in
from goaldesk.core.csv_safe import csv_writer
from goaldesk.core.display import digits, ldate
from goaldesk.core.views import job_progress_response, job_retry_response
from goaldesk.forecasting.forms import _ascii_digits
from goaldesk.interactions.models import Channel
from goaldesk.scheduling.files import ScheduleFileError, read_requirements
from goaldesk.scheduling.forms import (
    AbsenceForm,
    AgentProfileForm,
    BuildScheduleForm,
    SchedulingRulesForm,
    ShiftForm,
)
from goaldesk.scheduling.ical import calendar_for_agent
from goaldesk.scheduling.models import AgentAbsence, Schedule, ScheduledShift, ShiftSwap
from goaldesk.scheduling.selectors import (
    ScheduleState,
    absences_for,
    agent_profiles,
    agents_of_user,
    profile_for,
    published_shifts,
    schedule_evaluate,
    schedule_get,
    schedules_recent,
    scheduling_rules_for,
    shortfall_summary,
    skill_label,
    swaps_for_schedule,
    swaps_open,
    violation_text,
    week_start_for,
)
from goaldesk.scheduling.services import (
    ScheduleError,
    agent_absence_add,
    agent_absence_delete,
    agent_profile_save,
    calendar_feed_agent,
    calendar_feed_revoke,
    calendar_feed_token,
    schedule_create,
    schedule_publish,
    schedule_unpublish,
    scheduling_rules_save,
    shift_add,
    shift_move,
    shift_remove,
    swap_check,
    swap_decide,
    swap_offer,
    swap_take,
    swap_withdraw,
)
from goaldesk.team.models import Agent
from goaldesk.team.selectors import agent_channels_languages, agent_skill_standings
from goaldesk.team.skill_labels import skill_label as team_skill_label


def _hm(moment: dt.datetime) -> str:
    return digits(timezone.localtime(moment).strftime("%H:%M"))


def _is_manager(request: OrgRequest) -> bool:
    return request.membership.allows(Role.MANAGER)


def _schedule(request: OrgRequest, schedule_id: int) -> Schedule:
    schedule = schedule_get(organisation=request.org, schedule_id=schedule_id)
    if schedule is None:
        raise Http404
    return schedule


def _errors_to_messages(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# --- list and build -----------------------------------------------------------------------------


@org_view(Role.VIEWER)
def schedule_home(request: OrgRequest) -> HttpResponse:
    """The organisation's schedules and, for managers, the form that builds one."""
    org = request.org
    next_week = week_start_for(org, today_in(org)) + dt.timedelta(days=7)
    form = None
    if _is_manager(request):
        if request.method == "POST":
            form = BuildScheduleForm(_ascii_digits(request.POST), request.FILES)
            if form.is_valid():
                requirement = None
                upload = form.cleaned_data["requirement_file"]
                try:
                    if upload:
                        requirement = read_requirements(upload.read(), timezone=org.timezone)
                    schedule = schedule_create(
                        organisation=org,
                        week_start=week_start_for(org, form.cleaned_data["week_start"]),
                        time_limit_seconds=form.cleaned_data["time_limit_seconds"],
                        requirement=requirement,
                        created_by=request.user,
                    )
                except ScheduleFileError as problem:
                    form.add_error("requirement_file", problem.message)
                except ScheduleError as problem:
                    form.add_error(None, problem.message)
                else:
                    return redirect(
                        "scheduling:schedule_detail", org_slug=org.slug, schedule_id=schedule.pk
                    )
        else:
            form = BuildScheduleForm(initial={"week_start": next_week, "time_limit_seconds": 30})
    elif request.method == "POST":
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return render(
        request,
        "scheduling/home.html",
        {
            "nav": "planning",
            "form": form,
            "schedules": schedules_recent(organisation=org),
            "can_edit": _is_manager(request),
        },
    )


@org_view(Role.VIEWER)
def schedule_progress(request: OrgRequest, schedule_id: int) -> HttpResponse:
    """The solver's progress bar, polled by htmx every second until it is finished."""
    return job_progress_response(request, _schedule(request, schedule_id))


@org_view(Role.MANAGER)
@require_POST
def schedule_retry(request: OrgRequest, schedule_id: int) -> HttpResponse:
    """Solve a failed schedule again."""
    schedule = _schedule(request, schedule_id)
    return job_retry_response(
        request,
        schedule,
        next_url=reverse("scheduling:schedule_detail", args=[request.org.slug, schedule.pk]),
    )


# --- one schedule -------------------------------------------------------------------------------


def _week_days(schedule: Schedule) -> list[dt.date]:
    return [schedule.week_start + dt.timedelta(days=k) for k in range(7)]


def _week_grid(schedule: Schedule, state: ScheduleState, org: Any) -> dict[str, Any]:
    """Agents × days with each shift as a bar placed by its share of the day (RTL-safe)."""
    tz = org.tzinfo
    days = _week_days(schedule)
    flagged: dict[tuple[str, Any], list[str]] = defaultdict(list)
    agent_flags: dict[str, list[str]] = defaultdict(list)
    for v in state.evaluation.violations:
        text = violation_text(v, records=state.records, organisation=org)
        if v.at is not None:
            flagged[v.agent_id, v.at].append(text)
        else:
            agent_flags[v.agent_id].append(text)
    by_agent: dict[int, list[ScheduledShift]] = defaultdict(list)
    for shift in state.shifts:
        by_agent[shift.agent_id].append(shift)
    rows = []
    record_list = sorted(state.records.values(), key=lambda a: (not by_agent.get(a.pk), str(a)))
    for agent in record_list:
        if not agent.active and not by_agent.get(agent.pk):
            continue
        cells: list[list[dict[str, Any]]] = [[] for _ in days]
        minutes = 0
        for shift in by_agent.get(agent.pk, []):
            local = shift.start.astimezone(tz)
            index = (local.date() - schedule.week_start).days
            if not 0 <= index < 7:
                continue
            length = round((shift.end - shift.start).total_seconds() / 60)
            minutes += length
            offset = local.hour * 60 + local.minute
            bar: dict[str, Any] = {
                "shift": shift,
                "from": _hm(shift.start),
                "to": _hm(shift.end),
                "start_pct": round(100 * offset / 1440, 3),
                "size_pct": round(100 * min(length, 1440 - offset) / 1440, 3),
                "problems": flagged.get((str(agent.pk), shift.start), []),
                "hours": length / 60,
                "time_value": local.strftime("%H:%M"),
                "day_value": local.date().isoformat(),
            }
            if shift.break_start and shift.break_end:
                b_offset = round((shift.break_start - shift.start).total_seconds() / 60)
                b_length = round((shift.break_end - shift.break_start).total_seconds() / 60)
                bar["break"] = f"{_hm(shift.break_start)}–{_hm(shift.break_end)}"
                bar["break_start_pct"] = round(100 * b_offset / max(length, 1), 3)
                bar["break_size_pct"] = round(100 * b_length / max(length, 1), 3)
            cells[index].append(bar)
        rows.append(
            {
                "agent": agent,
                "cells": cells,
                "hours": minutes / 60,
                "problems": agent_flags.get(str(agent.pk), []),
            }
        )
    return {
        "days": [
            {
                "date": d,
                "name": str(WEEKDAYS_ABBR[d.weekday()]),
                "weekend": d.isoweekday() in (org.weekend_days or ()),
            }
            for d in days
        ],
        "rows": rows,
    }


def _coverage(schedule: Schedule, state: ScheduleState) -> dict[str, Any]:
    """Per interval: required, on duty, short and surplus (intervals with nothing are left out)."""
    labels, required, on_duty, short, surplus, skills_short = [], [], [], [], [], []
    for c in state.evaluation.intervals:
        need = sum(c.required.values())
        if not need and not c.on_duty and not c.on_break:
            continue
        labels.append(f"{WEEKDAYS_ABBR[timezone.localtime(c.start).weekday()]} {_hm(c.start)}")
        required.append(need)
        on_duty.append(c.on_duty)
        under = sum(c.under.values())
        short.append(under)
        surplus.append(c.over)
        skills_short.append(", ".join(skill_label(s) for s, n in c.under.items() if n > 0))
    step_hours = schedule.interval_minutes / 60
    evaluation = state.evaluation
    return {
        "chart": {
            "rtl": bool(get_language_bidi()),
            "labels": labels,
            "required": required,
            "on_duty": on_duty,
            "short": short,
            "surplus": surplus,
            "skills_short": skills_short,
            "text": {
                "required": _("Required"),
                "on_duty": _("Scheduled (on duty)"),
                "short": _("Short"),
                "surplus": _("Surplus"),
                "agents": _("Agents"),
            },
        },
        "under_hours": evaluation.under_coverage * step_hours,
        "over_hours": evaluation.over_coverage * step_hours,
        "required_hours": sum(sum(c.required.values()) for c in evaluation.intervals) * step_hours,
        "short_intervals": sum(1 for s in short if s),
        "surplus_intervals": sum(1 for s in surplus if s),
        "preferences_honoured": evaluation.preferences_honoured,
        "preferences_total": len(evaluation.preferences),
    }


@org_view(Role.VIEWER)
def schedule_detail(request: OrgRequest, schedule_id: int) -> HttpResponse:
    org = request.org
    schedule = _schedule(request, schedule_id)
    context: dict[str, Any] = {
        "nav": "planning",
        "schedule": schedule,
        "can_edit": _is_manager(request),
        "gap_percent": None if schedule.gap is None else 100 * schedule.gap,
    }
    if schedule.state == Schedule.State.DONE:
        state = schedule_evaluate(schedule)
        context.update(
            grid=_week_grid(schedule, state, org),
            coverage=_coverage(schedule, state),
            shortfalls=shortfall_summary(state, organisation=org),
            violations=[
                violation_text(v, records=state.records, organisation=org)
                for v in state.evaluation.violations
            ],
            skills=sorted({skill_label(skill) for _s, skill, _n in schedule.requirement}),
            shift_count=len(state.shifts),
            scheduled_hours=sum((s.end - s.start).total_seconds() for s in state.shifts) / 3600,
            swaps=swaps_for_schedule(schedule=schedule),
        )
        if context["can_edit"]:
            context["shift_form"] = ShiftForm(
                agents=_agent_choices(org), days=_day_choices(schedule), prefix="add"
            )
            context["agent_choices"] = _agent_choices(org)
            context["day_choices"] = _day_choices(schedule)
    return render(request, "scheduling/detail.html", context)


def _agent_choices(org: Any) -> list[tuple[int, str]]:
    return [
        (a.pk, str(a))
        for a in Agent.objects.filter(organisation=org, active=True).order_by("name", "key")
    ]


def _day_choices(schedule: Schedule) -> list[tuple[str, str]]:
    return [(d.isoformat(), f"{WEEKDAYS[d.weekday()]} {ldate(d)}") for d in _week_days(schedule)]


def _shift_form(request: OrgRequest, schedule: Schedule, prefix: str = "") -> ShiftForm:
    return ShiftForm(
        _ascii_digits(request.POST),
        agents=_agent_choices(request.org),
        days=_day_choices(schedule),
        prefix=prefix or None,
    )


def _aware(day: dt.date, at: dt.time, org: Any) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=org.tzinfo)


def _back(schedule: Schedule) -> HttpResponse:
    return redirect(
        reverse(
            "scheduling:schedule_detail",
            kwargs={"org_slug": schedule.organisation.slug, "schedule_id": schedule.pk},
        )
        + "#week"
    )


@org_view(Role.MANAGER)
@require_POST
def schedule_shift_add(request: OrgRequest, schedule_id: int) -> HttpResponse:
    schedule = _schedule(request, schedule_id)
    placement = _placement(request, _shift_form(request, schedule, prefix="add"))
    if placement is not None:
        _change_shift(
            request,
            lambda: shift_add(schedule=schedule, **placement),
            _("Shift added; coverage recomputed."),
        )
    return _back(schedule)


def _placement(request: OrgRequest, form: Any) -> dict[str, Any] | None:
    """The agent, start and minutes a shift form asks for; None (errors shown) when invalid."""
    if not form.is_valid():
        _errors_to_messages(request, form)
        return None
    data = form.cleaned_data
    return {
        "agent": get_object_or_404(Agent, organisation=request.org, pk=data["agent"]),
        "start": _aware(data["day"], data["start"], request.org),
        "minutes": round(data["hours"] * 60),
    }


def _change_shift(request: OrgRequest, change: Any, done: str) -> None:
    """Run a shift change; say what happened, or why the schedule refused it."""
    try:
        change()
    except ScheduleError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, done)


@org_view(Role.MANAGER)
@require_POST
def schedule_shift_edit(request: OrgRequest, schedule_id: int, shift_id: int) -> HttpResponse:
    """Move (day, start, length, agent) or remove one shift."""
    schedule = _schedule(request, schedule_id)
    shift = get_object_or_404(ScheduledShift, schedule=schedule, pk=shift_id)
    if request.POST.get("action") == "remove":
        shift_remove(shift=shift)
        messages.success(request, _("Shift removed; coverage recomputed."))
        return _back(schedule)
    placement = _placement(request, _shift_form(request, schedule))
    if placement is not None:
        _change_shift(
            request,
            lambda: shift_move(shift=shift, **placement),
            _("Shift moved; coverage recomputed."),
        )
    return _back(schedule)


@org_view(Role.MANAGER)
@require_POST
def schedule_publish_view(request: OrgRequest, schedule_id: int) -> HttpResponse:
    schedule = _schedule(request, schedule_id)
    try:
        if request.POST.get("action") == "unpublish":
            schedule_unpublish(schedule=schedule)
            messages.success(request, _("The schedule is no longer published."))
        else:
            schedule_publish(schedule=schedule)
            messages.success(request, _("Published: agents see their shifts and calendar feeds."))
    except ScheduleError as problem:
        messages.error(request, problem.message)
    return _back(schedule)


@org_view(Role.VIEWER)
@require_GET
def schedule_export(request: OrgRequest, schedule_id: int) -> HttpResponse:
    """The schedule's shifts as CSV (local times with their offset)."""
    org = request.org
    schedule = _schedule(request, schedule_id)
    tz = org.tzinfo
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["agent", "name", "start", "end", "break_start", "break_end", "hours"])

    def iso(moment: dt.datetime | None) -> str:
        return moment.astimezone(tz).isoformat(timespec="minutes") if moment else ""

    for shift in schedule.shifts.select_related("agent").order_by("start", "agent__name"):
        writer.writerow(
            [
                shift.agent.key,
                shift.agent.name,
                iso(shift.start),
                iso(shift.end),
                iso(shift.break_start),
                iso(shift.break_end),
                f"{(shift.end - shift.start).total_seconds() / 3600:g}",
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="schedule-{org.slug}-{schedule.week_start.isoformat()}.csv"'
    )
    return response


@org_view(Role.MANAGER)
@require_POST
def swap_decide_view(request: OrgRequest, swap_id: int) -> HttpResponse:
    org = request.org
    swap = get_object_or_404(
        ShiftSwap.objects.select_related("shift__schedule__organisation"),
        pk=swap_id,
        shift__schedule__organisation=org,
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose whether to approve or reject the swap."))
        return _back(swap.shift.schedule)
    try:
        swap = swap_decide(
            swap=swap,
            approve=decision == "approve",
            decided_by=request.user,
            reason=request.POST.get("reason", "").strip(),
        )
    except ScheduleError as problem:
        messages.error(request, problem.message)
    else:
        if swap.state == ShiftSwap.State.APPROVED:
            messages.success(
                request,
                _("Swap approved: the shift now belongs to %(name)s.") % {"name": swap.taken_by},
            )
        elif decision == "approve":
            messages.error(
                request,
                _("The swap breaks a rule and was rejected: %(why)s") % {"why": swap.reason},
            )
        else:
            messages.success(request, _("Swap rejected."))
    return _back(swap.shift.schedule)


# --- profiles and rules -------------------------------------------------------------------------


@org_view(Role.MANAGER)
def schedule_profiles(request: OrgRequest) -> HttpResponse:
    org = request.org
    rows = []
    standings = agent_skill_standings(organisation=org, on=today_in(org))
    for agent, profile in agent_profiles(organisation=org):
        held = standings.get(agent.pk)
        rows.append(
            {
                "agent": agent,
                "profile": profile,
                "every_channel": held is None,
                "skills": [team_skill_label(s.skill) for s in held or () if s.counts],
            }
        )
    return render(request, "scheduling/profiles.html", {"nav": "planning", "rows": rows})


@org_view(Role.MANAGER)
@require_POST
def schedule_profile_feed_revoke(request: OrgRequest, agent_id: int) -> HttpResponse:
    """A manager stops the agent's calendar address (e.g. a lost phone); the agent gets a new one."""
    agent = get_object_or_404(Agent, organisation=request.org, pk=agent_id)
    calendar_feed_revoke(agent=agent)
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect("scheduling:schedule_profile", org_slug=request.org.slug, agent_id=agent.pk)


@org_view(Role.MANAGER)
def schedule_profile(request: OrgRequest, agent_id: int) -> HttpResponse:
    """One agent's work profile and dated absences."""
    org = request.org
    agent = get_object_or_404(Agent, organisation=org, pk=agent_id)
    profile = profile_for(agent)
    held = agent_channels_languages(agent=agent)
    channels, languages = held if held is not None else (list(Channel.values), [])
    form = AgentProfileForm(
        initial=AgentProfileForm.initial_for(profile, channels=channels, languages=languages)
    )
    absence_form = AbsenceForm(prefix="absence")
    if request.method == "POST":
        if request.POST.get("form") == "absence_delete":
            absence = AgentAbsence.objects.filter(
                agent=agent, pk=request.POST.get("absence") or 0
            ).first()
            if absence is not None:
                agent_absence_delete(absence=absence)
                messages.success(request, _("Absence removed."))
            return redirect("scheduling:schedule_profile", org_slug=org.slug, agent_id=agent.pk)
        if request.POST.get("form") == "absence":
            absence_form = AbsenceForm(_ascii_digits(request.POST), prefix="absence")
            if absence_form.is_valid():
                data = absence_form.cleaned_data
                agent_absence_add(
                    agent=agent,
                    kind=data["kind"],
                    start=data["start"],
                    end=data["end"],
                    note=data["note"],
                )
                messages.success(request, _("Absence added."))
                return redirect("scheduling:schedule_profile", org_slug=org.slug, agent_id=agent.pk)
        else:
            form = AgentProfileForm(_ascii_digits(request.POST))
            if form.is_valid():
                try:
                    agent_profile_save(agent=agent, values=form.values(), changed_by=request.user)
                except ScheduleError as problem:
                    form.add_error(None, problem.message)
                else:
                    messages.success(
                        request, _("Work profile of %(name)s saved.") % {"name": agent}
                    )
                    return redirect("scheduling:schedule_profiles", org_slug=org.slug)
    return render(
        request,
        "scheduling/profile.html",
        {
            "nav": "planning",
            "agent": agent,
            "profile": profile,
            "form": form,
            "absence_form": absence_form,
            "absences": absences_for(agent=agent),
        },
    )


@org_view(Role.MANAGER)
def schedule_rules(request: OrgRequest) -> HttpResponse:
    org = request.org
    rules = scheduling_rules_for(organisation=org)
    if request.method == "POST":
        form = SchedulingRulesForm(_ascii_digits(request.POST))
        if form.is_valid():
            scheduling_rules_save(organisation=org, values=form.values())
            messages.success(request, _("Scheduling rules saved."))
            return redirect("scheduling:schedule_rules", org_slug=org.slug)
    else:
        form = SchedulingRulesForm(initial=SchedulingRulesForm.initial_for(rules))
    weekend = [str(WEEKDAYS[d - 1]) for d in sorted(org.weekend_days or [])]
    return render(
        request,
        "scheduling/rules.html",
        {"nav": "planning", "form": form, "weekend": weekend},
    )


# --- my shifts ----------------------------------------------------------------------------------


def _my_agent(request: OrgRequest) -> Agent | None:
    agents = agents_of_user(organisation=request.org, user=request.user)
    return agents[0] if agents else None


@org_view(Role.VIEWER)
def my_shifts(request: OrgRequest) -> HttpResponse:
    """The signed-in agent's published shifts, calendar feed and swaps."""
    org = request.org
    agent = _my_agent(request)
    context: dict[str, Any] = {"nav": "my_shifts", "agent": agent}
    if agent is not None:
        since = timezone.now() - dt.timedelta(days=7)
        shifts = list(published_shifts(agent=agent, since=since))
        offered = {
            s.shift_id: s
            for s in ShiftSwap.objects.filter(
                shift__in=shifts, state__in=[ShiftSwap.State.OFFERED, ShiftSwap.State.TAKEN]
            )
        }
        token = calendar_feed_token(agent=agent)
        feed_path = reverse("calendar_feed", kwargs={"agent_id": agent.pk, "token": token})
        open_swaps = []
        for swap in swaps_open(organisation=org):
            if swap.offered_by_id == agent.pk or swap.state != ShiftSwap.State.OFFERED:
                continue
            problems = swap_check(shift=swap.shift, taker=agent)
            open_swaps.append({"swap": swap, "problems": problems})
        context.update(
            shifts=[
                {
                    "shift": s,
                    "from": _hm(s.start),
                    "to": _hm(s.end),
                    "break": (
                        f"{_hm(s.break_start)}–{_hm(s.break_end)}"
                        if s.break_start and s.break_end
                        else ""
                    ),
                    "past": s.start <= timezone.now(),
                    "swap": offered.get(s.pk),
                }
                for s in shifts
            ],
            feed_url=request.build_absolute_uri(feed_path),
            open_swaps=open_swaps,
            my_taken=ShiftSwap.objects.filter(taken_by=agent).select_related("shift", "offered_by")[
                :10
            ],
        )
    return render(request, "scheduling/my_shifts.html", context)


def _mine(request: OrgRequest) -> HttpResponse | Agent:
    agent = _my_agent(request)
    if agent is None:
        messages.error(
            request, _("Your account is not linked to an agent record; ask a manager to link it.")
        )
        return redirect("scheduling:my_shifts", org_slug=request.org.slug)
    return agent


@org_view(Role.VIEWER)
@require_POST
def my_feed_revoke(request: OrgRequest) -> HttpResponse:
    """The signed-in agent makes a new calendar address; the old one stops working."""
    agent = _mine(request)
    if isinstance(agent, HttpResponse):
        return agent
    calendar_feed_revoke(agent=agent)
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect("scheduling:my_shifts", org_slug=request.org.slug)


def _my_shift_action(
    request: OrgRequest, act: Callable[[Agent], object], done: str
) -> HttpResponse:
    """Run one of the signed-in agent's shift actions; report its outcome on "my shifts"."""
    agent = _mine(request)
    if isinstance(agent, HttpResponse):
        return agent
    try:
        act(agent)
    except ScheduleError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, done)
    return redirect("scheduling:my_shifts", org_slug=request.org.slug)


@org_view(Role.VIEWER)
@require_POST
def swap_offer_view(request: OrgRequest, shift_id: int) -> HttpResponse:
    org = request.org
    shift = get_object_or_404(ScheduledShift, pk=shift_id, schedule__organisation=org)
    return _my_shift_action(
        request,
        lambda agent: swap_offer(shift=shift, agent=agent),
        _("Your shift is offered to your colleagues."),
    )


@org_view(Role.VIEWER)
@require_POST
def swap_take_view(request: OrgRequest, swap_id: int) -> HttpResponse:
    org = request.org
    swap = get_object_or_404(ShiftSwap, pk=swap_id, shift__schedule__organisation=org)
    return _my_shift_action(
        request,
        lambda agent: swap_take(swap=swap, agent=agent),
        _("You took the shift; a manager will approve it."),
    )


@org_view(Role.VIEWER)
@require_POST
def swap_withdraw_view(request: OrgRequest, swap_id: int) -> HttpResponse:
    org = request.org
    swap = get_object_or_404(ShiftSwap, pk=swap_id, shift__schedule__organisation=org)
    return _my_shift_action(
        request, lambda agent: swap_withdraw(swap=swap, agent=agent), _("Offer withdrawn.")
    )


# --- calendar feed (public, by signed address) --------------------------------------------------


@require_GET
def calendar_feed(request: HttpRequest, agent_id: int, token: str) -> HttpResponse:
    """The agent's published shifts as iCalendar; 404 for any address not currently valid."""
    agent = calendar_feed_agent(agent_id=agent_id, token=token)
    if agent is None:
        raise Http404
    since = timezone.now() - dt.timedelta(days=30)
    body = calendar_for_agent(agent=agent, shifts=list(published_shifts(agent=agent, since=since)))
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="shifts.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
