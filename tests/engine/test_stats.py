"""Mean, median and nearest-rank p90, checked by hand and for invariants."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from goaldesk.engine.stats import (
    mean,
    median,
    median_of_array,
    nearest_rank,
    p90,
    percentile_nearest_rank,
    summary,
    summary_of_array,
)


def test_empty_input_is_none_not_zero():
    assert mean([]) is None
    assert median([]) is None
    assert p90([]) is None
    assert summary([]) == {"mean": None, "median": None, "p90": None, "count": 0}


def test_single_value():
    assert summary([42]) == {"mean": 42, "median": 42, "p90": 42, "count": 1}


def test_mean_by_hand():
    # (10 + 20 + 60) / 3 = 30
    assert mean([10, 20, 60]) == 30
    assert mean(x for x in (1.5, 2.5)) == 2.0


def test_median_odd_and_even_counts():
    assert median([7, 1, 3]) == 3  # sorted 1 3 7
    assert median([4, 1, 3, 2]) == 2.5  # sorted 1 2 3 4 → (2 + 3) / 2
    assert median([10, 20]) == 15


def test_p90_nearest_rank_by_hand():
    # n = 10: rank ceil(9.0) = 9 → the 9th smallest of 1..10 is 9 (not interpolated 9.1).
    assert p90(range(1, 11)) == 9
    # n = 11: rank ceil(9.9) = 10 → 10.
    assert p90(range(1, 12)) == 10
    # n = 5: rank ceil(4.5) = 5 → the largest.
    assert p90([5, 1, 4, 2, 3]) == 5
    # n = 20: rank 18.
    assert p90(range(100, 120)) == 117
    # n = 2: rank ceil(1.8) = 2.
    assert p90([30, 10]) == 30


def test_summary_by_hand():
    # 60, 120, 180, 240, 3600 seconds: mean 4200/5 = 840, median 180, p90 rank ceil(4.5)=5 → 3600.
    assert summary([240, 60, 3600, 120, 180]) == {
        "mean": 840,
        "median": 180,
        "p90": 3600,
        "count": 5,
    }


def test_nearest_rank_by_hand():
    assert nearest_rank(10, 90) == 9  # ceil(9.0): an exact rank is not pushed up
    assert nearest_rank(30, 90) == 27
    assert nearest_rank(11, 90) == 10  # ceil(9.9)
    assert nearest_rank(1, 90) == 1
    assert nearest_rank(0, 90) == 1  # at least 1 (callers have no value to pick then)
    assert nearest_rank(5, 30) == 2  # ceil(1.5)
    with pytest.raises(ValueError, match="Percentile"):
        nearest_rank(10, 101)


def test_other_percentiles_and_bad_percent():
    assert percentile_nearest_rank([15, 20, 35, 40, 50], 30) == 20  # rank ceil(1.5) = 2
    assert percentile_nearest_rank([15, 20, 35, 40, 50], 100) == 50
    with pytest.raises(ValueError, match="Percentile"):
        percentile_nearest_rank([1], 0)


values = st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=200)


@given(values)
def test_p90_is_an_element_at_its_nearest_rank(data):
    result = p90(data)
    assert result in data
    n = len(data)
    rank = (9 * n + 9) // 10  # ceil(0.9 n) in integers
    # At least `rank` values are ≤ p90, and fewer than `rank` are strictly below it.
    assert sum(v <= result for v in data) >= rank
    assert sum(v < result for v in data) < rank


@given(values)
def test_median_and_mean_between_min_and_max(data):
    assert min(data) <= median(data) <= max(data)
    assert min(data) - 1e-6 <= mean(data) <= max(data) + 1e-6


@given(values)
def test_median_splits_the_data(data):
    m = median(data)
    assert sum(v < m for v in data) <= len(data) / 2
    assert sum(v > m for v in data) <= len(data) / 2


@given(values)
def test_summary_count_and_order_independence(data):
    # math.fsum is correctly rounded, so even the mean does not depend on the order.
    result = summary(data)
    assert result["count"] == len(data)
    assert summary(list(reversed(data))) == result


@given(values)
def test_summary_of_an_array_is_the_summary_of_its_values(data):
    ours, theirs = summary_of_array(np.array(data, dtype=float)), summary(data)
    # The median, p90 and count exactly; the mean up to the rounding of a long sum.
    assert {k: v for k, v in ours.items() if k != "mean"} == {
        k: v for k, v in theirs.items() if k != "mean"
    }
    if theirs["mean"] is None:
        assert ours["mean"] is None
    else:
        # a sum's rounding error is relative to the size of its terms, not of the result
        error = 1e-12 * max(abs(v) for v in data)
        assert math.isclose(ours["mean"], theirs["mean"], rel_tol=1e-12, abs_tol=error)


@given(values)
def test_the_median_of_an_array_is_the_median_of_its_values(data):
    assert median_of_array(np.array(data, dtype=float)) == median(data)


def test_summary_of_an_empty_array():
    assert summary_of_array(np.empty(0)) == summary([])
    assert median_of_array(np.empty(0)) is None
