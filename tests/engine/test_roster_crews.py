"""The model of crews: agents alike in skills, shifts and contract, counted together.

Instances use the 60-minute UTC grid of `test_roster`, so coverage units are agent-hours;
expected values are worked out by hand in the comments.
"""

import datetime as dt
import math
import threading
import time
from collections import Counter

from goaldesk.engine.rostering.cpsat_model import ScheduleModel, _week_patterns, crews_of
from goaldesk.engine.rostering.greedy import greedy_schedule
from goaldesk.engine.rostering.mip import LinearForm, objective_value
from goaldesk.engine.rostering.problem import build_problem
from goaldesk.engine.rostering.solve import _crew_step, _crews_placed, _phase_two_search, _Run
from tests.engine.test_roster import LUNCH, agent, at, demand, rules
from tests.engine.test_roster_search import coverage_form


def _crew_optimum(reqs, people, rule_set) -> float:
    """The least under-coverage of the model of crews, by HiGHS."""
    problem = build_problem(reqs, people, rule_set)
    form = LinearForm.of(ScheduleModel(problem, crews_of(problem)).model)
    assert form is not None
    outcome = form.solve(10)
    assert outcome.optimal
    return round(outcome.objective)


def test_agents_alike_in_skills_shifts_and_contract_form_one_crew():
    reqs = demand(2, {"phone": [(0, 9, 17, 1), (1, 9, 17, 1)], "chat": [(0, 9, 17, 1)]})
    people = [
        agent("ann"),
        agent("bob"),
        agent("cem", "phone", "chat"),  # a second skill in demand
        agent("dan", "phone", "fax"),  # fax is not in demand: alike with ann and bob
        agent("eve", max_days_per_week=1),  # another contract
        agent("fay", availability={2: [(dt.time(9), dt.time(17))]}),  # Tuesdays only
    ]
    problem = build_problem(reqs, people, rules(shift_start_times=(dt.time(9),)))
    assert crews_of(problem) == [[0, 1, 3], [2], [4], [5]]


def test_a_crew_works_no_more_days_than_its_members_together():
    # Six days each need two agents 09–17 (12 agent-days); three alike agents work two days
    # each, 6 agent-days: 6 days × 8 h short, 48 agent-hours.
    reqs = demand(6, {"phone": [(d, 9, 17, 2) for d in range(6)]})
    people = [agent(name, max_days_per_week=2) for name in ("ann", "bob", "cem")]
    assert _crew_optimum(reqs, people, rules(shift_start_times=(dt.time(9),))) == 48


def test_a_crew_keeps_each_members_rest():
    # Monday 14–22 and Tuesday 06–14 each need two agents; 8 h between them is too little rest,
    # so each of the two agents covers one of the shifts: 16 of 32 agent-hours short (were the
    # rest row not scaled by the crew's size, 24; without it, none).
    reqs = demand(2, {"phone": [(0, 14, 22, 2), (1, 6, 14, 2)]})
    people = [agent("ann"), agent("bob")]
    assert _crew_optimum(reqs, people, rules(shift_start_times=(dt.time(6), dt.time(14)))) == 16


def _lunch_instance() -> tuple[ScheduleModel, LinearForm]:
    # Two alike agents 09–17 with an hour's lunch at 12:00 or 13:00; demand two agents, one at
    # 12:00 and 13:00: staggered lunches leave nothing short.
    reqs = demand(1, {"phone": [(0, 9, 12, 2), (0, 12, 14, 1), (0, 14, 17, 2)]})
    people = [agent("ann"), agent("bob")]
    problem = build_problem(reqs, people, rules(shift_start_times=(dt.time(9),), breaks=(LUNCH,)))
    return coverage_form(problem)


def test_the_crews_schedule_is_placed_on_people_with_its_breaks():
    built, form = _lunch_instance()
    crews = crews_of(built.problem)
    assert crews == [[0, 1]]
    step = _crew_step(built, form, crews, time.monotonic() + 10, 10, threading.Event())
    outcome = step.result()
    assert outcome.values is not None
    assert round(outcome.objective) == 0 and round(outcome.bound) == 0
    shifts = built.shifts([round(v) for v in outcome.values])
    assert sorted(s.agent_id for s in shifts) == ["ann", "bob"]
    assert sorted(s.breaks[0][0] for s in shifts) == [at(0, 12), at(0, 13)]


def test_once_phase_one_is_over_the_crews_step_only_bounds():
    built, form = _lunch_instance()
    done = threading.Event()
    done.set()
    outcome = _crew_step(built, form, crews_of(built.problem), time.monotonic() + 10, 10, done)
    result = outcome.result()
    assert result.values is None and result.objective == math.inf
    assert round(result.bound) == 0


def test_a_members_week_is_a_pattern_of_shift_lengths_within_the_contract():
    # 6-hour and 8-hour shifts, at most 4 days and 16 to 24 hours: (sixes, eights) with
    # 6a + 8b in 16..24 and a + b ≤ 4 are (0, 2) 16 h, (0, 3) 24 h, (1, 2) 22 h, (2, 1) 20 h,
    # (3, 0) 18 h and (4, 0) 24 h; (1, 1) is 14 h, (2, 2) 28 h.
    patterns = _week_patterns((360, 480), most_days=4, most_minutes=24 * 60, least_minutes=960)
    assert patterns == [(0, 2), (0, 3), (1, 2), (2, 1), (3, 0), (4, 0)]


def test_a_crew_shares_only_the_shifts_its_members_can_split():
    # Monday to Friday need one agent 09–17; two alike agents of at most 20 hours. Summed, 40 h
    # allows all five 8-hour shifts, but each agent works at most two (24 h is too many): four
    # days covered, one 8-hour day short.
    reqs = demand(5, {"phone": [(d, 9, 17, 1) for d in range(5)]})
    people = [agent(name, max_hours_per_week=20) for name in ("ann", "bob")]
    assert _crew_optimum(reqs, people, rules(shift_start_times=(dt.time(9),))) == 8


def test_a_crew_splits_shift_lengths_as_its_members_can():
    # The same week with 6-hour shifts too, agents of at most 22 hours: each works at most two
    # eights (24 h is too many) and then one six (22 h). Four days are covered by eights; on the
    # fifth two sixes from 09 leave 15–17 short: 2 agent-hours. Summed, 40 h of eights ≤ 44 h.
    reqs = demand(5, {"phone": [(d, 9, 17, 1) for d in range(5)]})
    people = [agent(name, max_hours_per_week=22) for name in ("ann", "bob")]
    rule_set = rules(shift_start_times=(dt.time(9),), shift_lengths_minutes=(360, 480))
    assert _crew_optimum(reqs, people, rule_set) == 2


def _template(problem, day: int, hour: int) -> int:
    """The id of the shift that starts at `hour` on `day` (60-minute grid)."""
    (tid,) = [t.id for t in problem.templates if t.start == day * 24 + hour]
    return tid


def test_a_crews_shifts_go_in_order_of_time_to_the_member_with_the_fewest_hours():
    # Two alike agents; the crew works 14–22 on Monday, twice 06–14 on Tuesday, and 06–14 on
    # Wednesday and Thursday. Monday: a tie, the first member, ann. Tuesday: ann's rest after
    # 22:00 would be 8 h, so bob, and the second Tuesday shift has nobody. Wednesday: 8 h and
    # one shift each, ann. Thursday: ann has 16 h, bob 8 h, so bob.
    days = 4
    reqs = demand(days, {"phone": [(0, 14, 22, 1)] + [(d, 6, 14, 1) for d in range(1, days)]})
    shifts = (dt.time(6), dt.time(14))
    problem = build_problem(reqs, [agent("ann"), agent("bob")], rules(shift_start_times=shifts))
    monday = _template(problem, 0, 14)
    tuesday, wednesday, thursday = (_template(problem, d, 6) for d in (1, 2, 3))
    quota = {(0, monday): 1, (0, tuesday): 2, (0, wednesday): 1, (0, thursday): 1}
    plan = greedy_schedule(problem, [[0, 1]], quota)
    assert sorted((a, tid) for a, tid, _ in plan) == sorted(
        [(0, monday), (1, tuesday), (0, wednesday), (1, thursday)]
    )


def test_a_large_models_first_schedule_comes_from_its_crews():
    # The week of `test_a_crew_works_no_more_days_than_its_members_together`: 48 agent-hours
    # short at best, and the LP of crews proves it.
    reqs = demand(6, {"phone": [(d, 9, 17, 2) for d in range(6)]})
    people = [agent(name, max_days_per_week=2) for name in ("ann", "bob", "cem")]
    problem = build_problem(reqs, people, rules(shift_start_times=(dt.time(9),)))
    built, form = coverage_form(problem)
    placed, bound = _crews_placed(built, form, crews_of(problem), 10)
    assert (round(placed.objective), bound) == (48, 48)
    shifts = built.shifts([round(v) for v in placed.values])
    assert sorted(Counter(s.agent_id for s in shifts).values()) == [2, 2, 2]


def test_phase_two_by_search_improves_a_schedule_on_the_whole_objective():
    # Models too large for CP-SAT get phase two from HiGHS's search. Monday 09–17 needs one
    # agent; ann would rather have Mondays off, bob does not mind. Phase one gave ann the shift:
    # covered, one preference broken (weight 4). The search hands it to bob: objective 0.
    reqs = demand(1, {"phone": [(0, 9, 17, 1)]})
    people = [agent("ann", preferred_days_off=frozenset({1})), agent("bob")]  # ISO Monday
    problem = build_problem(reqs, people, rules(shift_start_times=(dt.time(9),)))
    built, form = coverage_form(problem)
    first = form.solve(10, fixed=built.assignment([(0, _template(problem, 0, 9), None)]))
    values = [round(v) for v in first.values]
    assert objective_value(built.weighted, values) == 4
    built.model.minimize(built.objective)
    run = _Run(built, None, num_workers=1, random_seed=0, started=time.monotonic())
    better = _phase_two_search(run, values, 0.0, time.monotonic() + 10)
    assert objective_value(built.weighted, better) == 0
    assert [s.agent_id for s in built.shifts(better)] == ["bob"]


def test_an_agent_with_no_skill_in_demand_is_topped_up_to_their_contract_and_covers_nothing():
    # A week of phone work 09-17 on Monday; gus only does fax, which nobody asks for, but his
    # contract asks for at least 8 hours a week: he gets one 8-hour shift (this used to crash
    # the first schedule), and ann alone is counted on the phone.
    reqs = demand(7, {"phone": [(0, 9, 17, 1)]})
    people = [agent("ann"), agent("gus", "fax", min_hours_per_week=8)]
    problem = build_problem(reqs, people, rules(shift_start_times=(dt.time(9),)))
    plan = greedy_schedule(problem)
    assert Counter(a for a, _, _ in plan) == {0: 1, 1: 1}
