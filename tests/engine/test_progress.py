"""Goal progress on constructed series whose right answers are worked out by hand."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goaldesk.engine.progress import (
    fit_trend,
    goal_progress,
    planned_path,
    planned_value,
    progress_fraction,
)

START = dt.date(2026, 1, 1)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


# --- the planned path -------------------------------------------------------------------------


def test_seed_desk_plan_20_then_30_next_month_then_50():
    # 20 customers a day now, 30 a day after a month (day 30), 50 by day 90.
    knots = planned_path(
        baseline=20, target=50, start=day(0), deadline=day(90), milestones=[(day(30), 30)]
    )
    assert knots == [(day(0), 20), (day(30), 30), (day(90), 50)]
    assert planned_value(knots, day(-5)) == 20  # before the start: the baseline
    assert planned_value(knots, day(15)) == 25  # halfway to the milestone
    assert planned_value(knots, day(30)) == 30  # on the milestone
    assert planned_value(knots, day(60)) == 40  # 30 + 20 × 30/60
    assert planned_value(knots, day(90)) == 50
    assert planned_value(knots, day(120)) == 50  # after the deadline: the target


def test_milestones_given_out_of_order_are_sorted():
    knots = planned_path(
        baseline=0,
        target=100,
        start=day(0),
        deadline=day(40),
        milestones=[(day(30), 80), (day(10), 20)],
    )
    assert knots == [(day(0), 0), (day(10), 20), (day(30), 80), (day(40), 100)]
    assert planned_value(knots, day(20)) == 50  # 20 + 60 × 10/20


def test_bad_plan_is_refused_with_the_date():
    with pytest.raises(ValueError, match="2026-01-01"):
        planned_path(baseline=1, target=2, start=day(0), deadline=day(0))
    with pytest.raises(ValueError, match="outside"):
        planned_path(
            baseline=1, target=2, start=day(0), deadline=day(10), milestones=[(day(11), 1.5)]
        )
    with pytest.raises(ValueError, match="share the date 2026-01-06"):
        planned_path(
            baseline=1,
            target=2,
            start=day(0),
            deadline=day(10),
            milestones=[(day(5), 1.2), (day(5), 1.4)],
        )


# --- progress fraction ------------------------------------------------------------------------


def test_progress_fraction_higher_and_lower_is_better():
    assert progress_fraction(baseline=20, target=30, value=25) == 0.5
    # Resolution time 14 days → 7 days; at 10.5 days half the way is done.
    assert progress_fraction(baseline=14, target=7, value=10.5) == 0.5
    assert progress_fraction(baseline=14, target=7, value=16) == pytest.approx(-2 / 7)
    assert progress_fraction(baseline=14, target=7, value=3.5) == 1.5


# --- status, projection -----------------------------------------------------------------------


def test_linear_improvement_exactly_on_plan_is_on_track_and_projects_the_target():
    # Plan 20 → 50 over 60 days: +0.5 a day. The series follows it exactly for 21 days.
    series = [(day(n), 20 + 0.5 * n) for n in range(21)]
    report = goal_progress(
        baseline=20,
        target=50,
        start=day(0),
        deadline=day(60),
        better="higher",
        series=series,
        as_of=day(20),
    )
    assert report.status == "on_track"
    assert report.current_value == 30
    assert report.current_date == day(20)
    assert report.planned_value == 30
    assert report.gap_to_plan == 0
    assert report.progress == pytest.approx(1 / 3)
    assert report.projection == pytest.approx(50)
    assert report.trend is not None
    assert report.trend.slope_per_day == pytest.approx(0.5)
    assert report.days_left == 40


def test_flat_series_is_at_risk_and_projects_the_baseline():
    series = [(day(n), 20.0) for n in range(14)]
    report = goal_progress(
        baseline=20,
        target=50,
        start=day(0),
        deadline=day(60),
        better="higher",
        series=series,
        as_of=day(13),
    )
    assert report.status == "at_risk"
    assert report.projection == pytest.approx(20)
    assert report.progress == 0
    assert report.progress_display == 0


def test_lower_is_better_resolution_time_on_plan():
    # Returned items back on the shelves: 21 days → 7 days over 90 days (−14/90 a day).
    series = [(day(n), 21 - 14 * n / 90) for n in range(46)]
    report = goal_progress(
        baseline=21,
        target=7,
        start=day(0),
        deadline=day(90),
        better="lower",
        series=series,
        as_of=day(45),
    )
    assert report.current_value == pytest.approx(14)
    assert report.planned_value == pytest.approx(14)
    assert report.progress == pytest.approx(0.5)
    assert report.projection == pytest.approx(7)
    assert report.status == "on_track"


def test_lower_is_better_behind_plan_but_trend_reaches_target_is_behind():
    # Plan on day 45: 14 days. Flat at 21 until day 31, then falling 0.2 a day from 18.6 on
    # day 32 to 16 on day 45. Gap to plan 16 − 14 = 2 > tolerance 0.1 × 14 = 1.4: behind.
    # The trend over the last 14 points (days 32..45) is −0.2 a day: 16 − 0.2 × 45 = 7 on day
    # 90, the target, so the goal is not at risk.
    series = [(day(n), 21.0) for n in range(32)]
    series += [(day(n), 16 + 0.2 * (45 - n)) for n in range(32, 46)]
    report = goal_progress(
        baseline=21,
        target=7,
        start=day(0),
        deadline=day(90),
        better="lower",
        series=series,
        as_of=day(45),
    )
    assert report.gap_to_plan == pytest.approx(2)
    assert report.projection == pytest.approx(7)
    assert report.status == "behind"


def test_lower_is_better_slow_trend_is_at_risk():
    # Falling 21 → 17 over 45 days: the line reaches 13 on day 90, 6 days short of 7.
    series = [(day(n), 21 - 4 * n / 45) for n in range(46)]
    report = goal_progress(
        baseline=21,
        target=7,
        start=day(0),
        deadline=day(90),
        better="lower",
        series=series,
        as_of=day(45),
    )
    assert report.projection == pytest.approx(13)
    assert report.status == "at_risk"


def test_projection_averages_out_alternating_noise():
    # On plan (+0.5 a day from 20) with ±1 alternating noise, days 14..27 (+1 on day 14).
    # Least squares over x = 0..13: Sxx = 14 × 195 / 12 = 227.5; the noise adds
    # Σ(x − 6.5)·e = 7 × (−1) = −7 to Sxy, so slope = 0.5 − 7/227.5; mean y = 20 + 0.5 × 20.5.
    # Day 60 is x = 46: projection = 30.25 + (0.5 − 7/227.5) × 39.5 ≈ 48.78, within the
    # tolerance (3) of 50. The last two points alone (34 then 32.5) would point downwards.
    series = [(day(n), 20 + 0.5 * n + (1 if (n - 14) % 2 == 0 else -1)) for n in range(14, 28)]
    report = goal_progress(
        baseline=20,
        target=50,
        start=day(0),
        deadline=day(60),
        better="higher",
        series=series,
        as_of=day(27),
    )
    assert report.projection == pytest.approx(30.25 + (0.5 - 7 / 227.5) * 39.5)
    assert report.current_value == 32.5
    assert report.status == "on_track"


def test_current_value_is_the_latest_known_and_gaps_are_skipped():
    series = [(day(2), 24.0), (day(0), 20.0), (day(1), None), (day(5), 99.0)]
    report = goal_progress(
        baseline=20,
        target=30,
        start=day(0),
        deadline=day(20),
        better="higher",
        series=series,
        as_of=day(3),
    )
    assert report.current_date == day(2)
    assert report.current_value == 24  # day 5 lies after as_of and is ignored
    assert report.trend is not None and report.trend.points == 2


def test_target_already_met_is_on_track_with_progress_over_one():
    series = [(day(n), 30.0 + n) for n in range(5)]
    report = goal_progress(
        baseline=20,
        target=30,
        start=day(0),
        deadline=day(30),
        better="higher",
        series=series,
        as_of=day(4),
    )
    assert report.status == "on_track"
    assert report.progress == 1.4
    assert report.progress_display == 1.0


def test_before_start_and_without_data():
    common = {"baseline": 20, "target": 30, "start": day(10), "deadline": day(40)}
    early = goal_progress(**common, better="higher", series=[(day(0), 20.0)], as_of=day(5))
    assert early.status == "not_started"
    empty = goal_progress(**common, better="higher", series=[], as_of=day(15))
    assert empty.status == "no_data"
    assert empty.current_value is None and empty.progress is None and empty.projection is None


def test_deadline_passed_keeps_the_final_value():
    series = [(day(n), 20 + n) for n in range(31)] + [(day(35), 5.0)]
    achieved = goal_progress(
        baseline=20,
        target=45,
        start=day(0),
        deadline=day(30),
        better="higher",
        series=series,
        as_of=day(40),
    )
    # Final value is day 30's 50; the 5 on day 35 came after the deadline.
    assert achieved.status == "achieved"
    assert achieved.final_value == 50
    assert achieved.days_left == 0
    missed = goal_progress(
        baseline=20,
        target=55,
        start=day(0),
        deadline=day(30),
        better="higher",
        series=series,
        as_of=day(40),
    )
    assert missed.status == "missed"
    assert missed.final_value == 50


def test_on_the_deadline_day_the_goal_is_still_running():
    series = [(day(n), 20.0 + n) for n in range(31)]
    report = goal_progress(
        baseline=20,
        target=55,
        start=day(0),
        deadline=day(30),
        better="higher",
        series=series,
        as_of=day(30),
    )
    assert report.status == "at_risk"
    assert report.final_value is None


def test_duplicate_day_in_series_is_refused():
    with pytest.raises(ValueError, match="two values for 2026-01-02"):
        goal_progress(
            baseline=1,
            target=2,
            start=day(0),
            deadline=day(10),
            better="higher",
            series=[(day(1), 1.0), (day(1), 1.1)],
            as_of=day(2),
        )


def test_as_dict_is_json_ready():
    report = goal_progress(
        baseline=20,
        target=30,
        start=day(0),
        deadline=day(10),
        better="higher",
        series=[(day(0), 20.0), (day(1), 21.0)],
        as_of=day(1),
    )
    data = report.as_dict()
    assert data["status"] == "on_track"
    assert data["plan"] == [["2026-01-01", 20.0], ["2026-01-11", 30.0]]
    assert data["trend_slope_per_day"] == pytest.approx(1.0)


def test_fit_trend_needs_two_distinct_days():
    assert fit_trend([(day(0), 1.0)]) is None
    line = fit_trend([(day(0), 1.0), (day(2), 5.0)])
    assert line is not None and line.value_on(day(3)) == 7.0


# --- invariants -------------------------------------------------------------------------------

values = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)


@given(baseline=values, target=values)
def test_progress_of_target_is_one_and_of_baseline_zero(baseline, target):
    assert progress_fraction(baseline=baseline, target=target, value=target) == pytest.approx(1)
    if baseline != target:
        assert progress_fraction(baseline=baseline, target=target, value=baseline) == 0


@st.composite
def monotone_plans(draw):
    baseline = draw(values)
    target = draw(values)
    length = draw(st.integers(min_value=1, max_value=400))
    offsets = (
        sorted(set(draw(st.lists(st.integers(1, length - 1), max_size=5)))) if length > 1 else []
    )
    fractions = sorted(
        draw(st.lists(st.floats(0, 1), min_size=len(offsets), max_size=len(offsets)))
    )
    milestones = [
        (day(o), baseline + (target - baseline) * f)
        for o, f in zip(offsets, fractions, strict=True)
    ]
    return baseline, target, length, milestones


@given(monotone_plans())
def test_planned_path_is_monotone_between_baseline_and_target(plan):
    baseline, target, length, milestones = plan
    knots = planned_path(
        baseline=baseline, target=target, start=day(0), deadline=day(length), milestones=milestones
    )
    path = [planned_value(knots, day(n)) for n in range(-1, length + 2)]
    low, high = min(baseline, target), max(baseline, target)
    slack = 1e-6 * max(1.0, abs(low), abs(high))
    assert all(low - slack <= v <= high + slack for v in path)
    sign = 1 if target >= baseline else -1
    assert all(sign * (b - a) >= -slack for a, b in itertools.pairwise(path))
    assert path[1] == baseline and path[-2] == target
    for when, value in milestones:
        assert planned_value(knots, when) == pytest.approx(value)
