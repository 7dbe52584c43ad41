"""The scheduling model as a mixed-integer program, solved by HiGHS: its LP, and a search.

The CP-SAT model (`cpsat_model.ScheduleModel`, of agents or of crews) holds only linear and
at-most-one constraints, so it is also a MIP (`LinearForm.of`; variables and rows keep their
CP-SAT indices). On the coverage objective an LP-based solver finds good schedules far sooner
than CP-SAT's search (many interchangeable agents, a covering LP that is nearly integral):

* `LinearForm.solve(relax=True)` — the LP relaxation (interior point, then crossover): a lower
  bound on the optimum, the shifts it already decides and the rows' dual values;
* `LinearForm.solve(fixed=…, hint=…)` — HiGHS on the MIP with some variables fixed, from a
  starting solution when given (RENS: fix every shift the LP decides; large-neighbourhood
  search: fix every shift but a few agents' or two days');
* `improve` — the large-neighbourhood search itself, a few HiGHS solves side by side until the
  time is up or the lower bound is reached: steps that free a few agents start from the best
  schedule so far, steps that free two days start afresh, and a long solve of another kind
  (`solve._crew_step`) may run beside them.

HiGHS runs in-process through OR-Tools' MathOpt (`mathopt.solve`), which releases the GIL
while it works.
"""

import datetime as dt
import math
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from absl import logging as absl_logging
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt
from ortools.sat.python import cp_model


def _absl_handler_to_process_stderr() -> None:
    """Point absl's log handler at the process's own stderr, which absl never closes.

    Importing MathOpt imports absl's logging, which creates its handler on whatever
    `sys.stderr` is at that moment (a test's capture, say); the next
    `logging.config.dictConfig` (Django's setup) closes every handler, and with it that stream.
    """
    absl_logging.get_absl_handler().python_handler.setStream(sys.__stderr__)


_absl_handler_to_process_stderr()

_BIG = 2**62
_SOLVED = (mathopt.TerminationReason.OPTIMAL, mathopt.TerminationReason.FEASIBLE)


@dataclass(frozen=True)
class Outcome:
    """A MathOpt solve: the best values found (None if none), their objective, the bound;
    for an LP, the dual value of each constraint (by row index)."""

    values: list[float] | None
    objective: float
    bound: float
    optimal: bool
    duals: list[float] | None = None


def linear_objective(model: cp_model.CpModel) -> tuple[dict[int, int], int]:
    """The minimised objective of `model` as (coefficient per variable index, offset)."""
    objective = model.proto.objective
    coefficients: dict[int, int] = {}
    for var, coeff in zip(objective.vars, objective.coeffs, strict=True):
        coefficients[var] = coefficients.get(var, 0) + coeff
    return coefficients, int(objective.offset)


def objective_value(objective: tuple[dict[int, int], int], values: Sequence[float]) -> float:
    """`objective` (from `linear_objective`) at `values`."""
    coefficients, offset = objective
    return offset + sum(coeff * values[var] for var, coeff in coefficients.items())


class LinearForm:
    """A MathOpt model (as its `ModelProto`) whose variables and rows are numbered as those of a
    CP-SAT model.

    `of` writes the proto directly: a week of 60 agents has some 280,000 nonzeros, and setting
    them one by one through `mathopt.Model` takes twice as long as the whole translation. Each
    solve reads it into a `mathopt.Model` of its own, so that several may run side by side.
    """

    def __init__(self, proto: model_pb2.ModelProto) -> None:
        self.proto = proto

    @classmethod
    def of(cls, model: cp_model.CpModel) -> "LinearForm | None":
        """The linear form of `model` and its objective, or None if it holds other constraints."""
        source = model.proto
        out = model_pb2.ModelProto()
        count = len(source.variables)
        domains = [list(v.domain) for v in source.variables]
        if any(len(domain) != 2 for domain in domains):
            return None
        out.variables.ids.extend(range(count))
        out.variables.lower_bounds.extend(float(d[0]) for d in domains)
        out.variables.upper_bounds.extend(float(d[1]) for d in domains)
        out.variables.integers.extend([True] * count)
        lower, upper = [], []
        matrix = out.linear_constraint_matrix
        for row, constraint in enumerate(source.constraints):
            if len(constraint.enforcement_literal):
                return None
            if constraint.has_linear():
                domain = list(constraint.linear.domain)
                lower.append(-math.inf if domain[0] < -_BIG else float(domain[0]))
                upper.append(math.inf if domain[-1] > _BIG else float(domain[-1]))
                terms: dict[int, int] = {}
                for var, coeff in zip(
                    constraint.linear.vars, constraint.linear.coeffs, strict=True
                ):
                    terms[var] = terms.get(var, 0) + coeff
            elif constraint.has_at_most_one():
                literals = list(constraint.at_most_one.literals)
                if any(literal < 0 for literal in literals):
                    return None
                lower.append(-math.inf)
                upper.append(1.0)
                terms = dict.fromkeys(literals, 1)
            else:
                return None
            for var in sorted(terms):
                if terms[var]:
                    matrix.row_ids.append(row)
                    matrix.column_ids.append(var)
                    matrix.coefficients.append(float(terms[var]))
        out.linear_constraints.ids.extend(range(len(lower)))
        out.linear_constraints.lower_bounds.extend(lower)
        out.linear_constraints.upper_bounds.extend(upper)
        coefficients, offset = linear_objective(model)
        out.objective.offset = float(offset)
        for var in sorted(coefficients):
            out.objective.linear_coefficients.ids.append(var)
            out.objective.linear_coefficients.values.append(float(coefficients[var]))
        return cls(out)

    def solve(
        self,
        seconds: float,
        *,
        relax: bool = False,
        fixed: Mapping[int, int] | None = None,
        hint: Sequence[float] | None = None,
    ) -> Outcome:
        """Minimise with HiGHS for at most `seconds`: the LP relaxation, or the MIP.

        `fixed` pins variables (by index) to values; `hint` is a complete starting solution.
        """
        model = mathopt.Model.from_model_proto(self.proto)
        variables = list(model.variables())
        if relax:
            for variable in variables:
                variable.integer = False
        for var, value in (fixed or {}).items():
            variables[var].lower_bound = variables[var].upper_bound = value
        params = mathopt.SolveParameters(time_limit=dt.timedelta(seconds=max(1e-6, seconds)))
        if relax:
            # Interior point with crossover: a vertex, like the simplex, and far faster on
            # large models (a 200-agent month: 1 minute against more than 6 for OR-Tools' GLOP).
            params.lp_algorithm = mathopt.LPAlgorithm.BARRIER
        model_params = mathopt.ModelSolveParameters()
        if hint is not None and not relax:
            start = {variable: float(v) for variable, v in zip(variables, hint, strict=True)}
            model_params.solution_hints.append(mathopt.SolutionHint(variable_values=start))
        result = mathopt.solve(
            model, mathopt.SolverType.HIGHS, params=params, model_params=model_params
        )
        bounds = result.termination.objective_bounds
        found = result.termination.reason in _SOLVED and result.has_primal_feasible_solution()
        values = _by_id(result.variable_values(), len(variables)) if found else None
        duals = None
        if found and relax and result.has_dual_feasible_solution():
            duals = _by_id(result.dual_values(), model.get_num_linear_constraints())
        return Outcome(
            values=values,
            objective=bounds.primal_bound if found else math.inf,
            bound=bounds.dual_bound,
            optimal=result.termination.reason == mathopt.TerminationReason.OPTIMAL,
            duals=duals,
        )


def _by_id(
    values: Mapping[mathopt.Variable, float] | Mapping[mathopt.LinearConstraint, float], size: int
) -> list[float]:
    """Values keyed by MathOpt variable or row as a list of `size` by id, zero where absent."""
    out = [0.0] * size
    for element, value in values.items():
        out[element.id] = value
    return out


@dataclass(frozen=True)
class Neighbourhoods:
    """What the search may free: shift variables by (agent, template), each template's day,
    and the break-position variables of each day's shifts."""

    shift_vars: Mapping[tuple[int, int], int]
    template_day: Sequence[int]
    agents: int
    days: int
    break_vars: Mapping[int, Sequence[int]] = field(default_factory=dict)
    #: Per shortage variable: the agents who could serve it (a skill and a shift covering it).
    short_vars: Sequence[tuple[int, Sequence[int]]] = ()


#: Seconds per neighbourhood, and the share of neighbourhoods that free two days.
_STEP_SECONDS = 5.0
_DAY_SHARE = 0.6
_SHORT_SHARE = 0.5


def improve(
    form: LinearForm,
    space: Neighbourhoods,
    incumbent: list[int],
    objective: float,
    *,
    lower_bound: float,
    deadline: float,
    workers: int,
    seed: int,
    on_improvement: Callable[[list[int], float], None],
    beside: Future[Outcome] | None = None,
) -> tuple[list[int], float, float]:
    """Large-neighbourhood search from a feasible `incumbent`: the best found, its objective and
    the lower bound.

    Each step frees either every agent's shifts on two days or a few agents' shifts on every
    day, fixes all other shifts (and, for day steps, the other days' break positions) at the
    best schedule so far and lets HiGHS solve what is left for a few seconds, `workers` steps
    side by side. Half the agent steps take half their agents from those who could cover an
    interval that is short now, the rest at random. Agent steps start from the best schedule;
    their number of agents grows while HiGHS proves them optimal and shrinks while it runs out
    of time. Day steps start afresh, and an optimal one is taken even at an equal objective:
    a different schedule of the same quality moves the search off a plateau. Stops at
    `deadline` or at `lower_bound`; `on_improvement` runs on the calling thread.

    `beside`, when given, is a long solve of another kind already running (see
    `solve._crew_step`); it takes one of the workers until it ends, its schedule is taken when it
    is better, and its bound, a bound on the whole problem, raises `lower_bound`. The search
    waits for it.
    """
    rng = random.Random(seed)  # noqa: S311 - search diversity, not secrecy
    size = max(2, space.agents // 6)
    best_values, best = incumbent, objective
    all_shifts = set(space.shift_vars.values())

    def neighbourhood() -> tuple[bool, dict[int, int]]:
        if space.days > 1 and rng.random() < _DAY_SHARE:
            pair = set(rng.sample(range(space.days), 2))
            free = {k for (_, t), k in space.shift_vars.items() if space.template_day[t] in pair}
            fixed = {k: best_values[k] for k in all_shifts - free}
            for day, indices in space.break_vars.items():
                if day not in pair:
                    fixed.update((k, best_values[k]) for k in indices)
            return True, fixed
        chosen: set[int] = set()
        short = [agents for k, agents in space.short_vars if best_values[k] > 0]
        if short and rng.random() < _SHORT_SHARE:
            # Agents who could cover an interval that is short now.
            agents = rng.choice(short)
            chosen = set(rng.sample(agents, min(size // 2, len(agents))))
        others = [a for a in range(space.agents) if a not in chosen]
        chosen |= set(rng.sample(others, min(size - len(chosen), len(others))))
        free = {k for (a, _), k in space.shift_vars.items() if a in chosen}
        return False, {k: best_values[k] for k in all_shifts - free}

    with ThreadPoolExecutor(max(1, workers)) as pool:
        running: dict[Future[Outcome], str] = {}
        if beside is not None:
            running[beside] = "beside"
        while True:
            while len(running) < max(1, workers) and best > lower_bound + 1e-6:
                left = deadline - time.monotonic()
                if left < 0.5:
                    break
                days, fixed = neighbourhood()
                start = None if days else best_values
                seconds = min(_STEP_SECONDS, left)
                step = pool.submit(form.solve, seconds, fixed=fixed, hint=start)
                running[step] = "days" if days else "agents"
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                kind = running.pop(future)
                outcome = future.result()
                if kind == "beside" and math.isfinite(outcome.bound):
                    # A step that ran out of time before solving anything has no bound (-inf).
                    lower_bound = max(lower_bound, math.ceil(outcome.bound - 1e-6))
                if outcome.values is None:
                    continue
                found = round(outcome.objective)
                if found < best or (kind == "days" and outcome.optimal and found == best):
                    best_values = [round(v) for v in outcome.values]
                    if found < best:
                        best = found
                        on_improvement(best_values, best)
                if kind == "agents":
                    size = min(space.agents, size + 1) if outcome.optimal else max(2, size - 1)
    return best_values, best, lower_bound
