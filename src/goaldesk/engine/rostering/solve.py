"""Solving a scheduling problem in phases: coverage first, then everything else.

`solve_schedule` builds the CP-SAT model (`cpsat_model.ScheduleModel`) and runs it:

* phase one minimises under-coverage alone: the LP relaxation (HiGHS) bounds it; a first
  schedule comes from HiGHS with every shift the LP decides fixed (RENS), or from the smaller
  model of crews for models too large for that LP, or from the greedy schedule; then
  large-neighbourhood search (`mip.improve`) improves it, the crews' step (`_crew_step`) beside
  it;
* phase two minimises the whole weighted objective with CP-SAT, started from phase one's
  schedule (for very large models, the same search with HiGHS instead).

The shares of the time limit each step may take are the constants below `_failed`; progress
reaches the caller's callback on the calling thread (`_Run`).
"""

import contextlib
import math
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from ortools.sat.python import cp_model

from goaldesk.engine.rostering.cpsat_model import ScheduleModel, crews_of, hint_solution
from goaldesk.engine.rostering.evaluate import evaluate_schedule
from goaldesk.engine.rostering.greedy import greedy_schedule
from goaldesk.engine.rostering.mip import LinearForm, Outcome, improve, objective_value
from goaldesk.engine.rostering.model import (
    Agent,
    Requirement,
    Rules,
    ScheduleResult,
    SolveProgress,
)
from goaldesk.engine.rostering.problem import Problem, build_problem

ProgressCallback = Callable[[SolveProgress], None]
_T = TypeVar("_T")

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
        built: ScheduleModel,
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
        self._greedy: list[tuple[int, int, int | None]] | None = None

    def greedy(self) -> list[tuple[int, int, int | None]]:
        """The greedy schedule (`greedy_schedule`), computed once: on a large model it takes
        as long as a step of the search."""
        if self._greedy is None:
            self._greedy = greedy_schedule(self.built.problem)
        return self._greedy

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


def _integral_shifts(built: ScheduleModel, relaxation: Sequence[float]) -> dict[int, int]:
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
    problem = build_problem(requirements, agents, rules)
    problems = precheck(problem)
    if problems:
        return _failed("infeasible", None, started, why=tuple(problems))
    built = ScheduleModel(problem)
    deadline = _search_deadline(started, time_limit_seconds, time.monotonic() - started)
    run = _Run(built, progress, num_workers, random_seed, started)
    if use_hint:
        built.add_hint(run.greedy())
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
            hint_solution(model, dict(enumerate(phase_one_values)))
        # Phase two: the whole weighted objective (so its bound is valid for every schedule),
        # started from phase one's schedule; under-coverage's weight keeps coverage first.
        model.minimize(built.objective)
    # Every term but under-coverage is non-negative, so phase one's bound bounds the whole.
    bound = rules.weights.under * (under_bound or 0.0)
    status, solution, bound = _phase_two(run, phase_one_values, bound, deadline)
    if solution is None:
        return _failed(status, bound, started)
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


def _search_deadline(started: float, time_limit_seconds: float, build_seconds: float) -> float:
    """When the phases' search must end (a `time.monotonic()` instant) so that the whole solve,
    evaluating the schedule included, ends within `time_limit_seconds` of `started`.

    Evaluating the schedule against the rules takes up to about as long as building the model
    did (0.33 s against 0.54 s on the benchmark's week of 60 agents; 0.8 s against 1 s on a busy
    machine) and CP-SAT overruns its own limit by a little more: the search stops one and a half
    times the build time before the limit, but never more than `_FINISH_SHARE` of it early.
    """
    reserve = min(_FINISH_SHARE * time_limit_seconds, 1.5 * max(build_seconds, 0.0))
    return started + time_limit_seconds - reserve


def _failed(
    status: str, bound: float | None, started: float, why: tuple[str, ...] | None = None
) -> ScheduleResult:
    """A result without a schedule: `why` (plain English), by default what `status` means."""
    if why is None:
        why = (
            (
                "The hard rules contradict each other (minimum hours, rest, consecutive days "
                "and days per week cannot all hold for some agent).",
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


def _phase_two(
    run: _Run, phase_one_values: list[int] | None, bound: float, deadline: float
) -> tuple[str, list[int] | None, float]:
    """Minimise the whole weighted objective until `deadline`, from phase one's schedule when
    there is one (already hinted): (status, solution, bound on the objective).

    `bound` is phase one's bound on the whole objective. The solution is None when CP-SAT
    found none and phase one gave none; the status is then "infeasible" or "unknown" and the
    bound CP-SAT's own.
    """
    built = run.built
    if phase_one_values is not None and len(built.x) > _LP_MAX_SHIFTS:
        # CP-SAT's presolve of a model this large takes all of phase two's time: HiGHS's
        # large-neighbourhood search improves phase one's schedule on the whole objective.
        return "feasible", _phase_two_search(run, phase_one_values, bound, deadline), bound
    if deadline - time.monotonic() <= 0:
        # Out of time: even loading the model into CP-SAT would overrun the limit.
        if phase_one_values is not None:
            return "feasible", phase_one_values, bound
        return "unknown", None, bound
    solver, code = run.solve(built.model, deadline - time.monotonic(), phase_one=False)
    status = _STATUS.get(code)
    if status is None:
        raise RuntimeError(f"CP-SAT rejected the scheduling model: {solver.status_name(code)}.")
    if status == "unknown" and phase_one_values is not None:
        # Phase two found nothing in its time: phase one's schedule stands.
        return "feasible", phase_one_values, bound
    if status in ("infeasible", "unknown"):
        return status, None, solver.best_objective_bound
    # The weights are integers: the bound may be rounded up.
    bound = max(bound, float(math.ceil(solver.best_objective_bound - 1e-6)))
    return status, list(solver.response_proto.solution), bound


#: Shares of the time limit: the LP relaxation, the search around its fractional shifts, and
#: phase one as a whole (the rest goes to phase two; phase one ends early when it is optimal).
_LP_SHARE = 0.25
_RENS_SHARE = 0.1
_PHASE_ONE_SHARE = 0.85
#: The least time worth starting a HiGHS step with (it rebuilds the model first).
_MIN_STEP_SECONDS = 0.5
#: The most of the time limit kept back from the search for evaluating the schedule found.
_FINISH_SHARE = 0.1
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
    built: ScheduleModel,
    form: LinearForm,
    crews: list[list[int]],
    until: float,
    split_seconds: float,
    done: threading.Event,
) -> Future[Outcome]:
    """A search started now, in a thread of its own, beside phase one's others (see `improve`).

    HiGHS solves the model of crews (`ScheduleModel` with `crews`) until `until`: without the symmetry
    of interchangeable agents it finds good coverage far sooner, and its bound holds for every
    schedule. Then, unless `done` is set, HiGHS places people on it: it solves the model of
    agents with only the shifts their crew works open to them, which is quick (the crews' week
    patterns make it splittable as a rule; where it is not, the best schedule near it comes
    back). The outcome has the crews' bound.
    """

    def step() -> Outcome:
        crew = ScheduleModel(built.problem, crews)
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


def _at_most(step: Callable[[], _T], seconds: float) -> _T | None:
    """`step()`'s outcome, or None when it has not come back within `seconds`.

    HiGHS's interior point method and crossover overrun their time limit (a 0.4 s limit took
    6 s on the benchmark's week of 60 agents on a busy machine), and so can handing a model to
    HiGHS (`LinearForm.of`, 2 s for 30 agents): the step runs in a thread of its own, which is
    left to finish in the background when it is late.
    """
    pool = ThreadPoolExecutor(1, thread_name_prefix="bounded")
    future = pool.submit(step)
    pool.shutdown(wait=False)
    try:
        return future.result(timeout=max(0.0, seconds))
    except TimeoutError:
        return None


def _crews_placed(
    built: ScheduleModel, form: LinearForm, crews: list[list[int]], seconds: float
) -> tuple[Outcome, float]:
    """A schedule and a bound for a model too large for its own LP, by way of its crews.

    The LP relaxation of the model of crews bounds under-coverage; HiGHS solves that model with
    every count the LP decides fixed (RENS); the crews' shifts are placed on people in order of
    time (`greedy_schedule` with a quota), and HiGHS, with those shifts fixed, finishes the
    schedule (the few shifts the rules kept from anyone, breaks, shortages).
    """
    until = time.monotonic() + seconds
    crew = ScheduleModel(built.problem, crews)
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
    # Without HiGHS in time, CP-SAT searches from the greedy schedule alone.
    form = _at_most(lambda: LinearForm.of(model), _LP_SHARE * total)
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
        seconds = _LP_SHARE * total - (time.monotonic() - started)
        relaxation = _at_most(lambda: form.solve(seconds, relax=True), seconds)
        if relaxation is not None and relaxation.optimal and relaxation.values is not None:
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
        plan = run.greedy()
        seconds = min(_RENS_SHARE * total, phase_end - time.monotonic())
        if seconds >= _MIN_STEP_SECONDS:
            # Handing HiGHS a large model takes a while of its own: no step without the time.
            take(form.solve(seconds, fixed=built.assignment(plan)))
    if incumbent is None:
        # CP-SAT from the greedy hint; half the time is left for the search when it can run.
        until = phase_end if form is None else (time.monotonic() + phase_end) / 2
        if until - time.monotonic() <= 0:
            done.set()
            return "unknown", 0, bound, None
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
