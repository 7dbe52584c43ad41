"""The four service levels, judged from catalogue metrics with tunable thresholds.

The levels, lowest first (the order of the ranked list in the seed article on the four levels
of customer service, which numbers them 1 to 4):

1. ``unsatisfactory`` — customers' expectations are not met.
2. ``meets_expectations`` — needs are met and there are no lasting complaints; the minimum a
   business needs to keep going, but not enough to hold customers a competitor serves better.
3. ``exceptional`` — going further, so that customers become loyal and feel valued: a loyal
   base that competitors find hard to win over.
4. ``exceeds_expectations`` — outstanding service in *every* interaction and at every step of
   the journey; the article places it above exceptional (a memorable experience from the first
   greeting to the last contact, a competitive advantage).

How that becomes rules (all thresholds tunable, see `LevelThresholds`):

* Meeting expectations is measured by satisfaction (csat_pct) and, for live queues, by being
  answered (service_level) and not giving up (abandon_rate).
* Exceptional adds loyalty and care: returning customers (returning_customer_rate) and unhappy
  customers won back (recovery_rate), with higher bars on the first three.
* The quality score of reviews (qa_score) may be given a bar at any level by the owner; it has
  none by default, since not every organisation reviews quality.
* Exceeding expectations adds consistency — every interaction, so every channel: the gap
  between the best and the worst channel's CSAT (csat_channel_gap) and first-contact
  resolution (fcr_channel_gap) must be small.

Each criterion has a bar per level; a level with no bar of its own inherits the bar of the
level below it (exceeding expectations still needs what exceptional needs). A criterion with no
bar at a level does not constrain that level; one with no bar at any level is left out.

The verdict: a criterion whose value is missing (or, for a channel gap, with fewer than two
channels with data) is **not judged** and the verdict says so. The level is the highest level
that every judged criterion meets and for which at least one judged criterion has a bar — a
level is earned by evidence. With no data at all, or only data that bears on no level's bar
(say, returning customers alone, which has no bar for meeting expectations), there is no
level (None); a criterion that misses the lowest bar makes it "unsatisfactory".
"""

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["unsatisfactory", "meets_expectations", "exceptional", "exceeds_expectations"]
Better = Literal["higher", "lower"]

#: Lowest first.
LEVELS: tuple[Level, ...] = (
    "unsatisfactory",
    "meets_expectations",
    "exceptional",
    "exceeds_expectations",
)
#: The levels a bar can be set for (unsatisfactory is what is left when none is met).
BARRED_LEVELS: tuple[Level, ...] = LEVELS[1:]

#: Criteria derived from per-channel values: criterion -> the metric compared across channels.
CHANNEL_GAP_CRITERIA: Mapping[str, str] = {
    "csat_channel_gap": "csat_pct",
    "fcr_channel_gap": "fcr_rate",
}

_EPSILON = 1e-9


@dataclass(frozen=True)
class Bar:
    """The value a criterion needs for each level; None means "no bar of its own"."""

    meets_expectations: float | None = None
    exceptional: float | None = None
    exceeds_expectations: float | None = None

    def own(self, level: Level) -> float | None:
        """The bar set for exactly `level` (None for unsatisfactory or when unset)."""
        if level == "unsatisfactory":
            return None
        value: float | None = getattr(self, level)
        return value

    def needed(self, level: Level) -> float | None:
        """The bar in force at `level`: its own, else the nearest lower level's, else None."""
        for candidate in reversed(LEVELS[: LEVELS.index(level) + 1]):
            value = self.own(candidate)
            if value is not None:
                return value
        return None


@dataclass(frozen=True)
class LevelThresholds:
    """Bars per criterion. Percentages are 0–100; gaps are percentage points.

    The defaults follow common practice in contact centres: 80 % of live contacts answered
    within the answer-time target as the baseline expectation, abandonment under 8 %, three in
    four customers satisfied; stricter bars for the higher levels.
    """

    csat_pct: Bar = Bar(75, 85, 92)
    service_level: Bar = Bar(80, 85, 90)
    abandon_rate: Bar = Bar(8, 5, 3)
    returning_customer_rate: Bar = Bar(None, 20, 30)
    recovery_rate: Bar = Bar(None, 50, 70)
    #: The quality score of reviews (0–100). No bar by default: an organisation that reviews
    #: quality sets its own (Levels → Thresholds).
    qa_score: Bar = Bar()
    csat_channel_gap: Bar = Bar(None, None, 10)
    fcr_channel_gap: Bar = Bar(None, None, 15)

    def criteria(self) -> list[tuple[str, Bar]]:
        """(criterion, bar) pairs in field order."""
        return [(f.name, getattr(self, f.name)) for f in dataclasses.fields(self)]

    def as_dict(self) -> dict[str, dict[str, float | None]]:
        """Plain form for storage: {criterion: {level: value or None}}."""
        return {name: dataclasses.asdict(bar) for name, bar in self.criteria()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, float | None]]) -> "LevelThresholds":
        """Read `as_dict` output back; criteria or levels left out keep their defaults.

        Raises ValueError naming the criterion or level that is unknown or not a number.
        """
        defaults = cls()
        known = {f.name for f in dataclasses.fields(cls)}
        changes: dict[str, Bar] = {}
        for name, levels in data.items():
            if name not in known:
                raise ValueError(f"Level thresholds: unknown criterion {name!r}.")
            bar_values = dataclasses.asdict(getattr(defaults, name))
            for level, value in levels.items():
                if level not in bar_values:
                    raise ValueError(f"Level thresholds: {name} has no level {level!r}.")
                if value is not None and (
                    isinstance(value, bool)
                    or not isinstance(value, int | float)
                    or not math.isfinite(value)
                ):
                    raise ValueError(
                        f"Level thresholds: {name} / {level} must be a number or empty, "
                        f"not {value!r}."
                    )
                bar_values[level] = None if value is None else float(value)
            changes[name] = Bar(**bar_values)
        return dataclasses.replace(defaults, **changes)


def criterion_better(criterion: str) -> Better:
    """Which way is better for a criterion (gaps and abandonment: lower)."""
    return "lower" if criterion in CHANNEL_GAP_CRITERIA or criterion == "abandon_rate" else "higher"


@dataclass(frozen=True)
class ThresholdProblem:
    """Why a set of thresholds cannot be saved as it is (a code and its parameters)."""

    criterion: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def validate_thresholds(thresholds: LevelThresholds) -> list[ThresholdProblem]:
    """Problems with `thresholds`: bars out of range or not getting stricter level by level.

    Codes: ``threshold_out_of_range`` (a percentage or gap outside 0–100) and
    ``threshold_order`` (a higher level's bar is easier than a lower level's).
    """
    problems: list[ThresholdProblem] = []
    for name, bar in thresholds.criteria():
        better = criterion_better(name)
        previous: tuple[Level, float] | None = None
        for level in BARRED_LEVELS:
            value = bar.own(level)
            if value is None:
                continue
            if not 0 <= value <= 100:
                problems.append(
                    ThresholdProblem(
                        name, "threshold_out_of_range", {"level": level, "value": value}
                    )
                )
            if previous is not None:
                lower_level, lower_value = previous
                easier = value < lower_value if better == "higher" else value > lower_value
                if easier:
                    problems.append(
                        ThresholdProblem(
                            name,
                            "threshold_order",
                            {
                                "level": level,
                                "value": value,
                                "lower_level": lower_level,
                                "lower_value": lower_value,
                                "better": better,
                            },
                        )
                    )
            previous = (level, value)
    return problems


@dataclass(frozen=True)
class CriterionResult:
    """One criterion of the verdict.

    `value` is None when the criterion was not judged (`not_judged_because` says why:
    "no_data" or "fewer_than_two_channels"). `met_level` is the highest level at which the
    criterion has a bar and meets it (and every lower bar); "unsatisfactory" when it misses the
    bar for meeting expectations; None when it is not judged, or when its first bar is for a
    higher level and it misses that one — a 23-point CSAT gap between channels, with a bar only
    for the top level, meets no level at all, rather than every level below the top.
    `missed_level` is the lowest level whose bar the value misses (None when it misses none or
    is not judged). For channel gaps, `detail` names the best and worst channel and their values.
    """

    metric: str
    better: Better
    value: float | None
    needed_for_each_level: Mapping[Level, float | None]
    met_level: Level | None
    not_judged_because: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    missed_level: Level | None = None

    @property
    def judged(self) -> bool:
        return self.value is not None

    def holds_back(self, level: Level) -> bool:
        """Whether the value misses the bar in force at `level` (False when not judged or
        when the criterion sets no bar there)."""
        needed = self.needed_for_each_level.get(level)
        return self.value is not None and not _meets(self.value, needed, self.better)


@dataclass(frozen=True)
class Reason:
    """A reason for the verdict: a code and its parameters (the web layer words it)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ToReach:
    """What one criterion needs to reach the next level, shaped so it can become a goal.

    `metric` is a catalogue metric and `scope` a goal scope: for a channel gap it is the worst
    channel's metric, which must come within the allowed gap of the best channel
    (needed = best − allowed gap for higher-is-better metrics).
    `current` is None when the criterion has no data.
    """

    criterion: str
    metric: str
    scope: Mapping[str, str]
    current: float | None
    needed: float
    better: Better


@dataclass(frozen=True)
class LevelVerdict:
    """The service level of a period, the criteria behind it and the way to the next level."""

    level: Level | None
    criteria: list[CriterionResult]
    reasons: list[Reason]
    next_level: Level | None
    to_reach_next: list[ToReach]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "level": self.level,
            "next_level": self.next_level,
            "criteria": [
                {
                    "metric": c.metric,
                    "better": c.better,
                    "value": c.value,
                    "needed_for_each_level": dict(c.needed_for_each_level),
                    "met_level": c.met_level,
                    "missed_level": c.missed_level,
                    "not_judged_because": c.not_judged_because,
                    "detail": dict(c.detail),
                }
                for c in self.criteria
            ],
            "reasons": [{"code": r.code, "params": dict(r.params)} for r in self.reasons],
            "to_reach_next": [
                {
                    "criterion": t.criterion,
                    "metric": t.metric,
                    "scope": dict(t.scope),
                    "current": t.current,
                    "needed": t.needed,
                    "better": t.better,
                }
                for t in self.to_reach_next
            ],
        }


def _meets(value: float, needed: float | None, better: Better) -> bool:
    if needed is None:
        return True
    if better == "higher":
        return value >= needed - _EPSILON
    return value <= needed + _EPSILON


def _channel_values(
    channel_metrics: Mapping[str, Mapping[str, float | None]], metric: str
) -> dict[str, float]:
    values = {}
    for channel, metrics in channel_metrics.items():
        value = metrics.get(metric)
        if value is not None and math.isfinite(value):
            values[channel] = float(value)
    return values


def judge_level(
    metrics: Mapping[str, float | None],
    channel_metrics: Mapping[str, Mapping[str, float | None]] | None = None,
    thresholds: LevelThresholds | None = None,
) -> LevelVerdict:
    """Judge the service level from a period's metrics.

    `metrics` maps catalogue keys to the period's values (None or absent: no data).
    `channel_metrics` maps each channel to its own metrics for the channel-gap criteria; the
    caller should leave out channels with too few answers to be worth comparing.
    """
    limits = thresholds or LevelThresholds()
    per_channel = channel_metrics or {}
    results: list[CriterionResult] = []
    for name, bar in limits.criteria():
        better = criterion_better(name)
        needed = {level: bar.needed(level) for level in BARRED_LEVELS}
        if all(value is None for value in needed.values()):
            continue  # no bar at any level (qa_score by default): it is not a criterion here
        value: float | None
        detail: dict[str, Any] = {}
        why: str | None = None
        if name in CHANNEL_GAP_CRITERIA:
            by_channel = _channel_values(per_channel, CHANNEL_GAP_CRITERIA[name])
            if len(by_channel) < 2:
                value = None
                why = "fewer_than_two_channels"
                detail = {"channels": len(by_channel)}
            else:
                best = max(by_channel, key=lambda c: (by_channel[c], c))
                worst = min(by_channel, key=lambda c: (by_channel[c], c))
                value = by_channel[best] - by_channel[worst]
                detail = {
                    "best_channel": best,
                    "best_value": by_channel[best],
                    "worst_channel": worst,
                    "worst_value": by_channel[worst],
                }
        else:
            raw = metrics.get(name)
            value = float(raw) if raw is not None and math.isfinite(raw) else None
            if value is None:
                why = "no_data"
        met, missed = _placed(value, needed, better)
        results.append(
            CriterionResult(
                metric=name,
                better=better,
                value=value,
                needed_for_each_level=needed,
                met_level=met,
                not_judged_because=why,
                detail=detail,
                missed_level=missed,
            )
        )

    judged = [r for r in results if r.judged]
    level: Level | None = None
    for candidate in BARRED_LEVELS:
        if not judged:
            break
        if any(r.holds_back(candidate) for r in judged):
            # A judged criterion misses this bar: that is evidence, even for "unsatisfactory".
            level = level or "unsatisfactory"
            break
        if not any(r.needed_for_each_level[candidate] is not None for r in judged):
            break  # nothing known bears on this level: it is not earned
        level = candidate

    reasons = _reasons(level, results)
    next_level = _next(level)
    to_reach = _to_reach(next_level, results) if next_level else []
    return LevelVerdict(
        level=level,
        criteria=results,
        reasons=reasons,
        next_level=next_level,
        to_reach_next=to_reach,
    )


def _placed(
    value: float | None, needed: Mapping[Level, float | None], better: Better
) -> tuple[Level | None, Level | None]:
    """(met_level, missed_level) of a criterion's value, as `CriterionResult` defines them."""
    if value is None:
        return None, None
    met: Level | None = None
    for level in BARRED_LEVELS:
        if needed[level] is None:
            continue  # no bar here: the value tells nothing about this level
        if not _meets(value, needed[level], better):
            if level == BARRED_LEVELS[0]:
                met = "unsatisfactory"
            return met, level
        met = level
    return met, None


def _next(level: Level | None) -> Level | None:
    if level is None or level == LEVELS[-1]:
        return None
    return LEVELS[LEVELS.index(level) + 1]


def _reasons(level: Level | None, results: list[CriterionResult]) -> list[Reason]:
    """Codes: no_data; too_little_data (what is known bears on no level);
    criterion_holds_level_down (a judged criterion whose own level is the
    verdict's and which misses the next bar); criterion_not_judged; all_criteria_met (top)."""
    reasons: list[Reason] = []
    judged = [r.metric for r in results if r.judged]
    if level is None and not judged:
        reasons.append(Reason("no_data"))
    elif level is None:
        reasons.append(Reason("too_little_data", {"metrics": judged}))
    else:
        nxt = _next(level)
        for r in results:
            if nxt is not None and r.holds_back(nxt):
                needed = r.needed_for_each_level[nxt]
                if needed is not None:
                    reasons.append(
                        Reason(
                            "criterion_holds_level_down",
                            {
                                "metric": r.metric,
                                "value": r.value,
                                "level": level,
                                "next_level": nxt,
                                "needed": needed,
                                "better": r.better,
                            },
                        )
                    )
        if nxt is None:
            reasons.append(Reason("all_criteria_met", {"level": level}))
        elif not any(x.code == "criterion_holds_level_down" for x in reasons):
            # Every judged criterion would allow more; the next level lacks evidence.
            reasons.append(Reason("next_level_lacks_data", {"next_level": nxt}))
    for r in results:
        if not r.judged:
            reasons.append(
                Reason(
                    "criterion_not_judged",
                    {"metric": r.metric, "why": r.not_judged_because, **r.detail},
                )
            )
    return reasons


def _to_reach(next_level: Level, results: list[CriterionResult]) -> list[ToReach]:
    steps: list[ToReach] = []
    for r in results:
        needed = r.needed_for_each_level[next_level]
        if needed is None:
            continue
        if r.value is not None and _meets(r.value, needed, r.better):
            continue
        if r.metric in CHANNEL_GAP_CRITERIA:
            metric = CHANNEL_GAP_CRITERIA[r.metric]
            if r.value is None:
                # No comparison possible yet: the gap itself is what is needed.
                steps.append(ToReach(r.metric, r.metric, {}, None, needed, r.better))
                continue
            # The worst channel must come within `needed` points of the best one.
            steps.append(
                ToReach(
                    criterion=r.metric,
                    metric=metric,
                    scope={"channel": r.detail["worst_channel"]},
                    current=r.detail["worst_value"],
                    needed=r.detail["best_value"] - needed,
                    better="higher",
                )
            )
        else:
            steps.append(ToReach(r.metric, r.metric, {}, r.value, needed, r.better))
    return steps
