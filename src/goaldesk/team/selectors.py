"""Reads of teams and agents."""

from django.db.models import Count, Q, QuerySet

from goaldesk.accounts.models import Organisation
from goaldesk.team.models import Agent, Team


def team_list(*, organisation: Organisation) -> QuerySet[Team]:
    """Teams with `agent_count` (active agents)."""
    return Team.objects.filter(organisation=organisation).annotate(
        agent_count=Count("agents", filter=Q(agents__active=True))
    )


def agent_list(*, organisation: Organisation, include_inactive: bool = True) -> QuerySet[Agent]:
    agents = Agent.objects.filter(organisation=organisation).select_related("team", "user")
    if not include_inactive:
        agents = agents.filter(active=True)
    return agents.order_by("-active", "name", "key")
