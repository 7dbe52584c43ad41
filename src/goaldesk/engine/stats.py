"""Summary statistics as METRICS.md defines them: mean, median and nearest-rank p90.

Each returns None for no data (a metric with no data is null, never 0).
"""

import math
from collections.abc import Iterable
from typing import TypedDict


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


def percentile_nearest_rank(values: Iterable[float], percent: float) -> float | None:
    """The nearest-rank percentile: the value at 1-based rank ceil(percent/100 × n) when sorted.

    Always one of the values. None for no values.
    """
    if not 0 < percent <= 100:
        raise ValueError(f"Percentile must be above 0 and at most 100, not {percent!r}.")
    data = sorted(values)
    n = len(data)
    if n == 0:
        return None
    # Rounded to 9 places first so that 0.9 × 10 (9.000000000000002 in floating point) is rank 9.
    rank = math.ceil(round(percent * n / 100, 9))
    return float(data[max(rank, 1) - 1])


def p90(values: Iterable[float]) -> float | None:
    """The nearest-rank 90th percentile (1-based rank ceil(0.9 × n)), or None for no values."""
    return percentile_nearest_rank(values, 90)


def summary(values: Iterable[float]) -> Summary:
    """{"mean", "median", "p90", "count"} of `values`; the three statistics are None if empty."""
    data = list(values)
    return {"mean": mean(data), "median": median(data), "p90": p90(data), "count": len(data)}
