"""What the goal pages, the level page and the dashboard panel show, ready for templates.

Selectors give numbers; this turns them into rows with translated sentences and display values.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Organisation
from goaldesk.core.display import ldate
from goaldesk.interactions.models import channel_label
from goaldesk.interactions.selectors import category_names

from . import selectors
from .models import Goal
from .wording import (
    LEVEL_DESCRIPTIONS,
    STATUS_NAMES,
    STATUS_TONE,
    criterion_level_text,
    format_value,
    level_ranked,
    level_sentence,
    metric_name,
    scope_text,
)


def goal_row(
    goal: Goal,
    progress: selectors.GoalProgress,
    *,
    categories: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One goal as a list row: title, metric, scope, values and status (`categories`: the
    organisation's `category_names`, read once for a whole list)."""
    report = progress.report
    unit = goal.value_unit
    current = goal.final_value if not goal.is_active else (report.current_value if report else None)
    return {
        "goal": goal,
        "metric_name": metric_name(goal.metric_key),
        "scope": scope_text(goal.scope, categories=categories),
        "baseline": format_value(goal.metric_key, goal.baseline_value, unit),
        "target": format_value(goal.metric_key, goal.target, unit),
        "current": format_value(goal.metric_key, current, unit),
        "status": progress.status,
        "status_name": STATUS_NAMES.get(progress.status, progress.status),
        "tone": STATUS_TONE.get(progress.status, ""),
        "percent": progress.percent,
        "objectives_done": getattr(goal, "objectives_done", 0),
        "objectives_total": getattr(goal, "objectives_total", 0),
    }


def goal_chart(goal: Goal, progress: selectors.GoalProgress) -> dict[str, Any]:
    """Chart data: actual against plan with milestones, values in the goal's unit."""
    report = progress.report
    days = [goal.start + dt.timedelta(days=i) for i in range((goal.deadline - goal.start).days + 1)]
    actual_by_day = dict(progress.series)

    def shown(value: float | None) -> float | None:
        v = selectors.to_display(goal, goal.metric_key, value)
        return None if v is None else round(v, 3)

    plan = []
    if report is not None:
        from goaldesk.engine.progress import planned_value

        plan = [shown(planned_value(report.plan, day)) for day in days]
    milestones = {m.date: m.value for m in goal.milestones.all()}
    projection: list[float | None] = [None] * len(days)
    if report is not None and report.trend is not None and report.current_date is not None:
        for i, day in enumerate(days):
            if day >= report.current_date:
                projection[i] = shown(report.trend.value_on(day))
    return {
        "rtl": bool(get_language_bidi()),
        "labels": [ldate(day) for day in days],
        "actual": [shown(actual_by_day.get(day)) for day in days],
        "plan": plan,
        "projection": projection,
        "milestones": [shown(milestones.get(day)) for day in days],
        "target": shown(goal.target),
        "text": {
            "actual": _("Actual"),
            "plan": _("Plan"),
            "projection": _("Projection"),
            "milestones": _("Milestones"),
            "target": _("Target"),
        },
    }


def level_context(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    can_make_goal: bool,
    filters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The level of a period (within `filters`, e.g. a segment): its name, the criteria, the
    reasons and the way up (a goal made from a step keeps the filters in its scope)."""
    filters = selectors.clean_scope(filters)
    verdict, measured = selectors.level_for_period(
        organisation=organisation, date_from=date_from, date_to=date_to, filters=filters
    )
    categories = category_names(organisation=organisation)
    criteria = []
    for c in verdict.criteria:
        criteria.append(
            {
                "name": metric_name(c.metric),
                "value": format_value(c.metric, c.value),
                "met_level": criterion_level_text(c.met_level, c.missed_level),
                "needed": [
                    (level_ranked(level), format_value(c.metric, needed))
                    for level, needed in c.needed_for_each_level.items()
                ],
                "judged": c.judged,
                "detail": c.detail,
                # A channel gap's best and worst channel, by their labels.
                "gap_channels": (
                    (
                        channel_label(c.detail["best_channel"]),
                        channel_label(c.detail["worst_channel"]),
                    )
                    if c.detail and c.detail.get("worst_channel")
                    else None
                ),
            }
        )
    steps = []
    for t in verdict.to_reach_next:
        link = None
        if can_make_goal and t.metric in selectors.GOAL_METRIC_KEYS:
            query = {
                "metric": t.metric,
                "target": round(t.needed, 2),
                "from_level": verdict.next_level or "",
                **{f"scope_{k}": v for k, v in {**filters, **t.scope}.items()},
            }
            link = reverse("goals:new", args=[organisation.slug]) + "?" + urlencode(query)
        steps.append(
            {
                "name": metric_name(t.criterion),
                "metric_name": metric_name(t.metric),
                "scope": scope_text({**filters, **t.scope}, categories=categories),
                "current": format_value(t.metric, t.current),
                "needed": format_value(t.metric, t.needed),
                "link": link,
            }
        )
    return {
        "level": verdict.level,
        "level_name": level_ranked(verdict.level),
        "level_description": LEVEL_DESCRIPTIONS.get(verdict.level, "") if verdict.level else "",
        "next_level_name": level_ranked(verdict.next_level),
        "reasons": [level_sentence(r.code, r.params) for r in verdict.reasons],
        "criteria": criteria,
        "steps": steps,
        "date_from": date_from,
        "date_to": date_to,
        "verdict": verdict,
        "measured": measured,
    }


def dashboard_panel(
    *,
    organisation: Organisation,
    membership: Any,
    date_from: dt.date,
    date_to: dt.date,
    filters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Context of goals/_dashboard_panel.html: the level of the dashboard's period (within
    `filters`, e.g. the dashboard's customer segment) with its criteria and next step, and the
    active goals with their status."""
    level = level_context(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        can_make_goal=membership is not None and membership.allows("manager"),
        filters=filters,
    )
    categories = category_names(organisation=organisation)
    goals = [
        goal_row(goal, selectors.progress_for(goal, full=False), categories=categories)
        for goal in selectors.active_goals(organisation=organisation)
    ]
    return {"goals_panel": {"level": level, "goals": goals}}
