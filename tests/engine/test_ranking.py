"""Wilson bounds, Bayesian averages and rankings against values worked out by hand.

z = 1.96, so z² = 3.8416. When every outcome is "yes" (p = 1) the Wilson lower bound
simplifies: p(1 − p) = 0, the root is z·√(z²/(4n²)) = z²/(2n), which cancels the z²/(2n)
added to p, leaving 1 / (1 + z²/n) = n / (n + z²).
"""

import pytest

from goaldesk.engine.ranking import (
    Sample,
    bayesian_average,
    rank_agents,
    team_mean,
    wilson_bounds,
    wilson_lower,
    wilson_upper,
)


def test_two_happy_customers_have_a_low_wilson_bound():
    # 2 of 2: 2 / (2 + 3.8416) = 2 / 5.8416 = 0.342372
    assert wilson_lower(2, 2) == pytest.approx(0.342372, abs=1e-6)


def test_ninety_five_of_a_hundred_have_a_high_wilson_bound():
    # p = 0.95, n = 100: z²/(2n) = 0.019208; p(1−p)/n = 0.000475; z²/(4n²) = 0.00009604;
    # √(0.00057104) = 0.0238964, × 1.96 = 0.0468370;
    # (0.95 + 0.019208 − 0.046837) / (1 + 0.038416) = 0.922371 / 1.038416 = 0.888249
    assert wilson_lower(95, 100) == pytest.approx(0.888249, abs=1e-5)
    # The upper bound adds the spread: (0.969208 + 0.046837) / 1.038416 = 0.978462
    assert wilson_upper(95, 100) == pytest.approx(0.978462, abs=1e-5)


def test_wilson_bounds_are_symmetric_between_yes_and_no():
    # The upper bound of 0 of n is 1 − the lower bound of n of n: 1 − 10/13.8416 = 0.277540
    lower, upper = wilson_bounds(0, 10)
    assert lower == 0
    assert upper == pytest.approx(1 - 10 / 13.8416, abs=1e-9)
    assert upper == pytest.approx(0.277540, abs=1e-6)


def test_wilson_refuses_impossible_counts():
    with pytest.raises(ValueError):
        wilson_lower(0, 0)
    with pytest.raises(ValueError):
        wilson_lower(3, 2)


def test_bayesian_average_pulls_small_samples_to_the_team_mean():
    # (2·5 + 10·4) / (2 + 10) = 50 / 12 = 4.1667
    assert bayesian_average(5.0, 2, 4.0) == pytest.approx(50 / 12)
    # (50·4.6 + 10·4) / (50 + 10) = 270 / 60 = 4.5
    assert bayesian_average(4.6, 50, 4.0) == pytest.approx(4.5)


def test_ninety_five_of_a_hundred_rank_above_two_of_two():
    # Both with 10 or more observations would be ranked; 2 of 2 has too few and is only shown.
    result = rank_agents(
        [Sample("two", 2, successes=2), Sample("many", 100, successes=95)],
        kind="proportion",
        better="higher",
    )
    assert [(r.key, r.rank) for r in result] == [("many", 1), ("two", None)]
    assert result[0].value == pytest.approx(0.95)
    assert result[0].bound == pytest.approx(0.888249, abs=1e-5)
    # Shown with its figures, never ranked:
    assert result[1].value == 1.0
    assert result[1].bound == pytest.approx(0.342372, abs=1e-6)
    assert result[1].sample == 2


def test_the_wilson_bound_decides_even_when_both_have_enough_data():
    # 10 of 10 (100 %): 10 / 13.8416 = 0.722460; 95 of 100 (95 %): 0.888249 → 95 of 100 first.
    result = rank_agents(
        [Sample("ten", 10, successes=10), Sample("many", 100, successes=95)],
        kind="proportion",
        better="higher",
    )
    assert [(r.key, r.rank) for r in result] == [("many", 1), ("ten", 2)]


def test_lower_is_better_ranks_by_the_upper_bound_lowest_first():
    # Abandon rate: 0 of 10 has upper bound 0.277540; 5 of 100 has 1 − lower(95 of 100)
    # = 1 − 0.888249 = 0.111751, so 5 % of a hundred beats 0 % of ten.
    result = rank_agents(
        [Sample("none", 10, successes=0), Sample("five", 100, successes=5)],
        kind="proportion",
        better="lower",
    )
    assert [(r.key, r.rank) for r in result] == [("five", 1), ("none", 2)]
    assert result[0].bound == pytest.approx(0.111751, abs=1e-5)
    assert result[1].bound == pytest.approx(0.277540, abs=1e-6)


def test_means_rank_by_the_bayesian_average_with_the_team_mean_as_prior():
    # Pooled team mean: (10·5 + 30·4 + 3·1) / 43 = 173 / 43 = 4.023256
    samples = [
        Sample("a", 10, mean=5.0),
        Sample("b", 30, mean=4.0),
        Sample("c", 3, mean=1.0),
    ]
    m = 173 / 43
    assert team_mean(samples) == pytest.approx(m)
    higher = rank_agents(samples, kind="mean", better="higher")
    # a: (50 + 10m) / 20 = 4.511628; b: (120 + 10m) / 40 = 4.005814; c too few (3 < 10).
    assert [(r.key, r.rank) for r in higher] == [("a", 1), ("b", 2), ("c", None)]
    assert higher[0].bound == pytest.approx((50 + 10 * m) / 20)
    assert higher[0].bound == pytest.approx(4.511628, abs=1e-6)
    assert higher[1].bound == pytest.approx(4.005814, abs=1e-6)
    assert higher[0].value == 5.0
    # Lower is better (e.g. customer effort): the order turns round.
    lower = rank_agents(samples, kind="mean", better="lower")
    assert [(r.key, r.rank) for r in lower] == [("b", 1), ("a", 2), ("c", None)]


def test_a_given_prior_is_used():
    # (2·5 + 10·4) / 12 = 4.1667 for the small one (not ranked); (50·4.6 + 40) / 60 = 4.5
    result = rank_agents(
        [Sample("few", 2, mean=5.0), Sample("many", 50, mean=4.6)],
        kind="mean",
        better="higher",
        prior_mean=4.0,
    )
    assert [(r.key, r.rank) for r in result] == [("many", 1), ("few", None)]
    assert result[0].bound == pytest.approx(4.5)
    assert result[1].bound == pytest.approx(50 / 12)


def test_ties_go_to_the_larger_sample_then_to_the_name():
    # Both means equal the prior, so both averages are 5.0: the 20 observations come first.
    by_n = rank_agents(
        [Sample("small", 10, mean=5.0), Sample("large", 20, mean=5.0)],
        kind="mean",
        better="higher",
    )
    assert [(r.key, r.rank) for r in by_n] == [("large", 1), ("small", 2)]
    # Same bound and sample: by name, each with its own rank.
    by_name = rank_agents(
        [Sample("b", 20, "Bea", successes=18), Sample("a", 20, "Ali", successes=18)],
        kind="proportion",
        better="higher",
    )
    assert [(r.name, r.rank) for r in by_name] == [("Ali", 1), ("Bea", 2)]


def test_nine_observations_are_not_enough_and_none_is_shown_empty():
    result = rank_agents(
        [Sample("nine", 9, successes=9), Sample("zero", 0)], kind="proportion", better="higher"
    )
    assert [(r.key, r.rank, r.sample) for r in result] == [("nine", None, 9), ("zero", None, 0)]
    assert result[1].value is None and result[1].bound is None
