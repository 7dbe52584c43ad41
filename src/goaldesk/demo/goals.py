"""Goals of the demo organisation: a vision, business goals, and service goals in every state
(on track, behind, achieved, missed), with objectives, confidence votes and a revision.

Each goal tells one of the stories the demo data was generated with (`Improvements` in
goaldesk.demo.generator, placed in days before today):

* **On track** — shorter waits at the service desk: an extra employee joined the desk four
  months ago and the waits have been falling since.
* **Behind** — answer more calls within 20 seconds: the lunchtime shift that should have
  lifted it started a month late, so the goal is behind its plan but catching up fast.
* **Achieved** (archived) — raise chat satisfaction: the chat team's training paid off.
* **Missed** (archived) — returned items back on the shelves within a week: they took two to
  three weeks; thanks to the extra desk employee they got faster, but at the deadline they
  still took about twelve days (and today still more than a week).

A goal's shape (start, length, round target) is taken from a short list of candidates, the
first that puts it in its state with a clear margin on the generated data — so the states hold
whatever day the demo is built on and however the random numbers fell.
"""

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth import get_user_model

from goaldesk.accounts.models import Organisation
from goaldesk.engine.progress import Better, ProgressReport, goal_progress, shortfall
from goaldesk.goals import selectors, services
from goaldesk.goals.models import BusinessGoal, BusinessGoalKind, Goal, GoalType, ValueUnit
from goaldesk.goals.presets import PRESETS_BY_KEY
from goaldesk.metrics.catalogue import metric

DAY_SECONDS = 86_400
#: A candidate whose margin (a fraction of the change the goal asks for) reaches this is taken.
CLEAR_MARGIN = 0.15


@dataclasses.dataclass(frozen=True)
class Shape:
    """A candidate goal: starts `start_age` days before today, runs `days` days, aims at `target`."""

    start_age: int
    days: int
    target: float


@dataclasses.dataclass(frozen=True)
class Chosen:
    """The shape taken, with its baseline period and value, and how clearly it is in its state."""

    shape: Shape
    start: dt.date
    deadline: dt.date
    baseline_from: dt.date
    baseline_to: dt.date
    baseline: float
    margin: float


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _middle(start: dt.date, deadline: dt.date, baseline: float, target: float) -> tuple:
    """The milestone every demo goal has: half-way there at half time."""
    return (start + (deadline - start) / 2, baseline + (target - baseline) / 2)


def state_margin(
    report: ProgressReport, *, baseline: float, target: float, better: Better, wanted: str
) -> float:
    """How clearly `report` is in the `wanted` state, as a fraction of |target − baseline|.

    Positive when it is, and the larger the surer (the smallest of the distances to each rule
    of engine.progress that decides the state); -inf when the target is not better than the
    baseline or a value the state needs is missing.
    """
    span = abs(target - baseline)
    if span == 0 or shortfall(value=target, wanted=baseline, better=better) > 0:
        return -math.inf
    allowed = 0.1 * span  # goal_progress's default tolerance

    def worse(value: float | None, than: float) -> float | None:
        return None if value is None else shortfall(value=value, wanted=than, better=better)

    to_go = worse(report.current_value, target)
    projected = worse(report.projection, target)
    gap = report.gap_to_plan
    final = worse(report.final_value, target)
    rules: list[float | None]
    if wanted == "on_track":
        rules = [to_go, None if gap is None else allowed - gap]
        rules.append(None if projected is None else allowed - projected)
    elif wanted == "behind":
        rules = [to_go, None if gap is None else gap - allowed]
        rules.append(None if projected is None else allowed - projected)
    elif wanted == "at_risk":
        rules = [to_go, None if projected is None else projected - allowed]
    elif wanted == "achieved":
        rules = [None if final is None else -final]
    elif wanted == "missed":
        rules = [final]
    else:
        raise ValueError(f"Demo goals: no margin rule for the state {wanted!r}.")
    if any(rule is None for rule in rules):
        return -math.inf
    return min(rule for rule in rules if rule is not None) / span


def choose_shape(
    organisation: Organisation,
    *,
    metric_key: str,
    scope: dict[str, str],
    window: int,
    shapes: Sequence[Shape],
    wanted: str,
    today: dt.date,
) -> Chosen | None:
    """The first of `shapes` that is clearly (CLEAR_MARGIN) in the `wanted` state on `today`,
    else the one most clearly in it; None when none is."""
    entry = metric(metric_key)
    better: Better = "lower" if entry.better == "lower" else "higher"
    # A projection a person would not believe (a negative wait, 104 %) rules a shape out.
    highest = 100.0 if entry.unit == "percent" else math.inf
    first = today - dt.timedelta(days=max(s.start_age for s in shapes))
    series = dict(
        selectors.window_series(
            organisation=organisation,
            metric_key=metric_key,
            days=_days(first, today - dt.timedelta(days=1)),
            window_days=window,
            scope=scope,
        )
    )
    baselines: dict[int, tuple[float | None, dt.date, dt.date]] = {}
    best: Chosen | None = None
    for shape in shapes:
        start = today - dt.timedelta(days=shape.start_age)
        deadline = start + dt.timedelta(days=shape.days)
        if shape.start_age not in baselines:
            baseline_to = start - dt.timedelta(days=1)
            baseline_from = baseline_to - dt.timedelta(days=27)
            value, _sample = selectors.baseline_for(
                organisation=organisation,
                metric_key=metric_key,
                date_from=baseline_from,
                date_to=baseline_to,
                scope=scope,
            )
            baselines[shape.start_age] = (value, baseline_from, baseline_to)
        baseline, baseline_from, baseline_to = baselines[shape.start_age]
        if baseline is None:
            continue
        report = goal_progress(
            baseline=baseline,
            target=shape.target,
            start=start,
            deadline=deadline,
            better=better,
            series=[(d, v) for d, v in series.items() if d >= start],
            as_of=today,
            milestones=[_middle(start, deadline, baseline, shape.target)],
        )
        if report.status != wanted:
            continue
        if report.projection is not None and not 0 <= report.projection <= highest:
            continue
        margin = state_margin(
            report, baseline=baseline, target=shape.target, better=better, wanted=wanted
        )
        if margin <= 0:
            continue
        found = Chosen(shape, start, deadline, baseline_from, baseline_to, baseline, margin)
        if margin >= CLEAR_MARGIN:
            return found
        if best is None or margin > best.margin:
            best = found
    return best


def _create(
    organisation: Organisation,
    *,
    chosen: Chosen,
    title: str,
    goal_type: str,
    metric_key: str,
    scope: dict[str, str],
    window: int,
    owner: Any,
    business_goal: BusinessGoal,
    reason: str,
    value_unit: str = ValueUnit.HOURS,
    template: str = "",
    revision: tuple[int, str] | None = None,
) -> Goal:
    """Create the chosen goal; with `revision` (days, reason) it is first set `days` earlier
    and then moved to its deadline for that reason."""
    target = chosen.shape.target
    data = services.GoalData(
        title=title,
        goal_type=goal_type,
        metric_key=metric_key,
        scope=scope,
        baseline_from=chosen.baseline_from,
        baseline_to=chosen.baseline_to,
        target=target,
        start=chosen.start,
        deadline=chosen.deadline,
        milestones=[_middle(chosen.start, chosen.deadline, chosen.baseline, target)],
        tracking_window_days=window,
        business_goal=business_goal,
        reason=reason,
        owner=owner,
        value_unit=value_unit,
        template=template,
    )
    if revision is None:
        return services.goal_create(
            organisation=organisation, data=data, user=owner, confirm_warnings=True
        )
    days_earlier, why = revision
    earlier = chosen.deadline - dt.timedelta(days=days_earlier)
    planned = dataclasses.replace(
        data,
        deadline=earlier,
        milestones=[_middle(chosen.start, earlier, chosen.baseline, target)],
    )
    goal = services.goal_create(
        organisation=organisation, data=planned, user=owner, confirm_warnings=True
    )
    return services.goal_update(goal=goal, data=data, user=owner, reason=why, confirm_warnings=True)


def _shapes(starts: Sequence[int], lengths: Sequence[int], targets: Sequence[float]) -> list[Shape]:
    """Every combination, targets varying slowest: the first target is the one preferred."""
    return [Shape(s, n, t) for t in targets for s in starts for n in lengths]


def _percent(value: float) -> str:
    return f"{value:.0f} %"


def goals_demo_build(*, organisation: Organisation, today: dt.date) -> dict[str, int]:
    """Build the demo's strategy, business goals and goals; return how many of each."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(memberships__organisation=organisation)
    }
    owner = users.get("demo") or next(iter(users.values()), None)
    manager = users.get("demo-manager") or owner
    agent = users.get("demo-agent")
    services.strategy_update(
        organisation=organisation,
        vision=(
            "Every customer who calls, writes or walks in leaves with their problem solved and "
            "a reason to come back."
        ),
        user=owner,
    )
    revenue = services.business_goal_create(
        organisation=organisation,
        kind=BusinessGoalKind.INCREASE_REVENUE,
        title="Increase in-store revenue",
        description="More customers helped on the shop floor turn into sales.",
    )
    costs = services.business_goal_create(
        organisation=organisation,
        kind=BusinessGoalKind.REDUCE_COSTS,
        title="Reduce the cost of returns",
    )
    brand = services.business_goal_create(
        organisation=organisation,
        kind=BusinessGoalKind.STRENGTHEN_BRAND,
        title="Be known for friendly service",
    )
    experience = services.business_goal_create(
        organisation=organisation,
        kind=BusinessGoalKind.CUSTOMER_EXPERIENCE,
        title="Improve the customer experience",
    )

    made: dict[str, Goal] = {}

    def build(
        key: str,
        wanted: str,
        *,
        metric_key: str,
        scope: dict[str, str],
        window: int,
        shapes: list[Shape],
        title: Callable[[float], str],
        **fields: Any,
    ) -> None:
        chosen = choose_shape(
            organisation,
            metric_key=metric_key,
            scope=scope,
            window=window,
            shapes=shapes,
            wanted=wanted,
            today=today,
        )
        if chosen is not None:
            made[key] = _create(
                organisation,
                chosen=chosen,
                title=title(chosen.shape.target),
                metric_key=metric_key,
                scope=scope,
                window=window,
                **fields,
            )

    desk = PRESETS_BY_KEY["desk_customers"]
    build(
        "desk",
        "on_track",
        metric_key="asa_seconds",
        scope={"channel": "walk_in"},
        window=28,
        # Set four months ago for six months; the extra employee joined the desk ten days later.
        # (A month's window: waits at a desk vary a lot from one week to the next.)
        shapes=_shapes((130, 135, 128), (180, 210, 240, 165), (150.0, 120.0, 180.0)),
        title=lambda target: f"Cut the average wait at the service desk to {target / 60:g} minutes",
        goal_type=GoalType.RESPONSIVENESS,
        owner=manager,
        business_goal=revenue,
        reason=str(desk.reason),
        value_unit=ValueUnit.MINUTES,
    )
    phone_title = "Answer {} of calls within 20 seconds".format
    build(
        "phone",
        "behind",
        metric_key="service_level",
        scope={"channel": "phone"},
        window=14,
        # Set eight weeks ago for three months; the lunchtime shift only began a month later.
        shapes=_shapes((56, 50, 63), (90, 75, 105, 120), (85.0, 90.0, 80.0)),
        title=lambda target: phone_title(_percent(target)),
        goal_type=GoalType.RESPONSIVENESS,
        owner=manager,
        business_goal=brand,
        reason="Callers who wait hang up and tell others.",
        revision=(14, "The lunchtime shift started a month late."),
    )
    build(
        "chat",
        "achieved",
        metric_key="csat_pct",
        scope={"channel": "chat"},
        window=14,
        # Five months ago for two months, as the chat team was trained.
        shapes=_shapes((150, 145), (60, 70), (90.0, 88.0, 86.0, 85.0, 84.0, 82.0, 80.0)),
        title=lambda target: f"Raise chat satisfaction to {_percent(target)}",
        goal_type=GoalType.SATISFACTION,
        owner=owner,
        business_goal=experience,
        reason="Chat is where new customers try us first.",
    )
    returns = PRESETS_BY_KEY["returns_week"]
    build(
        "returns",
        "missed",
        metric_key="resolution_seconds",
        scope={"category": "returns"},
        window=14,
        # Set just before the extra employee joined the desk, for three months.
        shapes=_shapes((130, 125, 135), (90, 100), (7 * DAY_SECONDS,)),
        title=lambda _target: str(returns.title),
        goal_type=GoalType.RESOLUTION,
        owner=manager,
        business_goal=costs,
        reason=str(returns.reason),
        value_unit=ValueUnit.DAYS,
        template=returns.key,
    )

    if "desk" in made:
        goal = made["desk"]
        first = services.objective_create(
            goal=goal,
            title=str(desk.objectives[1]),
            owner=manager,
            due=goal.start + dt.timedelta(days=7),
            notes="Ask HR for a part-time hire.",
        )
        services.objective_set_done(objective=first, done=True, user=manager)
        services.objective_create(
            goal=goal,
            title=str(desk.objectives[0]),
            owner=agent,
            due=today + dt.timedelta(days=14),
        )
        for username, rating, comment in (
            ("demo-agent", 4, "Walking the floor works on weekends."),
            ("demo-manager", 4, ""),
            ("demo-viewer", 3, ""),
        ):
            if username in users:
                services.confidence_set(
                    goal=goal, user=users[username], rating=rating, comment=comment
                )
    if "phone" in made:
        goal = made["phone"]
        shift = services.objective_create(
            goal=goal,
            title="Move one chat agent to the phones from 12:00 to 14:00",
            owner=manager,
            due=today - dt.timedelta(days=28),
        )
        services.objective_set_done(objective=shift, done=True, user=manager)
        services.objective_create(
            goal=goal,
            title="Offer a callback when the wait passes a minute",
            owner=manager,
            due=today + dt.timedelta(days=10),
        )
    closed = services.goals_close_due(organisation=organisation, today=today)
    return {"goals": len(made), "closed": closed}
