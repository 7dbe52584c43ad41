"""Forecasters, accuracy measures and the backtest on synthetic series whose answer is known."""

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goaldesk.engine.forecast import (
    DemandHistory,
    RobustSeasonalModel,
    SeasonalNaive,
    WeekdayIntervalMean,
    backtest,
    compare_methods,
    mase,
    seasonal_naive_mae,
    select_best,
    wape,
    weekly_origins,
)

MONDAY = dt.date(2025, 1, 6)
SLOTS = 24  # 60-minute intervals
OPEN = slice(8, 18)  # 08:00–18:00


def weekly_pattern() -> np.ndarray:
    """Volume per weekday × hour: weekdays open 08–18 with a midday peak; weekends closed."""
    pattern = np.zeros((7, SLOTS))
    hours = np.arange(8, 18)
    for weekday in range(5):
        pattern[weekday, OPEN] = (10 + weekday) * (1 + np.sin((hours - 8) / 9 * math.pi))
    return pattern


def history_of(weeks: int, pattern: np.ndarray | None = None, **kwargs) -> DemandHistory:
    base = weekly_pattern() if pattern is None else pattern
    return DemandHistory(
        first_day=MONDAY, interval_minutes=60, volumes=np.tile(base, (weeks, 1)), **kwargs
    )


# --- accuracy measures by hand ---------------------------------------------------------------


def test_wape_by_hand():
    # |10-8| + |20-25| + |0-1| = 8 over 30 actual → 0.2667
    assert wape([10, 20, 0], [8, 25, 1]) == pytest.approx(8 / 30)
    assert wape([np.nan, 10], [99, 10]) == 0.0  # unknown actuals are skipped
    assert wape([0, 0], [0, 0]) == 0.0
    assert wape([0, 0], [1, 0]) == math.inf


def test_mase_by_hand():
    # Season 2: in-sample |3-1| + |4-2| + |5-3| → MAE 2. Forecast errors |6-5| and |9-6| → 2.
    scale = seasonal_naive_mae([1, 2, 3, 4, 5], season=2)
    assert scale == pytest.approx(2.0)
    assert mase([6, 9], [5, 6], scale=scale) == pytest.approx(1.0)
    assert seasonal_naive_mae([1, np.nan, 3, 7], season=2) == pytest.approx(2.0)


# --- exact answers on a pure weekly pattern --------------------------------------------------


@pytest.mark.parametrize(
    "factory",
    [
        SeasonalNaive,
        WeekdayIntervalMean,
        lambda: WeekdayIntervalMean(statistic="median"),
        RobustSeasonalModel,
    ],
)
def test_pure_weekly_pattern_is_forecast_exactly(factory):
    history = history_of(6)
    forecast = factory().fit(history).predict(14)
    assert forecast.first_day == MONDAY + dt.timedelta(weeks=6)
    expected = np.tile(weekly_pattern(), (2, 1))
    np.testing.assert_allclose(forecast.point, expected, rtol=1e-9, atol=1e-9)
    # Closed hours and weekends forecast exactly 0, with a zero-width interval.
    assert forecast.point[:, :8].sum() == 0
    assert forecast.upper[5:7].sum() == 0


def test_backtest_of_an_exact_method_scores_zero():
    history = history_of(8)
    result = backtest(
        SeasonalNaive, history, origins=weekly_origins(history, weeks=3), horizon_days=7
    )
    assert result.wape == 0.0
    assert result.mase == 0.0
    assert len(result.origins) == 3


def test_closed_intervals_forecast_zero_even_with_stray_volume():
    pattern = weekly_pattern()
    pattern[0, 20] = 5.0  # an odd call at 20:00 on Mondays, outside opening hours
    mask = np.tile(pattern > 0, (6, 1))
    mask[:, 20] = False
    history = history_of(6, pattern, open_mask=mask)
    forecast = WeekdayIntervalMean().fit(history).predict(7)
    assert forecast.point[0, 20] == 0.0
    # And an is_open callable overrides the learned hours: closed all Wednesday.
    forecast = WeekdayIntervalMean().fit(history).predict(7, is_open=lambda ts: ts.weekday() != 2)
    assert forecast.point[2].sum() == 0.0
    assert forecast.point[1].sum() > 0


def test_holiday_in_history_does_not_drag_the_weekday_down():
    weeks = 6
    volumes = np.tile(weekly_pattern(), (weeks, 1))
    holiday = MONDAY + dt.timedelta(weeks=5)  # the last Monday: a holiday with almost no calls
    volumes[35] *= 0.05
    history = DemandHistory(
        first_day=MONDAY, interval_minutes=60, volumes=volumes, holidays=frozenset({holiday})
    )
    for factory in (SeasonalNaive, WeekdayIntervalMean, RobustSeasonalModel):
        forecast = factory().fit(history).predict(7)
        np.testing.assert_allclose(forecast.point[0], weekly_pattern()[0], rtol=1e-9)
    # Without telling it about the holiday the mean would be dragged down by 0.95 / 6.
    plain = DemandHistory(first_day=MONDAY, interval_minutes=60, volumes=volumes)
    dragged = WeekdayIntervalMean().fit(plain).predict(7)
    assert dragged.point[0].sum() == pytest.approx(weekly_pattern()[0].sum() * (1 - 0.95 / 6))


def test_future_holiday_forecasts_zero():
    history = history_of(4)
    next_monday = MONDAY + dt.timedelta(weeks=4)
    forecast = WeekdayIntervalMean().fit(history).predict(7, holidays={next_monday})
    assert forecast.point[0].sum() == 0
    assert forecast.point[1].sum() > 0


def test_missing_days_are_tolerated():
    volumes = np.tile(weekly_pattern(), (6, 1))
    volumes[28:31] = np.nan  # three unknown days in week five
    history = DemandHistory(first_day=MONDAY, interval_minutes=60, volumes=volumes)
    forecast = SeasonalNaive().fit(history).predict(7)
    np.testing.assert_allclose(forecast.point, weekly_pattern())


def test_outlier_week_is_damped_by_the_robust_model_not_by_the_mean():
    volumes = np.tile(weekly_pattern(), (5, 1))
    volumes[28] *= 4  # one Monday with four times the usual calls (an outage)
    history = DemandHistory(first_day=MONDAY, interval_minutes=60, volumes=volumes)
    usual = weekly_pattern()[0].sum()
    robust = RobustSeasonalModel().fit(history).predict(7).point[0].sum()
    mean = WeekdayIntervalMean().fit(history).predict(7).point[0].sum()
    assert robust == pytest.approx(usual, rel=0.05)
    assert mean == pytest.approx(usual * (1 + 3 / 5))


def test_robust_model_follows_a_growing_level_better_than_the_mean():
    rng = np.random.default_rng(3)
    weeks = 20
    growth = np.repeat(np.linspace(1.0, 2.0, weeks * 7), SLOTS).reshape(weeks * 7, SLOTS)
    volumes = rng.poisson(np.tile(weekly_pattern() * 10, (weeks, 1)) * growth).astype(float)
    history = DemandHistory(first_day=MONDAY, interval_minutes=60, volumes=volumes)
    results = compare_methods(
        history,
        factories=[WeekdayIntervalMean, lambda: RobustSeasonalModel(level_alpha=0.2)],
        origins=weekly_origins(history, weeks=4),
    )
    mean_result, robust_result = results
    assert robust_result.wape < mean_result.wape
    assert select_best(results) is robust_result


def test_prediction_intervals_cover_poisson_noise():
    rng = np.random.default_rng(7)
    weeks = 12
    mean = np.tile(weekly_pattern() * 5, (weeks + 2, 1))
    volumes = rng.poisson(mean).astype(float)
    history = DemandHistory(first_day=MONDAY, interval_minutes=60, volumes=volumes[: weeks * 7])
    forecast = WeekdayIntervalMean().fit(history).predict(14, level=0.8)
    actual = volumes[weeks * 7 :]
    open_cells = mean[weeks * 7 :] > 0
    inside = (actual >= forecast.lower) & (actual <= forecast.upper)
    coverage = inside[open_cells].mean()
    assert 0.7 <= coverage <= 0.95
    assert np.all(forecast.lower <= forecast.point)
    assert np.all(forecast.point <= forecast.upper)


def test_from_points_builds_local_days_and_reports_bad_rows():
    tz = dt.timezone(dt.timedelta(hours=3, minutes=30))
    stamps = [dt.datetime(2025, 3, 3, 8, 0, tzinfo=tz), dt.datetime(2025, 3, 3, 9, 0, tzinfo=tz)]
    history = DemandHistory.from_points(stamps, [4, 6], interval_minutes=60, timezone="Asia/Tehran")
    assert history.first_day == dt.date(2025, 3, 3)
    assert history.volumes[0, 8] == 4 and history.volumes[0, 9] == 6
    assert math.isnan(history.volumes[0, 10])
    with pytest.raises(ValueError, match="Row 2"):
        DemandHistory.from_points(stamps, [4, -1], interval_minutes=60)
    with pytest.raises(ValueError, match=r"Row 1: .*no time zone"):
        DemandHistory.from_points([dt.datetime(2025, 3, 3, 8)], [1], interval_minutes=60)


def test_forecast_points_are_aware_and_skip_nonexistent_times():
    history = DemandHistory(
        first_day=dt.date(2025, 3, 3),
        interval_minutes=60,
        volumes=np.tile(weekly_pattern(), (3, 1)),
        timezone="Europe/Berlin",
    )
    # Forecast 24 March – 6 April; on Sunday 30 March Berlin's clocks jump from 02:00 to 03:00.
    points = SeasonalNaive().fit(history).predict(14).points()
    assert len(points) == 14 * SLOTS - 1
    assert all(p.start.tzinfo is not None for p in points)
    monday_nine = next(p for p in points if p.start.day == 24 and p.start.hour == 9)
    assert monday_nine.forecast == pytest.approx(weekly_pattern()[0, 9])
    assert monday_nine.start.utcoffset() == dt.timedelta(hours=1)


@settings(max_examples=30, deadline=None)
@given(
    scale=st.floats(min_value=0.1, max_value=1000),
    weeks=st.integers(min_value=3, max_value=10),
)
def test_weekday_mean_of_a_scaled_pattern_is_the_pattern(scale, weeks):
    history = history_of(weeks, weekly_pattern() * scale)
    forecast = WeekdayIntervalMean(weeks=4).fit(history).predict(7)
    np.testing.assert_allclose(forecast.point, weekly_pattern() * scale, rtol=1e-9)
    assert np.all(forecast.point >= 0)
