"""Demand forecasting per interval: estimators, accuracy measures and a rolling-origin backtest.

Data: a `DemandHistory` is a regular grid of local days × intervals of the day (volume per
interval; NaN where unknown), with the organisation's opening hours and holidays. Days are local
calendar days in the history's time zone, so weekly and daily patterns follow the wall clock
across daylight-saving changes.

Rules every forecaster follows (docs repeat them for users):

* Only **learnable** intervals are learnt: open, not on a holiday, volume known. Holidays are
  treated as missing, never as ordinary days; missing days are skipped.
* **Closed intervals forecast 0**, and so do future holidays. Opening hours come from an
  `is_open(start)` callable when given; otherwise from the history (an interval of the week is
  open when it was open — or, without an explicit mask, had volume — on the most recent
  learnable same weekday).
* Estimator style (scikit-learn): `__init__` stores parameters, `fit(history)` returns self,
  learned state ends in `_`, `predict(horizon_days)` returns a `Forecast` of point forecasts
  with prediction intervals for the days after the history.
* **Prediction intervals** assume a negative-binomial-like spread, variance = μ + α·μ², with α
  estimated by the method of moments from the method's own one-week-ahead errors over the last
  four weeks of the history (each made by refitting on the data before that week). The interval
  is μ ± z·sd (normal approximation), clipped at 0; z for the requested level (default 80 %).
  Where there are too few weeks for that, α comes from in-sample deviations.

Methods:

* `SeasonalNaive` — the same interval on the most recent learnable same weekday (last week,
  unless that day was a holiday or missing).
* `WeekdayIntervalMean` — the mean (or median, or 20 % trimmed mean) of the same weekday and
  interval over the last `weeks` learnable same weekdays. A strong call-centre baseline.
* `RobustSeasonalModel` — a multiplicative decomposition with daily and weekly seasonality:
  volume = level × index[weekday, interval]. The level is exponential smoothing of
  weekday-adjusted daily totals with Huber-clipped updates (an outlier day moves it at most
  `huber` robust standard deviations); the index is the median over the last `weeks` same
  weekdays of volume / level, which damps outlier days. It follows growth or decline the
  weekday mean lags behind, and is robust where the mean is not.

Accuracy (backtest): WAPE = Σ|actual - forecast| / Σ|actual|; MASE = mean |error| / the
in-sample mean absolute error of the weekly seasonal naive (same interval one week earlier).
Both are computed over learnable intervals of the evaluated days only.
"""

import datetime as dt
import math
import statistics
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Self

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
IsOpen = Callable[[dt.datetime], bool]

_ONE_DAY = dt.timedelta(days=1)
#: Weeks of one-week-ahead errors used to size prediction intervals.
_INTERVAL_WEEKS = 4


# --- data -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DemandHistory:
    """Volumes on a grid of local days × intervals of the day.

    `volumes[d, s]` is the volume of interval s (starting s × interval_minutes after local
    midnight) on day `first_day + d`; NaN where unknown. `open_mask` (same shape) says which
    intervals were open; None means "learn it from the volumes". `holidays` are local dates.
    """

    first_day: dt.date
    interval_minutes: int
    volumes: FloatArray
    open_mask: BoolArray | None = None
    holidays: frozenset[dt.date] = frozenset()
    timezone: str = "UTC"
    _learnable: BoolArray = field(init=False, repr=False)
    _weekdays: IntArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.interval_minutes <= 0 or 1440 % self.interval_minutes:
            raise ValueError(
                f"interval_minutes must divide a day (e.g. 15, 30, 60), got {self.interval_minutes!r}."
            )
        volumes = np.asarray(self.volumes, dtype=np.float64)
        slots = 1440 // self.interval_minutes
        if volumes.ndim != 2 or volumes.shape[1] != slots:
            raise ValueError(
                f"volumes must have one row per day and {slots} columns "
                f"(one per {self.interval_minutes}-minute interval), got shape {volumes.shape}."
            )
        if np.any(volumes[np.isfinite(volumes)] < 0):
            day, slot = np.argwhere(np.isfinite(volumes) & (volumes < 0))[0]
            raise ValueError(
                f"Volume on {self.first_day + dt.timedelta(days=int(day))} interval "
                f"{int(slot) + 1} is negative ({volumes[day, slot]!r})."
            )
        setattr_ = object.__setattr__
        setattr_(self, "volumes", volumes)
        if self.open_mask is not None:
            mask = np.asarray(self.open_mask, dtype=bool)
            if mask.shape != volumes.shape:
                raise ValueError("open_mask must have the same shape as volumes.")
            setattr_(self, "open_mask", mask)
        days = volumes.shape[0]
        first_weekday = self.first_day.weekday()
        weekdays = (np.arange(days, dtype=np.int64) + first_weekday) % 7
        holiday_rows = np.array(
            [(self.first_day + dt.timedelta(days=d)) in self.holidays for d in range(days)],
            dtype=bool,
        )
        learnable = np.isfinite(volumes) & ~holiday_rows[:, None]
        if self.open_mask is not None:
            learnable &= self.open_mask
        setattr_(self, "_learnable", learnable)
        setattr_(self, "_weekdays", weekdays)

    @classmethod
    def from_points(
        cls,
        timestamps: Sequence[dt.datetime],
        volumes: Sequence[float],
        *,
        interval_minutes: int,
        timezone: str = "UTC",
        is_open: IsOpen | None = None,
        holidays: Iterable[dt.date] = (),
        missing_is_zero: bool = False,
    ) -> "DemandHistory":
        """Build the grid from (aware interval start, volume) points.

        Points falling in the same local interval are added (the repeated hour when clocks go
        back). Intervals without a point are unknown, or zero with `missing_is_zero`. With
        `is_open` every interval's start is checked against it.
        """
        if len(timestamps) != len(volumes):
            raise ValueError("timestamps and volumes must have the same length.")
        if not timestamps:
            raise ValueError("The history is empty: at least one interval is needed.")
        tz = zoneinfo.ZoneInfo(timezone)
        slots = 1440 // interval_minutes if interval_minutes > 0 else 0
        keys: list[tuple[dt.date, int]] = []
        for row, moment in enumerate(timestamps, start=1):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError(f"Row {row}: timestamp {moment.isoformat()} has no time zone.")
            local = moment.astimezone(tz)
            keys.append(
                (local.date(), (local.hour * 60 + local.minute) // max(1, interval_minutes))
            )
        first = min(k[0] for k in keys)
        last = max(k[0] for k in keys)
        days = (last - first).days + 1
        grid = np.full((days, max(1, slots)), 0.0 if missing_is_zero else np.nan)
        seen = np.zeros(grid.shape, dtype=bool)
        for row, ((day, slot), volume) in enumerate(zip(keys, volumes, strict=True), start=1):
            value = float(volume)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"Row {row}: volume must be zero or positive, got {volume!r}.")
            d = (day - first).days
            grid[d, slot] = grid[d, slot] + value if seen[d, slot] else value
            seen[d, slot] = True
        mask = None
        if is_open is not None:
            mask = _open_mask_for(first, days, interval_minutes, tz, is_open)
        return cls(
            first_day=first,
            interval_minutes=interval_minutes,
            volumes=grid,
            open_mask=mask,
            holidays=frozenset(holidays),
            timezone=timezone,
        )

    @property
    def days(self) -> int:
        return int(self.volumes.shape[0])

    @property
    def slots_per_day(self) -> int:
        return int(self.volumes.shape[1])

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=self.days - 1)

    @property
    def learnable(self) -> BoolArray:
        """Intervals that may be learnt from: known volume, open, not a holiday."""
        return self._learnable

    @property
    def weekdays(self) -> IntArray:
        """Weekday of each row (0 = Monday … 6 = Sunday)."""
        return self._weekdays

    def before(self, day: dt.date) -> "DemandHistory":
        """The history of the days before `day` (for backtesting)."""
        rows = (day - self.first_day).days
        if rows <= 0:
            raise ValueError(f"There is no history before {day.isoformat()}.")
        rows = min(rows, self.days)
        return DemandHistory(
            first_day=self.first_day,
            interval_minutes=self.interval_minutes,
            volumes=self.volumes[:rows],
            open_mask=None if self.open_mask is None else self.open_mask[:rows],
            holidays=self.holidays,
            timezone=self.timezone,
        )

    def rows_for(self, first: dt.date, days: int) -> tuple[FloatArray, BoolArray]:
        """Volumes and learnable mask for `days` days from `first` (missing rows are unknown)."""
        out = np.full((days, self.slots_per_day), np.nan)
        mask = np.zeros((days, self.slots_per_day), dtype=bool)
        offset = (first - self.first_day).days
        for d in range(days):
            src = offset + d
            if 0 <= src < self.days:
                out[d] = self.volumes[src]
                mask[d] = self.learnable[src]
        return out, mask


def _open_mask_for(
    first: dt.date, days: int, interval_minutes: int, tz: zoneinfo.ZoneInfo, is_open: IsOpen
) -> BoolArray:
    slots = 1440 // interval_minutes
    mask = np.zeros((days, slots), dtype=bool)
    for d in range(days):
        day = first + dt.timedelta(days=d)
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
        for s in range(slots):
            wall = midnight + dt.timedelta(minutes=s * interval_minutes)
            mask[d, s] = bool(is_open(wall))
    return mask


@dataclass(frozen=True, eq=False)
class ForecastPoint:
    """One interval of a forecast: its aware start and the forecast with its interval."""

    start: dt.datetime
    forecast: float
    lower: float
    upper: float


@dataclass(frozen=True, eq=False)
class Forecast:
    """Forecast grid (days × intervals of the day) from `first_day`, with prediction intervals."""

    method: str
    first_day: dt.date
    interval_minutes: int
    point: FloatArray
    lower: FloatArray
    upper: FloatArray
    level: float
    timezone: str = "UTC"

    @property
    def days(self) -> int:
        return int(self.point.shape[0])

    def points(self) -> list[ForecastPoint]:
        """Every interval as (aware start, forecast, lower, upper); skips wall times that do not
        exist (clocks going forward)."""
        tz = zoneinfo.ZoneInfo(self.timezone)
        out: list[ForecastPoint] = []
        for d in range(self.days):
            day = self.first_day + dt.timedelta(days=d)
            for s in range(self.point.shape[1]):
                minutes = s * self.interval_minutes
                wall = dt.datetime(
                    day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=tz
                )
                if wall.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != wall.replace(
                    tzinfo=None
                ):
                    continue  # does not exist in this time zone
                out.append(
                    ForecastPoint(
                        wall,
                        float(self.point[d, s]),
                        float(self.lower[d, s]),
                        float(self.upper[d, s]),
                    )
                )
        return out


# --- forecasters ------------------------------------------------------------------------------


def _same_weekday_rows(history: DemandHistory, weekday: int, end: int | None = None) -> IntArray:
    """Rows (oldest first) with the given weekday that have any learnable interval."""
    rows = np.flatnonzero((history.weekdays == weekday) & history.learnable.any(axis=1))
    if end is not None:
        rows = rows[rows < end]
    return rows


class Forecaster:
    """Base class: learnable-data handling, opening hours, prediction intervals."""

    name = "forecaster"

    history_: DemandHistory
    open_profile_: BoolArray  # (7, slots): open on the most recent learnable same weekday
    dispersion_: float  # α in variance = μ + α μ²

    def _fit_point(self, history: DemandHistory) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _predict_point(self, weekdays: IntArray) -> FloatArray:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, history: DemandHistory) -> Self:
        """Learn from `history`; returns self."""
        if not history.learnable.any():
            raise ValueError(
                "The history has no usable intervals (every interval is unknown, closed or on a holiday)."
            )
        self.history_ = history
        self.open_profile_ = _open_profile(history)
        self.dispersion_ = self._estimate_dispersion(history)
        self._fit_point(history)
        return self

    def _estimate_dispersion(self, history: DemandHistory) -> float:
        errors: list[FloatArray] = []
        means: list[FloatArray] = []
        last_row = history.days
        for week in range(_INTERVAL_WEEKS, 0, -1):
            start = last_row - 7 * week
            if start < 14:
                continue
            past = history.before(history.first_day + dt.timedelta(days=start))
            if not past.learnable.any():
                continue
            self._fit_point(past)
            weekdays = history.weekdays[start : start + 7]
            predicted = self._predict_point(weekdays)
            actual = history.volumes[start : start + 7]
            mask = history.learnable[start : start + 7]
            errors.append(actual[mask] - predicted[mask])
            means.append(predicted[mask])
        if errors:
            e = np.concatenate(errors)
            mu = np.concatenate(means)
        else:
            self._fit_point(history)
            predicted = self._predict_point(history.weekdays)
            mask = history.learnable
            e = history.volumes[mask] - predicted[mask]
            mu = predicted[mask]
        denominator = float((mu**2).sum())
        if denominator <= 0:
            return 0.0
        return max(0.0, float((e**2 - mu).sum()) / denominator)

    def predict(
        self,
        horizon_days: int,
        *,
        is_open: IsOpen | None = None,
        holidays: Iterable[dt.date] | None = None,
        level: float = 0.8,
    ) -> Forecast:
        """Forecast the `horizon_days` days after the history, with `level` prediction intervals.

        Closed intervals (by `is_open`, or the learned opening hours) and holidays (`holidays`,
        default: the history's) forecast 0.
        """
        history = self.history_
        if not isinstance(horizon_days, int) or horizon_days < 1:
            raise ValueError(f"horizon_days must be a whole number ≥ 1, got {horizon_days!r}.")
        if not 0 < level < 1:
            raise ValueError(f"level must be between 0 and 1, got {level!r}.")
        first = history.last_day + _ONE_DAY
        weekdays = (np.arange(horizon_days, dtype=np.int64) + first.weekday()) % 7
        point = np.clip(np.nan_to_num(self._predict_point(weekdays)), 0.0, None)
        if is_open is not None:
            tz = zoneinfo.ZoneInfo(history.timezone)
            open_mask = _open_mask_for(first, horizon_days, history.interval_minutes, tz, is_open)
        else:
            open_mask = self.open_profile_[weekdays]
        closed_days = frozenset(history.holidays if holidays is None else holidays)
        for d in range(horizon_days):
            if first + dt.timedelta(days=d) in closed_days:
                open_mask[d] = False
        point = np.where(open_mask, point, 0.0)
        z = statistics.NormalDist().inv_cdf(0.5 + level / 2)
        spread = z * np.sqrt(point + self.dispersion_ * point**2)
        return Forecast(
            method=self.name,
            first_day=first,
            interval_minutes=history.interval_minutes,
            point=point,
            lower=np.clip(point - spread, 0.0, None),
            upper=point + spread,
            level=level,
            timezone=history.timezone,
        )


def _open_profile(history: DemandHistory) -> BoolArray:
    profile = np.zeros((7, history.slots_per_day), dtype=bool)
    for weekday in range(7):
        rows = _same_weekday_rows(history, weekday)
        if rows.size == 0:
            continue
        last = int(rows[-1])
        if history.open_mask is not None:
            profile[weekday] = history.open_mask[last]
        else:
            # Without explicit hours: open where any of the last four such days had volume.
            recent = rows[-4:]
            seen = np.nan_to_num(history.volumes[recent]) > 0
            profile[weekday] = seen.any(axis=0)
    return profile


def _learnable_values(history: DemandHistory) -> FloatArray:
    return np.where(history.learnable, history.volumes, np.nan)


class SeasonalNaive(Forecaster):
    """The same interval on the most recent learnable same weekday (usually last week)."""

    name = "seasonal_naive"

    last_week_: FloatArray  # (7, slots)

    def __init__(self) -> None:
        pass

    def _fit_point(self, history: DemandHistory) -> None:
        values = _learnable_values(history)
        table = np.zeros((7, history.slots_per_day))
        for weekday in range(7):
            rows = _same_weekday_rows(history, weekday)
            if rows.size == 0:
                continue
            # Latest known value per interval (a missing interval falls back a week).
            block = values[rows]
            latest = np.full(history.slots_per_day, np.nan)
            for row in block:
                latest = np.where(np.isfinite(row), row, latest)
            table[weekday] = np.nan_to_num(latest)
        self.last_week_ = table

    def _predict_point(self, weekdays: IntArray) -> FloatArray:
        return self.last_week_[weekdays].copy()


class WeekdayIntervalMean(Forecaster):
    """Mean (or median / 20 % trimmed mean) of the same weekday and interval over recent weeks."""

    name = "weekday_mean"

    profile_: FloatArray  # (7, slots)

    def __init__(self, *, weeks: int = 6, statistic: str = "mean") -> None:
        self.weeks = weeks
        self.statistic = statistic
        if statistic != "mean":
            self.name = f"weekday_{statistic}"

    def _fit_point(self, history: DemandHistory) -> None:
        if self.weeks < 1:
            raise ValueError(f"weeks must be ≥ 1, got {self.weeks!r}.")
        if self.statistic not in ("mean", "median", "trimmed"):
            raise ValueError(f"statistic must be mean, median or trimmed, got {self.statistic!r}.")
        values = _learnable_values(history)
        table = np.zeros((7, history.slots_per_day))
        for weekday in range(7):
            rows = _same_weekday_rows(history, weekday)[-self.weeks :]
            if rows.size == 0:
                continue
            table[weekday] = _column_statistic(values[rows], self.statistic)
        self.profile_ = table

    def _predict_point(self, weekdays: IntArray) -> FloatArray:
        return self.profile_[weekdays].copy()


def _column_statistic(block: FloatArray, statistic: str) -> FloatArray:
    """Per-column mean / median / 20 % trimmed mean ignoring NaN; 0 where a column is empty."""
    finite = np.isfinite(block)
    counts = finite.sum(axis=0)
    out = np.zeros(block.shape[1])
    has = counts > 0
    if not has.any():
        return out
    if statistic == "mean":
        out[has] = np.nansum(block[:, has], axis=0) / counts[has]
    elif statistic == "median":
        out[has] = np.nanmedian(block[:, has], axis=0)
    else:
        ordered = np.sort(np.where(finite, block, np.inf), axis=0)
        for col in np.flatnonzero(has):
            n = int(counts[col])
            cut = int(n * 0.2)
            kept = ordered[cut : n - cut, col]
            out[col] = float(kept.mean())
    return out


class RobustSeasonalModel(Forecaster):
    """Level × weekday-interval index, robust to outliers (see the module notes)."""

    name = "robust_seasonal"

    level_: float
    index_: FloatArray  # (7, slots): volume per unit of level

    def __init__(self, *, weeks: int = 5, level_alpha: float = 0.02, huber: float = 2.0) -> None:
        self.weeks = weeks
        self.level_alpha = level_alpha
        self.huber = huber

    def _fit_point(self, history: DemandHistory) -> None:
        values = _learnable_values(history)
        learnable = history.learnable
        # Complete days only for daily totals: every usually-open interval of the day known.
        usually_open = _open_profile(history)
        rows = np.flatnonzero(learnable.any(axis=1))
        complete = [
            int(r)
            for r in rows
            if usually_open[history.weekdays[r]].any()
            and learnable[r][usually_open[history.weekdays[r]]].all()
        ]
        totals = np.array([np.nansum(values[r]) for r in complete])
        if not (totals > 0).any():  # no demand at all: there is no level to learn
            complete, totals = [], np.zeros(0)
        weekdays = history.weekdays[complete] if complete else np.zeros(0, dtype=np.int64)
        weekday_factor = np.ones(7)
        if totals.size:
            for weekday in range(7):
                sel = totals[weekdays == weekday][-8:]
                weekday_factor[weekday] = float(np.median(sel)) if sel.size else 0.0
            active = weekday_factor > 0
            if active.any():
                weekday_factor = np.where(
                    active, weekday_factor / weekday_factor[active].mean(), 1.0
                )
            else:  # no weekday with demand in its recent complete days: no weekly pattern
                weekday_factor = np.ones(7)
        # Level per row: Huber-clipped exponential smoothing of weekday-adjusted daily totals.
        level_by_row = np.full(history.days, np.nan)
        if totals.size:
            adjusted = totals / weekday_factor[weekdays]
            recent = adjusted[-40:]
            scale = 1.4826 * float(np.median(np.abs(recent - np.median(recent))))
            if scale <= 0:
                scale = 0.05 * float(np.median(recent)) or 1.0
            level = float(np.median(adjusted[:5]))
            for row, value in zip(complete, adjusted, strict=True):
                step = float(np.clip(value - level, -self.huber * scale, self.huber * scale))
                level += self.level_alpha * step
                level_by_row[row] = level
            # Carry the level to incomplete days (forward, then backward for the first ones).
            last = np.nan
            for r in range(history.days):
                if np.isfinite(level_by_row[r]):
                    last = level_by_row[r]
                else:
                    level_by_row[r] = last
            first_known = level_by_row[np.isfinite(level_by_row)][0]
            level_by_row = np.where(np.isfinite(level_by_row), level_by_row, first_known)
            self.level_ = level
        else:
            level_by_row[:] = 1.0
            self.level_ = 1.0
        # A day whose level is still 0 (no demand learnt yet) says nothing about the shape of
        # a day: its ratios stay unknown instead of becoming infinite.
        row_level = level_by_row[:, None]
        ratios = np.divide(values, row_level, out=np.full_like(values, np.nan), where=row_level > 0)
        index = np.zeros((7, history.slots_per_day))
        for weekday in range(7):
            sel = _same_weekday_rows(history, weekday)[-self.weeks :]
            if sel.size:
                index[weekday] = _column_statistic(ratios[sel], "median")
        self.index_ = index

    def _predict_point(self, weekdays: IntArray) -> FloatArray:
        return self.level_ * self.index_[weekdays]


# --- accuracy and backtest -------------------------------------------------------------------


def wape(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Weighted absolute percentage error Σ|a - f| / Σ|a| as a fraction (NaN actuals skipped).

    0 when both are all zero; infinite when only the actuals are zero.
    """
    a = np.asarray(actual, dtype=np.float64)
    f = np.asarray(forecast, dtype=np.float64)
    mask = np.isfinite(a)
    error = float(np.abs(a[mask] - f[mask]).sum())
    scale = float(np.abs(a[mask]).sum())
    if scale == 0:
        return 0.0 if error == 0 else math.inf
    return error / scale


def seasonal_naive_mae(values: npt.ArrayLike, *, season: int) -> float:
    """In-sample mean |y[t] - y[t - season]| over pairs where both are known (NaN = unknown)."""
    y = np.asarray(values, dtype=np.float64).reshape(-1)
    if y.size <= season:
        return math.nan
    diff = np.abs(y[season:] - y[:-season])
    diff = diff[np.isfinite(diff)]
    return float(diff.mean()) if diff.size else math.nan


def mase(actual: npt.ArrayLike, forecast: npt.ArrayLike, *, scale: float) -> float:
    """Mean absolute error divided by `scale` (the in-sample seasonal naive MAE)."""
    a = np.asarray(actual, dtype=np.float64)
    f = np.asarray(forecast, dtype=np.float64)
    mask = np.isfinite(a)
    mae = float(np.abs(a[mask] - f[mask]).mean()) if mask.any() else math.nan
    if not math.isfinite(scale):
        return math.nan
    if scale == 0:
        return 0.0 if mae == 0 else math.inf
    return mae / scale


@dataclass(frozen=True)
class BacktestResult:
    """Accuracy of one method over a rolling-origin backtest (WAPE as a fraction)."""

    method: str
    wape: float
    mase: float
    origins: tuple[dt.date, ...]
    wape_by_origin: tuple[float, ...]


def _weekly_scale(history: DemandHistory) -> float:
    values = _learnable_values(history)
    return seasonal_naive_mae(values, season=7 * history.slots_per_day)


def backtest(
    model_factory: Callable[[], Forecaster],
    history: DemandHistory,
    *,
    origins: Sequence[dt.date],
    horizon_days: int,
) -> BacktestResult:
    """Rolling-origin backtest: for each origin, fit on the days before it and forecast
    `horizon_days` from it. WAPE pools every origin's learnable intervals; MASE is the mean over
    origins of MAE / the weekly seasonal-naive in-sample MAE of the history before that origin.
    """
    if not origins:
        raise ValueError("A backtest needs at least one origin date.")
    all_actual: list[FloatArray] = []
    all_forecast: list[FloatArray] = []
    per_origin: list[float] = []
    mases: list[float] = []
    method = ""
    for origin in origins:
        past = history.before(origin)
        model = model_factory().fit(past)
        method = model.name
        forecast = model.predict(horizon_days)
        actual, mask = history.rows_for(origin, horizon_days)
        a = actual[mask]
        f = forecast.point[mask]
        all_actual.append(a)
        all_forecast.append(f)
        per_origin.append(wape(a, f))
        mases.append(mase(a, f, scale=_weekly_scale(past)))
    finite_mases = [m for m in mases if math.isfinite(m)]
    return BacktestResult(
        method=method,
        wape=wape(np.concatenate(all_actual), np.concatenate(all_forecast)),
        mase=float(np.mean(finite_mases)) if finite_mases else math.nan,
        origins=tuple(origins),
        wape_by_origin=tuple(per_origin),
    )


def weekly_origins(history: DemandHistory, *, weeks: int = 8, weekday: int = 0) -> list[dt.date]:
    """The last `weeks` dates with the given weekday (0 = Monday) inside the history, leaving at
    least two weeks before the first to learn from."""
    last = history.last_day
    day = last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    out: list[dt.date] = []
    earliest = history.first_day + dt.timedelta(days=14)
    while len(out) < weeks and day >= earliest:
        out.append(day)
        day -= dt.timedelta(days=7)
    return sorted(out)


def default_forecasters() -> list[Callable[[], Forecaster]]:
    """The competing methods, simplest first (ties go to the simpler one)."""
    return [SeasonalNaive, WeekdayIntervalMean, RobustSeasonalModel]


def compare_methods(
    history: DemandHistory,
    *,
    factories: Sequence[Callable[[], Forecaster]] | None = None,
    origins: Sequence[dt.date] | None = None,
    horizon_days: int = 7,
) -> list[BacktestResult]:
    """Backtest every method on the same origins (default: the last 8 Mondays)."""
    chosen_origins = list(origins) if origins is not None else weekly_origins(history)
    if not chosen_origins:
        raise ValueError("The history is too short to backtest: at least three weeks are needed.")
    return [
        backtest(factory, history, origins=chosen_origins, horizon_days=horizon_days)
        for factory in (factories if factories is not None else default_forecasters())
    ]


def select_best(results: Sequence[BacktestResult]) -> BacktestResult:
    """The result with the lowest WAPE (the first listed wins a tie)."""
    if not results:
        raise ValueError("No backtest results to choose from.")
    return min(results, key=lambda r: r.wape if math.isfinite(r.wape) else math.inf)


# --- the rest of today ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DayReforecast:
    """The rest of a day re-forecast from the level seen so far.

    `forecast` has one value per interval of the day: the intervals already elapsed keep the
    morning's forecast, the others are the morning's × `factor`. `factor` is 1 when `scaled` is
    False (too early, or too little volume so far, to trust the level).
    """

    forecast: FloatArray
    factor: float
    raw_factor: float | None
    scaled: bool


#: The guard the product uses, chosen on bench/reforecast.py (the bank's 2003 calls, 97 days):
#: at one or two hours after opening the ratio so far made the rest of the day worse at every
#: volume (the early morning's share of the day varies from day to day), from three hours on it
#: helped; with fewer than about 1,000 contacts forecast so far, the ratio's noise cancelled the
#: gain. Factors seen were 0.67–1.52: a day beyond ±50 % is more likely an outage or an event the
#: lead knows of than a level to extrapolate, hence the cap.
REFORECAST_MIN_OPEN_MINUTES = 180
REFORECAST_MIN_CONTACTS = 1000.0
REFORECAST_MAX_FACTOR = 1.5


def reforecast_rest_of_day(
    forecast: npt.ArrayLike,
    actual: npt.ArrayLike,
    *,
    elapsed_intervals: int,
    min_open_intervals: int = 0,
    min_forecast_so_far: float = 0.0,
    max_factor: float = REFORECAST_MAX_FACTOR,
) -> DayReforecast:
    """Scale the rest of the day by actual ÷ forecast of the intervals elapsed so far.

    `forecast` and `actual` are volumes per interval of one day (actual may be shorter: only
    the first `elapsed_intervals` are read). The factor is Σ actual ÷ Σ forecast over those
    intervals, kept within [1 / `max_factor`, `max_factor`]; it is applied only once at least
    `min_open_intervals` of them were open (forecast above 0) and their forecast adds up to at
    least `min_forecast_so_far` contacts (a morning of two calls says nothing about the day's
    level). Nothing at all so far is taken for contacts not arriving yet (an import that has
    not run), not for a day without demand: the forecast is left alone. `raw_factor` is the
    unclipped ratio (None when nothing was forecast so far).
    """
    point = np.asarray(forecast, dtype=np.float64).reshape(-1)
    seen = np.asarray(actual, dtype=np.float64).reshape(-1)
    if not 0 <= elapsed_intervals <= point.size:
        raise ValueError(
            f"elapsed_intervals must be between 0 and {point.size}, got {elapsed_intervals!r}."
        )
    if seen.size < elapsed_intervals:
        raise ValueError(
            f"actual has {seen.size} intervals, fewer than the {elapsed_intervals} elapsed."
        )
    if max_factor < 1:
        raise ValueError(f"max_factor must be 1 or more, got {max_factor!r}.")
    forecast_so_far = float(point[:elapsed_intervals].sum())
    actual_so_far = float(np.nan_to_num(seen[:elapsed_intervals]).sum())
    raw = actual_so_far / forecast_so_far if forecast_so_far > 0 else None
    open_so_far = int((point[:elapsed_intervals] > 0).sum())
    scaled = (
        raw is not None
        and actual_so_far > 0
        and open_so_far >= min_open_intervals
        and forecast_so_far >= min_forecast_so_far
    )
    factor = float(np.clip(raw, 1 / max_factor, max_factor)) if scaled and raw is not None else 1.0
    out = point.copy()
    out[elapsed_intervals:] *= factor
    return DayReforecast(forecast=out, factor=factor, raw_factor=raw, scaled=scaled)
