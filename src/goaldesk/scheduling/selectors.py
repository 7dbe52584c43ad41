"""Reads of shift scheduling: engine input from the database, evaluations, pages' data.

Engine agents are identified by the database agent's primary key as a string. Their skills come
from team (`team.selectors.agent_skill_codes`: levels Competent and above, certificates valid
through the whole week); an agent with no skill recorded there is treated as able to serve every
channel. An agent without a work profile works 0–40 hours and at most five days a week, always
available (the profiles page says so).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation
from goaldesk.core.display import lnum
from goaldesk.engine.rostering import (
    Absence,
    BreakRule,
    Requirement,
    Rules,
    RuleViolation,
    ScheduleEvaluation,
    Shift,
    Shortfall,
    evaluate_schedule,
)
from goaldesk.engine.rostering import Agent as EngineAgent
from goaldesk.interactions.models import Channel, channel_label
from goaldesk.scheduling.models import (
    AgentAbsence,
    AgentProfile,
    Schedule,
    ScheduledShift,
    SchedulingRules,
    ShiftSwap,
)
from goaldesk.team.models import Agent
from goaldesk.team.selectors import agent_skill_codes

DEFAULT_SHIFT_LENGTHS = [480, 360]


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours) % 24, int(minutes))


def week_start_for(organisation: Organisation, day: dt.date) -> dt.date:
    """The first day of the organisation's week containing `day`: the first day after the weekend."""
    weekend = set(organisation.weekend_days or ())
    first = next((d for d in range(1, 8) if d not in weekend and ((d - 2) % 7 + 1) in weekend), 1)
    return day - dt.timedelta(days=(day.isoweekday() - first) % 7)


def scheduling_rules_for(*, organisation: Organisation) -> SchedulingRules:
    """The organisation's saved rules, or the defaults (unsaved)."""
    saved = SchedulingRules.objects.filter(organisation=organisation).first()
    return saved or SchedulingRules(
        organisation=organisation, shift_lengths_minutes=list(DEFAULT_SHIFT_LENGTHS)
    )


def engine_rules(*, organisation: Organisation) -> Rules:
    saved = scheduling_rules_for(organisation=organisation)
    opening: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    if saved.within_opening_hours:
        for span in organisation.business_hours.all():
            opening[span.weekday].append((span.opens, span.closes))
        # A lunch closure does not split the working day: shifts may run from the day's first
        # opening to its last closing (spans past midnight are kept as they are).
        for weekday, spans in opening.items():
            same_day = [s for s in spans if s[1] > s[0]]
            if len(same_day) > 1:
                merged = (min(s[0] for s in same_day), max(s[1] for s in same_day))
                opening[weekday] = [merged] + [s for s in spans if s[1] <= s[0]]
    evening = saved.evening_after
    if isinstance(evening, str):
        evening = _time(evening)
    return Rules(
        timezone=organisation.timezone,
        shift_lengths_minutes=tuple(saved.shift_lengths_minutes or DEFAULT_SHIFT_LENGTHS),
        shift_start_times=tuple(sorted({_time(t) for t in saved.start_times or []})),
        opening_hours=dict(opening),
        breaks=(
            (
                BreakRule(
                    length_minutes=saved.break_minutes,
                    applies_over_minutes=saved.break_after_minutes,
                    window_start_fraction=saved.break_window_start_percent / 100,
                    window_end_fraction=saved.break_window_end_percent / 100,
                ),
            )
            if saved.break_minutes
            else ()
        ),
        min_rest_minutes=round(saved.min_rest_hours * 60),
        max_consecutive_days=saved.max_consecutive_days,
        weekend_days=frozenset(organisation.weekend_days or ())
        if saved.weekend_unpopular
        else frozenset(),
        evening_after=evening,
    )


def agent_profiles(*, organisation: Organisation) -> list[tuple[Agent, AgentProfile | None]]:
    agents = (
        Agent.objects.filter(organisation=organisation)
        .select_related("team", "work_profile", "user")
        .order_by("-active", "name", "key")
    )
    return [(a, getattr(a, "work_profile", None)) for a in agents]


def profile_for(agent: Agent) -> AgentProfile:
    """The agent's saved profile or the default one (unsaved)."""
    saved = AgentProfile.objects.filter(agent=agent).first()
    return saved or AgentProfile(agent=agent)


#: The skills of an agent with none recorded in team: every channel.
EVERY_CHANNEL = frozenset(Channel.values)


def skill_codes_for(
    *, organisation: Organisation, on: dt.date, through: dt.date | None = None
) -> dict[int, frozenset[str]]:
    """Agent id → the skill codes that count from `on` through `through` (team's levels and
    certificates); look agents up with `.get(agent_id, EVERY_CHANNEL)`."""
    return agent_skill_codes(organisation=organisation, on=on, through=through)


def absences_for(*, agent: Agent) -> QuerySet[AgentAbsence]:
    return AgentAbsence.objects.filter(agent=agent).order_by("-start")


def _engine_agent(
    agent: Agent,
    profile: AgentProfile | None,
    absences: list[AgentAbsence],
    skills: frozenset[str],
) -> EngineAgent:
    if profile is None:
        profile = AgentProfile(agent=agent)
    availability = {
        int(day): [(_time(a), _time(b)) for a, b in spans]
        for day, spans in (profile.availability or {}).items()
        if spans
    }
    return EngineAgent(
        id=str(agent.pk),
        skills=skills,
        min_hours_per_week=profile.min_hours_per_week,
        max_hours_per_week=profile.max_hours_per_week,
        max_days_per_week=profile.max_days_per_week,
        availability=availability,
        absences=tuple(Absence(start=a.start, end=a.end, reason=a.kind) for a in absences),
        preferred_start_times=frozenset(_time(t) for t in profile.preferred_start_times or []),
        preferred_day_parts=frozenset(profile.preferred_day_parts or []),
        preferred_days_off=frozenset(int(d) for d in profile.preferred_days_off or []),
    )


def engine_agents(
    *, organisation: Organisation, week_start: dt.date, include: Iterable[int] = ()
) -> tuple[list[EngineAgent], dict[str, Agent]]:
    """Active agents (and those in `include`) as engine agents, and the records by engine id."""
    tz = organisation.tzinfo
    first = dt.datetime.combine(week_start - dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    last = dt.datetime.combine(week_start + dt.timedelta(days=8), dt.time(0), tzinfo=tz)
    records = list(
        Agent.objects.filter(organisation=organisation)
        .filter(Q(active=True) | Q(pk__in=list(include)))
        .select_related("work_profile")
        .order_by("pk")
    )
    absences: dict[int, list[AgentAbsence]] = defaultdict(list)
    for absence in AgentAbsence.objects.filter(agent__in=records, start__lt=last, end__gt=first):
        absences[absence.agent_id].append(absence)
    # A certificate that runs out during the week does not count for any of it.
    codes = skill_codes_for(
        organisation=organisation, on=week_start, through=week_start + dt.timedelta(days=6)
    )
    agents = [
        _engine_agent(
            a, getattr(a, "work_profile", None), absences[a.pk], codes.get(a.pk, EVERY_CHANNEL)
        )
        for a in records
    ]
    return agents, {str(a.pk): a for a in records}


def schedule_requirements(schedule: Schedule) -> list[Requirement]:
    """The schedule's requirement on a grid spanning its whole week (zeros where none)."""
    tz = schedule.organisation.tzinfo
    step = schedule.interval_minutes
    per_start: dict[dt.datetime, dict[str, int]] = defaultdict(dict)
    for start, skill, count in schedule.requirement:
        per_start[dt.datetime.fromisoformat(start)][skill] = int(count)
    first = dt.datetime.combine(schedule.week_start, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(schedule.week_start + dt.timedelta(days=7), dt.time(0), tzinfo=tz)
    last = end - dt.timedelta(minutes=step)
    per_start.setdefault(first, {})
    per_start.setdefault(last, {})
    return [
        Requirement(start=start, interval_minutes=step, required=per_start[start])
        for start in sorted(per_start)
    ]


def shift_to_engine(shift: ScheduledShift, *, agent_id: str | None = None) -> Shift:
    breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    if shift.break_start and shift.break_end:
        breaks = ((shift.break_start, shift.break_end),)
    return Shift(
        agent_id=agent_id or str(shift.agent_id), start=shift.start, end=shift.end, breaks=breaks
    )


@dataclass
class ScheduleState:
    """A schedule's shifts checked against the current rules and profiles."""

    shifts: list[ScheduledShift]
    requirements: list[Requirement]
    agents: list[EngineAgent]
    records: dict[str, Agent]
    rules: Rules
    evaluation: ScheduleEvaluation


def schedule_evaluate(
    schedule: Schedule,
    *,
    shifts: Sequence[ScheduledShift] | None = None,
    agents: list[EngineAgent] | None = None,
    records: dict[str, Agent] | None = None,
    engine_shifts: Sequence[Shift] | None = None,
) -> ScheduleState:
    """Coverage, broken rules and preferences of the schedule as it is now (engine evaluator)."""
    organisation = schedule.organisation
    if shifts is None:
        shifts = list(schedule.shifts.select_related("agent").order_by("start", "agent_id"))
    if agents is None or records is None:
        agents, records = engine_agents(
            organisation=organisation,
            week_start=schedule.week_start,
            include={s.agent_id for s in shifts},
        )
    rules = engine_rules(organisation=organisation)
    requirements = schedule_requirements(schedule)
    if engine_shifts is None:
        engine_shifts = [shift_to_engine(s) for s in shifts]
    evaluation = evaluate_schedule(engine_shifts, requirements, agents, rules)
    return ScheduleState(
        shifts=list(shifts),
        requirements=requirements,
        agents=agents,
        records=records,
        rules=rules,
        evaluation=evaluation,
    )


def _local(moment: dt.datetime | None, organisation: Organisation) -> str:
    if moment is None:
        return ""
    from goaldesk.core.display import ldatetime

    return ldatetime(moment.astimezone(organisation.tzinfo))


RULE_NAMES = {
    "off_grid": _("the shift is off the interval grid"),
    "empty_shift": _("the shift ends before it starts"),
    "length_not_allowed": _("the shift length is not allowed"),
    "start_not_allowed": _("the start time is not allowed"),
    "outside_opening_hours": _("the shift is outside the opening hours"),
    "unavailable": _("the shift is outside the agent's availability"),
    "absent": _("the agent is on leave or absent"),
    "break_not_allowed": _("the shift has a break it should not have"),
    "break_rule": _("the break is missing or outside its window"),
    "one_shift_per_day": _("more than one shift on a day"),
    "rest": _("too little rest between shifts"),
    "max_consecutive_days": _("too many consecutive working days"),
    "max_hours": _("more than the maximum hours a week"),
    "min_hours": _("less than the minimum hours a week"),
    "max_days": _("more than the maximum days a week"),
    "unknown_agent": _("the agent is unknown"),
}


def violation_text(
    violation: RuleViolation, *, records: dict[str, Agent], organisation: Organisation
) -> str:
    """A broken rule in the reader's language: who, which rule, when."""
    # the name isolated (FSI … PDI, the plain-text <bdi>) so a Latin name keeps its order in a
    # Persian or Arabic sentence
    name = f"\u2068{records.get(violation.agent_id, violation.agent_id)}\u2069"
    rule = str(RULE_NAMES.get(violation.code, violation.code))
    if violation.code == "rest":
        rules = engine_rules(organisation=organisation)
        hours = rules.min_rest_minutes / 60
        decimals = next(d for d in (0, 1, 2) if round(hours, d) == round(hours, 2))
        rule = gettext("less than %(hours)s h rest between shifts") % {
            "hours": lnum(hours, decimals)
        }
    if violation.at is not None:
        return gettext("%(name)s: %(rule)s (shift of %(when)s).") % {
            "name": name,
            "rule": rule,
            "when": _local(violation.at, organisation),
        }
    return gettext("%(name)s: %(rule)s.") % {"name": name, "rule": rule}


def language_name(code: str) -> str:
    """A language code as its name in the reader's language ("fa" → "Persian"); the code itself
    for a code Django does not know."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def skill_label(skill: str) -> str:
    """A skill as a reader sees it: the channel's label ("walk_in" → "Walk-in desk") or, for
    "lang:<code>", the language's name."""
    if skill.startswith("lang:"):
        return language_name(skill[5:])
    return channel_label(skill)


BINDING_NAMES = {
    "max_hours": _("maximum hours a week"),
    "max_days": _("maximum days a week"),
    "max_consecutive_days": _("maximum consecutive days"),
    "rest": _("minimum rest"),
    "one_shift_per_day": _("one shift a day"),
    "break": _("breaks"),
    "min_hours": _("minimum hours"),
    "free": _("agents left free"),
}


def shortfall_text(shortfall: Shortfall, *, organisation: Organisation) -> str:
    """Why an interval is short, in the reader's language."""
    base = {
        "skill": skill_label(shortfall.skill),
        "short": lnum(shortfall.short_by),
        "available": lnum(shortfall.available),
        "required": lnum(shortfall.required),
    }
    reason = shortfall.reason
    if reason == "unknown_skill":
        return gettext("No agent has the skill %(skill)s.") % base
    if reason == "nobody_available":
        return (
            gettext(
                "No agent with %(skill)s is available then (availability, leave or no allowed shift covers the time)."
            )
            % base
        )
    if reason == "too_few_available":
        return (
            ngettext(
                "Only %(available)s agent with %(skill)s is available; %(required)s needed.",
                "Only %(available)s agents with %(skill)s are available; %(required)s needed.",
                shortfall.available,
            )
            % base
        )
    if reason == "skills_compete":
        return gettext("The agents with %(skill)s on duty are needed for other skills.") % base
    if reason == "solver_stopped":
        free = shortfall.binding.get("free", 0)
        return ngettext(
            "%(free)s available agent could cover it: a better schedule exists (the solver "
            "stopped early, or the schedule was edited).",
            "%(free)s available agents could cover it: a better schedule exists (the solver "
            "stopped early, or the schedule was edited).",
            free,
        ) % {**base, "free": lnum(free)}
    words = ", ".join(
        f"{BINDING_NAMES.get(k, k)} ({lnum(n)})"
        for k, n in sorted(shortfall.binding.items(), key=lambda kv: -kv[1])
    )
    return gettext("Enough agents are available, but these rules bind: %(rules)s.") % {
        "rules": words
    }


def shortfall_groups(state: ScheduleState, *, organisation: Organisation) -> list[dict[str, Any]]:
    """Consecutive short intervals of one skill with the same reason, merged into spans."""
    groups: list[dict[str, Any]] = []
    step = dt.timedelta(
        minutes=state.requirements[0].interval_minutes if state.requirements else 30
    )
    for s in sorted(state.evaluation.shortfalls, key=lambda s: (s.skill, s.start)):
        text = shortfall_text(s, organisation=organisation)
        last = groups[-1] if groups else None
        if (
            last
            and last["skill"] == s.skill
            and last["end"] == s.start
            and last["reason"] == s.reason
        ):
            last["end"] = s.start + step
            last["short"] = max(last["short"], s.short_by)
            last["agent_intervals"] += s.short_by
            continue
        groups.append(
            {
                "skill": s.skill,
                "skill_label": skill_label(s.skill),
                "start": s.start,
                "end": s.start + step,
                "short": s.short_by,
                "agent_intervals": s.short_by,
                "reason": s.reason,
                "text": text,
            }
        )
    groups.sort(key=lambda g: g["start"])
    return groups


def shortfall_summary(state: ScheduleState, *, organisation: Organisation) -> list[dict[str, Any]]:
    """Short intervals summarised by local day and skill, in order of day then skill label.

    Returns one dict per (day, skill) with `day` (a date in the organisation's time zone),
    `skill`, `skill_label`, `intervals` (how many intervals are short), `short` (the most agents
    short in one of them), `agent_hours` (agents short times interval length, summed) and
    `spans` (the groups of `shortfall_groups` that start that day, for the detail).
    """
    tz = organisation.tzinfo
    minutes = state.requirements[0].interval_minutes if state.requirements else 30
    rows: dict[tuple[dt.date, str], dict[str, Any]] = {}
    for s in state.evaluation.shortfalls:
        key = (s.start.astimezone(tz).date(), s.skill)
        row = rows.get(key)
        if row is None:
            row = rows[key] = {
                "day": key[0],
                "skill": s.skill,
                "skill_label": skill_label(s.skill),
                "intervals": 0,
                "short": 0,
                "agent_hours": 0.0,
                "spans": [],
            }
        row["intervals"] += 1
        row["short"] = max(row["short"], s.short_by)
        row["agent_hours"] += s.short_by * minutes / 60
    for group in shortfall_groups(state, organisation=organisation):
        key = (group["start"].astimezone(tz).date(), group["skill"])
        if key in rows:
            rows[key]["spans"].append(group)
    return sorted(rows.values(), key=lambda r: (r["day"], str(r["skill_label"])))


def schedules_recent(*, organisation: Organisation, limit: int = 20) -> QuerySet[Schedule]:
    return Schedule.objects.filter(organisation=organisation).order_by("-created_at")[:limit]


def schedule_get(*, organisation: Organisation, schedule_id: int) -> Schedule | None:
    return (
        Schedule.objects.select_related("organisation", "created_by")
        .filter(organisation=organisation, pk=schedule_id)
        .first()
    )


def agents_of_user(*, organisation: Organisation, user: Any) -> list[Agent]:
    """The agent records linked to a signed-in user in this organisation."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Agent.objects.filter(organisation=organisation, user=user).order_by("pk"))


def published_shifts(*, agent: Agent, since: dt.datetime | None = None) -> QuerySet[ScheduledShift]:
    shifts = ScheduledShift.objects.filter(
        agent=agent, schedule__published_at__isnull=False
    ).select_related("schedule")
    if since is not None:
        shifts = shifts.filter(end__gte=since)
    return shifts.order_by("start")


def swaps_open(*, organisation: Organisation) -> QuerySet[ShiftSwap]:
    return (
        ShiftSwap.objects.filter(
            shift__schedule__organisation=organisation,
            state__in=[ShiftSwap.State.OFFERED, ShiftSwap.State.TAKEN],
            shift__end__gt=timezone.now(),
        )
        .select_related("shift", "offered_by", "taken_by", "shift__schedule")
        .order_by("shift__start")
    )


def swaps_for_schedule(*, schedule: Schedule) -> QuerySet[ShiftSwap]:
    return (
        ShiftSwap.objects.filter(shift__schedule=schedule)
        .select_related("shift", "offered_by", "taken_by")
        .order_by("-created_at")
    )
