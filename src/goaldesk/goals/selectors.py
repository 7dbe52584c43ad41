"""Reads of goals: metric values over a goal's scope, baselines, series, the SMART check,
progress, the service level and the dashboard panel.

Every value comes from `metrics.selectors.kpis_for_period`, so a goal's numbers are the
dashboard's numbers. A goal's daily series holds, for each day, the metric over the tracking
window ending that day (rolling 7 days, say); only complete days are used (today is not over).
"""

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet

from goaldesk.accounts.models import Organisation, today_in
from goaldesk.accounts.selectors import business_calendar_for
from goaldesk.engine import GoalDraft, LevelThresholds, SmartReport, check_smart, judge_level
from goaldesk.engine.levels import LevelVerdict
from goaldesk.engine.progress import ProgressReport, goal_progress
from goaldesk.engine.smart import SCOPE_DIMENSIONS, best_historical_change
from goaldesk.engine.stats import percentile_nearest_rank
from goaldesk.interactions.models import Interaction, Review
from goaldesk.metrics.catalogue import KEYS, CustomersOnTwoDays, metric
from goaldesk.metrics.providers import provided
from goaldesk.metrics.selectors import (
    interactions_in_period,
    kpis_breakdown,
    kpis_for_period,
    kpis_for_periods,
)
from goaldesk.team.models import Agent

from .models import (
    UNIT_SECONDS,
    BusinessGoal,
    Confidence,
    Goal,
    LevelSettings,
    Objective,
    Outcome,
    Strategy,
)

#: The metrics a goal can follow: those with a better direction.
GOAL_METRIC_KEYS = tuple(k for k in KEYS if metric(k).better)
#: How many past values the Achievable check compares at most (keeps the live check fast).
HISTORY_SAMPLES = 60
HISTORY_DAYS = 365
#: Level criteria measured for the whole organisation, and per channel for the gaps.
LEVEL_KEYS = (
    "csat_pct",
    "service_level",
    "abandon_rate",
    "returning_customer_rate",
    "recovery_rate",
    "qa_score",
)
#: A channel takes part in a channel-gap comparison only with this many answers / cases.
LEVEL_MIN_CHANNEL_SAMPLE = 30


# --- values of a metric over a scope -------------------------------------------------------


def clean_scope(scope: Mapping[str, Any] | None) -> dict[str, str]:
    """A scope with empty dimensions left out ({} is the whole organisation)."""
    return {
        k: str(v).strip()
        for k, v in (scope or {}).items()
        if k in SCOPE_DIMENSIONS and str(v or "").strip()
    }


def metric_value(
    *,
    organisation: Organisation,
    metric_key: str,
    date_from: dt.date,
    date_to: dt.date,
    scope: Mapping[str, Any] | None = None,
    statistic: str = "median",
) -> float | None:
    """The metric over the days date_from..date_to (both included) in `scope`; None: no data.

    Duration metrics give the chosen statistic (median, mean or p90), in seconds.
    """
    value = kpis_for_period(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        filters=clean_scope(scope) or None,
        keys=[metric_key],
    )[metric_key]
    return _statistic(value, statistic)


def _statistic(value: Any, statistic: str) -> float | None:
    """A metric's value as a number: a duration's chosen statistic; None for no data."""
    if isinstance(value, dict):
        value = value.get(statistic)
    if value is None or not math.isfinite(float(value)):
        return None
    return float(value)


def metric_sample(
    *,
    organisation: Organisation,
    metric_key: str,
    date_from: dt.date,
    date_to: dt.date,
    scope: Mapping[str, Any] | None = None,
) -> int:
    """How many observations a value rests on: open days for per-day and count metrics,
    reviews for review metrics, customers for returning customers, else the interactions the
    metric is computed from (answers, timed contacts, live contacts …)."""
    entry = metric(metric_key)
    filters = clean_scope(scope)
    if entry.unit in ("per_day", "count"):
        return business_calendar_for(organisation).open_days(date_from, date_to)
    if entry.source == "provided":
        return provided(
            metric_key, organisation=organisation, periods=[(date_from, date_to)], filters=filters
        )[0].sample
    if entry.source == "reviews":
        if filters:
            return 0
        return Review.objects.filter(
            organisation=organisation, date__range=(date_from, date_to)
        ).count()
    qs = interactions_in_period(
        organisation=organisation, date_from=date_from, date_to=date_to, filters=filters or None
    )
    if isinstance(entry.computed, CustomersOnTwoDays):
        return qs.exclude(customer_id="").values("customer_id").distinct().count()
    return qs.filter(entry.drilldown_q()).count()


def baseline_for(
    *,
    organisation: Organisation,
    metric_key: str,
    date_from: dt.date,
    date_to: dt.date,
    scope: Mapping[str, Any] | None = None,
    statistic: str = "median",
) -> tuple[float | None, int]:
    """(value, sample size) of the metric in the baseline period."""
    value = metric_value(
        organisation=organisation,
        metric_key=metric_key,
        date_from=date_from,
        date_to=date_to,
        scope=scope,
        statistic=statistic,
    )
    sample = metric_sample(
        organisation=organisation,
        metric_key=metric_key,
        date_from=date_from,
        date_to=date_to,
        scope=scope,
    )
    return value, sample


def window_series(
    *,
    organisation: Organisation,
    metric_key: str,
    days: Sequence[dt.date],
    window_days: int,
    scope: Mapping[str, Any] | None = None,
    statistic: str = "median",
) -> list[tuple[dt.date, float | None]]:
    """For each day, the metric over the `window_days` days ending that day (every window
    from one read of the days they span)."""
    if not days:
        return []
    span = dt.timedelta(days=max(1, window_days) - 1)
    figures = kpis_for_periods(
        organisation=organisation,
        periods=[(day - span, day) for day in days],
        filters=clean_scope(scope) or None,
        keys=[metric_key],
    )
    return [
        (day, _statistic(period[metric_key], statistic))
        for day, period in zip(days, figures.periods, strict=True)
    ]


def _history_step(span_days: int) -> int:
    """The smallest divisor of `span_days` that keeps a year's samples under HISTORY_SAMPLES,
    so every pair of samples `span_days` apart can be compared."""
    for step in range(1, span_days + 1):
        if span_days % step == 0 and HISTORY_DAYS / step <= HISTORY_SAMPLES:
            return step
    return span_days


def history_for(
    *,
    organisation: Organisation,
    metric_key: str,
    span_days: int,
    window_days: int,
    before: dt.date,
    scope: Mapping[str, Any] | None = None,
    statistic: str = "median",
) -> list[tuple[dt.date, float | None]]:
    """The past year's values of the metric (each over the tracking window), sampled every
    few days so that values exactly `span_days` apart exist; the last sample is `before`."""
    if span_days < 1:
        return []
    step = _history_step(span_days)
    days = [before - dt.timedelta(days=i * step) for i in range(HISTORY_DAYS // step + 1)]
    first = Interaction.objects.filter(organisation=organisation).order_by("local_date")
    earliest = first.values_list("local_date", flat=True).first()
    if earliest is not None:
        days = [d for d in days if d - dt.timedelta(days=window_days - 1) >= earliest]
    else:
        days = []
    return window_series(
        organisation=organisation,
        metric_key=metric_key,
        days=sorted(days),
        window_days=window_days,
        scope=scope,
        statistic=statistic,
    )


def capacity_for(
    *,
    organisation: Organisation,
    metric_key: str,
    date_from: dt.date,
    date_to: dt.date,
    scope: Mapping[str, Any] | None = None,
) -> float | None:
    """What the current staffing can deliver, for customers helped per day only.

    The busiest agent-days of the baseline period show what one agent can resolve in a day
    (the 90th percentile of resolved contacts per agent and day); times the active agents in
    scope, that is the most customers a day the team can help. None for other metrics or
    without data.
    """
    if metric_key != "customers_helped_per_day":
        return None
    filters = clean_scope(scope)
    per_agent_day = [
        row["n"]
        for row in interactions_in_period(
            organisation=organisation, date_from=date_from, date_to=date_to, filters=filters or None
        )
        .filter(status="resolved", agent__isnull=False)
        .values("agent_id", "local_date")
        .annotate(n=Count("pk"))
        .order_by()
    ]
    per_agent = percentile_nearest_rank(per_agent_day, 90)
    if per_agent is None:
        return None
    agents = Agent.objects.filter(organisation=organisation, active=True)
    if "agent" in filters:
        return per_agent
    if "team" in filters:
        team = filters["team"]
        agents = agents.filter(Q(team__name=team) | Q(team__pk=int(team) if team.isdigit() else 0))
    count = agents.count()
    return per_agent * count if count else None


# --- the SMART check -----------------------------------------------------------------------


def confidence_summary(goal: Goal | None) -> tuple[float | None, int]:
    """(average rating, number of votes) of a goal's team confidence."""
    if goal is None or goal.pk is None:
        return None, 0
    row = Confidence.objects.filter(goal=goal).aggregate(avg=Avg("rating"), n=Count("pk"))
    return row["avg"], row["n"]


def best_change_for(
    *,
    organisation: Organisation,
    metric_key: str,
    baseline: float | None,
    span_days: int,
    window_days: int,
    before: dt.date,
    scope: Mapping[str, Any] | None = None,
    statistic: str = "median",
) -> tuple[float | None, str]:
    """(the best change the metric achieved over `span_days` in the past year, as the SMART
    check measures it — a fraction of the earlier value unless `baseline` is 0 — or None
    without such history; the metric's better direction)."""
    better = metric(metric_key).better or "higher"
    if baseline is None:
        return None, better
    history = history_for(
        organisation=organisation,
        metric_key=metric_key,
        span_days=span_days,
        window_days=window_days,
        before=before,
        scope=scope,
        statistic=statistic,
    )
    best = best_historical_change(
        history, span_days=span_days, better=better, relative=baseline != 0
    )
    return (None if best is None else best[0]), better


@dataclass
class DraftInput:
    """What a manager has typed so far (values in metric units; None when missing)."""

    metric_key: str | None = None
    statistic: str = "median"
    scope: Mapping[str, str] | None = None
    baseline_from: dt.date | None = None
    baseline_to: dt.date | None = None
    target: float | None = None
    start: dt.date | None = None
    deadline: dt.date | None = None
    milestones: Sequence[tuple[dt.date, float]] = ()
    window_days: int = 7
    business_goal: str | None = None
    reason: str | None = None


@dataclass
class SmartResult:
    report: SmartReport
    baseline: float | None
    baseline_sample: int
    capacity: float | None


def smart_check(
    *, organisation: Organisation, draft: DraftInput, goal: Goal | None = None
) -> SmartResult:
    """Measure the baseline, history, capacity and team view of a draft and run the check."""
    entry = None
    if draft.metric_key:
        try:
            entry = metric(draft.metric_key)
        except KeyError:
            entry = None
    baseline, sample, capacity = None, 0, None
    history: list[tuple[dt.date, float | None]] = []
    if entry is not None and draft.baseline_from and draft.baseline_to:
        baseline, sample = baseline_for(
            organisation=organisation,
            metric_key=entry.key,
            date_from=draft.baseline_from,
            date_to=draft.baseline_to,
            scope=draft.scope,
            statistic=draft.statistic,
        )
        capacity = capacity_for(
            organisation=organisation,
            metric_key=entry.key,
            date_from=draft.baseline_from,
            date_to=draft.baseline_to,
            scope=draft.scope,
        )
        if draft.start and draft.deadline and draft.deadline > draft.start:
            history = history_for(
                organisation=organisation,
                metric_key=entry.key,
                span_days=(draft.deadline - draft.start).days,
                window_days=draft.window_days,
                before=min(draft.baseline_to, today_in(organisation) - dt.timedelta(days=1)),
                scope=draft.scope,
                statistic=draft.statistic,
            )
    average, votes = confidence_summary(goal)
    report = check_smart(
        GoalDraft(
            metric_key=entry.key if entry else None,
            metric_unit=entry.unit if entry else None,
            better=entry.better if entry else None,
            scope=draft.scope,
            baseline=baseline,
            baseline_sample=sample,
            target=draft.target,
            start=draft.start,
            deadline=draft.deadline,
            milestones=tuple(draft.milestones),
            business_goal=draft.business_goal,
            reason=draft.reason,
            history=history,
            capacity=capacity,
            confidence_avg=average,
            confidence_votes=votes,
            goal_exists=goal is not None and goal.pk is not None,
        )
    )
    return SmartResult(report=report, baseline=baseline, baseline_sample=sample, capacity=capacity)


def draft_from_goal(goal: Goal) -> DraftInput:
    return DraftInput(
        metric_key=goal.metric_key,
        statistic=goal.statistic,
        scope=dict(goal.scope or {}),
        baseline_from=goal.baseline_from,
        baseline_to=goal.baseline_to,
        target=goal.target,
        start=goal.start,
        deadline=goal.deadline,
        milestones=[(m.date, m.value) for m in goal.milestones.all()],
        window_days=goal.tracking_window_days,
        business_goal=goal.business_goal.title if goal.business_goal else None,
        reason=goal.reason,
    )


# --- progress ------------------------------------------------------------------------------


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def goal_series(
    goal: Goal, *, as_of: dt.date, recent_only: int | None = None
) -> list[tuple[dt.date, float | None]]:
    """The goal's daily series from its start to the last complete day before `as_of`
    (at most the deadline), or on the start day itself the value of the day before; empty
    before the start. `recent_only` keeps just the last that many days."""
    if as_of < goal.start:
        return []
    last = min(as_of - dt.timedelta(days=1), goal.deadline)
    # On its first day a goal has no complete day of its own yet; its current value is then the
    # tracking window that ends the day before it starts, so a new goal shows where it stands.
    first = min(goal.start, last)
    if recent_only is not None:
        first = max(first, last - dt.timedelta(days=recent_only - 1))
    return window_series(
        organisation=goal.organisation,
        metric_key=goal.metric_key,
        days=_days(first, last),
        window_days=goal.tracking_window_days,
        scope=goal.scope,
        statistic=goal.statistic,
    )


@dataclass
class GoalProgress:
    goal: Goal
    report: ProgressReport | None
    series: list[tuple[dt.date, float | None]]
    status: str

    @property
    def percent(self) -> int | None:
        if self.report is None or self.report.progress_display is None:
            return None
        return round(100 * self.report.progress_display)


def progress_for(
    goal: Goal, *, as_of: dt.date | None = None, full: bool = True, trend_points: int = 14
) -> GoalProgress:
    """Where a goal stands on `as_of` (default: today in the organisation).

    `full=False` reads only the recent days the status and projection need (list pages).
    A closed goal keeps its recorded outcome and final value.
    """
    as_of = as_of or today_in(goal.organisation)
    series = goal_series(goal, as_of=as_of, recent_only=None if full else trend_points)
    if goal.baseline_value is None:
        return GoalProgress(goal, None, series, "no_baseline")
    report = goal_progress(
        baseline=goal.baseline_value,
        target=goal.target,
        start=goal.start,
        deadline=goal.deadline,
        better=metric(goal.metric_key).better or "higher",
        series=series,
        as_of=as_of,
        milestones=[(m.date, m.value) for m in goal.milestones.all()],
        trend_points=trend_points,
    )
    status: str = report.status
    if goal.outcome != Outcome.ACTIVE:
        status = goal.outcome
    return GoalProgress(goal, report, series, status)


# --- lists ---------------------------------------------------------------------------------


def goal_queryset(*, organisation: Organisation) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(organisation=organisation)
        .select_related("organisation", "owner", "business_goal")
        .prefetch_related("milestones")
        .annotate(
            objectives_total=Count("objectives", distinct=True),
            objectives_done=Count("objectives", filter=Q(objectives__done=True), distinct=True),
        )
    )


def goal_get(*, organisation: Organisation, goal_id: int) -> Goal | None:
    return goal_queryset(organisation=organisation).filter(pk=goal_id).first()


def active_goals(*, organisation: Organisation) -> QuerySet[Goal]:
    return goal_queryset(organisation=organisation).filter(outcome=Outcome.ACTIVE)


def archived_goals(*, organisation: Organisation) -> QuerySet[Goal]:
    return (
        goal_queryset(organisation=organisation)
        .exclude(outcome=Outcome.ACTIVE)
        .order_by("-deadline", "-pk")
    )


def objectives_of(*, organisation: Organisation, user: Any) -> QuerySet[Objective]:
    """The action steps of the organisation's goals assigned to `user`: open ones first, by
    due date (none last), with their goal."""
    return (
        Objective.objects.filter(goal__organisation=organisation, owner=user)
        .select_related("goal")
        .order_by("done", F("due").asc(nulls_last=True), "pk")
    )


def strategy_for(organisation: Organisation) -> Strategy | None:
    return Strategy.objects.filter(organisation=organisation).first()


def business_goal_list(*, organisation: Organisation) -> QuerySet[BusinessGoal]:
    return BusinessGoal.objects.filter(organisation=organisation).annotate(
        goal_count=Count("service_goals")
    )


# --- the service level ---------------------------------------------------------------------


def level_thresholds_for(organisation: Organisation) -> LevelThresholds:
    """The organisation's thresholds (defaults where the owner has set none)."""
    stored = LevelSettings.objects.filter(organisation=organisation).first()
    if stored is None or not stored.thresholds:
        return LevelThresholds()
    try:
        return LevelThresholds.from_dict(stored.thresholds)
    except ValueError:
        return LevelThresholds()


def _channel_metrics(
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    filters: Mapping[str, Any] | None = None,
) -> dict[str, dict[str, float | None]]:
    """CSAT and first-contact resolution per channel, for channels with enough of each."""
    out: dict[str, dict[str, float | None]] = {}
    for row in kpis_breakdown(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        by="channel",
        filters=filters,
        keys=["csat_pct", "fcr_rate"],
        with_samples=True,
    ):
        # (the samples: CSAT answers, and resolved cases of known customers)
        values = {
            key: row[key] if row["samples"][key] >= LEVEL_MIN_CHANNEL_SAMPLE else None
            for key in ("csat_pct", "fcr_rate")
        }
        if any(v is not None for v in values.values()):
            out[row["group"]] = values
    return out


def level_for_period(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    filters: Mapping[str, Any] | None = None,
) -> tuple[LevelVerdict, dict[str, Any]]:
    """The service level of a period (of the interactions `filters` keep, e.g. a customer
    segment's) and the metric values it was judged from."""
    filters = clean_scope(filters) or None
    values = kpis_for_period(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        filters=filters,
        keys=LEVEL_KEYS,
    )
    channels = _channel_metrics(organisation, date_from, date_to, filters)
    verdict = judge_level(values, channels, level_thresholds_for(organisation))
    return verdict, {"metrics": values, "channels": channels}


# --- display helpers -----------------------------------------------------------------------


def to_display(goal_or_unit: Goal | str, metric_key: str, value: float | None) -> float | None:
    """A value in metric units as the goal shows it (durations in the goal's unit)."""
    if value is None:
        return None
    unit = goal_or_unit if isinstance(goal_or_unit, str) else goal_or_unit.value_unit
    if metric(metric_key).unit == "seconds":
        return value / UNIT_SECONDS.get(unit, 1)
    return value


def from_display(unit: str, metric_key: str, value: float | None) -> float | None:
    if value is None:
        return None
    if metric(metric_key).unit == "seconds":
        return value * UNIT_SECONDS.get(unit, 1)
    return value
