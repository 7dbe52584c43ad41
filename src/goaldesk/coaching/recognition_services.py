"""Writes of scorecards and recognition: the organisation's scorecard settings, giving a
recognition (the agent is told), and awarding badges for closed goals (run by the worker's
clock, see coaching/apps.py; awarding twice changes nothing)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.engine.ranking import MIN_OBSERVATIONS
from goaldesk.goals.models import Goal, Outcome, Strategy
from goaldesk.goals.selectors import clean_scope
from goaldesk.metrics.selectors import interactions_in_period
from goaldesk.notifications.services import notify
from goaldesk.team.models import Agent

from .models import Badge, BadgeKind, CoachingSettings, GoalBadgesAwarded, Recognition
from .scorecard_selectors import figures_by_agent, meets

REASON_MAX_CHARS = 1000


@transaction.atomic
def coaching_settings_update(
    *,
    organisation: Organisation,
    agents_see_colleagues: bool,
    viewers_see_scorecards: bool,
    public_rankings: bool,
    user: Any = None,
) -> CoachingSettings:
    settings, _created = CoachingSettings.objects.get_or_create(organisation=organisation)
    settings.agents_see_colleagues = bool(agents_see_colleagues)
    settings.viewers_see_scorecards = bool(viewers_see_scorecards)
    settings.public_rankings = bool(public_rankings)
    settings.updated_by = user
    settings.save()
    return settings


def vision_values(organisation: Organisation) -> list[str]:
    """The values of the organisation's service vision (goals.Strategy.values)."""
    strategy = Strategy.objects.filter(organisation=organisation).first()
    return list(strategy.values or []) if strategy else []


@transaction.atomic
def recognition_give(
    *,
    organisation: Organisation,
    giver: Any,
    agent: Agent,
    reason: str,
    goal: Goal | None = None,
    value: str = "",
) -> Recognition:
    """Record `giver`'s recognition of `agent`, for a goal or a value of the vision, and tell
    the agent. Raises ValidationError naming the field: nobody recognises themselves; the
    reason is needed; exactly a goal or a value of this organisation's vision."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    reason = (reason or "").strip()
    value = (value or "").strip()
    if agent.organisation_id != organisation.pk:
        add("agent", _("That agent belongs to another organisation."))
    elif giver is not None and agent.user_id == giver.pk:
        add("agent", _("You cannot recognise yourself; recognise a colleague."))
    if (
        giver is not None
        and not Membership.objects.filter(
            organisation=organisation, user=giver, role__in=[Role.AGENT, Role.MANAGER, Role.OWNER]
        ).exists()
    ):
        add("agent", _("Only agents, managers and owners of this organisation give recognition."))
    if not reason:
        add("reason", _("Say what the recognition is for."))
    elif len(reason) > REASON_MAX_CHARS:
        add(
            "reason",
            _("Keep the reason to %(max)s characters.") % {"max": REASON_MAX_CHARS},
        )
    if goal is not None and goal.organisation_id != organisation.pk:
        add("goal", _("That goal belongs to another organisation."))
    if goal is None and not value:
        add("goal", _("Link the recognition to a goal or to a value of the service vision."))
    if goal is not None and value:
        add("value", _("Choose a goal or a value, not both."))
    if value and value not in vision_values(organisation):
        add("value", _("“%(value)s” is not a value of the service vision.") % {"value": value})
    if errors:
        raise ValidationError(errors)
    recognition = Recognition.objects.create(
        organisation=organisation, giver=giver, agent=agent, reason=reason, goal=goal, value=value
    )
    if agent.user_id:
        notify(
            kind="recognition_received",
            recipients=[agent.user],
            organisation=organisation,
            params={
                "name": (giver.get_full_name() or giver.get_username()) if giver else "",
                "reason": reason[:200],
            },
            url=reverse("coaching:recognitions", kwargs={"org_slug": organisation.slug}),
        )
    return recognition


# --- badges --------------------------------------------------------------------------------


def _agents_who_served(goal: Goal) -> list[int]:
    """The agents with an interaction inside the goal's scope between its start and deadline."""
    return list(
        interactions_in_period(
            organisation=goal.organisation,
            date_from=goal.start,
            date_to=goal.deadline,
            filters=clean_scope(goal.scope) or None,
        )
        .filter(agent__isnull=False)
        .order_by()
        .values_list("agent_id", flat=True)
        .distinct()
    )


def _badges_for_goal(goal: Goal) -> list[Badge]:
    badges = []
    if goal.outcome == Outcome.ACHIEVED:
        badges += [
            Badge(agent_id=agent_id, kind=BadgeKind.TEAM_GOAL, goal=goal)
            for agent_id in _agents_who_served(goal)
        ]
    if goal.person_target is not None and goal.outcome != Outcome.ACTIVE:
        figures = figures_by_agent(
            organisation=goal.organisation,
            periods=[(goal.start, goal.deadline)],
            keys=[goal.metric_key],
            filters=clean_scope(goal.scope) or None,
        )
        for agent_id, (values,) in figures.items():
            figure = values.get(goal.metric_key)
            if figure is None or figure.sample < MIN_OBSERVATIONS:
                continue
            own = figure.statistic(goal.statistic)
            if own is not None and meets(goal.metric_key, own, goal.person_target):
                badges.append(
                    Badge(
                        agent_id=agent_id,
                        kind=BadgeKind.PERSONAL_TARGET,
                        goal=goal,
                        value=own,
                        sample=figure.sample,
                    )
                )
    return badges


@transaction.atomic
def badges_award(*, organisation: Organisation) -> int:
    """Hand out the badges of the organisation's closed goals not yet looked at: a team badge
    to every agent who served inside an achieved goal's scope, a personal badge to each agent
    who met a closed goal's target for each agent with at least MIN_OBSERVATIONS observations
    over the goal's period. Returns how many badges are new. Idempotent."""
    goals = (
        Goal.objects.filter(organisation=organisation)
        .exclude(outcome=Outcome.ACTIVE)
        .exclude(pk__in=GoalBadgesAwarded.objects.values("goal_id"))
        .select_related("organisation")
    )
    before = Badge.objects.filter(goal__organisation=organisation).count()
    for goal in goals:
        Badge.objects.bulk_create(_badges_for_goal(goal), ignore_conflicts=True)
        GoalBadgesAwarded.objects.get_or_create(goal=goal)
    return Badge.objects.filter(goal__organisation=organisation).count() - before


def badges_award_all() -> int:
    """`badges_award` for every organisation (the worker's clock)."""
    return sum(badges_award(organisation=org) for org in Organisation.objects.all())
