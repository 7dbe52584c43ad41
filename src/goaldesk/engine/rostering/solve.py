"""Shift scheduling with OR-Tools CP-SAT.

Model (all hard rules are constraints, never penalties):

* x[a, t] — agent a works shift template t (only templates inside the opening hours, the
  agent's availability and outside absences exist). At most one per local day.
* Agents are grouped by the set of demanded skills they have. For a group g and template t,
  n[g, t] = Σ x[a, t] over a in g, and break counts b[g, t, p] (agents of g on t taking their
  break at position p) with Σ_p b[g, t, p] = n[g, t]. Agents of a group are interchangeable for
  coverage, so any integer split is realised by giving the agents of g on t breaks in order —
  exact, and far smaller than a break variable per agent.
* Multi-skill coverage: short[i, c] agent-intervals of the skills of component c (skills linked
  by groups that have several of them) go unserved in interval i. With few skills, Hall's
  theorem bounds it exactly: short ≥ required(S) − on-duty agents of the groups with a skill in
  S, for every subset S. With many, an explicit assignment: served[g, s, i] ≤ required[s, i],
  Σ_s served[g, s, i] ≤ on-duty agents of g. Either way an integer split per group is realised
  by individual agents (the evaluator re-checks coverage with its own max flow).
* under = Σ short; over = on-duty agent-intervals − (Σ required − under).
* Rest: for each template t1, x[a, t1] + Σ x[a, t2] ≤ 1 over later templates t2 starting less
  than the minimum rest after t1 ends (they are on other days, so at most one of them is worked).
* Max consecutive days on every window of max+1 days; hours and days per 7-day week.
* Objective: weights.under·under + weights.over·over + weights.preference·broken preferences
  + weights.fairness·(largest number of unpopular shifts held by one agent) + a quarter of
  weights.fairness per pair of unpopular shifts held by one agent (so they are spread evenly).
"""

import contextlib
import datetime as dt
import itertools
import math
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from ortools.sat.python import cp_model

from goaldesk.engine.rostering.evaluate import evaluate_schedule
from goaldesk.engine.rostering.greedy import greedy_schedule
from goaldesk.engine.rostering.mip import (
    LinearForm,
    Neighbourhoods,
    Outcome,
    improve,
    linear_objective,
    objective_value,
)
from goaldesk.engine.rostering.model import (
    Agent,
    ObjectiveWeights,
    Requirement,
    Rules,
    ScheduleResult,
    Shift,
    SolveProgress,
)
from goaldesk.engine.rostering.problem import Problem, build_problem

ProgressCallback = Callable[[SolveProgress], None]

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


def precheck(problem: Problem) -> list[str]:
    """Contract minimums that availability alone makes impossible (plain English)."""
    problems = []
    for a, agent in enumerate(problem.agents):
        if agent.min_hours_per_week <= 0:
            continue
        for week in range(problem.weeks):
            if not problem.full_week(week):
                continue
            best_per_day: dict[int, int] = defaultdict(int)
            for tid in problem.feasible[a]:
                t = problem.templates[tid]
                if t.day // 7 == week:
                    best_per_day[t.day] = max(best_per_day[t.day], t.length_minutes)
            longest = sorted(best_per_day.values(), reverse=True)[: agent.max_days_per_week]
            reachable = min(sum(longest), agent.max_hours_per_week * 60)
            if reachable < agent.min_hours_per_week * 60:
                problems.append(
                    f"{agent.id} cannot reach the minimum of {agent.min_hours_per_week:g} h in "
                    f"week {week + 1}: availability, leave and allowed shifts give at most "
                    f"{reachable / 60:g} h."
                )
    return problems


#: Components of at most this many skills get Hall's 2^k − 1 constraints per interval.
_HALL_SKILLS = 4


def _components(
    demand: Mapping[str, int], keys: Sequence[frozenset[str]]
) -> list[tuple[frozenset[str], list[frozenset[str]]]]:
    """The skills in `demand` split into groups linked by `keys`, each with the keys touching it."""
    parent = {s: s for s in demand}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for key in keys:
        linked = sorted(key & demand.keys())
        for other in linked[1:]:
            parent[root(other)] = root(linked[0])
    members: dict[str, set[str]] = defaultdict(set)
    for s in demand:
        members[root(s)].add(s)
    return [
        (frozenset(skills), [key for key in keys if key & skills])
        for _, skills in sorted(members.items())
    ]


#: Crews' week patterns are left out when a contract allows more than this many.
_MOST_PATTERNS = 500


def _week_patterns(
    lengths: Sequence[int], *, most_days: int, most_minutes: int, least_minutes: int
) -> list[tuple[int, ...]] | None:
    """Every week one agent may work: a number of shifts of each of `lengths` (minutes) on at
    most `most_days` days, of `least_minutes` to `most_minutes` in all; None if too many."""
    if (most_days + 1) ** len(lengths) > 100 * _MOST_PATTERNS:
        return None
    out: list[tuple[int, ...]] = []
    for counts in itertools.product(range(most_days + 1), repeat=len(lengths)):
        minutes = sum(c * length for c, length in zip(counts, lengths, strict=True))
        if sum(counts) <= most_days and least_minutes <= minutes <= most_minutes:
            out.append(counts)
            if len(out) > _MOST_PATTERNS:
                return None
    return out


def _pair_weight(weights: ObjectiveWeights) -> int:
    """Weight per pair of unpopular shifts held by one agent: a quarter of `fairness`."""
    return max(1, weights.fairness // 4) if weights.fairness else 0


def crews_of(problem: Problem) -> list[list[int]]:
    """Agents that are interchangeable for coverage, in crews: the same demanded skills, the same
    shifts open to them (availability, leave and absences included) and the same contract."""
    demanded = set(problem.skills)
    crews: dict[tuple, list[int]] = defaultdict(list)
    for a, agent in enumerate(problem.agents):
        key = (
            frozenset(agent.skills & demanded),
            tuple(problem.feasible[a]),
            agent.min_hours_per_week,
            agent.max_hours_per_week,
            agent.max_days_per_week,
        )
        crews[key].append(a)
    return list(crews.values())


class _Model:
    """The CP-SAT model of one problem, with handles to read a solution back.

    By default each agent has its own variables. Given `crews` (see `crews_of`), x[c, t] counts
    the agents of crew c on template t instead, with every contract and rest rule summed over the
    crew and each crew's week a mix of its members' possible weeks (`_add_week_patterns`): a
    relaxation (any schedule gives crew counts that satisfy it), without the symmetry of
    interchangeable agents, whose only objective is under-coverage. Its schedules are counts, not
    people; `unused_shifts` narrows the model of agents to them (see `_crew_step`).
    """

    def __init__(self, problem: Problem, crews: Sequence[Sequence[int]] | None = None) -> None:
        self.problem = problem
        rules = problem.rules
        weights = rules.weights
        step = problem.interval_minutes
        templates = problem.templates
        m = cp_model.CpModel()
        self.model = m
        units = (
            [list(crew) for crew in crews] if crews else [[a] for a in range(len(problem.agents))]
        )
        self.units = units
        sizes = [len(unit) for unit in units]
        # The agent whose skills, shifts and contract each unit (an agent or a crew) shares.
        first = [unit[0] for unit in units]
        feasible = [problem.feasible[a] for a in first]

        demanded = set(problem.skills)
        group_of = [frozenset(problem.agents[a].skills & demanded) for a in first]
        group_keys = sorted(set(group_of), key=lambda k: (len(k), sorted(k)))
        self.group_keys = group_keys
        members: dict[frozenset[str], list[int]] = defaultdict(list)
        for u, key in enumerate(group_of):
            members[key].append(u)
        self.members = members

        x: dict[tuple[int, int], cp_model.IntVar] = {}
        for u, allowed in enumerate(feasible):
            for tid in allowed:
                x[u, tid] = (
                    m.new_bool_var(f"x_{u}_{tid}")
                    if sizes[u] == 1
                    else m.new_int_var(0, sizes[u], f"x_{u}_{tid}")
                )
        self.x = x

        # Per agent and day: at most one shift; `works` is that day's sum.
        works: dict[tuple[int, int], cp_model.LinearExprT] = {}
        by_day: list[dict[int, list[int]]] = []
        for u, allowed in enumerate(feasible):
            by_day.append(defaultdict(list))
            for tid in allowed:
                by_day[u][templates[tid].day].append(tid)
            for day, tids in by_day[u].items():
                variables = [x[u, tid] for tid in tids]
                if sizes[u] == 1:
                    m.add_at_most_one(variables)
                else:
                    m.add(sum(variables) <= sizes[u])
                works[u, day] = sum(variables)

        # Rest between shifts on different days: for every end e of a day's shift, an agent
        # works at most one of the day's shifts ending at e or later and a later day's shifts
        # starting less than the minimum rest after e (later days' shifts start after every
        # shift of the day starts, so each such pair is too close).
        rest_intervals = -(-rules.min_rest_minutes // step)  # ceil
        days = len(problem.days)
        day_start: dict[int, int] = {}  # where each day's first shift starts (days with shifts)
        for t in templates:
            day_start[t.day] = min(day_start.get(t.day, t.start), t.start)
        for u in range(len(units)):
            for day, tids in by_day[u].items():
                for end in sorted({templates[tid].end for tid in tids}):
                    late = [x[u, tid] for tid in tids if templates[tid].end >= end]
                    too_soon = end + rest_intervals
                    for later in range(day + 1, days):
                        if day_start.get(later, -1) >= too_soon:
                            break  # this day's shifts, and every later day's, start late enough
                        early = [
                            x[u, tid]
                            for tid in by_day[u].get(later, ())
                            if templates[tid].start < too_soon
                        ]
                        if early:
                            m.add(sum(late) + sum(early) <= sizes[u])

        for u, a in enumerate(first):
            agent = problem.agents[a]
            size = sizes[u]
            day_work = [works.get((u, d), 0) for d in range(days)]
            span = rules.max_consecutive_days + 1
            for first_day in range(0, days - span + 1):
                window = [day_work[d] for d in range(first_day, first_day + span)]
                if any(not isinstance(w, int) for w in window):
                    m.add(sum(window) <= size * rules.max_consecutive_days)
            for week in range(problem.weeks):
                week_days = range(week * 7, min(days, week * 7 + 7))
                week_vars = [
                    (x[u, tid], templates[tid].length_minutes)
                    for tid in feasible[u]
                    if templates[tid].day in week_days
                ]
                minutes = sum(v * length for v, length in week_vars)
                m.add(minutes <= size * int(agent.max_hours_per_week * 60))
                if problem.full_week(week) and agent.min_hours_per_week > 0:
                    m.add(minutes >= size * round(agent.min_hours_per_week * 60))
                m.add(sum(day_work[d] for d in week_days) <= size * agent.max_days_per_week)
                if size > 1:
                    self._add_week_patterns(u, agent, week, week_days, by_day[u])

        # Group counts and break placement.
        covering: dict[frozenset[str], list[list[cp_model.LinearExprT]]] = {}
        self.breaks: dict[tuple[frozenset[str], int], list[tuple[int, cp_model.IntVar]]] = {}
        self.counts: dict[tuple[frozenset[str], int], tuple[cp_model.IntVar, list[int]]] = {}
        for key in group_keys:
            on_duty: list[list[cp_model.LinearExprT]] = [[] for _ in range(problem.intervals)]
            used: dict[int, list[int]] = defaultdict(list)
            for u in members[key]:
                for tid in feasible[u]:
                    used[tid].append(u)
            for tid, units_on in used.items():
                t = templates[tid]
                size = sum(sizes[u] for u in units_on)
                if len(units_on) == 1:
                    count: cp_model.LinearExprT = x[units_on[0], tid]
                else:
                    count = m.new_int_var(0, size, f"n_{tid}")
                    m.add(count == sum(x[u, tid] for u in units_on))
                    self.counts[key, tid] = (count, units_on)
                for i in range(t.start, t.end):
                    on_duty[i].append(count)
                if t.break_length:
                    options = []
                    for p in t.break_starts:
                        if size == 1:
                            b = m.new_bool_var(f"b_{tid}_{p}")
                        else:
                            b = m.new_int_var(0, size, f"b_{tid}_{p}")
                        options.append((p, b))
                        for i in range(p, p + t.break_length):
                            on_duty[i].append(-b)
                    m.add(sum(b for _, b in options) == count)
                    self.breaks[key, tid] = options
            covering[key] = on_duty

        # Coverage per interval. The skills in demand fall into components, linked by groups
        # that have several of them. In a component of few skills Hall's theorem gives the
        # shortage exactly: for every subset S of its skills, short ≥ required(S) − on-duty
        # agents of the groups with a skill in S (the least short of any assignment of agents
        # to skills is the largest of these). Larger components assign agents explicitly:
        # served[g, s] ≤ required[s], Σ_s served[g, s] ≤ on-duty agents of g.
        self.shortages: list[tuple[int, frozenset[str], cp_model.IntVar]] = []
        unstaffable = 0  # demand no group with the skill can ever be on duty for
        total_required = 0
        for i in range(problem.intervals):
            demand = {s: problem.required[s][i] for s in problem.skills if problem.required[s][i]}
            total_required += sum(demand.values())
            present = [key for key in group_keys if covering[key][i] and key & demand.keys()]
            for skills, keys in _components(demand, present):
                need = sum(demand[s] for s in skills)
                if not keys:
                    unstaffable += need
                    continue
                short = m.new_int_var(0, need, f"short_{i}")
                self.shortages.append((i, skills, short))
                if len(skills) <= _HALL_SKILLS:
                    for size in range(1, len(skills) + 1):
                        for subset in itertools.combinations(skills, size):
                            supply = [
                                t for key in keys if key & set(subset) for t in covering[key][i]
                            ]
                            m.add(
                                short + cp_model.LinearExpr.sum(supply)
                                >= sum(demand[s] for s in subset)
                            )
                    continue
                per_skill: dict[str, list[cp_model.IntVar]] = defaultdict(list)
                for key in keys:
                    served = []
                    for s in sorted(key & skills):
                        v = m.new_int_var(
                            0, min(sum(sizes[u] for u in members[key]), demand[s]), f"s_{i}_{s}"
                        )
                        served.append(v)
                        per_skill[s].append(v)
                    m.add(sum(served) <= sum(covering[key][i]))
                for s in skills:
                    m.add(sum(per_skill[s]) <= demand[s])
                m.add(short + sum(sum(v) for v in per_skill.values()) == need)

        self.total_required = total_required
        self.weights = weights
        self.under = (
            cp_model.LinearExpr.sum([short for _, _, short in self.shortages]) + unstaffable
        )
        if crews:
            m.minimize(self.under)
            return
        on_duty_intervals = sum(
            x[a, tid] * (templates[tid].end - templates[tid].start - templates[tid].break_length)
            for (a, tid) in x
        )
        preference = sum(
            x[a, tid] * problem.penalty[a][tid] for (a, tid) in x if problem.penalty[a][tid]
        )
        most_unpopular = m.new_int_var(0, days, "most_unpopular")
        self.most_unpopular = most_unpopular
        # Spread: Σ_k max(0, u − k) over k ≥ 1 is u(u − 1)/2, the pairs of unpopular shifts one
        # agent holds; for a fixed total it is least when they are shared evenly.
        self.pairs: list[tuple[int, int, cp_model.IntVar]] = []
        for a, allowed in enumerate(problem.feasible):
            unpopular = [x[a, tid] for tid in allowed if templates[tid].unpopular]
            if not unpopular:
                continue
            m.add(sum(unpopular) <= most_unpopular)
            if weights.fairness:
                most = len({templates[tid].day for tid in allowed if templates[tid].unpopular})
                for k in range(1, most):
                    pairs = m.new_int_var(0, most - k, f"pairs_{a}_{k}")
                    m.add(pairs >= sum(unpopular) - k)
                    self.pairs.append((a, k, pairs))
        self.over = on_duty_intervals - (total_required - self.under)
        self.objective = (
            weights.under * self.under
            + weights.over * self.over
            + weights.preference * preference
            + weights.fairness * most_unpopular
            + _pair_weight(weights) * sum(pairs for _, _, pairs in self.pairs)
        )
        m.minimize(self.objective)
        self.weighted = linear_objective(m)

    def _add_week_patterns(
        self,
        u: int,
        agent: Agent,
        week: int,
        week_days: range,
        by_day: Mapping[int, Sequence[int]],
    ) -> None:
        """Rows that make crew u's week splittable among its members by shift length.

        Summed over a crew, the hours rows allow totals no split gives: two agents of at most
        20 hours may share five 8-hour shifts (40 h) by those rows, yet each works at most two
        (24 h is too many). So the crew's week is also a mix of patterns, each a number of
        shifts of every length that one member's contract allows: y[p] members work pattern p,
        Σ y = crew size, the crew's shifts of each length are Σ_p y[p] · count in p, and on any
        day at most the members whose pattern has a length work shifts of that length.
        """
        problem = self.problem
        templates = problem.templates
        m, x = self.model, self.x
        size = len(self.units[u])
        of_length: dict[int, list[tuple[int, int]]] = defaultdict(list)  # length: (day, shift)
        for day in week_days:
            for tid in by_day.get(day, ()):
                of_length[templates[tid].length_minutes].append((day, tid))
        lengths = sorted(of_length)
        if not lengths:
            return  # no shifts open this week
        patterns = _week_patterns(
            lengths,
            most_days=min(agent.max_days_per_week, len({d for d in week_days if d in by_day})),
            most_minutes=int(agent.max_hours_per_week * 60),
            least_minutes=(round(agent.min_hours_per_week * 60) if problem.full_week(week) else 0),
        )
        if not patterns:
            return  # too many to list, or none (`precheck` reports that contract)
        y = [m.new_int_var(0, size, f"y_{u}_{week}_{k}") for k in range(len(patterns))]
        m.add(sum(y) == size)
        for k, length in enumerate(lengths):
            m.add(
                sum(x[u, tid] for _, tid in of_length[length])
                == sum(p[k] * v for p, v in zip(patterns, y, strict=True) if p[k])
            )
            with_length = [v for p, v in zip(patterns, y, strict=True) if p[k]]
            if len(with_length) == len(y):
                continue  # every pattern has this length: the day's row is at most size
            for day in week_days:
                on_day = [x[u, tid] for d, tid in of_length[length] if d == day]
                if on_day:
                    m.add(sum(on_day) <= sum(with_length))

    def assignment(self, plan: list[tuple[int, int, int | None]]) -> dict[int, int]:
        """Values (by variable index) of every shift, count and break variable for a schedule
        given as (agent, template, break start) triples; the shortages follow from them."""
        chosen = {(a, tid) for a, tid, _ in plan}
        values = {var.index: int(pair in chosen) for pair, var in self.x.items()}
        group_of = {a: key for key, agents in self.members.items() for a in agents}
        counts: dict[tuple[frozenset[str], int, int], int] = defaultdict(int)
        for a, tid, brk in plan:
            if brk is not None:
                counts[group_of[a], tid, brk] += 1
        for (key, tid), options in self.breaks.items():
            for p, b in options:
                values[b.index] = counts.get((key, tid, p), 0)
        for (_, tid), (count, agents_on) in self.counts.items():
            values[count.index] = sum((a, tid) in chosen for a in agents_on)
        unpopular: dict[int, int] = defaultdict(int)
        for a, tid, _ in plan:
            unpopular[a] += self.problem.templates[tid].unpopular
        values[self.most_unpopular.index] = max(unpopular.values(), default=0)
        for a, k, pairs in self.pairs:
            values[pairs.index] = max(0, unpopular[a] - k)
        return values

    def coverers(self) -> list[tuple[int, list[int]]]:
        """Per shortage variable: the agents with one of its skills and a shift covering it."""
        covers: dict[int, set[int]] = defaultdict(set)
        templates = self.problem.templates
        for a, allowed in enumerate(self.problem.feasible):
            for i in {
                i for tid in allowed for i in range(templates[tid].start, templates[tid].end)
            }:
                covers[i].add(a)
        agents = self.problem.agents
        return [
            (short.index, sorted(a for a in covers[i] if agents[a].skills & skills))
            for i, skills, short in self.shortages
        ]

    def neighbourhoods(self) -> Neighbourhoods:
        """What the large-neighbourhood search may free in this model (see `improve`)."""
        return Neighbourhoods(
            shift_vars={pair: var.index for pair, var in self.x.items()},
            template_day=[t.day for t in self.problem.templates],
            agents=len(self.problem.agents),
            days=len(self.problem.days),
            break_vars=self.break_vars_by_day(),
            short_vars=self.coverers(),
        )

    def break_vars_by_day(self) -> dict[int, list[int]]:
        """Indices of the break-position variables of each day's shifts."""
        out: dict[int, list[int]] = defaultdict(list)
        for (_, tid), options in self.breaks.items():
            out[self.problem.templates[tid].day].extend(b.index for _, b in options)
        return out

    def unused_shifts(self, crew: "_Model", values: Sequence[float]) -> dict[int, int]:
        """This model's shift variables (by index, at 0) whose crew works no shift of that kind
        in `values`, a solution of `crew`, a model of the same problem over crews."""
        crew_of = {a: c for c, members in enumerate(crew.units) for a in members}
        return {
            var.index: 0
            for (a, tid), var in self.x.items()
            if round(values[crew.x[crew_of[a], tid].index]) == 0
        }

    def add_hint(self, plan: list[tuple[int, int, int | None]]) -> None:
        """Hint a complete schedule (agent, template, break start) to CP-SAT."""
        _hint_solution(self.model, self.assignment(plan))

    def shifts(self, values: Sequence[int]) -> list[Shift]:
        """The schedule in a solution (a value per variable, by index)."""
        problem = self.problem
        templates = problem.templates
        group_of = {a: key for key, agents in self.members.items() for a in agents}
        working: dict[tuple[frozenset[str], int], list[int]] = defaultdict(list)
        chosen = []
        for (a, tid), var in self.x.items():
            if values[var.index]:
                chosen.append((a, tid))
                working[group_of[a], tid].append(a)
        break_start: dict[tuple[int, int], int] = {}
        for (key, tid), agents_on in working.items():
            positions = []
            for p, b in self.breaks.get((key, tid), []):
                positions.extend([p] * values[b.index])
            for a, p in zip(sorted(agents_on), positions, strict=False):
                break_start[a, tid] = p
        out = []
        for a, tid in sorted(chosen, key=lambda at: (templates[at[1]].start, at[0])):
            t = templates[tid]
            breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
            if (a, tid) in break_start:
                p = break_start[a, tid]
                breaks = ((problem.moment(p), problem.moment(p + t.break_length)),)
            out.append(
                Shift(
                    agent_id=problem.agents[a].id,
                    start=problem.moment(t.start),
                    end=problem.moment(t.end),
                    breaks=breaks,
                )
            )
        return out


def lp_relaxation(model: cp_model.CpModel, time_limit_seconds: float) -> Outcome | None:
    """The LP relaxation of `model` (its objective, every constraint, integrality dropped).

    Its optimum is a lower bound on the model's optimum. HiGHS solves it; None when the model
    holds another kind of constraint or HiGHS does not finish in time.
    """
    form = LinearForm.of(model)
    if form is None or time_limit_seconds <= 0:
        return None
    relaxation = form.solve(time_limit_seconds, relax=True)
    return relaxation if relaxation.optimal else None


class _Run:
    """CP-SAT solves of one model in phases, reporting only overall improvements."""

    def __init__(
        self,
        built: _Model,
        progress: ProgressCallback | None,
        num_workers: int,
        random_seed: int,
        started: float,
    ) -> None:
        self.built = built
        self.progress = progress
        self.num_workers = max(1, num_workers)
        self.random_seed = random_seed
        self.started = started
        self.solutions = 0
        self.best_reported: float | None = None
        self.reports: queue.Queue[SolveProgress] = queue.Queue()

    def report(self, objective: float, bound: float) -> None:
        """Queue an improvement (called on CP-SAT's thread); `progress` runs on the caller's."""
        if self.progress is None:
            return
        if self.best_reported is not None and objective >= self.best_reported:
            return
        self.best_reported = objective
        self.solutions += 1
        self.reports.put(
            SolveProgress(
                solutions=self.solutions,
                objective=objective,
                best_bound=bound,
                wall_seconds=time.monotonic() - self.started,
            )
        )

    def announce(self, values: Sequence[int], under_bound: float) -> None:
        """Report a phase-one schedule found outside CP-SAT, on the calling thread."""
        weights = self.built.weights
        self.report(objective_value(self.built.weighted, values), weights.under * under_bound)
        while self.progress is not None and not self.reports.empty():
            self.progress(self.reports.get())

    def solve(
        self, model: cp_model.CpModel, seconds: float, *, phase_one: bool, target: float = -math.inf
    ) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus]:
        """Solve for `seconds`; stop early once the objective reaches `target` (a known bound)."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, seconds)
        solver.parameters.num_workers = self.num_workers
        solver.parameters.random_seed = self.random_seed
        if phase_one:
            # Phase one is a covering problem whose LP is strong: more LP in the search pays.
            solver.parameters.linearization_level = 2
        callback = None
        if self.progress is not None or target > -math.inf:
            callback = _PhaseReporter(self, phase_one, target)
        if self.progress is None:
            return solver, solver.solve(model, callback)
        # CP-SAT calls back on its own threads; the caller's `progress` (which may write to a
        # database connection bound to its thread) runs here, on the calling thread.
        codes: list[cp_model.CpSolverStatus] = []
        worker = threading.Thread(target=lambda: codes.append(solver.solve(model, callback)))
        worker.start()
        try:
            while worker.is_alive() or not self.reports.empty():
                with contextlib.suppress(queue.Empty):
                    self.progress(self.reports.get(timeout=0.05))
        except BaseException:
            solver.stop_search()
            raise
        finally:
            worker.join()
        return solver, codes[0]


class _PhaseReporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, run: _Run, phase_one: bool, target: float) -> None:
        super().__init__()
        self._run = run
        self._phase_one = phase_one
        self._target = target

    def on_solution_callback(self) -> None:
        if self.objective_value <= self._target + 1e-6:
            self.stop_search()
        built = self._run.built
        if self._phase_one:
            # Phase one minimises under-coverage; report the full weighted objective, and
            # the under-coverage bound times its weight (every other term is non-negative).
            objective = float(self.value(built.objective))
            bound = float(built.weights.under * math.ceil(self.best_objective_bound - 1e-6))
        else:
            objective = self.objective_value
            bound = self.best_objective_bound
        self._run.report(objective, float(bound))


def _hint_solution(model: cp_model.CpModel, values: Mapping[int, int]) -> None:
    """Hint `values` (by variable index) to CP-SAT, replacing any earlier hint."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(list(values))
    hint.values.extend(int(v) for v in values.values())


def _integral_shifts(built: _Model, relaxation: Sequence[float]) -> dict[int, int]:
    """The shift variables (counts, for crews) the LP relaxation sets to whole numbers, with
    their values (for RENS)."""
    fixed = {}
    for var in built.x.values():
        value = relaxation[var.index]
        if abs(value - round(value)) < 1e-6:
            fixed[var.index] = round(value)
    return fixed


def solve_schedule(
    requirements: Sequence[Requirement],
    agents: Sequence[Agent],
    rules: Rules,
    *,
    time_limit_seconds: float = 30.0,
    progress: ProgressCallback | None = None,
    num_workers: int = 2,
    random_seed: int = 0,
    use_hint: bool = True,
    lexicographic: bool = True,
) -> ScheduleResult:
    """The best schedule CP-SAT finds within the time limit, evaluated against the rules.

    Returns shifts with breaks, the objective and the proven bound (weighted units, see
    `ObjectiveWeights`), the relative gap, and an evaluation whose shortfalls name the short
    intervals and skills and the rule that binds. When full coverage is impossible the best
    partial schedule comes back (status "optimal" or "feasible" with shortfalls); only
    contradictory hard rules (e.g. unreachable minimum hours) give status "infeasible".

    `lexicographic` (the default) minimises in order of weight: phase one minimises
    under-coverage alone (the LP relaxation bounds it; HiGHS finds a first schedule among the
    shifts the LP leaves fractional and improves it by large-neighbourhood search, see
    `mip.py`); phase two minimises the whole weighted objective starting from phase one's
    schedule, so `best_bound` stays a bound for every schedule. `under_coverage_bound` is a
    lower bound on any schedule's under-coverage. With `lexicographic=False` one CP-SAT solve
    of the weighted objective starts from the greedy schedule.
    """
    started = time.monotonic()
    deadline = started + time_limit_seconds
    problem = build_problem(requirements, agents, rules)
    problems = precheck(problem)
    if problems:
        return ScheduleResult(
            status="infeasible",
            shifts=(),
            objective=None,
            best_bound=None,
            gap=None,
            wall_seconds=time.monotonic() - started,
            evaluation=None,
            infeasibility=tuple(problems),
        )
    built = _Model(problem)
    if use_hint:
        built.add_hint(greedy_schedule(problem))
    run = _Run(built, progress, num_workers, random_seed, started)
    model = built.model
    under_bound: float | None = None
    phase_one_values: list[int] | None = None
    phase_one_status: str | None = None
    phase_one_seconds = 0.0
    if lexicographic and built.total_required > 0 and rules.weights.under > 0:
        model.minimize(built.under)
        phase_one = _phase_one(run, deadline)
        if phase_one is None:
            return _failed("infeasible", None, started)
        phase_one_status, _, under_bound, phase_one_values = phase_one
        phase_one_seconds = time.monotonic() - started
        if phase_one_values is not None:
            _hint_solution(model, dict(enumerate(phase_one_values)))
        # Phase two: the whole weighted objective (so its bound is valid for every schedule),
        # started from phase one's schedule; under-coverage's weight keeps coverage first.
        model.minimize(built.objective)
    # Every term but under-coverage is non-negative, so phase one's bound bounds the whole.
    bound = rules.weights.under * (under_bound or 0.0)
    if phase_one_values is not None and len(built.x) > _LP_MAX_SHIFTS:
        # CP-SAT's presolve of a model this large takes all of phase two's time: HiGHS's
        # large-neighbourhood search improves phase one's schedule on the whole objective.
        status = "feasible"
        solution = _phase_two_search(run, phase_one_values, bound, deadline)
    else:
        solver, code = run.solve(model, deadline - time.monotonic(), phase_one=False)
        known = _STATUS.get(code)
        if known is None:
            raise RuntimeError(f"CP-SAT rejected the scheduling model: {solver.status_name(code)}.")
        status = known
        if status == "unknown" and phase_one_values is not None:
            # Phase two found nothing in its time: phase one's schedule stands.
            status = "feasible"
            solution = phase_one_values
        elif status in ("infeasible", "unknown"):
            return _failed(status, solver.best_objective_bound, started)
        else:
            solution = list(solver.response_proto.solution)
            # The weights are integers: the bound may be rounded up.
            bound = max(bound, float(math.ceil(solver.best_objective_bound - 1e-6)))
    objective = float(round(objective_value(built.weighted, solution)))
    shifts = built.shifts(solution)
    gap = 0.0 if objective == bound else (objective - bound) / max(abs(objective), 1e-9)
    evaluation = evaluate_schedule(shifts, requirements, agents, rules, problem=problem)
    if under_bound is None and built.total_required == 0:
        under_bound = 0.0
    # Without phase one there is no bound on under-coverage alone: the weighted bound mixes
    # it with the other terms, so it stays None.
    return ScheduleResult(
        status=status,
        shifts=tuple(shifts),
        objective=objective,
        best_bound=bound,
        gap=gap,
        wall_seconds=time.monotonic() - started,
        evaluation=evaluation,
        under_coverage_bound=under_bound,
        phase_one_seconds=round(phase_one_seconds, 3) if phase_one_status else None,
    )


def _failed(status: str, bound: float | None, started: float) -> ScheduleResult:
    why = (
        (
            "The hard rules contradict each other (minimum hours, rest, consecutive days and "
            "days per week cannot all hold for some agent).",
        )
        if status == "infeasible"
        else ("No schedule was found within the time limit.",)
    )
    return ScheduleResult(
        status=status,
        shifts=(),
        objective=None,
        best_bound=bound if status == "unknown" else None,
        gap=None,
        wall_seconds=time.monotonic() - started,
        evaluation=None,
        infeasibility=why,
    )


#: Shares of the time limit: the LP relaxation, the search around its fractional shifts, and
#: phase one as a whole (the rest goes to phase two; phase one ends early when it is optimal).
_LP_SHARE = 0.25
_RENS_SHARE = 0.1
_PHASE_ONE_SHARE = 0.85
#: Above this many shift variables the LP relaxation is skipped: it would take the time the
#: search needs (a four-week, 200-agent month has about 120,000).
_LP_MAX_SHIFTS = 50_000
#: Up to this many shift variables HiGHS solves phase one whole instead of RENS and search.
_WHOLE_MIP_SHIFTS = 2000
#: When the model of crews' search ends (a share of the time limit from the start), and the most
#: time the model of agents then has to place people on the crews' shifts.
_CREW_SHARE = 0.5
_SPLIT_SHARE = 0.15
#: Above `_LP_MAX_SHIFTS`, the most time the model of crews has to give a first schedule.
_CREWS_PLACED_SHARE = 0.4


def _crew_step(
    built: _Model,
    form: LinearForm,
    crews: list[list[int]],
    until: float,
    split_seconds: float,
    done: threading.Event,
) -> Future[Outcome]:
    """A search started now, in a thread of its own, beside phase one's others (see `improve`).

    HiGHS solves the model of crews (`_Model` with `crews`) until `until`: without the symmetry
    of interchangeable agents it finds good coverage far sooner, and its bound holds for every
    schedule. Then, unless `done` is set, HiGHS places people on it: it solves the model of
    agents with only the shifts their crew works open to them, which is quick (the crews' week
    patterns make it splittable as a rule; where it is not, the best schedule near it comes
    back). The outcome has the crews' bound.
    """

    def step() -> Outcome:
        crew = _Model(built.problem, crews)
        crew_form = LinearForm.of(crew.model)
        if crew_form is None or until - time.monotonic() < 1:
            return Outcome(values=None, objective=math.inf, bound=-math.inf, optimal=False)
        counted = crew_form.solve(until - time.monotonic())
        if counted.values is None or done.is_set():
            return Outcome(None, math.inf, bound=counted.bound, optimal=False)
        placed = form.solve(split_seconds, fixed=built.unused_shifts(crew, counted.values))
        return Outcome(placed.values, placed.objective, bound=counted.bound, optimal=False)

    pool = ThreadPoolExecutor(1, thread_name_prefix="crews")
    future = pool.submit(step)
    pool.shutdown(wait=False)  # the thread ends with the step
    return future


def _crews_placed(
    built: _Model, form: LinearForm, crews: list[list[int]], seconds: float
) -> tuple[Outcome, float]:
    """A schedule and a bound for a model too large for its own LP, by way of its crews.

    The LP relaxation of the model of crews bounds under-coverage; HiGHS solves that model with
    every count the LP decides fixed (RENS); the crews' shifts are placed on people in order of
    time (`greedy_schedule` with a quota), and HiGHS, with those shifts fixed, finishes the
    schedule (the few shifts the rules kept from anyone, breaks, shortages).
    """
    until = time.monotonic() + seconds
    crew = _Model(built.problem, crews)
    crew_form = LinearForm.of(crew.model)
    nothing = Outcome(values=None, objective=math.inf, bound=-math.inf, optimal=False)
    if crew_form is None:
        return nothing, 0.0
    relaxation = crew_form.solve(until - time.monotonic(), relax=True)
    if not relaxation.optimal or relaxation.values is None:
        return nothing, 0.0
    bound = float(max(0, math.ceil(relaxation.objective - 1e-6)))
    counted = crew_form.solve(
        (until - time.monotonic()) / 2, fixed=_integral_shifts(crew, relaxation.values)
    )
    if counted.values is None:
        return nothing, bound
    counts = {pair: round(counted.values[v.index]) for pair, v in crew.x.items()}
    plan = greedy_schedule(built.problem, crews, {pair: n for pair, n in counts.items() if n})
    fixed = {built.x[a, tid].index: 1 for a, tid, _ in plan}
    return form.solve(until - time.monotonic(), fixed=fixed), bound


def _phase_two_search(run: _Run, values: list[int], bound: float, deadline: float) -> list[int]:
    """Phase two for models too large for CP-SAT: `values`, a schedule, improved on the whole
    objective by large-neighbourhood search with HiGHS until `deadline` (see `improve`)."""
    built = run.built
    form = LinearForm.of(built.model)
    if form is None:
        return values
    best, _, _ = improve(
        form,
        built.neighbourhoods(),
        values,
        objective_value(built.weighted, values),
        lower_bound=bound,
        deadline=deadline,
        workers=run.num_workers,
        seed=run.random_seed,
        on_improvement=lambda found, _: run.announce(found, bound / built.weights.under),
    )
    return best


def _phase_one(run: _Run, deadline: float) -> tuple[str, int, float, list[int] | None] | None:
    """Minimise under-coverage alone: (status, best found, lower bound, solution) or None.

    The LP relaxation (HiGHS) bounds it; HiGHS solves the MIP with every shift the LP decides
    fixed (RENS) for a first schedule (models too large for that LP get theirs from the model of
    crews, see `_crews_placed`; CP-SAT from the greedy hint when all that fails), then
    large-neighbourhood search improves it. None means the hard rules are infeasible; the
    solution is None when none was found in time.
    """
    built = run.built
    model = built.model
    started = time.monotonic()
    total = deadline - started
    phase_end = started + _PHASE_ONE_SHARE * total
    form = LinearForm.of(model)
    bound = 0.0
    incumbent: list[int] | None = None
    found = math.inf
    beside = None
    done = threading.Event()  # phase one is over: the crews' step need not place people

    def take(outcome: Outcome) -> None:
        nonlocal incumbent, found
        if outcome.values is not None:
            incumbent = [round(v) for v in outcome.values]
            found = round(outcome.objective)
            run.announce(incumbent, bound)

    if form is not None and _WHOLE_MIP_SHIFTS < len(built.x) <= _LP_MAX_SHIFTS:
        crews = crews_of(built.problem)
        if len(crews) < len(built.problem.agents):
            beside = _crew_step(
                built, form, crews, started + _CREW_SHARE * total, _SPLIT_SHARE * total, done
            )
    if form is not None and len(built.x) <= _LP_MAX_SHIFTS:
        relaxation = form.solve(_LP_SHARE * total, relax=True)
        if relaxation.optimal and relaxation.values is not None:
            bound = float(max(0, math.ceil(relaxation.objective - 1e-6)))
            if len(built.x) <= _WHOLE_MIP_SHIFTS:
                # Small enough for HiGHS to solve whole: its bound holds for every schedule.
                first = form.solve(phase_end - time.monotonic())
                bound = max(bound, float(math.ceil(first.bound - 1e-6)))
            else:
                seconds = min(_RENS_SHARE * total, phase_end - time.monotonic())
                first = form.solve(seconds, fixed=_integral_shifts(built, relaxation.values))
            take(first)
    if form is not None and len(built.x) > _LP_MAX_SHIFTS:
        crews = crews_of(built.problem)
        if len(crews) < len(built.problem.agents):
            placed, crew_bound = _crews_placed(
                built, form, crews, min(_CREWS_PLACED_SHARE * total, phase_end - time.monotonic())
            )
            bound = max(bound, crew_bound)
            take(placed)
    if incumbent is None and form is not None:
        # The greedy schedule, its shortages filled in by HiGHS (when it meets every contract).
        seconds = min(_RENS_SHARE * total, phase_end - time.monotonic())
        take(form.solve(seconds, fixed=built.assignment(greedy_schedule(built.problem))))
    if incumbent is None:
        # CP-SAT from the greedy hint; half the time is left for the search when it can run.
        until = phase_end if form is None else (time.monotonic() + phase_end) / 2
        solver, code = run.solve(model, until - time.monotonic(), phase_one=True, target=bound)
        if code == cp_model.INFEASIBLE:
            done.set()
            return None
        bound = float(max(bound, math.ceil(solver.best_objective_bound - 1e-6)))
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            done.set()
            return "unknown", 0, bound, None
        incumbent = list(solver.response_proto.solution)
        found = round(solver.objective_value)
        if code == cp_model.OPTIMAL:
            bound = found
    if form is not None and found > bound:
        incumbent, found, lower = improve(
            form,
            built.neighbourhoods(),
            incumbent,
            found,
            lower_bound=bound,
            deadline=phase_end,
            workers=run.num_workers,
            seed=run.random_seed,
            on_improvement=lambda values, _: run.announce(values, bound),
            beside=beside,
        )
        bound = float(lower)
    done.set()
    status = "optimal" if found <= bound else "feasible"
    return status, int(found), bound, incumbent
