"""Measure: can the demo's own team cover the demo's requirement? Prints JSON.

For each demo organisation (built into a fresh temporary data directory, or the one given with
--data-dir when it already holds the demo), for the week of its latest published schedule (this week when there is none):

* `requirement`: people to schedule (the requirement with shrinkage) in person-hours, per
  local day and channel, and the week's total; `requirement_net`: the same without shrinkage
  (agents handling contacts).
* `team`: what the active agents can work, from their profiles: per day, each agent who may
  work that day gives at most one shift — the longest allowed shift that fits the day's
  opening (or their contract hours, if fewer), minus absences — and per week, the sum of
  min(contract hours, days × longest shift); both paid hours, breaks included
  (`per_day_on_duty_at_most`: the longest shift less its break, for every agent). Per channel:
  the week's hours of the agents who have the skill (an upper bound on what that channel can
  get).
* `schedule`: the published schedule's hours on duty per day, agent-intervals short (in
  agent-hours), the largest agent's weekly hours against their contract, and working days
  without a shift.
* `seconds`: how long building the demo took (when built here).

    python bench/demo_coverage.py [--data-dir DIR] [--keep]
"""

import argparse
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any


def _hours(minutes: float) -> float:
    return round(minutes / 60, 2)


def _measure(slug: str) -> dict[str, Any]:
    from goaldesk.accounts.models import Organisation, today_in
    from goaldesk.forecasting.selectors import forecast_run_latest, requirement_for_week
    from goaldesk.scheduling.models import AgentAbsence, Schedule
    from goaldesk.scheduling.selectors import (
        engine_rules,
        schedule_evaluate,
        scheduling_rules_for,
        week_start_for,
    )
    from goaldesk.team.models import Agent

    org = Organisation.objects.get(slug=slug)
    tz = org.tzinfo
    published = (
        Schedule.objects.filter(organisation=org, published_at__isnull=False)
        .order_by("-week_start", "-pk")
        .first()
    )
    week_start = published.week_start if published else week_start_for(org, today_in(org))
    days = [week_start + dt.timedelta(days=d) for d in range(7)]
    run = forecast_run_latest(organisation=org)
    step = run.interval_minutes if run else 30

    def per_day(rows: list[tuple[dt.datetime, str, int]]) -> dict[str, dict[str, float]]:
        minutes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for start, channel, count in rows:
            minutes[start.date().isoformat()][channel] += count * step
        return {
            day: {c: _hours(m) for c, m in sorted(by_channel.items())}
            for day, by_channel in sorted(minutes.items())
        }

    gross = per_day(requirement_for_week(organisation=org, week_start=week_start))
    net = per_day(
        requirement_for_week(organisation=org, week_start=week_start, with_shrinkage=False)
    )

    rules = engine_rules(organisation=org)
    lengths = sorted(scheduling_rules_for(organisation=org).shift_lengths_minutes or [480, 360])
    agents = list(
        Agent.objects.filter(organisation=org, active=True)
        .select_related("work_profile")
        .order_by("pk")
    )
    first = dt.datetime.combine(week_start, dt.time(), tzinfo=tz)
    last = first + dt.timedelta(days=7)
    absences: dict[int, list[AgentAbsence]] = defaultdict(list)
    for absence in AgentAbsence.objects.filter(agent__in=agents, start__lt=last, end__gt=first):
        absences[absence.agent_id].append(absence)

    def open_minutes(day: dt.date) -> int:
        spans = rules.opening_hours.get(day.isoweekday(), [])
        return sum(
            (dt.datetime.combine(day, b) - dt.datetime.combine(day, a)).seconds // 60
            for a, b in spans
        )

    saved_rules = scheduling_rules_for(organisation=org)
    team_day: dict[str, float] = {}
    team_day_on_duty: dict[str, float] = {}
    for day in days:
        longest = max((m for m in lengths if m <= open_minutes(day)), default=0)
        on_duty = longest
        if saved_rules.break_minutes and longest > saved_rules.break_after_minutes:
            on_duty -= saved_rules.break_minutes
        team_day_on_duty[day.isoformat()] = _hours(on_duty * len(agents))
        total = 0.0
        for agent in agents:
            profile = getattr(agent, "work_profile", None)
            cap = float(min(longest, 60 * (profile.max_hours_per_week if profile else 40.0)))
            day_start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
            day_end = day_start + dt.timedelta(days=1)
            for a in absences[agent.pk]:
                overlap = (min(a.end, day_end) - max(a.start, day_start)).total_seconds() / 60
                cap = max(0.0, cap - max(0.0, overlap))
            total += cap
        team_day[day.isoformat()] = _hours(total)
    longest_week = max(lengths)
    working_days = [d for d in days if open_minutes(d) > 0]
    team_week = 0.0
    skill_hours: dict[str, float] = defaultdict(float)
    contracts = []
    for agent in agents:
        profile = getattr(agent, "work_profile", None)
        max_hours = profile.max_hours_per_week if profile else 40.0
        max_days = profile.max_days_per_week if profile else 5
        hours = min(max_hours, min(max_days, len(working_days)) * longest_week / 60)
        team_week += hours
        for skill in profile.channels if profile else []:
            skill_hours[skill] += hours
        contracts.append({"agent": agent.name, "max_hours": max_hours, "max_days": max_days})

    schedule = published
    solved: dict[str, Any] | None = None
    if schedule is not None:
        state = schedule_evaluate(schedule)
        duty: dict[str, float] = defaultdict(float)
        per_agent: dict[str, float] = defaultdict(float)
        for shift in state.shifts:
            minutes = (shift.end - shift.start).total_seconds() / 60
            duty[shift.start.astimezone(tz).date().isoformat()] += minutes
            per_agent[shift.agent.name] += minutes
        short: dict[str, float] = defaultdict(float)
        for interval in state.evaluation.intervals:
            missing = sum(interval.under.values())
            if missing:
                short[interval.start.astimezone(tz).date().isoformat()] += missing * step
        contract = {a["agent"]: a["max_hours"] for a in contracts}
        solved = {
            "status": schedule.status,
            "seconds": schedule.elapsed_seconds,
            "time_limit_seconds": schedule.time_limit_seconds,
            "shifts": len(state.shifts),
            "on_duty_hours_per_day": {d: _hours(m) for d, m in sorted(duty.items())},
            "short_hours_per_day": {d: _hours(m) for d, m in sorted(short.items())},
            "short_hours": _hours(sum(short.values())),
            "rule_violations": len(state.evaluation.violations),
            "agents_over_contract": sorted(
                name for name, m in per_agent.items() if m / 60 > contract.get(name, 40.0) + 1e-9
            ),
            "working_days_without_shifts": [
                d.isoformat() for d in working_days if d.isoformat() not in duty
            ],
        }
    requirement_day = {d: round(sum(c.values()), 2) for d, c in gross.items()}
    return {
        "organisation": slug,
        "week_start": week_start.isoformat(),
        "interval_minutes": step,
        "agents": len(agents),
        "requirement": {
            "per_day": gross,
            "per_day_total": requirement_day,
            "week": round(sum(requirement_day.values()), 2),
            "per_channel_week": {
                c: round(sum(d.get(c, 0.0) for d in gross.values()), 2)
                for c in sorted({c for d in gross.values() for c in d})
            },
        },
        "requirement_net": {
            "per_day_total": {d: round(sum(c.values()), 2) for d, c in net.items()},
            "week": round(sum(sum(c.values()) for c in net.values()), 2),
        },
        "team": {
            "per_day": team_day,
            "per_day_on_duty_at_most": team_day_on_duty,
            "week": round(team_week, 2),
            "per_skill_week": {s: round(h, 2) for s, h in sorted(skill_hours.items())},
            "contracts": contracts,
        },
        "worst_day": max(
            (
                {
                    "day": d,
                    "requirement": requirement_day[d],
                    "team": team_day.get(d, 0.0),
                    "ratio": round(requirement_day[d] / team_day[d], 3)
                    if team_day.get(d)
                    else None,
                }
                for d in requirement_day
            ),
            key=lambda row: row["ratio"] if row["ratio"] is not None else float("inf"),
            default=None,
        ),
        "schedule": solved,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", help="a data directory that already holds the demo")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="gd-demo-"))
    os.environ["GOALDESK_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goaldesk.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from goaldesk.demo.build import DEMO_FA_SLUG, DEMO_SLUG, demo_build

    result: dict[str, Any] = {}
    try:
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        summary = demo_build()
        result["built"] = summary["built"]
        result["seconds"] = round(time.perf_counter() - started, 1)
        result["organisations"] = [_measure(slug) for slug in (DEMO_SLUG, DEMO_FA_SLUG)]
    finally:
        if not args.data_dir and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
