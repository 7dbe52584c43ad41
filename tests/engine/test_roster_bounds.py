"""Lower bounds on under-coverage and the two-phase (coverage first) solve.

Instances use a 60-minute grid in UTC from Monday 2 March 2026, so coverage units are
agent-hours; expected values are worked out by hand in the comments.
"""

import datetime as dt
import threading

import pytest
from ortools.sat.python import cp_model

from goaldesk.engine.rostering import Agent, BreakRule, Rules, solve_schedule
from goaldesk.engine.rostering.solve import lp_relaxation
from tests.engine.test_roster import agent, demand, rules


def test_the_bound_on_under_coverage_is_the_shortfall_when_supply_is_too_small():
    # Three phone agents needed 09:00–17:00, two agents, one 8-hour shift each: one agent short
    # for 8 hours whatever the schedule, so both the found under-coverage and the bound are 8.
    reqs = demand(1, {"phone": [(0, 9, 17, 3)]})
    result = solve_schedule(
        reqs,
        [agent("ann"), agent("bob")],
        rules(shift_start_times=(dt.time(9),)),
        time_limit_seconds=10,
    )
    assert result.status == "optimal"
    assert result.evaluation is not None
    assert result.evaluation.under_coverage == 8
    assert result.under_coverage_bound == 8


def test_full_coverage_has_a_zero_bound():
    reqs = demand(1, {"phone": [(0, 9, 17, 1)]})
    result = solve_schedule(
        reqs, [agent("ann")], rules(shift_start_times=(dt.time(9),)), time_limit_seconds=10
    )
    assert result.evaluation is not None
    assert result.evaluation.under_coverage == 0
    assert result.under_coverage_bound == 0


def _week_with_breaks() -> tuple[list, list[Agent], Rules]:
    # Two skills, a multi-skilled agent, breaks and more demand than supply on Wednesday.
    reqs = demand(
        3,
        {
            "phone": [(0, 8, 18, 2), (1, 8, 18, 1), (2, 8, 18, 3)],
            "chat": [(0, 10, 14, 1), (2, 9, 17, 1)],
        },
    )
    people = [
        agent("ann", "phone", "chat"),
        agent("bob", "phone", max_days_per_week=2),
        agent("cem", "chat", preferred_day_parts=frozenset({"afternoon"})),
    ]
    rule_set = rules(
        shift_lengths_minutes=(360, 480),
        shift_start_times=(dt.time(8), dt.time(10)),
        breaks=(BreakRule(length_minutes=60, applies_over_minutes=360),),
    )
    return reqs, people, rule_set


@pytest.mark.parametrize("lexicographic", [True, False])
def test_coverage_first_and_weighted_solves_agree_when_both_are_optimal(lexicographic):
    # Both modes minimise the same weighted objective, so proven optima are equal, and the
    # under-coverage bound never exceeds the under-coverage of the schedule found.
    reqs, people, rule_set = _week_with_breaks()
    result = solve_schedule(
        reqs, people, rule_set, time_limit_seconds=10, lexicographic=lexicographic
    )
    reference = solve_schedule(
        reqs, people, rule_set, time_limit_seconds=10, lexicographic=not lexicographic
    )
    assert result.status == reference.status == "optimal"
    assert result.objective == reference.objective
    assert result.evaluation is not None
    assert result.evaluation.violations == ()
    if lexicographic:
        assert result.under_coverage_bound is not None
        assert result.under_coverage_bound <= result.evaluation.under_coverage
    else:
        # The weighted bound mixes under-coverage with the other terms: no bound on it alone.
        assert result.under_coverage_bound is None


def test_the_lp_relaxation_of_a_triangle_is_one_and_a_half():
    # Pick as many of x, y, z as possible, at most one of each pair: the integer optimum is 1,
    # the LP optimum 3/2 (each at 1/2), i.e. a bound of -1.5 on the minimised -(x + y + z).
    model = cp_model.CpModel()
    x, y, z = (model.new_bool_var(name) for name in "xyz")
    for pair in ((x, y), (y, z), (x, z)):
        model.add_at_most_one(pair)
    model.minimize(-(x + y + z))
    relaxation = lp_relaxation(model, 5)
    assert relaxation is not None
    assert relaxation.objective == pytest.approx(-1.5)
    assert relaxation.values[:3] == pytest.approx([0.5, 0.5, 0.5])


def test_the_lp_relaxation_declines_a_model_it_cannot_linearise():
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    y = model.new_int_var(0, 9, "y")
    model.add_multiplication_equality(y, [x, x])
    model.minimize(y)
    assert lp_relaxation(model, 5) is None


def test_progress_is_reported_on_the_calling_thread():
    # The web layer writes progress to its database connection, which belongs to its thread.
    reqs = demand(2, {"phone": [(d, 9, 17, 1) for d in range(2)]})
    threads = set()
    result = solve_schedule(
        reqs,
        [agent("ann"), agent("bob")],
        rules(shift_start_times=(dt.time(8), dt.time(9))),
        time_limit_seconds=10,
        progress=lambda _: threads.add(threading.get_ident()),
    )
    assert result.status == "optimal"
    assert threads == {threading.get_ident()}
