"""Property tests: no schedule the solver returns breaks a hard rule, on random small instances.

The evaluator checks every hard rule independently of the CP-SAT model, and recounts coverage
with its own max flow; the solver's objective must equal the weighted sum of what it counts.
"""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goaldesk.engine.rostering import (
    Absence,
    Agent,
    BreakRule,
    ObjectiveWeights,
    Rules,
    requirements_from_curves,
    solve_schedule,
)

MONDAY = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
SKILLS = ("phone", "chat")


@st.composite
def instances(draw):
    days = draw(st.integers(2, 4))
    hours = 24 * days
    curves = {
        skill: draw(st.lists(st.integers(0, 2), min_size=hours, max_size=hours)) for skill in SKILLS
    }
    for curve in curves.values():  # nights are closed
        for h in range(hours):
            if not 6 <= h % 24 < 22:
                curve[h] = 0
    requirements = requirements_from_curves(MONDAY, 60, curves)
    agents = []
    for n in range(draw(st.integers(1, 3))):
        skills = draw(st.sets(st.sampled_from(SKILLS), min_size=1))
        availability = {}
        if draw(st.booleans()):
            first = draw(st.integers(5, 12))
            availability = {
                d: [(dt.time(first), dt.time(22))]
                for d in draw(st.sets(st.integers(1, 7), min_size=1))
            }
        absences = ()
        if draw(st.booleans()):
            day = draw(st.integers(0, days - 1))
            hour = draw(st.integers(6, 20))
            start = MONDAY + dt.timedelta(days=day, hours=hour)
            absences = (Absence(start=start, end=start + dt.timedelta(hours=2)),)
        agents.append(
            Agent(
                id=f"a{n}",
                skills=frozenset(skills),
                max_hours_per_week=draw(st.sampled_from([16, 24, 40])),
                max_days_per_week=draw(st.integers(2, 6)),
                availability=availability,
                absences=absences,
                preferred_day_parts=frozenset(
                    draw(st.sets(st.sampled_from(["morning", "afternoon"])))
                ),
                preferred_days_off=frozenset(draw(st.sets(st.integers(1, 7), max_size=2))),
            )
        )
    rules = Rules(
        shift_lengths_minutes=tuple(draw(st.sets(st.sampled_from([240, 360, 480]), min_size=1))),
        shift_start_times=tuple(
            dt.time(h) for h in draw(st.sets(st.integers(6, 14), min_size=1, max_size=4))
        ),
        opening_hours={d: [(dt.time(6), dt.time(22))] for d in range(1, 8)},
        breaks=(BreakRule(length_minutes=60, applies_over_minutes=360),),
        min_rest_minutes=draw(st.sampled_from([8 * 60, 11 * 60, 14 * 60])),
        max_consecutive_days=draw(st.integers(1, 5)),
    )
    return requirements, agents, rules


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_no_returned_schedule_breaks_a_hard_rule(instance):
    requirements, agents, rules = instance
    result = solve_schedule(requirements, agents, rules, time_limit_seconds=2)
    assert result.status in ("optimal", "feasible")
    evaluation = result.evaluation
    assert evaluation is not None
    assert evaluation.violations == ()
    weights = ObjectiveWeights()
    recount = (
        weights.under * evaluation.under_coverage
        + weights.over * evaluation.over_coverage
        + weights.preference * evaluation.preferences_broken
        + weights.fairness * max(evaluation.unpopular_shifts.values())
        # a quarter of the fairness weight per pair of unpopular shifts one agent holds
        + weights.fairness
        // 4
        * sum(u * (u - 1) // 2 for u in evaluation.unpopular_shifts.values())
    )
    assert result.objective == recount
    # Every short interval is named with a reason.
    short = sum(s.short_by for s in evaluation.shortfalls)
    assert short == evaluation.under_coverage
    assert all(s.reason and s.message for s in evaluation.shortfalls)
