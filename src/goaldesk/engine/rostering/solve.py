"""Shift scheduling with OR-Tools CP-SAT.

Model (all hard rules are constraints, never penalties):

* x[a, t] — agent a works shift template t (only templates inside the opening hours, the
  agent's availability and outside absences exist). At most one per local day.
* Agents are grouped by the set of demanded skills they have. For a group g and template t,
  n[g, t] = Σ x[a, t] over a in g, and break counts b[g, t, p] (agents of g on t taking their
  break at position p) with Σ_p b[g, t, p] = n[g, t]. Agents of a group are interchangeable for
  coverage, so any integer split is realised by giving the agents of g on t breaks in order —
  exact, and far smaller than a break variable per agent.
* Multi-skill coverage: served[g, s, i] agents of group g serve skill s in interval i, with
  Σ_s served[g, s, i] ≤ on-duty agents of g in i and Σ_g served[g, s, i] ≤ required[s, i]. An
  integer split per group is realised by individual agents, so this aggregate "flow" is exact
  (the evaluator re-checks coverage with its own max flow).
* under = Σ required − Σ served; over = on-duty agent-intervals − Σ served.
* Rest: for each template t1, x[a, t1] + Σ x[a, t2] ≤ 1 over later templates t2 starting less
  than the minimum rest after t1 ends (they are on other days, so at most one of them is worked).
* Max consecutive days on every window of max+1 days; hours and days per 7-day week.
* Objective: weights.under·under + weights.over·over + weights.preference·broken preferences
  + weights.fairness·(largest number of unpopular shifts held by one agent).
"""

import bisect
import contextlib
import datetime as dt
import math
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from goaldesk.engine.rostering.evaluate import evaluate_schedule
from goaldesk.engine.rostering.greedy import greedy_schedule
from goaldesk.engine.rostering.model import (
    Agent,
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


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: ProgressCallback) -> None:
        super().__init__()
        self._progress = progress
        self._solutions = 0

    def on_solution_callback(self) -> None:
        self._solutions += 1
        self._progress(
            SolveProgress(
                solutions=self._solutions,
                objective=self.objective_value,
                best_bound=self.best_objective_bound,
                wall_seconds=self.wall_time,
            )
        )


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


class _Model:
    """The CP-SAT model of one problem, with handles to read a solution back."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        rules = problem.rules
        weights = rules.weights
        step = problem.interval_minutes
        templates = problem.templates
        m = cp_model.CpModel()
        self.model = m

        demanded = set(problem.skills)
        group_of: list[frozenset[str]] = [frozenset(a.skills & demanded) for a in problem.agents]
        group_keys = sorted(set(group_of), key=lambda k: (len(k), sorted(k)))
        self.group_keys = group_keys
        members: dict[frozenset[str], list[int]] = defaultdict(list)
        for a, key in enumerate(group_of):
            members[key].append(a)
        self.members = members

        x: dict[tuple[int, int], cp_model.IntVar] = {}
        for a, allowed in enumerate(problem.feasible):
            for tid in allowed:
                x[a, tid] = m.new_bool_var(f"x_{a}_{tid}")
        self.x = x

        # Per agent and day: at most one shift; `works` is that day's sum.
        works: dict[tuple[int, int], cp_model.LinearExprT] = {}
        for a, allowed in enumerate(problem.feasible):
            by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
            for tid in allowed:
                by_day[templates[tid].day].append(x[a, tid])
            for day, variables in by_day.items():
                m.add_at_most_one(variables)
                works[a, day] = sum(variables)

        # Rest between shifts on different days.
        # A later-day shift starting before t1 ends overlaps it, so it conflicts too. Later
        # days' shifts start after t1 starts, so a slice of the start-sorted list suffices.
        rest_intervals = -(-rules.min_rest_minutes // step)  # ceil
        for a, allowed in enumerate(problem.feasible):
            ordered = sorted(allowed, key=lambda tid: templates[tid].start)
            starts = [templates[tid].start for tid in ordered]
            for tid in allowed:
                t1 = templates[tid]
                lo = bisect.bisect_right(starts, t1.start)
                hi = bisect.bisect_left(starts, t1.end + rest_intervals)
                conflicts = [
                    x[a, other] for other in ordered[lo:hi] if templates[other].day > t1.day
                ]
                if conflicts:
                    m.add(x[a, tid] + sum(conflicts) <= 1)

        days = len(problem.days)
        for a, agent in enumerate(problem.agents):
            day_work = [works.get((a, d), 0) for d in range(days)]
            span = rules.max_consecutive_days + 1
            for first in range(0, days - span + 1):
                window = [day_work[d] for d in range(first, first + span)]
                if any(not isinstance(w, int) for w in window):
                    m.add(sum(window) <= rules.max_consecutive_days)
            for week in range(problem.weeks):
                week_days = range(week * 7, min(days, week * 7 + 7))
                week_vars = [
                    (x[a, tid], templates[tid].length_minutes)
                    for tid in problem.feasible[a]
                    if templates[tid].day in week_days
                ]
                minutes = sum(v * length for v, length in week_vars)
                m.add(minutes <= int(agent.max_hours_per_week * 60))
                if problem.full_week(week) and agent.min_hours_per_week > 0:
                    m.add(minutes >= round(agent.min_hours_per_week * 60))
                m.add(sum(day_work[d] for d in week_days) <= agent.max_days_per_week)

        # Group counts and break placement.
        covering: dict[frozenset[str], list[list[cp_model.LinearExprT]]] = {}
        self.breaks: dict[tuple[frozenset[str], int], list[tuple[int, cp_model.IntVar]]] = {}
        self.counts: dict[tuple[frozenset[str], int], tuple[cp_model.IntVar, list[int]]] = {}
        self.served: dict[tuple[int, frozenset[str]], list[tuple[str, cp_model.IntVar]]] = {}
        for key in group_keys:
            on_duty: list[list[cp_model.LinearExprT]] = [[] for _ in range(problem.intervals)]
            used: dict[int, list[int]] = defaultdict(list)
            for a in members[key]:
                for tid in problem.feasible[a]:
                    used[tid].append(a)
            for tid, agents_on in used.items():
                t = templates[tid]
                size = len(agents_on)
                if size == 1:
                    count: cp_model.LinearExprT = x[agents_on[0], tid]
                else:
                    count = m.new_int_var(0, size, f"n_{tid}")
                    m.add(count == sum(x[a, tid] for a in agents_on))
                    self.counts[key, tid] = (count, agents_on)
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

        served_total: list[cp_model.LinearExprT] = []
        total_required = 0
        for i in range(problem.intervals):
            per_skill: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for key in group_keys:
                terms = covering[key][i]
                if not terms:
                    continue
                skills = [s for s in sorted(key) if problem.required[s][i] > 0]
                if not skills:
                    continue
                cap = len(members[key])
                served = []
                for s in skills:
                    v = m.new_int_var(0, min(cap, problem.required[s][i]), f"s_{i}_{s}")
                    served.append(v)
                    per_skill[s].append(v)
                    self.served.setdefault((i, key), []).append((s, v))
                m.add(sum(served) <= sum(terms))
            for s in problem.skills:
                need = problem.required[s][i]
                total_required += need
                if per_skill[s]:
                    m.add(sum(per_skill[s]) <= need)
                    served_total.extend(per_skill[s])

        served_sum = cp_model.LinearExpr.sum(served_total)
        on_duty_intervals = sum(
            x[a, tid] * (templates[tid].end - templates[tid].start - templates[tid].break_length)
            for (a, tid) in x
        )
        preference = sum(
            x[a, tid] * problem.penalty[a][tid] for (a, tid) in x if problem.penalty[a][tid]
        )
        most_unpopular = m.new_int_var(0, days, "most_unpopular")
        self.most_unpopular = most_unpopular
        for a, allowed in enumerate(problem.feasible):
            unpopular = [x[a, tid] for tid in allowed if templates[tid].unpopular]
            if unpopular:
                m.add(sum(unpopular) <= most_unpopular)
        self.total_required = total_required
        self.weights = weights
        self.under = total_required - served_sum
        self.over = on_duty_intervals - served_sum
        self.objective = (
            weights.under * self.under
            + weights.over * self.over
            + weights.preference * preference
            + weights.fairness * most_unpopular
        )
        m.minimize(self.objective)

    def add_hint(self, plan: list[tuple[int, int, int | None]]) -> None:
        """Hint a complete schedule (agent, template, break start) to the solver."""
        chosen = {(a, tid) for a, tid, _ in plan}
        for pair, var in self.x.items():
            self.model.add_hint(var, pair in chosen)
        group_of = {a: key for key, agents in self.members.items() for a in agents}
        counts: dict[tuple[frozenset[str], int, int], int] = defaultdict(int)
        for a, tid, brk in plan:
            if brk is not None:
                counts[group_of[a], tid, brk] += 1
        for (key, tid), options in self.breaks.items():
            for p, b in options:
                self.model.add_hint(b, counts.get((key, tid, p), 0))
        for (_, tid), (count, agents_on) in self.counts.items():
            self.model.add_hint(count, sum((a, tid) in chosen for a in agents_on))
        # On-duty agents per group and interval, then a simple feasible skill assignment:
        # each group's agents go to the skills with the most unmet demand.
        templates = self.problem.templates
        on_duty: dict[tuple[int, frozenset[str]], int] = defaultdict(int)
        unpopular: dict[int, int] = defaultdict(int)
        for a, tid, brk in plan:
            t = templates[tid]
            unpopular[a] += t.unpopular
            for i in range(t.start, t.end):
                if brk is None or not brk <= i < brk + t.break_length:
                    on_duty[i, group_of[a]] += 1
        self.model.add_hint(self.most_unpopular, max(unpopular.values(), default=0))
        left: dict[tuple[int, str], int] = {}
        for (i, key), served in sorted(
            self.served.items(), key=lambda kv: (kv[0][0], len(kv[0][1]))
        ):
            free = on_duty.get((i, key), 0)
            for s, var in sorted(
                served, key=lambda sv: -left.get((i, sv[0]), self.problem.required[sv[0]][i])
            ):
                room = left.get((i, s), self.problem.required[s][i])
                take = min(free, room, self._upper(var))
                self.model.add_hint(var, take)
                left[i, s] = room - take
                free -= take

    @staticmethod
    def _upper(var: cp_model.IntVar) -> int:
        domain = list(var.proto.domain)  # the proto container has no negative indexing
        return int(domain[-1])

    def shifts(self, solver: cp_model.CpSolver) -> list[Shift]:
        problem = self.problem
        templates = problem.templates
        group_of = {a: key for key, agents in self.members.items() for a in agents}
        working: dict[tuple[frozenset[str], int], list[int]] = defaultdict(list)
        chosen = []
        for (a, tid), var in self.x.items():
            if solver.boolean_value(var):
                chosen.append((a, tid))
                working[group_of[a], tid].append(a)
        break_start: dict[tuple[int, int], int] = {}
        for (key, tid), agents_on in working.items():
            positions = []
            for p, b in self.breaks.get((key, tid), []):
                positions.extend([p] * solver.value(b))
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


class _Relaxation:
    """The LP relaxation of a CP-SAT model built only of linear and at-most-one constraints."""

    def __init__(self, value: float, values: list[float]) -> None:
        self.value = value
        self.values = values


def lp_relaxation(model: cp_model.CpModel, time_limit_seconds: float) -> _Relaxation | None:
    """Solve the LP relaxation of `model` (its objective, every constraint, integrality dropped).

    Its optimum is a lower bound on the model's optimum. GLOP (OR-Tools' simplex) solves it;
    None when the model holds another kind of constraint or GLOP does not finish in time.
    """
    return _linear_solve(model, time_limit_seconds, "GLOP")


def _linear_solve(
    model: cp_model.CpModel, time_limit_seconds: float, backend: str
) -> _Relaxation | None:
    """`model` solved by an OR-Tools linear solver: GLOP for the LP, SCIP as a MIP."""
    from ortools.linear_solver import pywraplp

    proto = model.proto
    lp = pywraplp.Solver.CreateSolver(backend)
    if lp is None or time_limit_seconds <= 0:
        return None
    integer = backend != "GLOP"
    inf = lp.infinity()
    big = 2**62

    def side(value: int) -> float:
        return inf if value > big else -inf if value < -big else float(value)

    cols = []
    for k, variable in enumerate(proto.variables):
        domain = list(variable.domain)
        make = lp.IntVar if integer else lp.NumVar
        cols.append(make(float(domain[0]), float(domain[-1]), f"v{k}"))
    for constraint in proto.constraints:
        if len(constraint.enforcement_literal):
            return None
        if constraint.has_linear():
            linear = constraint.linear
            domain = list(linear.domain)
            row = lp.Constraint(side(domain[0]), side(domain[-1]))
            for var, coeff in zip(linear.vars, linear.coeffs, strict=True):
                row.SetCoefficient(cols[var], row.GetCoefficient(cols[var]) + coeff)
        elif constraint.has_at_most_one():
            row = lp.Constraint(-inf, 1)
            for literal in constraint.at_most_one.literals:
                if literal < 0:
                    return None
                row.SetCoefficient(cols[literal], 1)
        else:
            return None
    objective = lp.Objective()
    for var, coeff in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        objective.SetCoefficient(cols[var], coeff)
    objective.SetOffset(proto.objective.offset)
    objective.SetMinimization()
    lp.SetTimeLimit(max(1, int(time_limit_seconds * 1000)))
    code = lp.Solve()
    if code != pywraplp.Solver.OPTIMAL and not (integer and code == pywraplp.Solver.FEASIBLE):
        return None
    return _Relaxation(objective.Value(), [c.solution_value() for c in cols])


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


def _hint_solution(model: cp_model.CpModel, values: Sequence[int]) -> None:
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(int(v) for v in values)


def _fixed_where_integral(
    model: cp_model.CpModel, built: _Model, relaxation: _Relaxation
) -> tuple[cp_model.CpModel, int]:
    """A copy of `model` with each shift variable the LP sets to 0 or 1 fixed there (RENS)."""
    copy = model.clone()
    free = 0
    for var in built.x.values():
        value = relaxation.values[var.index]
        if value < 1e-6 or value > 1 - 1e-6:
            domain = copy.proto.variables[var.index].domain
            domain[0] = domain[1] = round(value)
        else:
            free += 1
    return copy, free


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
    under-coverage alone, starting from the LP relaxation (its optimum bounds under-coverage;
    SCIP searches the shifts it leaves fractional with the others fixed, then CP-SAT the whole
    model); phase two minimises the whole weighted objective starting from phase one's
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
    phase_one_status: str | None = None
    phase_one_seconds = 0.0
    if lexicographic and built.total_required > 0 and rules.weights.under > 0:
        model.minimize(built.under)
        phase_one = _phase_one(run, deadline)
        if phase_one is None:
            return _failed("infeasible", None, started)
        phase_one_status, _, under_bound, values = phase_one
        phase_one_seconds = time.monotonic() - started
        if values is not None:
            _hint_solution(model, values)
        # Phase two: the whole weighted objective (so its bound is valid for every schedule),
        # started from phase one's schedule; under-coverage's weight keeps coverage first.
        model.minimize(built.objective)
    solver, code = run.solve(model, deadline - time.monotonic(), phase_one=False)
    status = _STATUS.get(code)
    if status is None:
        raise RuntimeError(f"CP-SAT rejected the scheduling model: {solver.status_name(code)}.")
    if status in ("infeasible", "unknown"):
        return _failed(status, solver.best_objective_bound, started)
    shifts = built.shifts(solver)
    # The weights are integers: the objective is an integer and the bound may be rounded up.
    objective = float(round(solver.objective_value))
    bound = float(math.ceil(solver.best_objective_bound - 1e-6))
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
_RENS_SHARE = 0.2
_PHASE_ONE_SHARE = 0.6


def _phase_one(run: _Run, deadline: float) -> tuple[str, int, float, list[int] | None] | None:
    """Minimise under-coverage alone: (status, best found, lower bound, solution) or None.

    None means the hard rules are infeasible. The solution is None when none was found in time.
    """
    built = run.built
    model = built.model
    total = deadline - time.monotonic()
    phase_end = time.monotonic() + _PHASE_ONE_SHARE * total
    lp_bound = 0
    relaxation = lp_relaxation(model, _LP_SHARE * total)
    if relaxation is not None:
        lp_bound = max(0, math.ceil(relaxation.value - 1e-6))
        fixed, free = _fixed_where_integral(model, built, relaxation)
        if free:
            # SCIP finds good solutions of this small MIP faster than CP-SAT's search.
            seconds = min(_RENS_SHARE * total, phase_end - time.monotonic())
            rens = _linear_solve(fixed, seconds, "SCIP")
            if rens is not None:
                _hint_solution(model, [round(v) for v in rens.values])
    solver, code = run.solve(model, phase_end - time.monotonic(), phase_one=True, target=lp_bound)
    if code == cp_model.INFEASIBLE:
        return None
    bound = float(max(lp_bound, math.ceil(solver.best_objective_bound - 1e-6)))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "unknown", 0, bound, None
    found = round(solver.objective_value)
    status = "optimal" if code == cp_model.OPTIMAL or found <= bound else "feasible"
    return status, found, bound, list(solver.response_proto.solution)
