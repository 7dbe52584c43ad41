"""The rest of the day re-forecast from the level seen so far, worked by hand."""

import numpy as np
import pytest

from goaldesk.engine.forecast import reforecast_rest_of_day


def test_the_rest_of_the_day_follows_the_morning_level():
    # 15 + 15 came where 10 + 10 were forecast: the day runs at 1.5 × the forecast.
    result = reforecast_rest_of_day([10, 10, 10, 10], [15, 15], elapsed_intervals=2)
    assert result.scaled
    assert result.factor == pytest.approx(1.5)
    assert result.forecast.tolist() == pytest.approx([10, 10, 15, 15])


def test_a_quiet_morning_lowers_the_rest():
    # 6 + 4 = 10 against 20 forecast: factor 0.5, the rest 8 and 12 become 4 and 6.
    result = reforecast_rest_of_day([10, 10, 8, 12], [6, 4, 99], elapsed_intervals=2, max_factor=2)
    assert result.factor == pytest.approx(0.5)
    assert result.forecast.tolist() == pytest.approx([10, 10, 4, 6])


def test_the_factor_is_capped():
    # 40 against 10 is 4 ×; the cap 1.5 keeps the rest at 15.
    result = reforecast_rest_of_day([10, 10], [40], elapsed_intervals=1, max_factor=1.5)
    assert result.raw_factor == pytest.approx(4.0)
    assert result.factor == pytest.approx(1.5)
    assert result.forecast.tolist() == pytest.approx([10, 15])
    low = reforecast_rest_of_day([10, 10], [1], elapsed_intervals=1, max_factor=1.5)
    assert low.factor == pytest.approx(1 / 1.5)


def test_no_scaling_before_enough_open_intervals_or_contacts():
    # The closed interval before opening does not count as one of the open intervals.
    early = reforecast_rest_of_day(
        [0, 10, 10, 10], [0, 20, 0, 0], elapsed_intervals=2, min_open_intervals=2
    )
    assert not early.scaled
    assert early.factor == 1.0
    assert early.raw_factor == pytest.approx(2.0)
    assert early.forecast.tolist() == [0, 10, 10, 10]
    later = reforecast_rest_of_day(
        [0, 10, 10, 10], [0, 20, 20], elapsed_intervals=3, min_open_intervals=2
    )
    assert later.scaled and later.forecast.tolist() == pytest.approx([0, 10, 10, 15], rel=1e-9)
    few = reforecast_rest_of_day(
        [10, 10, 10], [15, 15], elapsed_intervals=2, min_forecast_so_far=21
    )
    assert not few.scaled and few.forecast.tolist() == [10, 10, 10]


def test_nothing_forecast_so_far_leaves_the_forecast_alone():
    result = reforecast_rest_of_day(np.array([0.0, 0.0, 5.0]), [3, 0], elapsed_intervals=2)
    assert result.raw_factor is None
    assert not result.scaled
    assert result.forecast.tolist() == [0, 0, 5]


def test_no_contacts_at_all_so_far_is_missing_data_not_a_quiet_day():
    result = reforecast_rest_of_day([10, 10, 10], [0, 0], elapsed_intervals=2)
    assert result.raw_factor == 0.0
    assert not result.scaled
    assert result.forecast.tolist() == [10, 10, 10]


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="elapsed_intervals"):
        reforecast_rest_of_day([1, 2], [1, 2, 3], elapsed_intervals=3)
    with pytest.raises(ValueError, match="fewer than"):
        reforecast_rest_of_day([1, 2], [1], elapsed_intervals=2)
    with pytest.raises(ValueError, match="max_factor"):
        reforecast_rest_of_day([1, 2], [1], elapsed_intervals=1, max_factor=0.5)
