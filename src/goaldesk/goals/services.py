"""Writes of the goals app: strategy, business goals, goals (with revisions), objectives,
confidence votes, closing goals at their deadline, level thresholds and the weekly digest.

The UI and the API call the same functions, so a goal is validated the same way wherever it
comes from. Hard errors (a ValidationError naming the field) stop a save; SMART warnings do
not, but they must be confirmed (`confirm_warnings=True`), else `SmartWarningsUnconfirmed`.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Membership, Organisation, Role, today_in
from goaldesk.core.display import ldate
from goaldesk.engine.levels import LevelThresholds, validate_thresholds
from goaldesk.engine.smart import SCOPE_DIMENSIONS
from goaldesk.interactions.selectors import FilterError, resolve_filters
from goaldesk.metrics.catalogue import metric
from goaldesk.notifications.services import notify

from . import selectors
from .alerts import goal_alert
from .models import (
    BusinessGoal,
    Confidence,
    Goal,
    GoalType,
    LevelSettings,
    Milestone,
    Objective,
    Outcome,
    Revision,
    Statistic,
    Strategy,
    ValueUnit,
)
from .wording import level_sentence

#: Changing any of these records a revision (with its reason and author).
REVISED_FIELDS = ("target", "deadline", "milestones", "scope")


class SmartWarningsUnconfirmed(Exception):
    """The SMART check warns and the warnings were not confirmed; `result` holds the check."""

    def __init__(self, result: selectors.SmartResult) -> None:
        super().__init__("SMART warnings need confirming")
        self.result = result


# --- strategy ------------------------------------------------------------------------------


@transaction.atomic
def strategy_update(
    *,
    organisation: Organisation,
    vision: str,
    user: Any = None,
    values: Sequence[str] | None = None,
) -> Strategy:
    """Save the service vision and (when given) its values: trimmed, empty and repeated ones
    left out, in the order given."""
    strategy, _created = Strategy.objects.get_or_create(organisation=organisation)
    strategy.vision = vision.strip()
    if values is not None:
        kept: list[str] = []
        for value in values:
            value = value.strip()
            if value and value.casefold() not in {v.casefold() for v in kept}:
                kept.append(value[:120])
        strategy.values = kept
    strategy.updated_by = user
    strategy.save()
    return strategy


def _check_business_goal_title(organisation: Organisation, title: str, exclude: int | None) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the business goal a title.")})
    clash = BusinessGoal.objects.filter(organisation=organisation, title__iexact=title)
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError(
            {"title": _("There is already a business goal “%(title)s”.") % {"title": title}}
        )
    return title


@transaction.atomic
def business_goal_create(
    *, organisation: Organisation, kind: str, title: str, description: str = ""
) -> BusinessGoal:
    title = _check_business_goal_title(organisation, title, None)
    return BusinessGoal.objects.create(
        organisation=organisation, kind=kind, title=title, description=description.strip()
    )


@transaction.atomic
def business_goal_update(
    *, business_goal: BusinessGoal, kind: str, title: str, description: str = ""
) -> BusinessGoal:
    business_goal.title = _check_business_goal_title(
        business_goal.organisation, title, business_goal.pk
    )
    business_goal.kind = kind
    business_goal.description = description.strip()
    business_goal.save()
    return business_goal


@transaction.atomic
def business_goal_delete(*, business_goal: BusinessGoal) -> None:
    if business_goal.service_goals.exists():
        raise ValidationError(
            _(
                "“%(title)s” is still served by service goals; link them to another business "
                "goal first."
            )
            % {"title": business_goal.title}
        )
    business_goal.delete()


# --- goals ---------------------------------------------------------------------------------


@dataclass
class GoalData:
    """A goal as submitted (values in metric units: seconds for times)."""

    title: str
    metric_key: str
    baseline_from: dt.date
    baseline_to: dt.date
    target: float
    start: dt.date
    deadline: dt.date
    business_goal: BusinessGoal | None
    reason: str
    goal_type: str = GoalType.CUSTOM
    statistic: str = Statistic.MEDIAN
    value_unit: str = ValueUnit.HOURS
    scope: Mapping[str, str] = field(default_factory=dict)
    milestones: Sequence[tuple[dt.date, float]] = ()
    tracking_window_days: int = 7
    owner: Any = None
    template: str = ""
    #: The value each agent in the scope should reach on their own (metric units); None: none.
    person_target: float | None = None

    def draft(self) -> selectors.DraftInput:
        return selectors.DraftInput(
            metric_key=self.metric_key,
            statistic=self.statistic,
            scope=selectors.clean_scope(self.scope),
            baseline_from=self.baseline_from,
            baseline_to=self.baseline_to,
            target=self.target,
            start=self.start,
            deadline=self.deadline,
            milestones=list(self.milestones),
            window_days=self.tracking_window_days,
            business_goal=self.business_goal.title if self.business_goal else None,
            reason=self.reason,
        )


def goal_validate(*, organisation: Organisation, data: GoalData) -> None:
    """Raise ValidationError naming every field that cannot be saved as it is."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not (data.title or "").strip():
        add("title", _("Give the goal a title."))
    if data.goal_type not in GoalType.values:
        add("goal_type", _("Unknown goal type “%(value)s”.") % {"value": data.goal_type})
    try:
        entry = metric(data.metric_key)
    except KeyError:
        entry = None
        add("metric_key", _("Unknown metric “%(value)s”.") % {"value": data.metric_key})
    if entry is not None and entry.better is None:
        add(
            "metric_key",
            _("%(metric)s has no better direction, so a goal cannot move it.")
            % {"metric": entry.name},
        )
    if data.statistic not in Statistic.values:
        add("statistic", _("Unknown statistic “%(value)s”.") % {"value": data.statistic})
    if data.value_unit not in ValueUnit.values:
        add("value_unit", _("Unknown unit “%(value)s”.") % {"value": data.value_unit})
    for dimension in data.scope or {}:
        if dimension not in SCOPE_DIMENSIONS:
            add(
                "scope",
                _("“%(dimension)s” is not a scope; use one of: %(allowed)s.")
                % {"dimension": dimension, "allowed": ", ".join(SCOPE_DIMENSIONS)},
            )
    try:
        resolve_filters(organisation=organisation, filters=selectors.clean_scope(data.scope))
    except FilterError as problem:
        add("scope", str(problem))
    if data.baseline_to < data.baseline_from:
        add("baseline_to", _("The baseline period ends before it starts."))
    if data.baseline_to >= today_in(organisation) + dt.timedelta(days=1):
        add("baseline_to", _("The baseline period must lie in the past."))
    if data.deadline <= data.start:
        add("deadline", _("The deadline must come after the start."))
    if not 1 <= int(data.tracking_window_days) <= 90:
        add("tracking_window_days", _("The tracking window must be 1 to 90 days."))
    if data.business_goal is None:
        add("business_goal", _("Choose the business goal this goal serves."))
    elif data.business_goal.organisation_id != organisation.pk:
        add("business_goal", _("That business goal belongs to another organisation."))
    if not (data.reason or "").strip():
        add("reason", _("Say why this goal serves the business goal."))
    if (
        data.owner is not None
        and not Membership.objects.filter(organisation=organisation, user=data.owner).exists()
    ):
        add("owner", _("The owner must be a member of this organisation."))
    seen: set[dt.date] = set()
    for day, _value in data.milestones:
        if day in seen:
            add("milestones", _("Two milestones share the date %(date)s.") % {"date": ldate(day)})
        seen.add(day)
        if not data.start <= day <= data.deadline:
            add(
                "milestones",
                _("The milestone on %(date)s lies outside the goal's period.")
                % {"date": ldate(day)},
            )
    if errors:
        raise ValidationError(errors)


def _apply(goal: Goal, data: GoalData, result: selectors.SmartResult) -> None:
    goal.title = data.title.strip()
    goal.goal_type = data.goal_type
    goal.metric_key = data.metric_key
    goal.statistic = data.statistic
    goal.value_unit = data.value_unit
    goal.scope = selectors.clean_scope(data.scope)
    goal.baseline_from = data.baseline_from
    goal.baseline_to = data.baseline_to
    goal.baseline_value = result.baseline
    goal.baseline_sample = result.baseline_sample
    goal.target = float(data.target)
    goal.person_target = None if data.person_target is None else float(data.person_target)
    goal.start = data.start
    goal.deadline = data.deadline
    goal.tracking_window_days = int(data.tracking_window_days)
    goal.business_goal = data.business_goal
    goal.reason = data.reason.strip()
    goal.owner = data.owner
    if data.template:
        goal.template = data.template


def _confirm(goal: Goal, result: selectors.SmartResult, user: Any) -> None:
    goal.confirmed_warnings = [c.code for c in result.report.warnings]
    goal.confirmed_by = user if goal.confirmed_warnings else None
    goal.confirmed_at = timezone.now() if goal.confirmed_warnings else None


def _check(
    organisation: Organisation, data: GoalData, goal: Goal | None, confirm: bool
) -> selectors.SmartResult:
    goal_validate(organisation=organisation, data=data)
    result = selectors.smart_check(organisation=organisation, draft=data.draft(), goal=goal)
    if result.report.warnings and not confirm:
        raise SmartWarningsUnconfirmed(result)
    return result


@transaction.atomic
def goal_create(
    *, organisation: Organisation, data: GoalData, user: Any = None, confirm_warnings: bool = False
) -> Goal:
    """Create a goal with its baseline measured now. Raises ValidationError (hard errors) or
    SmartWarningsUnconfirmed (warnings not confirmed)."""
    result = _check(organisation, data, None, confirm_warnings)
    goal = Goal(organisation=organisation, created_by=user)
    _apply(goal, data, result)
    _confirm(goal, result, user)
    goal.save()
    Milestone.objects.bulk_create(
        Milestone(goal=goal, date=day, value=float(value)) for day, value in data.milestones
    )
    return goal


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _revised(goal: Goal, data: GoalData) -> dict[str, list[Any]]:
    before = {
        "target": goal.target,
        "deadline": goal.deadline,
        "milestones": sorted((m.date, m.value) for m in goal.milestones.all()),
        "scope": dict(goal.scope or {}),
    }
    after = {
        "target": float(data.target),
        "deadline": data.deadline,
        "milestones": sorted((d, float(v)) for d, v in data.milestones),
        "scope": selectors.clean_scope(data.scope),
    }
    return {
        name: [_jsonable(before[name]), _jsonable(after[name])]
        for name in REVISED_FIELDS
        if before[name] != after[name]
    }


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    data: GoalData,
    user: Any = None,
    reason: str = "",
    confirm_warnings: bool = False,
) -> Goal:
    """Update a goal. A change of target, deadline, milestones or scope needs a reason and is
    recorded as a revision; the baseline is measured again when what it measures changed."""
    organisation = goal.organisation
    changes = _revised(goal, data)
    if changes and not reason.strip():
        raise ValidationError(
            {
                "revision_reason": _(
                    "Say why the target, deadline, milestones or scope change; the goal's "
                    "history keeps the reason."
                )
            }
        )
    if goal.outcome != Outcome.ACTIVE:
        raise ValidationError(_("This goal has ended; its outcome is kept as it was."))
    result = _check(organisation, data, goal, confirm_warnings)
    _apply(goal, data, result)
    _confirm(goal, result, user)
    goal.save()
    goal.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(goal=goal, date=day, value=float(value)) for day, value in data.milestones
    )
    if changes:
        Revision.objects.create(goal=goal, author=user, reason=reason.strip(), changes=changes)
    return goal


@transaction.atomic
def goal_close(*, goal: Goal, today: dt.date | None = None) -> Goal:
    """Record the outcome of a goal whose deadline has passed (achieved, missed or no data),
    keeping its final value. Does nothing to an active goal before its deadline."""
    today = today or today_in(goal.organisation)
    if goal.outcome != Outcome.ACTIVE or today <= goal.deadline:
        return goal
    progress = selectors.progress_for(goal, as_of=today, full=False)
    report = progress.report
    if report is None or report.status == "no_data":
        goal.outcome = Outcome.NO_DATA
    else:
        goal.outcome = Outcome.ACHIEVED if report.status == "achieved" else Outcome.MISSED
        goal.final_value = report.final_value
    goal.closed_at = timezone.now()
    goal.save(update_fields=["outcome", "final_value", "closed_at", "updated_at"])
    if goal.outcome == Outcome.ACHIEVED:
        goal_alert(goal=goal, status="achieved")  # unless a check told it already
    return goal


def goals_close_due(*, organisation: Organisation, today: dt.date | None = None) -> int:
    """Close every active goal of the organisation whose deadline has passed; return how many."""
    today = today or today_in(organisation)
    due = Goal.objects.filter(organisation=organisation, outcome=Outcome.ACTIVE, deadline__lt=today)
    count = 0
    for goal in due.select_related("organisation").prefetch_related("milestones"):
        goal_close(goal=goal, today=today)
        count += 1
    return count


# --- objectives and confidence -------------------------------------------------------------


def _check_member(organisation: Organisation, user: Any, field_name: str) -> None:
    if (
        user is not None
        and not Membership.objects.filter(organisation=organisation, user=user).exists()
    ):
        raise ValidationError({field_name: _("The owner must be a member of this organisation.")})


@transaction.atomic
def objective_create(
    *,
    goal: Goal,
    title: str,
    owner: Any = None,
    due: dt.date | None = None,
    notes: str = "",
    assigned_by: Any = None,
) -> Objective:
    """Add an action step; its owner (when it is not the one adding it) is told."""
    if not title.strip():
        raise ValidationError({"title": _("Describe the action step.")})
    _check_member(goal.organisation, owner, "owner")
    objective = Objective.objects.create(
        goal=goal, title=title.strip(), owner=owner, due=due, notes=notes.strip()
    )
    _objective_assigned(objective, assigned_by=assigned_by)
    return objective


@transaction.atomic
def objective_update(
    *,
    objective: Objective,
    title: str,
    owner: Any = None,
    due: dt.date | None = None,
    notes: str = "",
    assigned_by: Any = None,
) -> Objective:
    """Change an action step; a new owner (other than the one changing it) is told."""
    if not title.strip():
        raise ValidationError({"title": _("Describe the action step.")})
    _check_member(objective.goal.organisation, owner, "owner")
    new_owner = owner is not None and owner.pk != objective.owner_id
    objective.title, objective.owner, objective.due = title.strip(), owner, due
    objective.notes = notes.strip()
    objective.save()
    if new_owner:
        _objective_assigned(objective, assigned_by=assigned_by)
    return objective


def _objective_assigned(objective: Objective, *, assigned_by: Any) -> None:
    """Tell the objective's owner it is theirs (not when they assigned it to themselves)."""
    owner = objective.owner
    if owner is None or (assigned_by is not None and assigned_by.pk == owner.pk):
        return
    goal = objective.goal
    notify(
        kind="objective_assigned",
        recipients=[owner],
        organisation=goal.organisation,
        params={
            "objective": objective.title,
            "goal": goal.title,
            "due": objective.due.isoformat() if objective.due else "",
        },
        url=reverse("goals:my_objectives", kwargs={"org_slug": goal.organisation.slug}),
    )


def objective_can_tick(*, objective: Objective, membership: Membership) -> bool:
    """Managers and owners tick any objective; an agent only their own."""
    if membership.allows(Role.MANAGER):
        return True
    return membership.allows(Role.AGENT) and objective.owner_id == membership.user_id


@transaction.atomic
def objective_set_done(
    *, objective: Objective, done: bool, user: Any = None, notes: str | None = None
) -> Objective:
    objective.done = done
    objective.done_at = timezone.now() if done else None
    objective.done_by = user if done else None
    if notes is not None:
        objective.notes = notes.strip()
    objective.save()
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective) -> None:
    objective.delete()


@transaction.atomic
def confidence_set(*, goal: Goal, user: Any, rating: int, comment: str = "") -> Confidence:
    """Record (or change) a member's rating of how reachable a goal is, 1–5."""
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 (out of reach) to 5 (certain).")})
    vote, _created = Confidence.objects.update_or_create(
        goal=goal, user=user, defaults={"rating": rating, "comment": comment.strip()}
    )
    return vote


# --- service-level thresholds --------------------------------------------------------------


@transaction.atomic
def level_thresholds_update(
    *, organisation: Organisation, thresholds: Mapping[str, Mapping[str, Any]], user: Any = None
) -> LevelThresholds:
    """Store the owner's thresholds; raise ValidationError naming each criterion that is wrong."""
    try:
        parsed = LevelThresholds.from_dict(thresholds)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    problems = validate_thresholds(parsed)
    if problems:
        raise ValidationError(
            {
                p.criterion: level_sentence(p.code, {"metric": p.criterion, **p.params})
                for p in problems
            }
        )
    LevelSettings.objects.update_or_create(
        organisation=organisation, defaults={"thresholds": parsed.as_dict(), "updated_by": user}
    )
    return parsed


@transaction.atomic
def level_thresholds_reset(*, organisation: Organisation) -> None:
    LevelSettings.objects.filter(organisation=organisation).delete()
