"""Scorecards and recognition in the demo: the vision's values, a goal with a target for each
agent ("each agent: CSAT at least …"), action steps assigned to the agents with logins, a
handful of recognitions (seeded) and the badges the closed goals earned.

Run after `goals_demo_build` (it closes the demo's past goals; the achieved chat goal earns
its agents a team badge here, and a target for each agent on it earns personal badges).
"""

import datetime as dt
import math
import random

from django.contrib.auth import get_user_model

from goaldesk.accounts.models import Organisation
from goaldesk.coaching.recognition_services import badges_award, recognition_give
from goaldesk.goals import selectors, services
from goaldesk.goals.models import BusinessGoal, Goal, GoalType, Outcome, Strategy
from goaldesk.team.models import Agent

VALUES = {
    "en": ["We own the problem", "Clear and kind", "Fixed the first time"],
    "fa": ["مشکل مشتری، مشکل ماست", "روشن و مهربان", "حل در همان بار اول"],
}
REASONS = {
    "en": [
        "Stayed on the line until the customer's refund was through.",
        "Calmed an angry caller and fixed the order in one go.",
        "Explained the warranty so clearly the customer thanked us in a review.",
        "Took over a colleague's chats when the queue spiked.",
        "Followed up a repair without being asked.",
        "Turned a complaint into a returning customer.",
    ],
    "fa": [
        "تا تأیید بازپرداخت مشتری پای تلفن ماند.",
        "مشتری ناراضی را آرام کرد و سفارش را همان بار درست کرد.",
        "وقتی صف شلوغ شد، گفت‌وگوهای همکارش را هم پاسخ داد.",
    ],
}
#: A target for each agent a little under the team's recent CSAT, so some meet it and some not.
PERSON_TARGET_BELOW_TEAM = 3.0


def _recent_csat(organisation: Organisation, today: dt.date) -> float | None:
    return selectors.metric_value(
        organisation=organisation,
        metric_key="csat_pct",
        date_from=today - dt.timedelta(days=28),
        date_to=today - dt.timedelta(days=1),
    )


def _csat_goal(organisation: Organisation, today: dt.date, owner: object) -> Goal | None:
    """An active goal on the whole team's CSAT with a target for each agent, starting next week
    (so it stays out of the goals demo's on-track/behind stories)."""
    csat = _recent_csat(organisation, today)
    business = BusinessGoal.objects.filter(organisation=organisation).order_by("pk").last()
    if csat is None or business is None:
        return None
    team_target = min(99.0, math.ceil(csat) + 3.0)
    data = services.GoalData(
        title=(
            "From next week, every agent: CSAT at least "
            f"{math.floor(csat - PERSON_TARGET_BELOW_TEAM):g} %"
        ),
        metric_key="csat_pct",
        baseline_from=today - dt.timedelta(days=28),
        baseline_to=today - dt.timedelta(days=1),
        target=team_target,
        start=today + dt.timedelta(days=7),
        deadline=today + dt.timedelta(days=97),
        business_goal=business,
        reason="Satisfied customers come back and bring others.",
        goal_type=GoalType.SATISFACTION,
        scope={},
        owner=owner,
        person_target=float(math.floor(csat - PERSON_TARGET_BELOW_TEAM)),
    )
    return services.goal_create(
        organisation=organisation, data=data, user=owner, confirm_warnings=True
    )


def recognition_demo_build(
    *, organisation: Organisation, today: dt.date, language: str = "en", seed: int = 7
) -> dict[str, int]:
    """Build the scorecard and recognition demo of `organisation`; return what was made."""
    rng = random.Random(seed)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(memberships__organisation=organisation)
    }
    owner = users.get("demo")
    manager = users.get("demo-manager") or owner
    strategy = Strategy.objects.filter(organisation=organisation).first()
    values = VALUES.get(language, VALUES["en"])
    services.strategy_update(
        organisation=organisation,
        vision=strategy.vision if strategy else "",
        values=values,
        user=owner,
    )
    goal = None
    if Goal.objects.filter(organisation=organisation).exists():
        goal = _csat_goal(organisation, today, manager)
        # The achieved chat goal also asked each chat agent for their own CSAT.
        achieved = Goal.objects.filter(
            organisation=organisation, outcome=Outcome.ACHIEVED, metric_key="csat_pct"
        ).first()
        if achieved is not None and achieved.person_target is None:
            Goal.objects.filter(pk=achieved.pk).update(person_target=achieved.target - 5)
    agents = list(Agent.objects.filter(organisation=organisation, active=True).order_by("pk"))
    objectives = 0
    if goal is not None:
        for username, title, days in (
            ("demo-agent", "Ask every unhappy chat customer for a second chance", 10),
            ("demo-agent", "Listen to two of your own calls with your team lead", 21),
            ("demo-manager", "Coach the three agents furthest from the target", 30),
        ):
            if username in users:
                services.objective_create(
                    goal=goal,
                    title=title,
                    owner=users[username],
                    due=today + dt.timedelta(days=days),
                    assigned_by=manager,
                )
                objectives += 1
    givers = [u for u in (manager, owner, users.get("demo-agent"), users.get("demo-fa-agent")) if u]
    reasons = REASONS.get(language, REASONS["en"])
    given = 0
    for n, reason in enumerate(reasons):
        if not givers or not agents:
            break
        giver = givers[n % len(givers)]
        candidates = [a for a in agents if a.user_id != giver.pk]
        agent = candidates[0] if n == 0 else rng.choice(candidates)  # the agent user first
        linked_goal = goal if goal is not None and n % 3 == 1 else None
        recognition_give(
            organisation=organisation,
            giver=giver,
            agent=agent,
            reason=reason,
            goal=linked_goal,
            value="" if linked_goal else values[n % len(values)],
        )
        given += 1
    return {
        "objectives": objectives,
        "recognitions": given,
        "badges": badges_award(organisation=organisation),
    }
