"""Evaluate any schedule (the solver's or a manually edited one) against the rules.

Coverage is computed independently of the solver: per interval, the on-duty agents (not on
break, on duty for the whole interval) are assigned to skills by a maximum flow, so a
multi-skilled agent serves one skill at a time and is put where the shortage is.
"""

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from goaldesk.engine.rostering.model import (
    Agent,
    IntervalCoverage,
    PreferenceCheck,
    Requirement,
    Rules,
    RuleViolation,
    ScheduleEvaluation,
    Shift,
    Shortfall,
    day_part,
)
from goaldesk.engine.rostering.problem import (
    Problem,
    agent_blocked_spans,
    break_offsets,
    break_rule_for,
    build_problem,
    epoch_minutes,
    inside_windows,
    is_unpopular,
)


@dataclass
class _Worked:
    """A shift placed on the problem's grid (epoch minutes and local day index)."""

    shift: Shift
    start: int
    end: int
    day: int
    breaks: list[tuple[int, int]]


def max_flow_assignment(
    groups: Sequence[tuple[frozenset[str], int]], required: dict[str, int]
) -> dict[str, int]:
    """Agents serving each skill when `groups` (skill set, head count) are assigned at best.

    Maximises the requirement units met (each agent serves one skill, each skill at most its
    requirement) by Edmonds–Karp on source → group → skill → sink; the graphs are tiny.
    """
    skills = list(required)
    g_count = len(groups)
    source, sink = 0, 1 + g_count + len(skills)
    node_of_skill = {s: 1 + g_count + k for k, s in enumerate(skills)}
    capacity: dict[int, dict[int, int]] = defaultdict(dict)

    def edge(u: int, v: int, cap: int) -> None:
        capacity[u][v] = capacity[u].get(v, 0) + cap
        capacity[v].setdefault(u, 0)

    for g, (skill_set, count) in enumerate(groups):
        edge(source, 1 + g, count)
        for skill in skill_set:
            if skill in node_of_skill:
                edge(1 + g, node_of_skill[skill], count)
    for skill in skills:
        edge(node_of_skill[skill], sink, required[skill])

    while True:
        parent = {source: source}
        queue = [source]
        for u in queue:
            for v, cap in capacity[u].items():
                if cap > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            break
        push = None
        v = sink
        while v != source:
            u = parent[v]
            push = capacity[u][v] if push is None else min(push, capacity[u][v])
            v = u
        v = sink
        while v != source:
            u = parent[v]
            capacity[u][v] -= push or 0
            capacity[v][u] += push or 0
            v = u
    # Flow into the sink from each skill is the residual capacity on the reverse edge.
    return {skill: capacity[sink].get(node_of_skill[skill], 0) for skill in skills}


def _place(shifts: Sequence[Shift], problem: Problem) -> dict[str, list[_Worked]]:
    by_agent: dict[str, list[_Worked]] = defaultdict(list)
    first_day = problem.days[0]
    for shift in shifts:
        start = epoch_minutes(shift.start)
        end = epoch_minutes(shift.end)
        day = (shift.start.astimezone(problem.tz).date() - first_day).days
        breaks = sorted((epoch_minutes(b), epoch_minutes(e)) for b, e in shift.breaks)
        by_agent[shift.agent_id].append(_Worked(shift, start, end, day, breaks))
    for worked in by_agent.values():
        worked.sort(key=lambda w: w.start)
    return by_agent


def _fmt(moment: dt.datetime, problem: Problem) -> str:
    return moment.astimezone(problem.tz).strftime("%a %Y-%m-%d %H:%M")


def _violations(
    problem: Problem, placed: dict[str, list[_Worked]], agents: dict[str, Agent]
) -> list[RuleViolation]:
    rules = problem.rules
    tz = problem.tz
    step = problem.interval_minutes
    out: list[RuleViolation] = []

    def add(code: str, agent_id: str, at: dt.datetime | None, message: str) -> None:
        out.append(RuleViolation(code=code, agent_id=agent_id, at=at, message=message))

    allowed_starts = {t.replace(tzinfo=None) for t in rules.shift_start_times}
    for agent_id, worked in placed.items():
        agent = agents.get(agent_id)
        if agent is None:
            add("unknown_agent", agent_id, None, f"Agent {agent_id} is not in the agent list.")
            continue
        blocked = agent_blocked_spans(agent, tz)
        for w in worked:
            at = w.shift.start
            when = _fmt(at, problem)
            length = w.end - w.start
            local_start = at.astimezone(tz)
            day = local_start.date()
            if (w.start - problem.origin) % step or (w.end - problem.origin) % step:
                add(
                    "off_grid",
                    agent_id,
                    at,
                    f"{agent_id}: shift at {when} is off the {step}-minute grid.",
                )
            if length <= 0:
                add(
                    "empty_shift",
                    agent_id,
                    at,
                    f"{agent_id}: shift at {when} ends before it starts.",
                )
                continue
            if length not in rules.shift_lengths_minutes:
                add(
                    "length_not_allowed",
                    agent_id,
                    at,
                    f"{agent_id}: a {length}-minute shift at {when} is not an allowed length.",
                )
            if allowed_starts and local_start.time().replace(tzinfo=None) not in allowed_starts:
                add(
                    "start_not_allowed",
                    agent_id,
                    at,
                    f"{agent_id}: {when} is not an allowed shift start.",
                )
            if not inside_windows(w.start, w.end, day, rules.opening_hours, tz):
                add(
                    "outside_opening_hours",
                    agent_id,
                    at,
                    f"{agent_id}: shift at {when} is outside opening hours.",
                )
            if not inside_windows(w.start, w.end, day, agent.availability, tz):
                add(
                    "unavailable",
                    agent_id,
                    at,
                    f"{agent_id}: shift at {when} is outside the agent's availability.",
                )
            if any(s < w.end and w.start < e for s, e in blocked):
                add(
                    "absent",
                    agent_id,
                    at,
                    f"{agent_id}: shift at {when} overlaps leave or another absence.",
                )
            rule = break_rule_for(length, rules)
            if rule is None:
                if w.breaks:
                    add(
                        "break_not_allowed",
                        agent_id,
                        at,
                        f"{agent_id}: the shift at {when} has a break it should not have.",
                    )
            else:
                offsets = break_offsets(length, rule, step)
                valid = {w.start + o * step for o in offsets}
                ok = (
                    len(w.breaks) == 1
                    and w.breaks[0][0] in valid
                    and w.breaks[0][1] - w.breaks[0][0] == rule.length_minutes
                )
                if not ok:
                    add(
                        "break_rule",
                        agent_id,
                        at,
                        f"{agent_id}: the shift at {when} needs one {rule.length_minutes}-minute break inside its break window.",
                    )

        per_day = Counter(w.day for w in worked)
        for day_index, count in sorted(per_day.items()):
            if count > 1:
                add(
                    "one_shift_per_day",
                    agent_id,
                    None,
                    f"{agent_id}: {count} shifts start on {problem.days[0] + dt.timedelta(days=day_index)}.",
                )
        for before, after in itertools.pairwise(worked):
            if after.start - before.end < rules.min_rest_minutes:
                rest_hours = (after.start - before.end) / 60
                add(
                    "rest",
                    agent_id,
                    after.shift.start,
                    f"{agent_id}: only {rest_hours:g} h rest before the shift at {_fmt(after.shift.start, problem)} ({rules.min_rest_minutes / 60:g} h required).",
                )
        days_worked = sorted(per_day)
        streak = 0
        previous = None
        for day_index in days_worked:
            streak = streak + 1 if previous is not None and day_index == previous + 1 else 1
            previous = day_index
            if streak == rules.max_consecutive_days + 1:
                add(
                    "max_consecutive_days",
                    agent_id,
                    None,
                    f"{agent_id}: more than {rules.max_consecutive_days} consecutive working days up to {problem.days[0] + dt.timedelta(days=day_index)}.",
                )
        for week in range(problem.weeks):
            in_week = [w for w in worked if w.day // 7 == week]
            minutes = sum(w.end - w.start for w in in_week)
            days = len({w.day for w in in_week})
            label = f"week {week + 1}"
            if minutes > agent.max_hours_per_week * 60:
                add(
                    "max_hours",
                    agent_id,
                    None,
                    f"{agent_id}: {minutes / 60:g} h in {label}, more than the {agent.max_hours_per_week:g} h maximum.",
                )
            if problem.full_week(week) and minutes < agent.min_hours_per_week * 60:
                add(
                    "min_hours",
                    agent_id,
                    None,
                    f"{agent_id}: {minutes / 60:g} h in {label}, less than the {agent.min_hours_per_week:g} h minimum.",
                )
            if days > agent.max_days_per_week:
                add(
                    "max_days",
                    agent_id,
                    None,
                    f"{agent_id}: {days} working days in {label}, more than {agent.max_days_per_week}.",
                )
    return out


def _preferences(
    problem: Problem, placed: dict[str, list[_Worked]], agents: Sequence[Agent]
) -> list[PreferenceCheck]:
    checks = []
    for agent in agents:
        worked = placed.get(agent.id, [])
        days_worked = {w.day for w in worked}
        for w in worked:
            local = w.shift.start.astimezone(problem.tz)
            start_time = local.time().replace(tzinfo=None)
            day = local.date()
            if agent.preferred_start_times:
                checks.append(
                    PreferenceCheck(
                        agent.id, "start_time", day, start_time in agent.preferred_start_times
                    )
                )
            if agent.preferred_lengths_minutes:
                checks.append(
                    PreferenceCheck(
                        agent.id, "length", day, w.end - w.start in agent.preferred_lengths_minutes
                    )
                )
            if agent.preferred_day_parts:
                checks.append(
                    PreferenceCheck(
                        agent.id, "day_part", day, day_part(start_time) in agent.preferred_day_parts
                    )
                )
        for index, day in enumerate(problem.days):
            if day.isoweekday() in agent.preferred_days_off:
                checks.append(PreferenceCheck(agent.id, "day_off", day, index not in days_worked))
    return checks


def _on_duty(
    problem: Problem, placed: dict[str, list[_Worked]], agents: dict[str, Agent]
) -> tuple[list[Counter[frozenset[str]]], list[int], list[set[str]], list[set[str]]]:
    """Per interval: Counter of skill sets on duty, and agents on break."""
    n = problem.intervals
    step = problem.interval_minutes
    demanded = set(problem.skills)
    on: list[Counter[frozenset[str]]] = [Counter() for _ in range(n)]
    on_break = [0] * n
    on_agents: list[set[str]] = [set() for _ in range(n)]
    break_agents: list[set[str]] = [set() for _ in range(n)]
    for agent_id, worked in placed.items():
        agent = agents.get(agent_id)
        if agent is None:
            continue
        key = frozenset(agent.skills & demanded)
        for w in worked:
            first = max(0, -((problem.origin - w.start) // step))  # ceil
            last = min(n, (w.end - problem.origin) // step)
            for i in range(first, last):
                lo = problem.origin + i * step
                hi = lo + step
                if any(b < hi and lo < e for b, e in w.breaks):
                    on_break[i] += 1
                    break_agents[i].add(agent_id)
                else:
                    on[i][key] += 1
                    on_agents[i].add(agent_id)
    return on, on_break, on_agents, break_agents


def evaluate_schedule(
    shifts: Sequence[Shift],
    requirements: Sequence[Requirement],
    agents: Sequence[Agent],
    rules: Rules,
    *,
    problem: Problem | None = None,
) -> ScheduleEvaluation:
    """Coverage per interval, under/over coverage, broken hard rules, preferences, fairness.

    Coverage units are agent-intervals. Shortfalls carry a diagnosis of why they happen.
    """
    if problem is None:
        problem = build_problem(requirements, agents, rules)
    by_id = {a.id: a for a in agents}
    placed = _place(shifts, problem)
    on, on_break, on_agents, break_agents = _on_duty(problem, placed, by_id)

    memo: dict[tuple[object, ...], dict[str, int]] = {}
    intervals = []
    under_total = 0
    over_total = 0
    staffed_rows = []
    for i in range(problem.intervals):
        required = {s: problem.required[s][i] for s in problem.skills}
        groups = tuple(sorted(((k, c) for k, c in on[i].items()), key=lambda kc: sorted(kc[0])))
        key = (groups, tuple(required.values()))
        staffed = memo.get(key)
        if staffed is None:
            staffed = max_flow_assignment(groups, required)
            memo[key] = staffed
        staffed_rows.append(staffed)
        under = {s: required[s] - staffed[s] for s in problem.skills}
        on_duty = sum(on[i].values())
        over = on_duty - sum(staffed.values())
        under_total += sum(under.values())
        over_total += over
        intervals.append(
            IntervalCoverage(
                start=problem.moment(i),
                required=required,
                staffed=staffed,
                under=under,
                on_duty=on_duty,
                on_break=on_break[i],
                over=over,
            )
        )

    unpopular: dict[str, int] = dict.fromkeys(by_id, 0)
    for agent_id, worked in placed.items():
        for w in worked:
            day = problem.days[0] + dt.timedelta(days=w.day)
            if is_unpopular(day, w.start, w.end, problem.rules, problem.tz):
                unpopular[agent_id] = unpopular.get(agent_id, 0) + 1

    shortfalls = diagnose_shortfalls(problem, placed, intervals, on_agents, break_agents)
    return ScheduleEvaluation(
        intervals=tuple(intervals),
        under_coverage=under_total,
        over_coverage=over_total,
        violations=tuple(_violations(problem, placed, by_id)),
        preferences=tuple(_preferences(problem, placed, agents)),
        unpopular_shifts=unpopular,
        shortfalls=tuple(shortfalls),
    )


_BINDING_WORDS = {
    "max_hours": "max hours limits",
    "max_days": "max days per week",
    "max_consecutive_days": "max consecutive days",
    "rest": "rest rule",
    "one_shift_per_day": "already on another shift that day",
    "break": "on a break",
}


def diagnose_shortfalls(
    problem: Problem,
    placed: dict[str, list[_Worked]],
    intervals: Sequence[IntervalCoverage],
    on_agents: Sequence[set[str]],
    break_agents: Sequence[set[str]],
) -> list[Shortfall]:
    """Why each short interval and skill is short: supply first, then the binding rules."""
    step = problem.interval_minutes
    rules = problem.rules
    templates = problem.templates
    covering: list[list[int]] = [[] for _ in range(problem.intervals)]
    for t in templates:
        for i in range(t.start, t.end):
            covering[i].append(t.id)
    feasible_sets = [set(f) for f in problem.feasible]

    def blocking(a: int, tid: int) -> set[str]:
        agent = problem.agents[a]
        t = templates[tid]
        worked = placed.get(agent.id, [])
        start = problem.origin + t.start * step
        end = problem.origin + t.end * step
        reasons: set[str] = set()
        others = [w for w in worked if w.day != t.day]
        if any(w.day == t.day for w in worked):
            reasons.add("one_shift_per_day")
        for w in others:
            gap = start - w.end if w.start < start else w.start - end
            if gap < rules.min_rest_minutes:
                reasons.add("rest")
        week = t.day // 7
        in_week = [w for w in others if w.day // 7 == week]
        if sum(w.end - w.start for w in in_week) + t.length_minutes > agent.max_hours_per_week * 60:
            reasons.add("max_hours")
        if len({w.day for w in in_week}) + 1 > agent.max_days_per_week:
            reasons.add("max_days")
        days = {w.day for w in others} | {t.day}
        run_start = t.day
        while run_start - 1 in days:
            run_start -= 1
        run_end = t.day
        while run_end + 1 in days:
            run_end += 1
        if run_end - run_start + 1 > rules.max_consecutive_days:
            reasons.add("max_consecutive_days")
        return reasons

    out = []
    for i, coverage in enumerate(intervals):
        for skill in problem.skills:
            short = coverage.under[skill]
            if short <= 0:
                continue
            required = coverage.required[skill]
            staffed = coverage.staffed[skill]
            when = coverage.start.astimezone(problem.tz).strftime("%a %Y-%m-%d %H:%M")
            skilled = [a for a, agent in enumerate(problem.agents) if skill in agent.skills]
            candidates = [a for a in skilled if any(tid in feasible_sets[a] for tid in covering[i])]
            binding: Counter[str] = Counter()
            if not skilled:
                reason = "unknown_skill"
                message = f"{when} {skill}: {short} short; no agent has skill {skill}."
            elif not candidates:
                reason = "nobody_available"
                message = f"{when} {skill}: {short} short; no available agent with skill {skill} (availability, leave or no allowed shift covers this time)."
            elif len(candidates) < required:
                reason = "too_few_available"
                message = f"{when} {skill}: {short} short; only {len(candidates)} agents with skill {skill} are available, {required} required."
            else:
                on_duty_skilled = [a for a in candidates if problem.agents[a].id in on_agents[i]]
                free = 0
                for a in candidates:
                    agent_id = problem.agents[a].id
                    if agent_id in on_agents[i]:
                        continue
                    if agent_id in break_agents[i]:
                        binding["break"] += 1
                        continue
                    options = [blocking(a, tid) for tid in covering[i] if tid in feasible_sets[a]]
                    fewest = min(options, key=len)
                    if not fewest:
                        free += 1
                    binding.update(fewest)
                if len(on_duty_skilled) >= required and not free:
                    reason = "skills_compete"
                    message = f"{when} {skill}: {short} short; the agents with skill {skill} on duty are needed for other skills."
                elif free:
                    reason = "solver_stopped"
                    binding["free"] = free
                    message = f"{when} {skill}: {short} short; {free} available agents could cover it (the solver stopped before finding that schedule)."
                else:
                    reason = "contract_rules"
                    words = ", ".join(
                        f"{_BINDING_WORDS[k]} ({n} agents)" for k, n in binding.most_common()
                    )
                    message = f"{when} {skill}: {short} short; enough agents with skill {skill} are available but these rules bind: {words}."
            out.append(
                Shortfall(
                    start=coverage.start,
                    skill=skill,
                    required=required,
                    staffed=staffed,
                    reason=reason,
                    available=len(candidates),
                    binding=dict(binding),
                    message=message,
                )
            )
    return out
