"""Goals of the demo organisation: a vision, business goals, and service goals in every state
(on track, behind or at risk, achieved, missed), with objectives, confidence votes and a
revision. Targets are chosen from the demo's own data so each goal lands in the state it is
meant to show, whatever the random seed generated.
"""

import dataclasses
import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from goaldesk.accounts.models import Organisation
from goaldesk.engine.progress import goal_progress
from goaldesk.metrics.catalogue import metric

from . import selectors, services
from .models import BusinessGoalKind, GoalType
from .presets import PRESETS_BY_KEY


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _back(today: dt.date, nearest: int, farthest: int) -> list[dt.date]:
    """Candidate start days from `nearest` to `farthest` days ago, every five days."""
    return [today - dt.timedelta(days=n) for n in range(nearest, farthest + 1, 5)]


def _pick_target(
    *,
    baseline: float,
    series: list[tuple[dt.date, float | None]],
    better: str,
    start: dt.date,
    deadline: dt.date,
    today: dt.date,
    wanted: tuple[str, ...],
) -> tuple[float, tuple[int, bool]] | None:
    """(target, rank) of a target (with a midpoint milestone) that puts the goal in one of the `wanted` states;
    None when no target from 1 % to 120 % better than the baseline does."""
    scale = abs(baseline) or 1.0
    sign = 1 if better == "higher" else -1
    found: list[tuple[int, bool, float]] = []
    for step in range(1, 120):
        target = baseline + sign * scale * 0.01 * step
        middle = start + (deadline - start) / 2
        report = goal_progress(
            baseline=baseline,
            target=target,
            start=start,
            deadline=deadline,
            better=better,  # type: ignore[arg-type]
            series=series,
            as_of=today,
            milestones=[(middle, baseline + (target - baseline) / 2)],
        )
        if report.status in wanted:
            # Prefer the first wanted state, then a target not reached yet (a real goal).
            reached = report.progress is not None and report.progress >= 1
            found.append((wanted.index(report.status), reached, target))
    if not found:
        return None
    best = min(found, key=lambda f: (f[0], f[1]))
    return best[2], (best[0], best[1])


def _create(
    organisation: Organisation,
    *,
    owner: Any,
    title: str,
    goal_type: str,
    metric_key: str,
    scope: dict[str, str],
    starts: list[dt.date],
    days: int,
    today: dt.date,
    window: int,
    business_goal: Any,
    reason: str,
    wanted: tuple[str, ...] | None = None,
    final_factor: float | None = None,
    value_unit: str = "hours",
    template: str = "",
    revision: tuple[int, str] | None = None,
) -> Any:
    """Create a goal in the wanted state, trying the candidate start days in turn."""
    better = metric(metric_key).better or "higher"
    first = min(starts)
    full = dict(
        selectors.window_series(
            organisation=organisation,
            metric_key=metric_key,
            days=_days(first, today - dt.timedelta(days=1)),
            window_days=window,
            scope=scope,
        )
    )
    chosen = None
    rank: tuple[int, bool] | None = None
    for start in starts:
        deadline = start + dt.timedelta(days=days)
        baseline_to = start - dt.timedelta(days=1)
        baseline_from = baseline_to - dt.timedelta(days=27)
        baseline, _sample = selectors.baseline_for(
            organisation=organisation,
            metric_key=metric_key,
            date_from=baseline_from,
            date_to=baseline_to,
            scope=scope,
        )
        if baseline is None:
            continue
        last = min(deadline, today - dt.timedelta(days=1))
        series = [(d, full.get(d)) for d in _days(start, last)]
        if final_factor is not None:
            final = next((v for _d, v in reversed(series) if v is not None), baseline)
            chosen = (start, deadline, baseline_from, baseline_to, baseline, final * final_factor)
            break
        picked = _pick_target(
            baseline=baseline,
            series=series,
            better=better,
            start=start,
            deadline=deadline,
            today=today,
            wanted=wanted or ("on_track",),
        )
        if picked is not None and (rank is None or picked[1] < rank):
            rank = picked[1]
            chosen = (start, deadline, baseline_from, baseline_to, baseline, picked[0])
            if rank == (0, False):
                break
    if chosen is None:
        return None
    start, deadline, baseline_from, baseline_to, baseline, target = chosen
    middle = start + (deadline - start) / 2
    data = services.GoalData(
        title=title,
        goal_type=goal_type,
        metric_key=metric_key,
        scope=scope,
        baseline_from=baseline_from,
        baseline_to=baseline_to,
        target=target,
        start=start,
        deadline=deadline,
        milestones=[(middle, baseline + (target - baseline) / 2)],
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
    # Set first with an earlier deadline, then moved to the chosen one with a reason.
    days_earlier, why = revision
    first = dataclasses.replace(data, deadline=deadline - dt.timedelta(days=days_earlier))
    goal = services.goal_create(
        organisation=organisation, data=first, user=owner, confirm_warnings=True
    )
    return services.goal_update(goal=goal, data=data, user=owner, reason=why, confirm_warnings=True)


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
    services.business_goal_create(
        organisation=organisation,
        kind=BusinessGoalKind.CUSTOMER_EXPERIENCE,
        title="Improve the customer experience",
    )

    desk = PRESETS_BY_KEY["desk_customers"]
    goals = []
    on_track = _create(
        organisation,
        owner=manager,
        title="Help more customers a day at the service desk",
        goal_type=GoalType.PRODUCTIVITY,
        metric_key="customers_helped_per_day",
        scope={"channel": "walk_in"},
        starts=_back(today, 30, 90),
        days=150,
        today=today,
        window=7,
        business_goal=revenue,
        reason=str(desk.reason),
        wanted=("on_track",),
        template=desk.key,
        revision=(10, "The extra desk employee starts ten days later than planned."),
    )
    goals.append(on_track)
    behind = _create(
        organisation,
        owner=manager,
        title="Answer the phone within 20 seconds",
        goal_type=GoalType.RESPONSIVENESS,
        metric_key="service_level",
        scope={"channel": "phone"},
        starts=_back(today, 40, 120),
        days=90,
        today=today,
        window=7,
        business_goal=brand,
        reason="Callers who wait hang up and tell others.",
        wanted=("behind", "at_risk"),
    )
    goals.append(behind)
    achieved = _create(
        organisation,
        owner=owner,
        title="Raise chat satisfaction",
        goal_type=GoalType.SATISFACTION,
        metric_key="csat_pct",
        scope={"channel": "chat"},
        starts=[today - dt.timedelta(days=140)],
        days=90,
        today=today,
        window=14,
        business_goal=brand,
        reason="Chat is where new customers try us first.",
        final_factor=0.99,
    )
    goals.append(achieved)
    missed = _create(
        organisation,
        owner=manager,
        title="Returns resolved within a day",
        goal_type=GoalType.RESOLUTION,
        metric_key="resolution_seconds",
        scope={"category": "returns"},
        starts=[today - dt.timedelta(days=130)],
        days=90,
        today=today,
        window=14,
        business_goal=costs,
        reason=str(PRESETS_BY_KEY["returns_week"].reason),
        final_factor=0.5,
        value_unit="days",
    )
    goals.append(missed)
    goals = [g for g in goals if g is not None]

    if on_track is not None:
        first = services.objective_create(
            goal=on_track,
            title=str(desk.objectives[0]),
            owner=agent,
            due=today + dt.timedelta(days=7),
        )
        services.objective_create(
            goal=on_track,
            title=str(desk.objectives[1]),
            owner=manager,
            due=today + dt.timedelta(days=14),
            notes="Ask HR for a part-time hire.",
        )
        services.objective_set_done(objective=first, done=True, user=agent)
        for username, rating, comment in (
            ("demo-agent", 4, "Walking the floor works on weekends."),
            ("demo-manager", 4, ""),
            ("demo-viewer", 3, ""),
        ):
            if username in users:
                services.confidence_set(
                    goal=on_track, user=users[username], rating=rating, comment=comment
                )
    if behind is not None:
        services.objective_create(
            goal=behind,
            title="Move one chat agent to the phones from 10:00 to 14:00",
            owner=manager,
            due=today + dt.timedelta(days=5),
        )
    closed = services.goals_close_due(organisation=organisation, today=today)
    return {"goals": len(goals), "closed": closed}
