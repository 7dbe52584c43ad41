"""The SMART check on hand-worked goal drafts (the seeds' examples among them)."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goaldesk.engine.smart import (
    LETTERS,
    GoalDraft,
    SmartThresholds,
    best_historical_change,
    check_smart,
)

START = dt.date(2026, 2, 1)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def history(points: dict[int, float]) -> list[tuple[dt.date, float | None]]:
    """A daily series from {day offset: value}; offsets are relative to a year before START."""
    first = START - dt.timedelta(days=365)
    return [(first + dt.timedelta(days=n), v) for n, v in sorted(points.items())]


# Past year of the desk: once 15 → 24 customers a day over 28 days (+60 %), once 20 → 22
# (+10 %). The 10 → 40 jump is 29 days apart, not 28, so it is not a span of the goal's length.
DESK_HISTORY = history({0: 15, 28: 24, 100: 20, 128: 22, 200: 10, 229: 40})


def desk_goal(**changes: object) -> GoalDraft:
    """The seed's service desk: about 20 customers a day now, 30 a day next month."""
    draft = GoalDraft(
        metric_key="customers_helped_per_day",
        metric_unit="per_day",
        better="higher",
        scope={"channel": "walk_in"},
        baseline=20,
        baseline_sample=20,
        target=30,
        start=day(0),
        deadline=day(28),
        business_goal="Increase revenue",
        reason="Customers helped at the desk buy more and come back.",
        history=DESK_HISTORY,
        capacity=36,
        confidence_avg=3.8,
        confidence_votes=5,
    )
    return dataclasses.replace(draft, **changes)  # type: ignore[arg-type]


def codes(report, letter):
    return [c.code for c in report.for_letter(letter)]


def test_desk_goal_20_to_30_next_month_passes_every_letter():
    report = check_smart(desk_goal())
    assert report.passed
    assert codes(report, "S") == ["specific"]
    assert codes(report, "M") == ["baseline_sample_enough"]
    assert codes(report, "A") == [
        "change_within_history",
        "target_within_capacity",
        "team_believes_goal",
    ]
    history_check = report.for_letter("A")[0]
    # Asked (30 − 20) / 20 = +50 %; best over 28 days was 15 → 24 = +60 %.
    assert history_check.params["asked_change_pct"] == pytest.approx(50)
    assert history_check.params["best_change_pct"] == pytest.approx(60)
    assert history_check.params["best_from"] == day(-365)
    assert history_check.params["best_to"] == day(-337)
    assert codes(report, "R") == ["linked_to_business_goal"]
    assert codes(report, "T") == ["time_bound"]


def test_desk_goal_50_eventually_warns_on_history_capacity_and_milestones():
    # 50 a day over 120 days: +150 %, beyond any 120-day change in history (none exists) and
    # beyond what the roster can serve (36), and longer than a month without milestones.
    report = check_smart(desk_goal(target=50, deadline=day(120)))
    assert codes(report, "A")[:2] == ["history_too_short", "target_exceeds_capacity"]
    assert report.for_letter("A")[1].params == {"target": 50, "capacity": 36, "better": "higher"}
    assert codes(report, "T") == ["milestones_needed"]
    assert report.for_letter("T")[0].params == {"days": 120, "max_days": 31}
    assert report.letter_status("S") == "pass"
    assert not report.passed


def test_change_beyond_the_best_in_history_warns_with_both_changes():
    # 20 → 34 in 28 days is +70 %; the best 28-day change was +60 %.
    report = check_smart(desk_goal(target=34))
    check = report.for_letter("A")[0]
    assert check.code == "change_exceeds_history"
    assert check.status == "warning"
    assert check.params["asked_change_pct"] == pytest.approx(70)
    assert check.params["best_change_pct"] == pytest.approx(60)
    assert check.params["span_days"] == 28
    # Exactly the best change passes: 20 → 32 is +60 %.
    assert check_smart(desk_goal(target=32)).for_letter("A")[0].code == "change_within_history"


def test_vague_goal_better_service_fails_specific():
    report = check_smart(GoalDraft())
    assert codes(report, "S") == ["metric_missing", "scope_missing", "target_missing"]
    assert codes(report, "M") == ["baseline_no_data"]
    assert codes(report, "A")[0] == "change_not_comparable"
    assert codes(report, "R") == ["business_goal_missing", "reason_missing"]
    assert codes(report, "T") == ["start_missing", "deadline_missing"]
    assert all(report.letter_status(letter) == "warning" for letter in LETTERS)


def test_whole_organisation_is_a_scope_when_stated():
    report = check_smart(desk_goal(scope={}))
    specific = report.for_letter("S")[0]
    assert specific.code == "specific"
    assert specific.params["whole_organisation"] is True


def test_scope_dimension_must_be_known_and_filled():
    report = check_smart(desk_goal(scope={"region": "north", "team": " "}))
    assert codes(report, "S") == ["scope_unknown_dimension", "scope_value_missing"]
    assert report.for_letter("S")[1].params == {"dimension": "team"}


def test_target_must_be_a_number_that_improves_on_the_baseline():
    assert codes(check_smart(desk_goal(target="thirty")), "S") == ["target_not_numeric"]
    assert codes(check_smart(desk_goal(target=float("nan"))), "S") == ["target_not_numeric"]
    assert codes(check_smart(desk_goal(target=20)), "S") == ["target_equals_baseline"]
    assert codes(check_smart(desk_goal(target=15)), "S") == ["target_wrong_direction"]
    assert codes(check_smart(desk_goal(better=None)), "S") == ["metric_without_direction"]


def returns_goal(**changes: object) -> GoalDraft:
    """The seed's clothing store: returns back on the shelves in 7 days instead of 14–21."""
    draft = GoalDraft(
        metric_key="resolution_seconds",
        metric_unit="seconds",
        better="lower",
        scope={"category": "returns"},
        baseline=17.5 * 86400,
        baseline_sample=120,
        target=7 * 86400,
        start=day(0),
        deadline=day(56),
        milestones=[(day(28), 12 * 86400)],
        business_goal="Reduce costs",
        reason="Items waiting in the back room cannot be sold.",
        # Best 56-day change so far: 20 → 16 days, 20 % faster.
        history=history({0: 20 * 86400, 56: 16 * 86400, 10: 18 * 86400, 66: 17 * 86400}),
    )
    return dataclasses.replace(draft, **changes)  # type: ignore[arg-type]


def test_returns_goal_lower_is_better_asks_more_than_history_shows():
    report = check_smart(returns_goal())
    assert report.letter_status("S") == "pass"
    assert report.letter_status("T") == "pass"
    check = report.for_letter("A")[0]
    assert check.code == "change_exceeds_history"
    # (17.5 − 7) / 17.5 = 60 % faster asked; 20 % is the best seen.
    assert check.params["asked_change_pct"] == pytest.approx(60)
    assert check.params["best_change_pct"] == pytest.approx(20)


def test_lower_is_better_target_above_baseline_is_wrong_direction():
    report = check_smart(returns_goal(target=21 * 86400, milestones=[]))
    assert codes(report, "S") == ["target_wrong_direction"]


def test_speed_capacity_is_the_fastest_the_roster_can_manage():
    too_fast = check_smart(returns_goal(capacity=8 * 86400))
    assert "target_exceeds_capacity" in codes(too_fast, "A")
    possible = check_smart(returns_goal(capacity=5 * 86400))
    assert "target_within_capacity" in codes(possible, "A")


def test_relative_change_from_zero_is_compared_in_units():
    # Abandonment can't be "lowered by x %" from 0; a higher-is-better metric from 0 neither.
    draft = GoalDraft(
        metric_key="recovery_rate",
        better="higher",
        baseline=0,
        target=10,
        start=day(0),
        deadline=day(10),
        history=history({0: 5, 10: 20}),  # +15 points over 10 days
    )
    check = check_smart(draft).for_letter("A")[0]
    assert check.code == "change_within_history"
    assert check.params["mode"] == "absolute"
    assert check.params["asked_change"] == 10
    assert check.params["best_change"] == 15
    assert "asked_change_pct" not in check.params


def test_best_historical_change_uses_only_spans_of_the_goal_length():
    points = history({0: 10, 10: 12, 20: 30, 21: 13})
    # 10-day spans: day 0 → 10 (+20 %), day 10 → 20 (+150 %). Day 20 → 21 is not 10 days.
    best = best_historical_change(points, span_days=10, better="higher")
    assert best is not None
    assert best[0] == pytest.approx(1.5)
    assert best_historical_change(points, span_days=3, better="higher") is None
    # Lower-is-better: the best fall over 10 days. 12 → 30 is a rise; 10 → 12 a rise too:
    # the "best" is the smallest rise, −20 %.
    worst_case = best_historical_change(points, span_days=10, better="lower")
    assert worst_case is not None and worst_case[0] == pytest.approx(-0.2)


def test_history_that_never_improved_warns_for_any_improvement():
    flat = history({0: 20, 28: 20})
    check = check_smart(desk_goal(history=flat, target=21)).for_letter("A")[0]
    assert check.code == "change_exceeds_history"
    assert check.params["best_change_pct"] == 0


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (29, "baseline_sample_too_small"),
        (30, "baseline_sample_enough"),
        (None, "baseline_sample_too_small"),
    ],
)
def test_survey_percentage_needs_thirty_answers(sample, expected):
    draft = desk_goal(metric_key="csat_pct", metric_unit="percent", baseline=70, target=80)
    report = check_smart(dataclasses.replace(draft, baseline_sample=sample))
    assert codes(report, "M") == [expected]
    assert report.for_letter("M")[0].params["minimum"] == 30


def test_measurable_minimums_are_configurable():
    limits = SmartThresholds(min_sample_by_metric={"customers_helped_per_day": 25})
    report = check_smart(desk_goal(), thresholds=limits)
    assert codes(report, "M") == ["baseline_sample_too_small"]
    assert report.for_letter("M")[0].params == {
        "sample_size": 20,
        "minimum": 25,
        "unit": "per_day",
    }
    # Per-day metrics count open days: a week is enough by default.
    assert codes(check_smart(desk_goal(baseline_sample=7)), "M") == ["baseline_sample_enough"]
    assert codes(check_smart(desk_goal(baseline_sample=6)), "M") == ["baseline_sample_too_small"]


@pytest.mark.parametrize(
    ("average", "votes", "expected"),
    [
        (2.5, 4, "team_doubts_goal"),
        (2.99, 3, "team_doubts_goal"),
        (3.0, 3, "team_believes_goal"),
        (1.0, 2, "team_confidence_too_few_votes"),
        (None, 0, "team_confidence_too_few_votes"),
    ],
)
def test_team_confidence(average, votes, expected):
    report = check_smart(desk_goal(confidence_avg=average, confidence_votes=votes))
    assert codes(report, "A")[-1] == expected
    assert report.letter_status("A") == ("warning" if expected == "team_doubts_goal" else "pass")


def test_a_goal_not_yet_saved_has_no_votes_to_count():
    report = check_smart(desk_goal(confidence_avg=None, confidence_votes=0, goal_exists=False))
    assert codes(report, "A")[-1] == "team_confidence_after_saving"
    assert "team_confidence_too_few_votes" not in codes(report, "A")


def test_relevant_needs_a_business_goal_and_a_reason():
    assert codes(check_smart(desk_goal(business_goal=None)), "R") == ["business_goal_missing"]
    assert codes(check_smart(desk_goal(reason="   ")), "R") == ["reason_missing"]


def test_deadline_must_follow_the_start():
    report = check_smart(desk_goal(deadline=day(0)))
    assert codes(report, "T") == ["deadline_not_after_start"]
    assert codes(report, "A")[0] == "change_needs_period"


def test_milestones_needed_only_beyond_31_days():
    month = check_smart(desk_goal(deadline=day(31), history=()))
    assert codes(month, "T") == ["time_bound"]
    longer = check_smart(desk_goal(deadline=day(32), history=()))
    assert codes(longer, "T") == ["milestones_needed"]


def test_milestones_inside_the_period_distinct_and_toward_the_target():
    base = desk_goal(target=50, deadline=day(90), capacity=None)
    outside = check_smart(dataclasses.replace(base, milestones=[(day(95), 40)]))
    assert codes(outside, "T") == ["milestone_outside_period"]
    repeated = check_smart(dataclasses.replace(base, milestones=[(day(30), 30), (day(30), 35)]))
    assert codes(repeated, "T") == ["milestone_dates_repeat"]
    backwards = check_smart(dataclasses.replace(base, milestones=[(day(30), 35), (day(60), 30)]))
    assert codes(backwards, "T") == ["milestones_not_monotone"]
    assert backwards.for_letter("T")[0].params == {
        "date": day(60),
        "value": 30,
        "previous": 35,
        "better": "higher",
    }
    below_baseline = check_smart(dataclasses.replace(base, milestones=[(day(30), 18)]))
    assert codes(below_baseline, "T") == ["milestones_not_monotone"]
    past_target = check_smart(dataclasses.replace(base, milestones=[(day(60), 55)]))
    assert codes(past_target, "T") == ["milestone_beyond_target"]
    seed_plan = check_smart(dataclasses.replace(base, milestones=[(day(30), 30)]))
    assert codes(seed_plan, "T") == ["time_bound"]
    assert seed_plan.for_letter("T")[0].params["milestones"] == 1


def test_as_dict_writes_dates_as_iso():
    data = check_smart(desk_goal(target=34)).as_dict()
    assert data["passed"] is False
    achievable = data["letters"]["A"]
    assert achievable["status"] == "warning"
    assert achievable["checks"][0]["params"]["best_from"] == "2025-02-01"


@given(
    baseline=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    better=st.sampled_from(["higher", "lower"]),
)
def test_target_equal_to_baseline_never_passes_specific(baseline, better):
    report = check_smart(desk_goal(baseline=baseline, target=baseline, better=better))
    assert codes(report, "S") == ["target_equals_baseline"]


@given(
    target=st.one_of(st.none(), st.floats(allow_nan=True), st.text(max_size=3)),
    votes=st.integers(0, 10),
    average=st.one_of(st.none(), st.floats(1, 5)),
    deadline_offset=st.integers(-5, 400),
)
def test_every_letter_is_judged_whatever_the_draft(target, votes, average, deadline_offset):
    report = check_smart(
        desk_goal(
            target=target,
            confidence_votes=votes,
            confidence_avg=average,
            deadline=day(deadline_offset),
        )
    )
    assert {c.letter for c in report.checks} == set(LETTERS)
    for check in report.checks:
        assert check.status in ("pass", "warning")
