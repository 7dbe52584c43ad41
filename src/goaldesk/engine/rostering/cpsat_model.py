"""The CP-SAT model of a scheduling problem, built one family of constraints at a time.

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
* Rest: for each end of a day's shifts, at most one of that day's shifts ending then or later
  and a later day's shifts starting less than the minimum rest after it.
* Max consecutive days on every window of max+1 days; hours and days per 7-day week.
* Objective: weights.under·under + weights.over·over + weights.preference·broken preferences
  + weights.fairness·(largest number of unpopular shifts held by one agent) + a quarter of
  weights.fairness per pair of unpopular shifts held by one agent (so they are spread evenly).

`ScheduleModel.__init__` calls one builder per family, in this order (the order fixes the
variables' indices, which hints and the search rely on): shift variables and one shift a day,
rest between shifts, contract limits, breaks, coverage, and the objective's terms.
`solve.py` runs the model in phases.
"""

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from goaldesk.engine.rostering.mip import Neighbourhoods, linear_objective
from goaldesk.engine.rostering.model import Agent, ObjectiveWeights, Shift
from goaldesk.engine.rostering.problem import Problem, Template

#: Shift variables by (unit, template); a unit is an agent or, in the model of crews, a crew.
ShiftVars = dict[tuple[int, int], cp_model.IntVar]
#: Per unit: each day's templates open to it.
ByDay = list[dict[int, list[int]]]
#: Per group of demanded skills: per interval, the terms that add up to its agents on duty.
OnDuty = dict[frozenset[str], list[list[cp_model.LinearExprT]]]


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


class ScheduleModel:
    """The CP-SAT model of one problem, with handles to read a solution back.

    By default each agent has its own variables. Given `crews` (see `crews_of`), x[c, t] counts
    the agents of crew c on template t instead, with every contract and rest rule summed over the
    crew and each crew's week a mix of its members' possible weeks (`_add_week_patterns`): a
    relaxation (any schedule gives crew counts that satisfy it), without the symmetry of
    interchangeable agents, whose only objective is under-coverage. Its schedules are counts, not
    people; `unused_shifts` narrows the model of agents to them (see `solve._crew_step`).
    """

    def __init__(self, problem: Problem, crews: Sequence[Sequence[int]] | None = None) -> None:
        self.problem = problem
        self.weights = problem.rules.weights
        self.model = cp_model.CpModel()
        self.units = (
            [list(crew) for crew in crews] if crews else [[a] for a in range(len(problem.agents))]
        )
        sizes = [len(unit) for unit in self.units]
        # The agent whose skills, shifts and contract each unit (an agent or a crew) shares.
        first = [unit[0] for unit in self.units]
        feasible = [problem.feasible[a] for a in first]
        self.group_keys, self.members = _skill_groups(problem, first)

        self.x = _add_shift_variables(self.model, feasible, sizes)
        by_day = _shifts_by_day(problem.templates, feasible)
        works = _add_one_shift_a_day(self.model, self.x, by_day, sizes)
        _add_rest_between_shifts(self.model, self.x, problem, by_day, sizes)
        self._add_contract_limits(first, works, by_day)
        on_duty = self._add_breaks(feasible, sizes)
        self._add_coverage(on_duty, sizes)
        if crews:
            self.model.minimize(self.under)
            return
        self._add_objective()

    def _add_contract_limits(
        self,
        first: Sequence[int],
        works: Mapping[tuple[int, int], cp_model.LinearExprT],
        by_day: ByDay,
    ) -> None:
        """Per unit: consecutive working days, and per week its hours and days (and, for crews,
        the week patterns that let its members split them)."""
        problem = self.problem
        templates = problem.templates
        days = len(problem.days)
        for u, a in enumerate(first):
            agent = problem.agents[a]
            size = len(self.units[u])
            day_work = [works.get((u, d), 0) for d in range(days)]
            _add_consecutive_days(self.model, day_work, size, problem.rules.max_consecutive_days)
            for week in range(problem.weeks):
                week_days = range(week * 7, min(days, week * 7 + 7))
                week_shifts = [
                    (self.x[u, tid], templates[tid].length_minutes)
                    for tid in problem.feasible[a]
                    if templates[tid].day in week_days
                ]
                week_work = [day_work[d] for d in week_days]
                full = problem.full_week(week)
                _add_week_limits(self.model, week_shifts, week_work, size, agent, full_week=full)
                if size > 1:
                    self._add_week_patterns(u, agent, week, week_days, by_day[u])

    def _add_breaks(self, feasible: Sequence[Sequence[int]], sizes: Sequence[int]) -> OnDuty:
        """Agents per skill group and template, and where their breaks go: the terms that add up
        to each group's agents on duty per interval (fills `counts` and `breaks`)."""
        m, x = self.model, self.x
        templates = self.problem.templates
        covering: OnDuty = {}
        self.breaks: dict[tuple[frozenset[str], int], list[tuple[int, cp_model.IntVar]]] = {}
        self.counts: dict[tuple[frozenset[str], int], tuple[cp_model.IntVar, list[int]]] = {}
        for key in self.group_keys:
            on_duty: list[list[cp_model.LinearExprT]] = [[] for _ in range(self.problem.intervals)]
            used: dict[int, list[int]] = defaultdict(list)
            for u in self.members[key]:
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
                    self.breaks[key, tid] = _add_break_positions(m, t, tid, size, count, on_duty)
            covering[key] = on_duty
        return covering

    def _add_coverage(self, covering: OnDuty, sizes: Sequence[int]) -> None:
        """The agent-intervals short per interval and component of linked skills (`shortages`),
        their sum `under` and the total requirement `total_required`.

        The skills in demand fall into components, linked by groups that have several of them.
        In a component of few skills Hall's theorem gives the shortage exactly (`_add_hall_rows`);
        larger components assign agents explicitly (`_add_skill_assignment`).
        """
        problem, m = self.problem, self.model
        self.shortages: list[tuple[int, frozenset[str], cp_model.IntVar]] = []
        unstaffable = 0  # demand no group with the skill can ever be on duty for
        total_required = 0
        for i in range(problem.intervals):
            demand = {s: problem.required[s][i] for s in problem.skills if problem.required[s][i]}
            total_required += sum(demand.values())
            present = [key for key in self.group_keys if covering[key][i] and key & demand.keys()]
            for skills, keys in _components(demand, present):
                need = sum(demand[s] for s in skills)
                if not keys:
                    unstaffable += need
                    continue
                short = m.new_int_var(0, need, f"short_{i}")
                self.shortages.append((i, skills, short))
                supply = {key: covering[key][i] for key in keys}
                if len(skills) <= _HALL_SKILLS:
                    _add_hall_rows(m, short, skills, demand, supply)
                else:
                    most = {key: sum(sizes[u] for u in self.members[key]) for key in keys}
                    _add_skill_assignment(m, short, i, skills, demand, supply, most)
        self.total_required = total_required
        self.under = (
            cp_model.LinearExpr.sum([short for _, _, short in self.shortages]) + unstaffable
        )

    def _add_objective(self) -> None:
        """The weighted objective of the model of agents: under-coverage, surplus, broken
        preferences and unpopular shifts' fairness; minimised, and kept as `weighted`."""
        weights = self.weights
        m, x, problem = self.model, self.x, self.problem
        self.over = _on_duty_intervals(x, problem.templates) - (self.total_required - self.under)
        preference = _broken_preferences(x, problem)
        self.most_unpopular, self.pairs = _add_unpopular_fairness(
            m, x, problem, spread=weights.fairness > 0
        )
        self.objective = (
            weights.under * self.under
            + weights.over * self.over
            + weights.preference * preference
            + weights.fairness * self.most_unpopular
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

    def unused_shifts(self, crew: "ScheduleModel", values: Sequence[float]) -> dict[int, int]:
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
        hint_solution(self.model, self.assignment(plan))

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


def _skill_groups(
    problem: Problem, first: Sequence[int]
) -> tuple[list[frozenset[str]], dict[frozenset[str], list[int]]]:
    """The groups of units by the demanded skills they have: the groups' keys (fewest skills
    first) and each group's units."""
    demanded = set(problem.skills)
    group_of = [frozenset(problem.agents[a].skills & demanded) for a in first]
    members: dict[frozenset[str], list[int]] = defaultdict(list)
    for u, key in enumerate(group_of):
        members[key].append(u)
    return sorted(set(group_of), key=lambda k: (len(k), sorted(k))), members


def _add_shift_variables(
    m: cp_model.CpModel, feasible: Sequence[Sequence[int]], sizes: Sequence[int]
) -> ShiftVars:
    """x[u, t]: whether agent u works template t, or how many of crew u's members do."""
    x: ShiftVars = {}
    for u, allowed in enumerate(feasible):
        for tid in allowed:
            x[u, tid] = (
                m.new_bool_var(f"x_{u}_{tid}")
                if sizes[u] == 1
                else m.new_int_var(0, sizes[u], f"x_{u}_{tid}")
            )
    return x


def _shifts_by_day(templates: Sequence[Template], feasible: Sequence[Sequence[int]]) -> ByDay:
    """Per unit: the templates open to it, by day."""
    by_day: ByDay = []
    for allowed in feasible:
        by_day.append(defaultdict(list))
        for tid in allowed:
            by_day[-1][templates[tid].day].append(tid)
    return by_day


def _add_one_shift_a_day(
    m: cp_model.CpModel, x: ShiftVars, by_day: ByDay, sizes: Sequence[int]
) -> dict[tuple[int, int], cp_model.LinearExprT]:
    """At most one shift per agent and day (per member, for crews); returns each unit's shifts
    worked on each day it has shifts open, by (unit, day)."""
    works: dict[tuple[int, int], cp_model.LinearExprT] = {}
    for u, days in enumerate(by_day):
        for day, tids in days.items():
            variables = [x[u, tid] for tid in tids]
            if sizes[u] == 1:
                m.add_at_most_one(variables)
            else:
                m.add(sum(variables) <= sizes[u])
            works[u, day] = sum(variables)
    return works


def _add_rest_between_shifts(
    m: cp_model.CpModel, x: ShiftVars, problem: Problem, by_day: ByDay, sizes: Sequence[int]
) -> None:
    """Rest between shifts on different days: for every end e of a day's shift, an agent works
    at most one of the day's shifts ending at e or later and a later day's shifts starting less
    than the minimum rest after e (later days' shifts start after every shift of the day
    starts, so each such pair is too close)."""
    templates = problem.templates
    rest_intervals = -(-problem.rules.min_rest_minutes // problem.interval_minutes)  # ceil
    days = len(problem.days)
    day_start: dict[int, int] = {}  # where each day's first shift starts (days with shifts)
    for t in templates:
        day_start[t.day] = min(day_start.get(t.day, t.start), t.start)
    for u, unit_days in enumerate(by_day):
        for day, tids in unit_days.items():
            for end in sorted({templates[tid].end for tid in tids}):
                late = [x[u, tid] for tid in tids if templates[tid].end >= end]
                too_soon = end + rest_intervals
                for later in range(day + 1, days):
                    if day_start.get(later, -1) >= too_soon:
                        break  # this day's shifts, and every later day's, start late enough
                    early = [
                        x[u, tid]
                        for tid in unit_days.get(later, ())
                        if templates[tid].start < too_soon
                    ]
                    if early:
                        m.add(sum(late) + sum(early) <= sizes[u])


def _add_consecutive_days(
    m: cp_model.CpModel, day_work: Sequence[cp_model.LinearExprT], size: int, most: int
) -> None:
    """No agent works more than `most` days in a row: at most `most` of every `most` + 1
    consecutive days (times `size`, for a crew); windows without shifts need no row."""
    span = most + 1
    for first_day in range(0, len(day_work) - span + 1):
        window = [day_work[d] for d in range(first_day, first_day + span)]
        if any(not isinstance(w, int) for w in window):
            m.add(sum(window) <= size * most)


def _add_week_limits(
    m: cp_model.CpModel,
    week_shifts: Sequence[tuple[cp_model.IntVar, int]],
    week_work: Sequence[cp_model.LinearExprT],
    size: int,
    agent: Agent,
    *,
    full_week: bool,
) -> None:
    """One week of a unit within `agent`'s contract (times `size`, for a crew): at most its
    hours, at least its minimum hours when the week is whole, at most its days. `week_shifts`
    are the week's shift variables with their lengths in minutes, `week_work` each day's shifts
    worked."""
    minutes = sum(v * length for v, length in week_shifts)
    m.add(minutes <= size * int(agent.max_hours_per_week * 60))
    if full_week and agent.min_hours_per_week > 0:
        m.add(minutes >= size * round(agent.min_hours_per_week * 60))
    m.add(sum(week_work) <= size * agent.max_days_per_week)


def _add_break_positions(
    m: cp_model.CpModel,
    t: Template,
    tid: int,
    size: int,
    count: cp_model.LinearExprT,
    on_duty: list[list[cp_model.LinearExprT]],
) -> list[tuple[int, cp_model.IntVar]]:
    """How many of the `count` agents (at most `size`) on template t start their break at each
    allowed position; each break takes its agents off duty. Returns (position, variable) pairs."""
    options = []
    for p in t.break_starts:
        name = f"b_{tid}_{p}"
        b = m.new_bool_var(name) if size == 1 else m.new_int_var(0, size, name)
        options.append((p, b))
        for i in range(p, p + t.break_length):
            on_duty[i].append(-b)
    m.add(sum(b for _, b in options) == count)
    return options


def _add_hall_rows(
    m: cp_model.CpModel,
    short: cp_model.IntVar,
    skills: frozenset[str],
    demand: Mapping[str, int],
    supply: Mapping[frozenset[str], Sequence[cp_model.LinearExprT]],
) -> None:
    """Hall's theorem: for every subset S of `skills`, short ≥ required(S) − on-duty agents of
    the groups with a skill in S; the least short of any assignment of agents to skills is the
    largest of these, so the rows give the shortage exactly. `supply` holds each group's
    on-duty terms in this interval."""
    for size in range(1, len(skills) + 1):
        for subset in itertools.combinations(skills, size):
            on_duty = [term for key, terms in supply.items() if key & set(subset) for term in terms]
            m.add(short + cp_model.LinearExpr.sum(on_duty) >= sum(demand[s] for s in subset))


def _add_skill_assignment(
    m: cp_model.CpModel,
    short: cp_model.IntVar,
    interval: int,
    skills: frozenset[str],
    demand: Mapping[str, int],
    supply: Mapping[frozenset[str], Sequence[cp_model.LinearExprT]],
    most: Mapping[frozenset[str], int],
) -> None:
    """An explicit assignment of agents to skills, for components too large for Hall's rows:
    served[g, s] ≤ required[s], Σ_s served[g, s] ≤ on-duty agents of g (at most `most[g]`),
    and short is what the served agents leave of the requirement."""
    per_skill: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for key, terms in supply.items():
        served = []
        for s in sorted(key & skills):
            v = m.new_int_var(0, min(most[key], demand[s]), f"s_{interval}_{s}")
            served.append(v)
            per_skill[s].append(v)
        m.add(sum(served) <= sum(terms))
    for s in skills:
        m.add(sum(per_skill[s]) <= demand[s])
    m.add(short + sum(sum(v) for v in per_skill.values()) == sum(demand[s] for s in skills))


def _on_duty_intervals(x: ShiftVars, templates: Sequence[Template]) -> cp_model.LinearExpr | int:
    """Agent-intervals on duty (shifts less their breaks)."""
    return sum(
        x[a, tid] * (templates[tid].end - templates[tid].start - templates[tid].break_length)
        for (a, tid) in x
    )


def _broken_preferences(x: ShiftVars, problem: Problem) -> cp_model.LinearExpr | int:
    """Preferences the schedule breaks (each shift counts those of its agent it breaks)."""
    return sum(x[a, tid] * problem.penalty[a][tid] for (a, tid) in x if problem.penalty[a][tid])


def _add_unpopular_fairness(
    m: cp_model.CpModel, x: ShiftVars, problem: Problem, *, spread: bool
) -> tuple[cp_model.IntVar, list[tuple[int, int, cp_model.IntVar]]]:
    """The largest number of unpopular shifts held by one agent, and (when `spread`) per agent
    a, k ≥ 1 a variable at least max(0, unpopular shifts of a − k) as (a, k, variable).

    Σ_k max(0, u − k) over k ≥ 1 is u(u − 1)/2, the pairs of unpopular shifts one agent holds;
    for a fixed total it is least when they are shared evenly.
    """
    templates = problem.templates
    most_unpopular = m.new_int_var(0, len(problem.days), "most_unpopular")
    pairs_of: list[tuple[int, int, cp_model.IntVar]] = []
    for a, allowed in enumerate(problem.feasible):
        unpopular = [x[a, tid] for tid in allowed if templates[tid].unpopular]
        if not unpopular:
            continue
        m.add(sum(unpopular) <= most_unpopular)
        if spread:
            most = len({templates[tid].day for tid in allowed if templates[tid].unpopular})
            for k in range(1, most):
                pairs = m.new_int_var(0, most - k, f"pairs_{a}_{k}")
                m.add(pairs >= sum(unpopular) - k)
                pairs_of.append((a, k, pairs))
    return most_unpopular, pairs_of


def hint_solution(model: cp_model.CpModel, values: Mapping[int, int]) -> None:
    """Hint `values` (by variable index) to CP-SAT, replacing any earlier hint."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(list(values))
    hint.values.extend(int(v) for v in values.values())
