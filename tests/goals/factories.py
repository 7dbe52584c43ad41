"""Goals test data: business goals, goals written directly (no measuring), interactions in bulk."""

import datetime as dt

from goaldesk.goals.models import BusinessGoal, Goal, Objective
from goaldesk.interactions.models import Interaction


def business_goal_make(organisation, title="Increase revenue"):
    return BusinessGoal.objects.get_or_create(
        organisation=organisation, title=title, defaults={"kind": "increase_revenue"}
    )[0]


def goal_make(organisation, **fields):
    """A goal row as if created an hour ago (baseline given, not measured)."""
    today = dt.datetime.now(tz=dt.UTC).date()
    values = {
        "title": "Help 50 customers a day",
        "metric_key": "customers_helped_per_day",
        "scope": {"channel": "walk_in"},
        "baseline_from": today - dt.timedelta(days=28),
        "baseline_to": today - dt.timedelta(days=1),
        "baseline_value": 20.0,
        "baseline_sample": 28,
        "target": 50.0,
        "start": today,
        "deadline": today + dt.timedelta(days=30),
        "business_goal": business_goal_make(organisation),
        "reason": "More customers helped, more sales.",
    }
    values.update(fields)
    return Goal.objects.create(organisation=organisation, **values)


def objective_make(goal, **fields):
    values = {"title": "Walk the floor"}
    values.update(fields)
    return Objective.objects.create(goal=goal, **values)


def resolved_visits(organisation, day: dt.date, count: int, *, prefix: str = "v", **fields):
    """`count` resolved walk-in visits at noon UTC on `day` (the organisation must be UTC)."""
    rows = [
        Interaction(
            organisation=organisation,
            external_id=f"{prefix}-{day.isoformat()}-{n}",
            channel=fields.get("channel", "walk_in"),
            created_at=dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC),
            local_date=day,
            status=fields.get("status", "resolved"),
            is_live=fields.get("channel", "walk_in") in ("phone", "chat", "walk_in"),
            csat=fields.get("csat"),
            wait_seconds=fields.get("wait_seconds"),
        )
        for n in range(count)
    ]
    Interaction.objects.bulk_create(rows)
