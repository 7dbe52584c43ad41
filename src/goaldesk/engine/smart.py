"""The SMART check of a goal draft: each letter passes or warns, with a code and parameters.

The engine returns codes, never sentences; the web layer turns each code into a translated
sentence with its parameters. Warnings do not block a goal — the manager confirms them.

Rules (docs repeat them for users):

* **Specific** — one metric, a scope and a number. `scope=None` means no scope was chosen;
  an empty mapping means "the whole organisation", stated on purpose. The target must be a
  finite number that differs from the baseline in the metric's better direction.
* **Measurable** — the baseline has a value and its sample size (survey answers, contacts or
  open days, whichever the metric counts) reaches the minimum for the metric's unit
  (`SmartThresholds.min_sample_by_unit`, overridable per metric).
* **Achievable** — three independent checks:
  1. *History*: the change asked for (relative to the baseline, in the better direction) is
     compared with the best change the metric ever achieved over a span of the same length as
     the goal. `history` is a daily series of the metric (usually the past year); every pair of
     values exactly `span_days` apart is a span. When the baseline is 0 a relative change means
     nothing, so changes are compared in the metric's units instead (`mode="absolute"`).
  2. *Capacity* (volume and speed goals, optional): for a higher-is-better metric the target
     must not exceed `capacity` (e.g. the customers a day the roster can serve); for a
     lower-is-better one it must not be below it (the fastest the roster can manage).
  3. *Team confidence*: an average below `confidence_low_below` (3 on the 1–5 scale) from at
     least `confidence_min_votes` (3) votes warns; a goal not yet saved has no votes to read
     (`goal_exists=False`), so the check only says the team will be asked.
* **Relevant** — a linked business goal and a reason that is not blank.
* **Time-bound** — start and deadline, deadline after start; milestones required when the goal
  runs longer than `max_days_without_milestones` (31); milestones inside [start, deadline], on
  different dates, and moving monotonically from the baseline toward the target (none past it).
"""

import datetime as dt
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Letter = Literal["S", "M", "A", "R", "T"]
Better = Literal["higher", "lower"]
CheckStatus = Literal["pass", "warning"]

LETTERS: tuple[Letter, ...] = ("S", "M", "A", "R", "T")

#: Scope dimensions a goal can be narrowed by (an empty scope is the whole organisation).
SCOPE_DIMENSIONS = ("channel", "team", "agent", "category", "segment")

#: Floating-point slack: asking for exactly the best historical change passes.
_EPSILON = 1e-9


@dataclass(frozen=True)
class Check:
    """One finding of the SMART check: a letter, pass or warning, a code and its parameters."""

    letter: Letter
    status: CheckStatus
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        return {
            "letter": self.letter,
            "status": self.status,
            "code": self.code,
            "params": {key: _jsonable(value) for key, value in self.params.items()},
        }


@dataclass(frozen=True)
class SmartReport:
    """All checks of a draft, in letter order (each letter has at least one check)."""

    checks: tuple[Check, ...]

    def letter_status(self, letter: Letter) -> CheckStatus:
        """'warning' when any check of `letter` warns, else 'pass'."""
        mine = [c for c in self.checks if c.letter == letter]
        return "warning" if any(c.status == "warning" for c in mine) else "pass"

    def for_letter(self, letter: Letter) -> list[Check]:
        """The checks of one letter."""
        return [c for c in self.checks if c.letter == letter]

    @property
    def warnings(self) -> list[Check]:
        """Every warning, in letter order."""
        return [c for c in self.checks if c.status == "warning"]

    @property
    def passed(self) -> bool:
        """True when no check warns."""
        return not self.warnings

    def codes(self) -> list[str]:
        """The codes of all checks, in order (handy for tests and logs)."""
        return [c.code for c in self.checks]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: per letter its status and checks."""
        return {
            "passed": self.passed,
            "letters": {
                letter: {
                    "status": self.letter_status(letter),
                    "checks": [c.as_dict() for c in self.for_letter(letter)],
                }
                for letter in LETTERS
            },
        }


@dataclass(frozen=True)
class SmartThresholds:
    """Tunable limits of the SMART check (keyword-only; defaults documented in the module)."""

    #: Minimum baseline sample per metric unit. Percent and score metrics count answers or
    #: contacts (30 answers make a survey percentage worth reading); per-day and count metrics
    #: count open days (a week, so weekdays average out); seconds count timed interactions.
    min_sample_by_unit: Mapping[str, int] = field(
        default_factory=lambda: {
            "percent": 30,
            "score": 30,
            "seconds": 30,
            "per_day": 7,
            "count": 7,
        }
    )
    #: Per-metric overrides of the above, e.g. {"review_rating_avg": 10}.
    min_sample_by_metric: Mapping[str, int] = field(default_factory=dict)
    #: Used when neither the metric nor its unit is listed.
    default_min_sample: int = 30
    max_days_without_milestones: int = 31
    confidence_min_votes: int = 3
    confidence_low_below: float = 3.0

    def min_sample(self, metric_key: str | None, unit: str | None) -> int:
        """The minimum baseline sample for a metric."""
        if metric_key and metric_key in self.min_sample_by_metric:
            return self.min_sample_by_metric[metric_key]
        if unit and unit in self.min_sample_by_unit:
            return self.min_sample_by_unit[unit]
        return self.default_min_sample


@dataclass(frozen=True)
class GoalDraft:
    """A goal as typed so far, in plain data. Every field may still be missing.

    `better` is "higher" or "lower" (from the catalogue); `scope` maps a dimension of
    SCOPE_DIMENSIONS to a value, {} for the whole organisation and None when not chosen.
    `baseline_sample` is the number of observations behind the baseline. `history` is a daily
    series of the metric (same tracking window as the goal), used for the historical-change
    check. `capacity` is the best value staffing allows (optional). `milestones` are
    (date, value) pairs.
    """

    metric_key: str | None = None
    metric_unit: str | None = None
    better: str | None = None
    scope: Mapping[str, str] | None = None
    baseline: float | None = None
    baseline_sample: int | None = None
    target: float | None = None
    start: dt.date | None = None
    deadline: dt.date | None = None
    milestones: Sequence[tuple[dt.date, float]] = ()
    business_goal: str | None = None
    reason: str | None = None
    history: Sequence[tuple[dt.date, float | None]] = ()
    capacity: float | None = None
    confidence_avg: float | None = None
    confidence_votes: int = 0
    #: False for a goal not yet saved: the team can only vote on a goal that exists.
    goal_exists: bool = True


def check_smart(draft: GoalDraft, *, thresholds: SmartThresholds | None = None) -> SmartReport:
    """Run the five SMART checks on `draft`; return every finding, letter by letter."""
    limits = thresholds or SmartThresholds()
    checks = [
        *_specific(draft),
        *_measurable(draft, limits),
        *_achievable(draft, limits),
        *_relevant(draft),
        *_time_bound(draft, limits),
    ]
    return SmartReport(checks=tuple(checks))


def relative_change(*, start: float, end: float, better: str) -> float | None:
    """The improvement from `start` to `end` as a fraction of |start| (negative = got worse).

    None when `start` is 0 (a relative change from nothing is undefined).
    """
    if start == 0:
        return None
    return _improvement(start=start, end=end, better=better) / abs(start)


def best_historical_change(
    history: Sequence[tuple[dt.date, float | None]],
    *,
    span_days: int,
    better: str,
    relative: bool = True,
) -> tuple[float, dt.date, dt.date] | None:
    """The best improvement between two values `span_days` apart in `history`.

    Returns (change, from_date, to_date): a fraction of the earlier value when `relative`, else
    a difference in the metric's units; None when no pair of values is `span_days` apart (pairs
    starting at 0 are skipped in relative mode). Ties go to the earliest span.
    """
    by_day = {day: float(v) for day, v in history if v is not None and math.isfinite(v)}
    span = dt.timedelta(days=span_days)
    best: tuple[float, dt.date, dt.date] | None = None
    for day in sorted(by_day):
        later = by_day.get(day + span)
        if later is None:
            continue
        earlier = by_day[day]
        if relative:
            change = relative_change(start=earlier, end=later, better=better)
            if change is None:
                continue
        else:
            change = _improvement(start=earlier, end=later, better=better)
        if best is None or change > best[0]:
            best = (change, day, day + span)
    return best


def _improvement(*, start: float, end: float, better: str) -> float:
    return end - start if better == "higher" else start - end


def _number(value: object) -> float | None:
    """`value` as a float when it is a finite real number (not a bool), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _direction(draft: GoalDraft) -> Better | None:
    if draft.better == "higher":
        return "higher"
    if draft.better == "lower":
        return "lower"
    return None


def _specific(draft: GoalDraft) -> list[Check]:
    found: list[Check] = []
    if not draft.metric_key:
        found.append(Check("S", "warning", "metric_missing"))
    elif draft.better not in ("higher", "lower"):
        found.append(
            Check("S", "warning", "metric_without_direction", {"metric": draft.metric_key})
        )
    if draft.scope is None:
        found.append(Check("S", "warning", "scope_missing"))
    else:
        for dimension, value in draft.scope.items():
            if dimension not in SCOPE_DIMENSIONS:
                found.append(
                    Check(
                        "S",
                        "warning",
                        "scope_unknown_dimension",
                        {"dimension": dimension, "allowed": SCOPE_DIMENSIONS},
                    )
                )
            elif not str(value).strip():
                found.append(Check("S", "warning", "scope_value_missing", {"dimension": dimension}))
    if draft.target is None:
        found.append(Check("S", "warning", "target_missing"))
    elif (target := _number(draft.target)) is None:
        found.append(Check("S", "warning", "target_not_numeric", {"target": draft.target}))
    elif (baseline := _number(draft.baseline)) is not None and (better := _direction(draft)):
        if target == baseline:
            found.append(Check("S", "warning", "target_equals_baseline", {"baseline": baseline}))
        elif _improvement(start=baseline, end=target, better=better) < 0:
            found.append(
                Check(
                    "S",
                    "warning",
                    "target_wrong_direction",
                    {"baseline": baseline, "target": target, "better": better},
                )
            )
    if not found:
        found.append(
            Check(
                "S",
                "pass",
                "specific",
                {
                    "metric": draft.metric_key,
                    "scope": dict(draft.scope or {}),
                    "whole_organisation": not draft.scope,
                    "target": draft.target,
                },
            )
        )
    return found


def _measurable(draft: GoalDraft, limits: SmartThresholds) -> list[Check]:
    minimum = limits.min_sample(draft.metric_key, draft.metric_unit)
    if _number(draft.baseline) is None:
        return [Check("M", "warning", "baseline_no_data", {"metric": draft.metric_key})]
    sample = draft.baseline_sample or 0
    if sample < minimum:
        return [
            Check(
                "M",
                "warning",
                "baseline_sample_too_small",
                {"sample_size": sample, "minimum": minimum, "unit": draft.metric_unit},
            )
        ]
    return [
        Check(
            "M",
            "pass",
            "baseline_sample_enough",
            {"sample_size": sample, "minimum": minimum, "baseline": draft.baseline},
        )
    ]


def _achievable(draft: GoalDraft, limits: SmartThresholds) -> list[Check]:
    found: list[Check] = []
    better = _direction(draft)
    baseline = _number(draft.baseline)
    target = _number(draft.target)
    # 1. History.
    if better is None or baseline is None or target is None:
        found.append(Check("A", "warning", "change_not_comparable"))
    elif draft.start is None or draft.deadline is None or draft.deadline <= draft.start:
        found.append(Check("A", "warning", "change_needs_period"))
    else:
        span_days = (draft.deadline - draft.start).days
        relative = baseline != 0
        asked = _improvement(start=baseline, end=target, better=better)
        if relative:
            asked /= abs(baseline)
        best = best_historical_change(
            draft.history, span_days=span_days, better=better, relative=relative
        )
        mode = "relative" if relative else "absolute"
        if best is None:
            found.append(Check("A", "warning", "history_too_short", {"span_days": span_days}))
        else:
            best_change, best_from, best_to = best
            params: dict[str, Any] = {
                "mode": mode,
                "asked_change": asked,
                "best_change": best_change,
                "best_from": best_from,
                "best_to": best_to,
                "span_days": span_days,
            }
            if relative:
                params["asked_change_pct"] = asked * 100
                params["best_change_pct"] = best_change * 100
            if asked > best_change + _EPSILON:
                found.append(Check("A", "warning", "change_exceeds_history", params))
            else:
                found.append(Check("A", "pass", "change_within_history", params))
    # 2. Capacity.
    capacity = _number(draft.capacity)
    if capacity is not None and better is not None and target is not None:
        beyond = target > capacity if better == "higher" else target < capacity
        capacity_params = {"target": target, "capacity": capacity, "better": better}
        code = "target_exceeds_capacity" if beyond else "target_within_capacity"
        found.append(Check("A", "warning" if beyond else "pass", code, capacity_params))
    # 3. Team confidence.
    votes = draft.confidence_votes
    if not draft.goal_exists:
        found.append(Check("A", "pass", "team_confidence_after_saving"))
    elif votes >= limits.confidence_min_votes and draft.confidence_avg is not None:
        vote_params = {
            "average": draft.confidence_avg,
            "votes": votes,
            "low_below": limits.confidence_low_below,
        }
        if draft.confidence_avg < limits.confidence_low_below:
            found.append(Check("A", "warning", "team_doubts_goal", vote_params))
        else:
            found.append(Check("A", "pass", "team_believes_goal", vote_params))
    else:
        found.append(
            Check(
                "A",
                "pass",
                "team_confidence_too_few_votes",
                {"votes": votes, "minimum": limits.confidence_min_votes},
            )
        )
    return found


def _relevant(draft: GoalDraft) -> list[Check]:
    found: list[Check] = []
    if not (draft.business_goal or "").strip():
        found.append(Check("R", "warning", "business_goal_missing"))
    if not (draft.reason or "").strip():
        found.append(Check("R", "warning", "reason_missing"))
    if not found:
        found.append(
            Check("R", "pass", "linked_to_business_goal", {"business_goal": draft.business_goal})
        )
    return found


def _time_bound(draft: GoalDraft, limits: SmartThresholds) -> list[Check]:
    found: list[Check] = []
    if draft.start is None:
        found.append(Check("T", "warning", "start_missing"))
    if draft.deadline is None:
        found.append(Check("T", "warning", "deadline_missing"))
    if draft.start is None or draft.deadline is None:
        return found
    start, deadline = draft.start, draft.deadline
    if deadline <= start:
        return [
            Check(
                "T", "warning", "deadline_not_after_start", {"start": start, "deadline": deadline}
            )
        ]
    days = (deadline - start).days
    milestones = sorted(draft.milestones, key=lambda m: m[0])
    if days > limits.max_days_without_milestones and not milestones:
        found.append(
            Check(
                "T",
                "warning",
                "milestones_needed",
                {"days": days, "max_days": limits.max_days_without_milestones},
            )
        )
    for day, value in milestones:
        if not start <= day <= deadline:
            found.append(
                Check(
                    "T",
                    "warning",
                    "milestone_outside_period",
                    {"date": day, "value": value, "start": start, "deadline": deadline},
                )
            )
    for (day, _), (next_day, _) in itertools.pairwise(milestones):
        if day == next_day:
            found.append(Check("T", "warning", "milestone_dates_repeat", {"date": day}))
    found.extend(_milestone_direction(draft, milestones))
    if not found:
        found.append(
            Check(
                "T",
                "pass",
                "time_bound",
                {"start": start, "deadline": deadline, "days": days, "milestones": len(milestones)},
            )
        )
    return found


def _milestone_direction(
    draft: GoalDraft, milestones: Sequence[tuple[dt.date, float]]
) -> list[Check]:
    """Milestones must move from the baseline toward the target, never back, never past it."""
    better = _direction(draft)
    if better is None or not milestones:
        return []
    found: list[Check] = []
    previous = _number(draft.baseline)
    target = _number(draft.target)
    for day, value in milestones:
        if previous is not None and _improvement(start=previous, end=value, better=better) < 0:
            found.append(
                Check(
                    "T",
                    "warning",
                    "milestones_not_monotone",
                    {"date": day, "value": value, "previous": previous, "better": better},
                )
            )
        if target is not None and _improvement(start=value, end=target, better=better) < 0:
            found.append(
                Check(
                    "T",
                    "warning",
                    "milestone_beyond_target",
                    {"date": day, "value": value, "target": target},
                )
            )
        previous = value
    return found


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value
