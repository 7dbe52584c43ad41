"""Benchmark: shift scheduling with CP-SAT on realistic instances, against a lower bound.

Instances (deterministic seed):

* week: one week of 15-minute intervals, 60 agents with mixed skills (phone, chat, email),
  full- and part-time contracts, availability windows, leave and preferences; requirements
  from a double-peaked daily call curve turned into agents with Erlang C (80 % in 20 s).
* month: 200 agents over 4 weeks, same generator.

For each: solve_schedule runs within the time limit (lexicographic: under-coverage first —
LP relaxation, HiGHS on the shifts it leaves fractional, large-neighbourhood search with
HiGHS — then the whole weighted objective with CP-SAT); its under-coverage (agent-intervals
short) is compared with a lower bound, the largest of: the solver's own bound, the LP
relaxation of the coverage-only model solved here again, and, for the week only, HiGHS's
proven dual bound on that model as a whole MIP (--mip-bound-seconds) and a Lagrangian bound
that keeps each day's integrality (--lagrangian-day-seconds, see `lagrangian_bound`), all
computed after and outside the solver's time limit. The gap is (under − bound) / bound.

pyworkforce (MinAbsDifference, then MinHoursRoster) is run on the closest equivalent
instance: one skill (all requirements summed), no breaks, no availability, the same shift
templates; it runs in its own virtualenv ($GOALDESK_BENCH_PYTHON, default /tmp/bench-venv)
through a subprocess, because installing it would add packages to GoalDesk's. Both results
are reported side by side, with coverage counted by GoalDesk's evaluator.

    python bench/schedule.py [--quick] [--time-limit 60] [--month-time-limit 120]
        [--week-scale 0.4] [--workers 2] [--mip-bound-seconds 120]
        [--lagrangian-day-seconds 60] [--skip-month]
        [--skip-pyworkforce]
        [--pyworkforce-python /tmp/bench-venv/bin/python]
Prints JSON. About 8 minutes on 2 cores: the week with its bounds and pyworkforce about 5.5,
the month about 3.
"""

import argparse
import datetime as dt
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from goaldesk.engine.rostering import (
    Absence,
    Agent,
    BreakRule,
    ObjectiveWeights,
    Rules,
    Shift,
    evaluate_schedule,
    requirements_from_curves,
    solve_schedule,
)

TZ = "Europe/Berlin"
FIRST_DAY = dt.date(2026, 3, 2)  # a Monday, no daylight-saving change for four weeks
INTERVAL = 15
SKILLS = ("phone", "chat", "email")


def erlang_c_agents(
    calls: float, aht_seconds: float, target_sl: float, answer_seconds: float
) -> int:
    """Fewest agents for which Erlang C gives a service level of at least `target_sl`."""
    if calls <= 0:
        return 0
    traffic = calls * aht_seconds / (INTERVAL * 60)
    agents = max(1, math.ceil(traffic))
    while True:
        if agents > traffic:
            # Erlang C probability of waiting, with the stable recursion of Erlang B.
            b = 1.0
            for k in range(1, agents + 1):
                b = traffic * b / (k + traffic * b)
            c = agents * b / (agents - traffic * (1 - b))
            sl = 1 - c * math.exp(-(agents - traffic) * answer_seconds / aht_seconds)
            if sl >= target_sl:
                return agents
        agents += 1


def daily_curve(day: dt.date, skill: str, scale: float) -> list[int]:
    """Required agents per 15-minute interval of a day (double peak, quieter weekends)."""
    weekend = day.isoweekday() >= 6
    out = []
    for i in range(24 * 60 // INTERVAL):
        hour = i * INTERVAL / 60
        opens, closes = (8, 20) if weekend else (7, 22)
        if not opens <= hour < closes:
            out.append(0)
            continue
        shape = math.exp(-(((hour - 10.5) / 1.8) ** 2)) + 0.8 * math.exp(
            -(((hour - 15) / 2.2) ** 2)
        )
        shape += 0.15
        base = {"phone": 90.0, "chat": 45.0, "email": 20.0}[skill] * scale
        if weekend:
            base *= 0.45
        calls = base * shape
        aht = {"phone": 300.0, "chat": 420.0, "email": 600.0}[skill]
        answer = {"phone": 20.0, "chat": 60.0, "email": 3600.0}[skill]
        out.append(erlang_c_agents(calls, aht, 0.8, answer))
    return out


def build_instance(agents_count: int, weeks: int, seed: int, scale: float):
    rng = random.Random(seed)
    tz = __import__("zoneinfo").ZoneInfo(TZ)
    days = [FIRST_DAY + dt.timedelta(days=k) for k in range(7 * weeks)]
    curves: dict[str, list[int]] = {s: [] for s in SKILLS}
    for day in days:
        for skill in SKILLS:
            curves[skill].extend(daily_curve(day, skill, scale))
    start = dt.datetime.combine(FIRST_DAY, dt.time(0), tzinfo=tz)
    requirements = requirements_from_curves(start, INTERVAL, curves)

    opening = {d: [(dt.time(7), dt.time(22))] for d in range(1, 6)}
    opening |= {d: [(dt.time(8), dt.time(20))] for d in (6, 7)}
    rules = Rules(
        timezone=TZ,
        shift_lengths_minutes=(360, 480),
        shift_start_times=tuple(dt.time(h, m) for h in range(7, 15) for m in (0, 30)),
        opening_hours=opening,
        breaks=(BreakRule(length_minutes=30, applies_over_minutes=360),),
        min_rest_minutes=11 * 60,
        max_consecutive_days=6,
    )

    skill_mix = (
        (frozenset({"phone"}), 0.40),
        (frozenset({"chat"}), 0.15),
        (frozenset({"phone", "chat"}), 0.25),
        (frozenset({"phone", "email"}), 0.10),
        (frozenset({"phone", "chat", "email"}), 0.10),
    )
    agents = []
    for n in range(agents_count):
        roll = rng.random()
        skills = skill_mix[-1][0]
        for mix, share in skill_mix:
            roll -= share
            if roll < 0:
                skills = mix
                break
        part_time = rng.random() < 0.3
        availability: dict[int, list[tuple[dt.time, dt.time]]] = {}
        if part_time:
            window = rng.choice([(dt.time(7), dt.time(15)), (dt.time(12), dt.time(22))])
            availability = {d: [window] for d in range(1, 8) if rng.random() < 0.85}
        absences = []
        days_off = set()
        if rng.random() < 0.1:  # a week's leave or a training morning
            first = rng.randrange(len(days))
            days_off = {days[k] for k in range(first, min(len(days), first + rng.randint(1, 5)))}
        if rng.random() < 0.1:
            day = rng.choice(days)
            absences.append(
                Absence(
                    start=dt.datetime.combine(day, dt.time(9), tzinfo=tz),
                    end=dt.datetime.combine(day, dt.time(12), tzinfo=tz),
                    reason="training",
                )
            )
        agents.append(
            Agent(
                id=f"a{n:03d}",
                skills=skills,
                min_hours_per_week=(16 if part_time else 30) if not days_off else 0,
                max_hours_per_week=24 if part_time else 40,
                max_days_per_week=4 if part_time else 5,
                availability=availability,
                absences=tuple(absences),
                days_off=frozenset(days_off),
                preferred_day_parts=frozenset(
                    rng.sample(["morning", "afternoon"], 1) if rng.random() < 0.5 else []
                ),
                preferred_days_off=frozenset(
                    rng.sample(range(1, 8), 2) if rng.random() < 0.5 else []
                ),
            )
        )
    return requirements, agents, rules


def lower_bounds(requirements, agents, rules, mip_seconds: float, day_seconds: float = 0.0) -> dict:
    """Lower bounds on the under-coverage of any schedule, from GoalDesk's own model.

    The model with under-coverage as its only objective, every hard rule kept: its LP
    relaxation is a lower bound; so is HiGHS's proven dual bound after `mip_seconds` on the
    whole MIP (LP plus cuts and branching; 0 skips it); and so is the Lagrangian bound at the
    LP's duals (`day_seconds` per day, 0 skips it, see `lagrangian_bound`).
    """
    from goaldesk.engine.rostering.cpsat_model import ScheduleModel
    from goaldesk.engine.rostering.mip import LinearForm
    from goaldesk.engine.rostering.problem import build_problem

    coverage_only = Rules(**{**rules.__dict__, "weights": ObjectiveWeights(1, 0, 0, 0)})
    built = ScheduleModel(build_problem(requirements, agents, coverage_only))
    form = LinearForm.of(built.model)
    if form is None:
        raise SystemExit("the scheduling model has no linear form")
    started = time.monotonic()
    relaxation = form.solve(3600, relax=True)
    if not relaxation.optimal:
        raise SystemExit("the LP relaxation did not solve to optimality")
    out = {"lp": relaxation.objective, "lp_seconds": time.monotonic() - started}
    if mip_seconds > 0:
        started = time.monotonic()
        whole = form.solve(mip_seconds)
        out |= {
            "mip": whole.bound,
            "mip_seconds": time.monotonic() - started,
            "mip_best": whole.objective,
        }
    if day_seconds > 0:
        started = time.monotonic()
        out |= {
            "lagrangian": lagrangian_bound(
                form.proto, relaxation.duals, _variable_days(built), day_seconds
            ),
            "lagrangian_seconds": time.monotonic() - started,
        }
    return out


def _variable_days(built) -> list[int | None]:
    """The day of each model variable (shift, count, break, shortage), None for the rest."""
    days: list[int | None] = [None] * len(built.model.proto.variables)
    template_day = [t.day for t in built.problem.templates]
    for (_, tid), var in built.x.items():
        days[var.index] = template_day[tid]
    for (_, tid), (count, _) in built.counts.items():
        days[count.index] = template_day[tid]
    for (_, tid), options in built.breaks.items():
        for _, var in options:
            days[var.index] = template_day[tid]
    per_day = 24 * 60 // built.problem.interval_minutes
    for interval, _, var in built.shortages:
        days[var.index] = interval // per_day
    return days


def lagrangian_bound(
    proto, duals: list[float], days: list[int | None], day_seconds: float
) -> float:
    """A lower bound that keeps each day's integrality: a Lagrangian relaxation.

    Every constraint that spans several days (weekly hours and days, rest, consecutive days,
    the fairness terms) moves into the objective, weighted by its dual value in the LP
    relaxation, `duals` (sign-corrected, so the relaxation stays valid). What is left falls apart
    into one MIP per day, each solved by HiGHS; the sum of their proven dual bounds, plus
    the constant the moved constraints leave, bounds the whole problem from below. At the LP
    duals this is never below the LP bound, and it is above it by what integrality within
    each day adds (breaks, whole agents on the peaks).
    """
    from ortools.math_opt import model_pb2

    from goaldesk.engine.rostering.mip import LinearForm

    count = len(proto.variables.ids)
    rows: dict[int, list[tuple[int, float]]] = {}
    matrix = proto.linear_constraint_matrix
    for row, col, coeff in zip(matrix.row_ids, matrix.column_ids, matrix.coefficients, strict=True):
        rows.setdefault(row, []).append((col, coeff))
    lower = list(proto.linear_constraints.lower_bounds)
    upper = list(proto.linear_constraints.upper_bounds)
    objective = [0.0] * count
    for var, coeff in zip(
        proto.objective.linear_coefficients.ids,
        proto.objective.linear_coefficients.values,
        strict=True,
    ):
        objective[var] = coeff
    total = proto.objective.offset
    day_rows: dict[int, list[int]] = {}
    for row, terms in rows.items():
        spanned = {days[col] for col, _ in terms}
        if len(spanned) == 1 and None not in spanned:
            day_rows.setdefault(spanned.pop(), []).append(row)
            continue
        y = duals[row]
        y = max(0.0, y) if math.isinf(upper[row]) else y  # a ≥ row takes y ≥ 0
        y = min(0.0, y) if math.isinf(lower[row]) else y  # a ≤ row takes y ≤ 0
        if y:
            total += y * (lower[row] if y > 0 else upper[row])
            for col, coeff in terms:
                objective[col] -= y * coeff
    for var in range(count):
        if days[var] is None:
            bounds = (proto.variables.lower_bounds[var], proto.variables.upper_bounds[var])
            total += min(objective[var] * bound for bound in bounds)
    for day, day_row_ids in sorted(day_rows.items()):
        columns = [var for var in range(count) if days[var] == day]
        local = {var: k for k, var in enumerate(columns)}
        model = model_pb2.ModelProto()
        model.variables.ids.extend(range(len(columns)))
        model.variables.lower_bounds.extend(proto.variables.lower_bounds[v] for v in columns)
        model.variables.upper_bounds.extend(proto.variables.upper_bounds[v] for v in columns)
        model.variables.integers.extend(proto.variables.integers[v] for v in columns)
        entries = []
        for k, row in enumerate(day_row_ids):
            model.linear_constraints.ids.append(k)
            model.linear_constraints.lower_bounds.append(lower[row])
            model.linear_constraints.upper_bounds.append(upper[row])
            entries.extend((k, local[col], coeff) for col, coeff in rows[row])
        for k, col, coeff in sorted(entries):
            model.linear_constraint_matrix.row_ids.append(k)
            model.linear_constraint_matrix.column_ids.append(col)
            model.linear_constraint_matrix.coefficients.append(coeff)
        for k, var in enumerate(columns):
            if objective[var]:
                model.objective.linear_coefficients.ids.append(k)
                model.objective.linear_coefficients.values.append(objective[var])
        total += LinearForm(model).solve(day_seconds).bound
    return total


def run_goaldesk(
    requirements,
    agents,
    rules,
    time_limit: float,
    workers: int,
    mip_bound_seconds: float = 0.0,
    lagrangian_day_seconds: float = 0.0,
) -> dict:
    progress = []
    result = solve_schedule(
        requirements,
        agents,
        rules,
        time_limit_seconds=time_limit,
        num_workers=workers,
        progress=lambda p: progress.append((round(p.wall_seconds, 2), p.objective)),
    )
    ev = result.evaluation
    if ev is None:
        raise SystemExit(f"no schedule: {result.status} {result.infeasibility}")
    bounds = lower_bounds(requirements, agents, rules, mip_bound_seconds, lagrangian_day_seconds)
    solver_bound = result.under_coverage_bound or 0.0
    found = (bounds["lp"], bounds.get("mip", 0.0), bounds.get("lagrangian", 0.0), solver_bound)
    bound = math.ceil(max(found) - 1e-6)
    under = ev.under_coverage
    gap = 0.0 if under == bound else (under - bound) / bound if bound > 0 else math.inf
    required = sum(sum(r.required.values()) for r in requirements)
    weeks = max(1, round(len(requirements) * INTERVAL / (7 * 24 * 60)))
    supply = sum(a.max_hours_per_week * 60 // INTERVAL for a in agents) * weeks
    return {
        "status": result.status,
        "seconds": round(result.wall_seconds, 2),
        "phase_one_seconds": result.phase_one_seconds,
        "objective": result.objective,
        "objective_bound": result.best_bound,
        "objective_gap": round(result.gap or 0.0, 4),
        "required_agent_intervals": required,
        "supply_agent_intervals_at_max_hours": supply,
        "under_coverage": under,
        "under_coverage_share": round(under / required, 4),
        "under_lower_bound": bound,
        "under_bound_from_solver": solver_bound,
        "under_lp_relaxation_bound": round(bounds["lp"], 2),
        "under_lp_seconds": round(bounds["lp_seconds"], 2),
        "under_mip_bound": bounds.get("mip"),
        "under_mip_seconds": round(bounds["mip_seconds"], 2) if "mip" in bounds else None,
        "under_mip_best_found": bounds.get("mip_best"),
        "under_lagrangian_bound": round(bounds["lagrangian"], 3)
        if "lagrangian" in bounds
        else None,
        "under_lagrangian_seconds": (
            round(bounds["lagrangian_seconds"], 2) if "lagrangian" in bounds else None
        ),
        "under_gap_vs_bound": None if math.isinf(gap) else round(gap, 4),
        "within_2_percent": gap <= 0.02,
        "over_coverage": ev.over_coverage,
        "hard_rule_violations": len(ev.violations),
        "preferences_honoured": ev.preferences_honoured,
        "preferences_checked": len(ev.preferences),
        "max_unpopular_per_agent": max(ev.unpopular_shifts.values(), default=0),
        "shifts": len(result.shifts),
        "shortfall_reasons": _count(s.reason for s in ev.shortfalls),
        "first_solutions": progress[:3],
        "solutions_reported": len(progress),
    }


def _count(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


PYWORKFORCE_SCRIPT = r"""
import json, sys, time
from pyworkforce.scheduling import MinAbsDifference
from pyworkforce.rostering import MinHoursRoster
data = json.load(open(sys.argv[1]))
t0 = time.monotonic()
sched = MinAbsDifference(num_days=data["num_days"], periods=data["periods"],
    shifts_coverage=data["shifts_coverage"], required_resources=data["required"],
    max_period_concurrency=data["max_period_concurrency"],
    max_shift_concurrency=data["max_shift_concurrency"],
    max_search_time=data["time_limit"], num_search_workers=data["workers"])
solution = sched.solve()
t1 = time.monotonic()
out = {"scheduling_status": solution["status"], "scheduling_seconds": t1 - t0,
       "cost": solution.get("cost"), "resources_shifts": solution.get("resources_shifts", [])}
if data["roster"] and solution["status"] in ("OPTIMAL", "FEASIBLE"):
    required = {name: [0] * data["num_days"] for name in data["shift_names"]}
    for row in solution["resources_shifts"]:
        required[row["shift"]][row["day"]] = row["resources"]
    roster = MinHoursRoster(num_days=data["num_days"], resources=data["resources"],
        shifts=data["shift_names"], shifts_hours=data["shift_hours"],
        min_working_hours=data["min_working_hours"], banned_shifts=data["banned_shifts"],
        max_resting=data["max_resting"], required_resources=required,
        non_sequential_shifts=data["non_sequential_shifts"],
        max_search_time=data["time_limit"], num_search_workers=data["workers"])
    r = roster.solve()
    out["roster_status"] = r["status"]
    out["roster_seconds"] = time.monotonic() - t1
    out["roster"] = r.get("resource_shifts", [])
print(json.dumps(out))
"""


def run_pyworkforce(requirements, agents, rules, time_limit, workers, python) -> dict:
    """pyworkforce on the single-skill, no-break equivalent; GoalDesk on the same instance."""
    if not Path(python).exists():
        return {"skipped": f"no pyworkforce interpreter at {python}"}
    tz = __import__("zoneinfo").ZoneInfo(TZ)
    periods = 24 * 60 // INTERVAL
    num_days = len(requirements) // periods
    total = [sum(r.required.values()) for r in requirements]
    required = [total[d * periods : (d + 1) * periods] for d in range(num_days)]
    shift_names, coverage, hours = [], {}, []
    starts = sorted(rules.shift_start_times)
    for start in starts:
        for length in rules.shift_lengths_minutes:
            name = f"{start.strftime('%H%M')}_{length}"
            first = (start.hour * 60 + start.minute) // INTERVAL
            mask = [1 if first <= p < first + length // INTERVAL else 0 for p in range(periods)]
            shift_names.append(name)
            coverage[name] = mask
            hours.append(length // 60)  # pyworkforce wants whole hours
    # Late-then-early pairs that break the 11-hour rest.
    non_sequential = []
    for a in shift_names:
        sa, la = a.split("_")
        end_a = int(sa[:2]) * 60 + int(sa[2:]) + int(la)
        for b in shift_names:
            sb = b.split("_")[0]
            if int(sb[:2]) * 60 + int(sb[2:]) + 24 * 60 - end_a < rules.min_rest_minutes:
                non_sequential.append({"origin": a, "destination": b})
    # pyworkforce uses the same shifts every day, so weekend opening hours (08:00–20:00)
    # cannot be expressed: MinAbsDifference may staff 07:00 shifts on Saturday, and banning them
    # in MinHoursRoster then makes it infeasible. No bans; the violations are counted below.
    banned: list[dict] = []
    data = {
        "num_days": num_days,
        "periods": periods,
        "shifts_coverage": coverage,
        "required": required,
        "max_period_concurrency": len(agents),
        "max_shift_concurrency": len(agents),
        "time_limit": float(time_limit),
        "workers": workers,
        "roster": True,
        "shift_names": shift_names,
        "shift_hours": hours,
        "resources": [a.id for a in agents],
        "min_working_hours": 0,
        "banned_shifts": banned,
        "max_resting": 2 * (num_days // 7),
        # pyworkforce adds x[d][s]·M[s][j] once per forbidden successor j, so a shift with two
        # or more forbidden successors can never be worked: the rest rule is left out on its
        # side, and its rest violations are counted below instead.
        "non_sequential_shifts": [],
        "rest_pairs_left_out": len(non_sequential),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(data, handle)
        path = handle.name
    try:
        completed = subprocess.run(  # noqa: S603 - fixed interpreter and script
            [python, "-c", PYWORKFORCE_SCRIPT, path],
            capture_output=True,
            text=True,
            timeout=time_limit * 4 + 120,
            check=False,
        )
    finally:
        os.unlink(path)
    if completed.returncode != 0:
        return {"error": completed.stderr.strip()[-300:]}
    out = json.loads(completed.stdout)

    # Coverage of pyworkforce's plan, counted by GoalDesk's evaluator on the single-skill view.
    single = requirements_from_curves(requirements[0].start, INTERVAL, {"any": total})
    single_agents = [
        Agent(id=a.id, skills=frozenset({"any"}), max_hours_per_week=168, max_days_per_week=7)
        for a in agents
    ]
    single_rules = Rules(**{**rules.__dict__, "breaks": ()})
    pw_shifts = []
    rostered = out.get("roster_status") in ("OPTIMAL", "FEASIBLE")
    if rostered:
        for row in out["roster"]:
            s, length = row["shift"].split("_")
            day = FIRST_DAY + dt.timedelta(days=row["day"])
            start = dt.datetime.combine(day, dt.time(int(s[:2]), int(s[2:])), tzinfo=tz)
            pw_shifts.append(
                Shift(
                    agent_id=row["resource"],
                    start=start,
                    end=start + dt.timedelta(minutes=int(length)),
                )
            )
    else:
        for row in out.get("resources_shifts", []):
            if "_" not in row["shift"]:
                continue  # pyworkforce's placeholder row when no solution was found
            s, length = row["shift"].split("_")
            day = FIRST_DAY + dt.timedelta(days=row["day"])
            start = dt.datetime.combine(day, dt.time(int(s[:2]), int(s[2:])), tzinfo=tz)
            for k in range(row["resources"]):
                pw_shifts.append(
                    Shift(
                        agent_id=f"anon{row['day']}_{row['shift']}_{k}",
                        start=start,
                        end=start + dt.timedelta(minutes=int(length)),
                    )
                )
    known = {a.id for a in single_agents}
    extra = [
        Agent(
            id=sh.agent_id, skills=frozenset({"any"}), max_hours_per_week=168, max_days_per_week=7
        )
        for sh in pw_shifts
        if sh.agent_id not in known
    ]
    pw_eval = evaluate_schedule(pw_shifts, single, single_agents + extra, single_rules)
    mine = solve_schedule(
        single, single_agents, single_rules, time_limit_seconds=time_limit, num_workers=workers
    )
    if mine.evaluation is None:
        return {"error": f"GoalDesk found no schedule: {mine.status}"}
    return {
        "instance": "single skill (sum of skills), no breaks, no availability or contracts beyond 7 days",
        "pyworkforce": {
            "scheduling_status": out["scheduling_status"],
            "scheduling_seconds": round(out["scheduling_seconds"], 2),
            "roster_status": out.get("roster_status"),
            "roster_seconds": round(out.get("roster_seconds", 0.0), 2),
            "coverage_counted_from": "roster" if rostered else "shift counts (roster failed)",
            "shifts": len(pw_shifts),
            "under_coverage": pw_eval.under_coverage,
            "over_coverage": pw_eval.over_coverage,
            "rule_violations": _count(v.code for v in pw_eval.violations),
        },
        "goaldesk": {
            "status": mine.status,
            "seconds": round(mine.wall_seconds, 2),
            "shifts": len(mine.shifts),
            "under_coverage": mine.evaluation.under_coverage,
            "over_coverage": mine.evaluation.over_coverage,
            "rule_violations": _count(v.code for v in mine.evaluation.violations),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small instances, 10 s limits")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--month-time-limit", type=float, default=120.0)
    parser.add_argument("--week-scale", type=float, default=0.4, help="demand scale of the week")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--mip-bound-seconds",
        type=float,
        default=120.0,
        help="also bound the week's under-coverage with HiGHS on the whole MIP this long (0: skip)",
    )
    parser.add_argument(
        "--lagrangian-day-seconds",
        type=float,
        default=60.0,
        help="also bound the week with the Lagrangian day relaxation, HiGHS this long a day (0: skip)",
    )
    parser.add_argument("--skip-month", action="store_true")
    parser.add_argument("--skip-pyworkforce", action="store_true")
    parser.add_argument(
        "--pyworkforce-python",
        default=os.environ.get(
            "GOALDESK_BENCH_PYTHON",
            "/tmp/bench-venv/bin/python",  # noqa: S108 - a developer's side venv, only read
        ),
    )
    args = parser.parse_args()

    report: dict = {"python": sys.version.split()[0], "workers": args.workers}
    if args.quick:
        week = (20, 1, 10.0, 0.13)
        month = (40, 2, 20.0, 0.27)
    else:
        week = (60, 1, args.time_limit, args.week_scale)
        month = (200, 4, args.month_time_limit, 1.4)
    agents_count, weeks, limit, scale = week
    started = time.monotonic()
    requirements, agents, rules = build_instance(agents_count, weeks, args.seed, scale)
    report["week"] = {"agents": agents_count, "weeks": weeks, "intervals": len(requirements)}
    report["week"] |= run_goaldesk(
        requirements,
        agents,
        rules,
        limit,
        args.workers,
        0.0 if args.quick else args.mip_bound_seconds,
        args.lagrangian_day_seconds,
    )
    if not args.skip_pyworkforce:
        report["pyworkforce_comparison"] = run_pyworkforce(
            requirements, agents, rules, limit, args.workers, args.pyworkforce_python
        )
    if not args.skip_month:
        agents_count, weeks, limit, scale = month
        requirements, agents, rules = build_instance(agents_count, weeks, args.seed + 1, scale)
        report["month"] = {"agents": agents_count, "weeks": weeks, "intervals": len(requirements)}
        report["month"] |= run_goaldesk(requirements, agents, rules, limit, args.workers)
    report["total_seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
