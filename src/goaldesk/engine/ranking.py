"""Ranking people fairly, as METRICS.md ("Ranking people fairly") defines it.

A small sample never wins: a share of yes/no outcomes is ranked by the 95 % Wilson score
bound (the lower one where higher is better, the upper one where lower is better), a mean by
the Bayesian average (n·mean + 10·m) / (n + 10) pulled towards the team's mean m. Fewer than
10 observations is "not enough data": the entry is shown, with rank None.

Ranks are 1, 2, 3, … with no shared rank: equal bounds are ordered by the larger sample, then
by name (METRICS.md), so every ranked entry has its own place.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

#: The normal quantile of the 95 % interval, as METRICS.md gives it.
Z_95 = 1.96
#: Below this many observations an entry is shown but not ranked.
MIN_OBSERVATIONS = 10
#: The weight of the team's mean in the Bayesian average (as if 10 observations of it).
PRIOR_WEIGHT = 10

Kind = Literal["proportion", "mean"]
Better = Literal["higher", "lower"]


def wilson_bounds(successes: float, n: int, z: float = Z_95) -> tuple[float, float]:
    """The (lower, upper) bounds of the Wilson score interval of `successes` out of `n`,
    as proportions (0–1). Raises ValueError for n < 1 or successes outside 0…n."""
    if n < 1:
        raise ValueError("the Wilson interval needs at least one observation")
    if not 0 <= successes <= n:
        raise ValueError(f"successes ({successes}) must be between 0 and n ({n})")
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    denominator = 1 + z2 / n
    # max/min only guard against rounding just outside 0…1.
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def wilson_lower(successes: float, n: int, z: float = Z_95) -> float:
    """The lower bound of the Wilson score interval (0–1)."""
    return wilson_bounds(successes, n, z)[0]


def wilson_upper(successes: float, n: int, z: float = Z_95) -> float:
    """The upper bound of the Wilson score interval (0–1)."""
    return wilson_bounds(successes, n, z)[1]


def bayesian_average(
    mean: float, n: int, prior_mean: float, prior_weight: float = PRIOR_WEIGHT
) -> float:
    """(n·mean + prior_weight·prior_mean) / (n + prior_weight): the mean pulled towards the
    prior, the more so the fewer the observations."""
    return (n * mean + prior_weight * prior_mean) / (n + prior_weight)


@dataclass(frozen=True)
class Sample:
    """One agent's observations of a metric in a period.

    For a proportion, `successes` of `n` were "yes"; for a mean, `mean` is the mean of `n`
    values. `name` only breaks ties (METRICS.md: by name after the sample size).
    """

    key: str
    n: int
    name: str = ""
    successes: float | None = None
    mean: float | None = None


@dataclass(frozen=True)
class Ranked:
    """One entry of a ranking: rank None when there is not enough data.

    `value` is the observed proportion (0–1) or mean, `bound` what the rank is decided by
    (Wilson bound or Bayesian average); both None without observations; `sample` is n.
    """

    key: str
    name: str
    rank: int | None
    value: float | None
    bound: float | None
    sample: int


def team_mean(samples: Iterable[Sample]) -> float | None:
    """The pooled mean of every observation (Σ n·mean / Σ n); None without observations."""
    total = 0.0
    count = 0
    for s in samples:
        if s.n > 0 and s.mean is not None:
            total += s.n * s.mean
            count += s.n
    return total / count if count else None


def _value_and_bound(
    sample: Sample, kind: Kind, better: Better, prior_mean: float | None
) -> tuple[float | None, float | None]:
    if sample.n < 1:
        return None, None
    if kind == "proportion":
        successes = sample.successes or 0
        lower, upper = wilson_bounds(successes, sample.n)
        return successes / sample.n, lower if better == "higher" else upper
    if sample.mean is None:
        return None, None
    prior = sample.mean if prior_mean is None else prior_mean
    return sample.mean, bayesian_average(sample.mean, sample.n, prior)


def rank_agents(
    samples: Sequence[Sample],
    *,
    kind: Kind,
    better: Better,
    prior_mean: float | None = None,
    min_observations: int = MIN_OBSERVATIONS,
) -> list[Ranked]:
    """The ranking of `samples`: ranked entries first (rank 1 the best), then those with not
    enough data (rank None, the larger samples first, then by name).

    For means the prior is `prior_mean`, or the pooled mean of all `samples` (the team's mean
    for the period, small samples included) when it is None.
    """
    if kind not in ("proportion", "mean"):
        raise ValueError(f"unknown kind {kind!r}")
    if better not in ("higher", "lower"):
        raise ValueError(f"unknown direction {better!r}")
    if kind == "mean" and prior_mean is None:
        prior_mean = team_mean(samples)
    sign = -1 if better == "higher" else 1
    ranked: list[tuple[float, Sample, float | None]] = []
    unranked: list[tuple[Sample, float | None, float | None]] = []
    for sample in samples:
        value, bound = _value_and_bound(sample, kind, better, prior_mean)
        if sample.n >= min_observations and bound is not None:
            ranked.append((bound, sample, value))
        else:
            unranked.append((sample, value, bound))
    ranked.sort(key=lambda item: (sign * item[0], -item[1].n, item[1].name, item[1].key))
    unranked.sort(key=lambda item: (-item[0].n, item[0].name, item[0].key))
    out = [
        Ranked(s.key, s.name, place, value, bound, s.n)
        for place, (bound, s, value) in enumerate(ranked, start=1)
    ]
    out += [Ranked(s.key, s.name, None, value, bound, s.n) for s, value, bound in unranked]
    return out
