"""Summary statistics as METRICS.md defines them: mean, median and nearest-rank p90.

Each returns None for no data (a metric with no data is null, never 0).
"""

import math
from collections.abc import Iterable
from typing import TypedDict

import numpy as np


class Summary(TypedDict):
    """Mean, median and p90 of some values (None when there are none) and how many there were."""

    mean: float | None
    median: float | None
    p90: float | None
    count: int


def mean(values: Iterable[float]) -> float | None:
    """The arithmetic mean, or None for no values."""
    data = list(values)
    if not data:
        return None
    return math.fsum(data) / len(data)


def median(values: Iterable[float]) -> float | None:
    """The middle value; for an even count the mean of the two middle values. None for no values."""
    data = sorted(values)
    n = len(data)
    if n == 0:
        return None
    middle = n // 2
    if n % 2:
        return float(data[middle])
    return (data[middle - 1] + data[middle]) / 2


def nearest_rank(count: int, percent: float) -> int:
    """The 1-based rank, among `count` sorted values, of their nearest-rank `percent`
    percentile: ceil(percent/100 × count), at least 1.

    The one definition of a percentile in GoalDesk (METRICS.md's p90 is percent=90).
    """
    _check_percent(percent)
    # Rounded to 9 places first so that 0.9 × 10 (9.000000000000002 in floating point) is rank 9.
    return max(math.ceil(round(percent * count / 100, 9)), 1)


def percentile_nearest_rank(values: Iterable[float], percent: float) -> float | None:
    """The nearest-rank percentile: the value at 1-based rank ceil(percent/100 × n) when sorted.

    Always one of the values. None for no values.
    """
    _check_percent(percent)
    data = sorted(values)
    if not data:
        return None
    return float(data[nearest_rank(len(data), percent) - 1])


def _check_percent(percent: float) -> None:
    if not 0 < percent <= 100:
        raise ValueError(f"Percentile must be above 0 and at most 100, not {percent!r}.")


def p90(values: Iterable[float]) -> float | None:
    """The nearest-rank 90th percentile (1-based rank ceil(0.9 × n)), or None for no values."""
    return percentile_nearest_rank(values, 90)


def summary(values: Iterable[float]) -> Summary:
    """{"mean", "median", "p90", "count"} of `values`; the three statistics are None if empty."""
    data = list(values)
    return {"mean": mean(data), "median": median(data), "p90": p90(data), "count": len(data)}


def median_of_array(values: np.ndarray) -> float | None:
    """The median of a float array (None for none), as `summary_of_array` finds it."""
    n = int(values.size)
    if not n:
        return None
    low, high = (n - 1) // 2, n // 2
    part = np.partition(values, sorted({low, high}))
    return float(part[high]) if n % 2 else (float(part[low]) + float(part[high])) / 2


def summary_of_array(values: np.ndarray) -> Summary:
    """`summary` of a float array, without sorting it all: np.partition finds the order
    statistics the median and p90 need. The same median and p90 as `summary` of the same
    values; the mean is numpy's pairwise sum over the count (it may differ from `summary`'s
    correctly rounded one in the last digits, 10⁻¹⁵ of the value, and is ten times faster)."""
    n = int(values.size)
    if not n:
        return {"mean": None, "median": None, "p90": None, "count": 0}
    low, high = (n - 1) // 2, n // 2
    rank = nearest_rank(n, 90)
    part = np.partition(values, sorted({low, high, rank - 1}))
    middle = float(part[high]) if n % 2 else (float(part[low]) + float(part[high])) / 2
    return {
        "mean": float(np.sum(values)) / n,
        "median": middle,
        "p90": float(part[rank - 1]),
        "count": n,
    }
