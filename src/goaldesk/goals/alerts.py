"""Alerts on goals and on the service level: the owner and the managers are told when a goal's
status or the organisation's level changes, once per change.

Each check compares the state now (computed as the goal and level pages compute it) with the
state last told (stored), and tells only of a change. They are run periodically by the worker's
clock; running one twice tells nothing new.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.notifications.services import notify

from . import selectors
from .models import Goal, LevelAlert

#: A goal's status (`engine.progress`) → the kind of notification it gives when it becomes so.
GOAL_ALERTS = {
    "behind": "goal_behind",
    "at_risk": "goal_will_miss",
    "achieved": "goal_achieved",
}
#: Statuses that say nothing about the goal's course (no data yet, not started, no baseline):
#: they leave the last told status as it is, so a day without data followed by the same
#: status again does not tell it twice.
UNJUDGED = {"not_started", "no_data", "no_baseline"}

#: The level is judged on this many complete days ending yesterday (the level page's default
#: period is the last 30 days; complete days keep the verdict steady through the day).
LEVEL_DAYS = 30


def managers_of(organisation: Organisation) -> list[Any]:
    """The organisation's managers and owners (active users)."""
    return list(
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__role__in=[Role.MANAGER, Role.OWNER],
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _goal_recipients(goal: Goal) -> list[Any]:
    """The goal's owner (while a member of its organisation) and the managers and owners."""
    people = managers_of(goal.organisation)
    owner = goal.owner
    if (
        owner is not None
        and Membership.objects.filter(user=owner, organisation_id=goal.organisation_id).exists()
    ):
        people.append(owner)
    return people


def goal_alert(*, goal: Goal, status: str) -> bool:
    """Record that `goal` now has `status` and tell its owner and the managers if that is a
    change to a status worth telling (`GOAL_ALERTS`). Returns True when people were told."""
    if status in UNJUDGED or status == goal.alerted_state:
        return False
    # Written only if still different: of two checks at once, one tells.
    changed = (
        Goal.objects.filter(pk=goal.pk).exclude(alerted_state=status).update(alerted_state=status)
    )
    goal.alerted_state = status
    if not changed:
        return False
    kind = GOAL_ALERTS.get(status)
    if kind is None:
        return False
    notify(
        kind=kind,
        recipients=_goal_recipients(goal),
        organisation=goal.organisation,
        params={"goal": goal.title, "deadline": goal.deadline.isoformat()},
        url=reverse("goals:detail", args=[goal.organisation.slug, goal.pk]),
    )
    return True


@transaction.atomic
def goal_alerts_check(*, organisation: Organisation, today: dt.date) -> int:
    """Tell of each active goal of `organisation` that became behind its plan (`goal_behind`),
    projected to miss its deadline (`goal_will_miss`) or achieved (`goal_achieved`) since the
    last check: its status on `today` as the goal list shows it (`selectors.progress_for`)
    against the status last told (`Goal.alerted_state`). Returns how many goals were told of."""
    told = 0
    for goal in selectors.active_goals(organisation=organisation).order_by("pk"):
        status = selectors.progress_for(goal, as_of=today, full=False).status
        told += goal_alert(goal=goal, status=status)
    return told


@transaction.atomic
def level_alert_check(*, organisation: Organisation, today: dt.date) -> bool:
    """Tell the managers and owners (`level_changed`) when the organisation's service level
    moved: the verdict of the last `LEVEL_DAYS` complete days before `today`
    (`selectors.level_for_period`, as on the level page) against the level last seen
    (`LevelAlert`). The first check and a period without a verdict tell nothing. Returns True
    when people were told."""
    date_to = today - dt.timedelta(days=1)
    date_from = today - dt.timedelta(days=LEVEL_DAYS)
    verdict, _measured = selectors.level_for_period(
        organisation=organisation, date_from=date_from, date_to=date_to
    )
    alert, created = LevelAlert.objects.select_for_update().get_or_create(organisation=organisation)
    level = verdict.level or ""
    if not level or level == alert.level:
        return False
    before = alert.level
    alert.level = level
    alert.checked_at = timezone.now()
    alert.save(update_fields=["level", "checked_at"])
    if created or not before:
        return False
    url = reverse("goals:level", args=[organisation.slug])
    url += f"?from={date_from.isoformat()}&to={date_to.isoformat()}"
    notify(
        kind="level_changed",
        recipients=managers_of(organisation),
        organisation=organisation,
        params={"before": before, "after": level},
        url=url,
    )
    return True
