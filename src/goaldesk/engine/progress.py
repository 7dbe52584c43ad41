"""Progress of a goal, computed from data: current value, plan, status and projection.

Rules (the goal page and docs repeat them for users):

* The **planned path** is piecewise linear through (start, baseline), the milestones in date
  order, and (deadline, target). Before the start it is the baseline; after the deadline the
  target.
* **Progress** is (current − baseline) / (target − baseline). Because numerator and
  denominator change sign together, the same formula serves lower-is-better goals (a resolution
  time from 14 days down to 7: a current 10.5 days is progress 0.5). The raw fraction is kept
  (−0.2 means worse than the baseline, 1.3 means past the target); the display fraction is
  clamped to 0–1.
* The **projection** at the deadline is the least-squares straight line through the last
  `trend_points` values of the series (days on the x axis), read at the deadline. Every recent
  point carries the same weight, so day-to-day noise averages out instead of one odd day
  deciding the trend (as "last minus first" would). At least two values on different days are
  needed, otherwise there is no projection.
* **Status** while the goal runs (as_of on or before the deadline):
  ``not_started`` before the start; ``no_data`` when the series has no value on or before
  `as_of`; ``on_track`` when the current value already meets the target; otherwise ``at_risk``
  when the projection at the deadline falls short of the target by more than the tolerance;
  otherwise ``behind`` when the current value is worse than the planned value for its day by
  more than the tolerance; otherwise ``on_track``. At-risk outranks behind: a goal heading for a
  miss matters more than one that is late but catching up.
  The tolerance is `tolerance` × |target − baseline| (default 10 % of the change asked for).
* **After the deadline** (as_of later than the deadline) the goal is ``achieved`` when its final
  value (the last value on or before the deadline) meets the target, else ``missed``; with no
  value at all it is ``no_data``.
"""

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Better = Literal["higher", "lower"]
Status = Literal["not_started", "no_data", "on_track", "behind", "at_risk", "achieved", "missed"]

#: Floating-point slack when comparing values that should be equal (an exactly-on-plan series).
_EPSILON = 1e-9


def progress_fraction(*, baseline: float, target: float, value: float) -> float:
    """Raw progress from `baseline` (0.0) to `target` (1.0); may be below 0 or above 1.

    When target equals baseline there is no distance to cover: 1.0 if `value` is at or past
    the target, else 0.0 — which way "past" is cannot be known, so equality alone counts.
    """
    distance = target - baseline
    if distance == 0:
        return 1.0 if math.isclose(value, target, abs_tol=_EPSILON) else 0.0
    return (value - baseline) / distance


def meets_target(*, value: float, target: float, better: Better) -> bool:
    """Whether `value` is at the target or better (within floating-point slack)."""
    if better == "higher":
        return value >= target - _EPSILON * max(1.0, abs(target))
    return value <= target + _EPSILON * max(1.0, abs(target))


def shortfall(*, value: float, wanted: float, better: Better) -> float:
    """How much worse `value` is than `wanted`, in the metric's units (negative when better)."""
    return wanted - value if better == "higher" else value - wanted


def planned_path(
    *,
    baseline: float,
    target: float,
    start: dt.date,
    deadline: dt.date,
    milestones: Sequence[tuple[dt.date, float]] = (),
) -> list[tuple[dt.date, float]]:
    """The knots of the planned path: (start, baseline), milestones by date, (deadline, target).

    Raises ValueError when the deadline is not after the start or a milestone lies outside
    [start, deadline] or two milestones share a date (the SMART check reports these to the user
    first; a goal that passed it never raises here).
    """
    if deadline <= start:
        raise ValueError(
            f"Planned path: the deadline {deadline.isoformat()} is not after the start "
            f"{start.isoformat()}."
        )
    ordered = sorted(milestones, key=lambda m: m[0])
    for (day, _value), (next_day, _next) in itertools.pairwise(ordered):
        if day == next_day:
            raise ValueError(f"Planned path: two milestones share the date {day.isoformat()}.")
    for day, _value in ordered:
        if not start <= day <= deadline:
            raise ValueError(
                f"Planned path: the milestone on {day.isoformat()} lies outside the goal's "
                f"period {start.isoformat()} – {deadline.isoformat()}."
            )
    knots = [(start, float(baseline))]
    for day, value in ordered:
        if day == start:
            knots[0] = (day, float(value))  # a milestone on the start day restates the start
        else:
            knots.append((day, float(value)))
    if knots[-1][0] == deadline:
        knots[-1] = (deadline, float(target))  # the target is the last word on the deadline
    else:
        knots.append((deadline, float(target)))
    return knots


def planned_value(knots: Sequence[tuple[dt.date, float]], day: dt.date) -> float:
    """The planned value on `day`, linear between the knots of `planned_path`.

    Before the first knot it is the first knot's value, after the last the last knot's value.
    """
    if not knots:
        raise ValueError("Planned path: no knots to interpolate between.")
    if day <= knots[0][0]:
        return knots[0][1]
    for (day_a, value_a), (day_b, value_b) in itertools.pairwise(knots):
        if day == day_b:
            return value_b  # exact on a knot, whatever floating point would make of it
        if day < day_b:
            span = (day_b - day_a).days
            return value_a + (value_b - value_a) * (day - day_a).days / span
    return knots[-1][1]


@dataclass(frozen=True)
class Trend:
    """A least-squares line through recent values: value = intercept + slope_per_day × days."""

    origin: dt.date
    intercept: float
    slope_per_day: float
    points: int

    def value_on(self, day: dt.date) -> float:
        """The line's value on `day`."""
        return self.intercept + self.slope_per_day * (day - self.origin).days


def fit_trend(points: Sequence[tuple[dt.date, float]]) -> Trend | None:
    """The least-squares line through `points`, or None with fewer than two distinct days."""
    if len(points) < 2:
        return None
    origin = points[0][0]
    xs = [float((day - origin).days) for day, _ in points]
    ys = [float(value) for _, value in points]
    n = len(xs)
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(ys) / n
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return None
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return Trend(origin=origin, intercept=mean_y - slope * mean_x, slope_per_day=slope, points=n)


@dataclass(frozen=True)
class ProgressReport:
    """Where a goal stands on `as_of`. Values are in the metric's own units.

    `progress` is the raw fraction baseline → target (kept unclamped); `progress_display` is
    it clamped to 0–1. `gap_to_plan` is how much worse than plan the current value is (negative
    when ahead). `final_value` is set once the deadline has passed.
    """

    status: Status
    as_of: dt.date
    current_value: float | None
    current_date: dt.date | None
    progress: float | None
    progress_display: float | None
    planned_value: float
    gap_to_plan: float | None
    projection: float | None
    trend: Trend | None
    final_value: float | None
    days_left: int
    plan: list[tuple[dt.date, float]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        return {
            "status": self.status,
            "as_of": self.as_of.isoformat(),
            "current_value": self.current_value,
            "current_date": self.current_date.isoformat() if self.current_date else None,
            "progress": self.progress,
            "progress_display": self.progress_display,
            "planned_value": self.planned_value,
            "gap_to_plan": self.gap_to_plan,
            "projection": self.projection,
            "trend_slope_per_day": self.trend.slope_per_day if self.trend else None,
            "final_value": self.final_value,
            "days_left": self.days_left,
            "plan": [[day.isoformat(), value] for day, value in self.plan],
        }


def goal_progress(
    *,
    baseline: float,
    target: float,
    start: dt.date,
    deadline: dt.date,
    better: Better,
    series: Sequence[tuple[dt.date, float | None]],
    as_of: dt.date,
    milestones: Sequence[tuple[dt.date, float]] = (),
    tolerance: float = 0.1,
    trend_points: int = 14,
) -> ProgressReport:
    """Progress of a goal on `as_of` from `series`, the daily values of its metric.

    `series` holds (day, value) pairs — typically the metric over the tracking window ending
    that day (rolling 7 days, say); None marks a day without data. Order does not matter; a
    day given twice raises ValueError. Values after `as_of` are ignored. `tolerance` is a
    fraction of |target − baseline|; `trend_points` is how many recent values the projection
    line is fitted to.
    """
    if better not in ("higher", "lower"):
        raise ValueError(f"Goal progress: better must be 'higher' or 'lower', not {better!r}.")
    if tolerance < 0:
        raise ValueError(f"Goal progress: tolerance must not be negative, not {tolerance!r}.")
    if trend_points < 2:
        raise ValueError(f"Goal progress: trend_points must be at least 2, not {trend_points!r}.")
    knots = planned_path(
        baseline=baseline, target=target, start=start, deadline=deadline, milestones=milestones
    )
    seen: set[dt.date] = set()
    for day, _value in series:
        if day in seen:
            raise ValueError(f"Goal progress: the series has two values for {day.isoformat()}.")
        seen.add(day)
    ended = as_of > deadline
    cutoff = deadline if ended else as_of
    known = sorted(
        (day, float(value))
        for day, value in series
        if value is not None and day <= cutoff and math.isfinite(value)
    )
    current_date, current_value = known[-1] if known else (None, None)
    trend = fit_trend(known[-trend_points:])
    projection = trend.value_on(deadline) if trend else None
    plan_today = planned_value(knots, current_date or cutoff)
    allowed = tolerance * abs(target - baseline)

    progress = None
    gap = None
    if current_value is not None:
        progress = progress_fraction(baseline=baseline, target=target, value=current_value)
        gap = shortfall(value=current_value, wanted=plan_today, better=better)

    status: Status
    final_value = None
    if ended:
        final_value = current_value
        if current_value is None:
            status = "no_data"
        elif meets_target(value=current_value, target=target, better=better):
            status = "achieved"
        else:
            status = "missed"
    elif as_of < start:
        status = "not_started"
    elif current_value is None:
        status = "no_data"
    elif meets_target(value=current_value, target=target, better=better):
        status = "on_track"
    elif (
        projection is not None
        and shortfall(value=projection, wanted=target, better=better) > allowed + _EPSILON
    ):
        status = "at_risk"
    elif gap is not None and gap > allowed + _EPSILON:
        status = "behind"
    else:
        status = "on_track"

    return ProgressReport(
        status=status,
        as_of=as_of,
        current_value=current_value,
        current_date=current_date,
        progress=progress,
        progress_display=None if progress is None else min(1.0, max(0.0, progress)),
        planned_value=plan_today,
        gap_to_plan=gap,
        projection=projection,
        trend=trend,
        final_value=final_value,
        days_left=max(0, (deadline - as_of).days),
        plan=knots,
    )
