"""Peaks of demand: a weekday × hour heatmap, the peak days and hours, and special days.

Input is hourly demand per local day (`hourly[d, h]` = contacts in hour h of day `first_day + d`
in the organisation's time zone). Rules (docs repeat them for users):

* **Heatmap**: the mean volume of each (weekday, hour) over the days of that weekday in the
  period, holidays left out (a holiday is not an ordinary Monday). Rows run in the
  organisation's week: from the first day after its weekend (Monday for a Saturday–Sunday
  weekend, Saturday for a Friday weekend), weekend days last.
* **Peak days**: weekdays ranked by their mean daily volume. **Peak hours**: the busiest
  (weekday, hour) cells of the heatmap, and the hours of the day ranked by their mean volume
  over working days.
* **Special days** stand out from days like them: a day's total is compared with the other
  non-holiday days of the same weekday by the robust (modified) z-score of Iglewicz and Hoaglin,
  z = 0.6745 · (x − median) / MAD. Median and MAD ignore the outliers they are looking for,
  unlike a mean and standard deviation. |z| ≥ `z_threshold` (3.5 by default) marks a special
  day — a promotion, an outage, a storm — high or low. When the MAD is 0 (most days identical)
  the mean absolute deviation × 1.2533 stands in for it, and the scale is never below √median —
  the Poisson noise of a count — so a day 10 % off a perfectly regular pattern is not special.
  Holidays are reported too, with their
  z-score against the same weekday, so a busy holiday is not mistaken for an ordinary day.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_MODIFIED_Z = 0.6745
_MEAN_AD_TO_MAD = 1.253314
#: A weekday needs at least this many ordinary days before its days can be called special.
_MIN_DAYS_FOR_Z = 4


@dataclass(frozen=True)
class PeakCell:
    """One (weekday, hour) of the heatmap: ISO weekday (1 = Monday), hour 0..23, mean volume."""

    weekday: int
    hour: int
    volume: float


@dataclass(frozen=True)
class WeekdayVolume:
    """A weekday's mean daily volume over the days counted."""

    weekday: int
    volume: float
    days: int
    is_weekend: bool


@dataclass(frozen=True)
class SpecialDay:
    """A day whose total stands out from the same weekday: `expected` is that weekday's median."""

    day: dt.date
    volume: float
    expected: float
    z: float
    direction: str  # "high" or "low"
    is_holiday: bool


@dataclass(frozen=True)
class PeakReport:
    """Heatmap rows follow `weekday_order` (ISO weekdays); volumes are means per day."""

    weekday_order: tuple[int, ...]
    heatmap: FloatArray  # (7, 24)
    days_counted: tuple[int, ...]  # per row of the heatmap
    weekdays: tuple[WeekdayVolume, ...]  # busiest first
    peak_cells: tuple[PeakCell, ...]  # busiest first
    hours: tuple[tuple[int, float], ...]  # (hour, mean volume on working days), busiest first
    special_days: tuple[SpecialDay, ...]  # by date


def week_order(weekend: Iterable[int] = ()) -> tuple[int, ...]:
    """ISO weekdays in the organisation's week: from the first day after the weekend.

    (6, 7) → Monday…Sunday; (5,) → Saturday…Friday; (5, 6) → Sunday…Saturday; none → Monday….
    """
    closed = set(weekend)
    if not closed or len(closed) >= 7:
        return (1, 2, 3, 4, 5, 6, 7)
    for start in range(1, 8):
        previous = 7 if start == 1 else start - 1
        if start not in closed and previous in closed:
            return tuple((start - 1 + i) % 7 + 1 for i in range(7))
    return (1, 2, 3, 4, 5, 6, 7)  # pragma: no cover - unreachable with 1..6 closed days


def robust_z_scores(values: npt.ArrayLike) -> FloatArray:
    """Modified z-scores 0.6745 · (x − median) / MAD (mean absolute deviation when MAD is 0).

    All zeros when every value is the same.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return x.copy()
    median = float(np.median(x))
    deviations = np.abs(x - median)
    mad = float(np.median(deviations))
    if mad > 0:
        return _MODIFIED_Z * (x - median) / mad
    mean_ad = float(deviations.mean())
    if mean_ad > 0:
        return (x - median) / (_MEAN_AD_TO_MAD * mean_ad)
    return np.zeros_like(x)


def find_peaks(
    first_day: dt.date,
    hourly: npt.ArrayLike,
    *,
    weekend: Iterable[int] = (),
    holidays: Iterable[dt.date] = (),
    z_threshold: float = 3.5,
    top: int = 5,
) -> PeakReport:
    """Heatmap, peak days and hours, and special days of `hourly` (days × 24, local hours).

    `weekend` lists ISO weekdays the organisation does not work; `holidays` local dates.
    NaN hours are unknown and left out of the means.
    """
    grid = np.asarray(hourly, dtype=np.float64)
    if grid.ndim != 2 or grid.shape[1] != 24:
        raise ValueError(f"hourly must have one row per day and 24 columns, got {grid.shape}.")
    if not z_threshold > 0:
        raise ValueError(f"z_threshold must be positive, got {z_threshold!r}.")
    weekend_days = frozenset(weekend)
    holiday_set = frozenset(holidays)
    days = [first_day + dt.timedelta(days=d) for d in range(grid.shape[0])]
    iso = np.array([day.isoweekday() for day in days], dtype=np.int64)
    is_holiday = np.array([day in holiday_set for day in days], dtype=bool)
    known_day = np.isfinite(grid).any(axis=1)
    ordinary = known_day & ~is_holiday

    order = week_order(weekend_days)
    heatmap = np.zeros((7, 24))
    counted: list[int] = []
    weekday_rows: list[WeekdayVolume] = []
    totals = np.nansum(grid, axis=1)
    for row, weekday in enumerate(order):
        selected = ordinary & (iso == weekday)
        counted.append(int(selected.sum()))
        if selected.any():
            block = grid[selected]
            known = np.isfinite(block).sum(axis=0)
            sums = np.nansum(block, axis=0)
            heatmap[row] = np.divide(sums, known, out=np.zeros(24), where=known > 0)
            mean_total = float(totals[selected].mean())
        else:
            mean_total = 0.0
        weekday_rows.append(
            WeekdayVolume(weekday, mean_total, int(selected.sum()), weekday in weekend_days)
        )

    cells = [
        PeakCell(order[r], h, float(heatmap[r, h]))
        for r in range(7)
        for h in range(24)
        if heatmap[r, h] > 0
    ]
    cells.sort(key=lambda c: (-c.volume, order.index(c.weekday), c.hour))

    working = ordinary & ~np.isin(iso, list(weekend_days))
    if not working.any():
        working = ordinary
    hours: list[tuple[int, float]] = []
    if working.any():
        block = grid[working]
        known = np.isfinite(block).sum(axis=0)
        means = np.divide(np.nansum(block, axis=0), known, out=np.zeros(24), where=known > 0)
        hours = sorted(
            ((h, float(means[h])) for h in range(24) if means[h] > 0), key=lambda p: (-p[1], p[0])
        )

    special: list[SpecialDay] = []
    for weekday in range(1, 8):
        base = np.flatnonzero(ordinary & (iso == weekday))
        if base.size < _MIN_DAYS_FOR_Z:
            continue
        base_totals = totals[base]
        median, scale = _robust_scale(base_totals)
        for index in base.tolist():
            z = _z(float(totals[index]), median, scale)
            if abs(z) >= z_threshold:
                special.append(_special(days[index], totals[index], median, z, holiday=False))
        for index in np.flatnonzero(known_day & is_holiday & (iso == weekday)).tolist():
            z = _z(float(totals[index]), median, scale)
            special.append(_special(days[index], totals[index], median, z, holiday=True))
    special.sort(key=lambda s: s.day)

    return PeakReport(
        weekday_order=order,
        heatmap=heatmap,
        days_counted=tuple(counted),
        weekdays=tuple(sorted(weekday_rows, key=lambda w: (-w.volume, order.index(w.weekday)))),
        peak_cells=tuple(cells[: max(0, top)]),
        hours=tuple(hours),
        special_days=tuple(special),
    )


def _robust_scale(values: FloatArray) -> tuple[float, float]:
    """(median, robust standard deviation) of daily counts, floored at √median."""
    median = float(np.median(values))
    deviations = np.abs(values - median)
    mad = float(np.median(deviations))
    scale = mad / _MODIFIED_Z if mad > 0 else _MEAN_AD_TO_MAD * float(deviations.mean())
    return median, max(scale, float(np.sqrt(max(median, 0.0))))


def _z(value: float, median: float, scale: float) -> float:
    if scale > 0:
        return (value - median) / scale
    return 0.0 if value == median else float(np.sign(value - median)) * float("inf")


def _special(
    day: dt.date, volume: float, expected: float, z: float, *, holiday: bool
) -> SpecialDay:
    return SpecialDay(
        day=day,
        volume=float(volume),
        expected=float(expected),
        z=float(z),
        direction="high" if volume >= expected else "low",
        is_holiday=holiday,
    )
