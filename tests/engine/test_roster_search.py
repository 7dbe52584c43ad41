"""Phase one's MIP search and the coverage formulation it solves.

Instances use the 60-minute UTC grid of `test_roster`, so coverage units are agent-hours;
expected values are worked out by hand in the comments.
"""

import datetime as dt
import time

import pytest

from goaldesk.engine.rostering import Agent
from goaldesk.engine.rostering.cpsat_model import ScheduleModel
from goaldesk.engine.rostering.mip import LinearForm, improve
from goaldesk.engine.rostering.problem import Problem, build_problem
from tests.engine.test_roster import agent, demand, rules, solve


def coverage_form(problem: Problem) -> tuple[ScheduleModel, LinearForm]:
    """The model of `problem` with under-coverage as its objective, and its form for HiGHS."""
    built = ScheduleModel(problem)
    built.model.minimize(built.under)
    form = LinearForm.of(built.model)
    assert form is not None
    return built, form


def _ring(skills: int, agents: int) -> tuple[list, list[Agent]]:
    # Skill k needs one agent 09:00–17:00; agent k has skills k and k + 1 (mod the count).
    names = [f"s{k}" for k in range(skills)]
    reqs = demand(1, {name: [(0, 9, 17, 1)] for name in names})
    people = [agent(f"a{k}", names[k], names[(k + 1) % skills]) for k in range(agents)]
    return reqs, people


@pytest.mark.parametrize("skills", [3, 4, 5, 6])
def test_agents_with_overlapping_skills_cover_every_skill_when_a_matching_exists(skills):
    # As many agents as skills on a ring: agent k serves skill k, so nothing is short. Up to four
    # linked skills the shortage is bounded by Hall's subsets, beyond by an explicit assignment.
    reqs, people = _ring(skills, skills)
    result = solve(reqs, people, rules(shift_start_times=(dt.time(9),)))
    assert result.evaluation.under_coverage == 0
    assert result.under_coverage_bound == 0


@pytest.mark.parametrize("skills", [4, 5])
def test_one_agent_too_few_leaves_one_skill_short_all_day(skills):
    # One agent fewer than skills: some skill has nobody for the 8 hours, whichever it is.
    reqs, people = _ring(skills, skills - 1)
    result = solve(reqs, people, rules(shift_start_times=(dt.time(9),)))
    assert result.evaluation.under_coverage == 8
    assert result.under_coverage_bound == 8


def test_skills_nobody_has_are_short_without_stopping_the_others():
    # Email has no agent: its 8 hours are short; phone is covered.
    reqs = demand(1, {"phone": [(0, 9, 17, 1)], "email": [(0, 9, 17, 1)]})
    result = solve(reqs, [agent("ann", "phone")], rules(shift_start_times=(dt.time(9),)))
    assert result.evaluation.under_coverage == 8
    assert result.under_coverage_bound == 8


def test_every_agent_with_the_skill_and_a_shift_there_could_cover_a_short_interval():
    # Ann (phone) can work 09–17, bob (chat) too, cem (phone) only from 13:00 (availability):
    # at 10:00 phone can be covered by ann alone, at 14:00 by ann and cem.
    reqs = demand(1, {"phone": [(0, 10, 11, 1), (0, 14, 15, 1)]})
    people = [
        agent("ann", "phone"),
        agent("bob", "chat"),
        agent("cem", "phone", availability={1: [(dt.time(13), dt.time(22))]}),
    ]
    problem = build_problem(reqs, people, rules(shift_start_times=(dt.time(9), dt.time(13))))
    built = ScheduleModel(problem)
    by_interval = {
        i: agents for (i, _, _), (_, agents) in zip(built.shortages, built.coverers(), strict=True)
    }
    assert by_interval == {10: [0], 14: [0, 2]}


def test_the_search_finds_the_optimum_from_an_empty_schedule():
    # Six days each need one agent 09:00–17:00; three agents who work at most two days each
    # cover all six: 48 agent-hours short with nobody working, none at the optimum.
    reqs = demand(6, {"phone": [(d, 9, 17, 1) for d in range(6)]})
    people = [agent(name, max_days_per_week=2) for name in ("ann", "bob", "cem")]
    problem = build_problem(reqs, people, rules(shift_start_times=(dt.time(9),)))
    built, form = coverage_form(problem)
    empty = form.solve(5, fixed={var.index: 0 for var in built.x.values()})
    assert empty.values is not None and round(empty.objective) == 48
    improvements = []
    values, best, _ = improve(
        form,
        built.neighbourhoods(),
        [round(v) for v in empty.values],
        48,
        lower_bound=0,
        deadline=time.monotonic() + 20,
        workers=2,
        seed=1,
        on_improvement=lambda _, objective: improvements.append(objective),
    )
    assert best == 0
    assert improvements == sorted(improvements, reverse=True) and improvements[-1] == 0
    worked = [pair for pair, var in built.x.items() if values[var.index]]
    assert len(worked) == 6
    assert sorted(problem.templates[t].day for _, t in worked) == [0, 1, 2, 3, 4, 5]
