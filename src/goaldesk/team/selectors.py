"""Reads of teams and agents."""

from django.db.models import Count, Q, QuerySet

from goaldesk.accounts.models import Organisation
from goaldesk.engine.names import fold_name
from goaldesk.team.models import Agent, AgentAlias, Team


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


def agent_index(*, organisation: Organisation) -> dict[str, int]:
    """Folded spelling (engine.names.fold_name) → agent id, for matching names in files.

    An agent is found by their key (e-mail address or code), their name or another spelling
    recorded for them (AgentAlias). A key wins over a name or spelling that folds the same; of
    two agents whose names fold the same, the one created first is taken.
    """
    index: dict[str, int] = {}
    agents = list(Agent.objects.filter(organisation=organisation).order_by("pk"))
    for agent in agents:
        index.setdefault(fold_name(agent.key), agent.pk)
    for agent in agents:
        if agent.name.strip():
            index.setdefault(fold_name(agent.name), agent.pk)
    aliases = AgentAlias.objects.filter(organisation=organisation).order_by("pk")
    for folded, agent_id in aliases.values_list("folded", "agent_id"):
        index.setdefault(folded, agent_id)
    index.pop("", None)
    return index


def team_index(*, organisation: Organisation) -> dict[str, int]:
    """Folded team name → team id (of two names that fold the same, the older team)."""
    index: dict[str, int] = {}
    for pk, name in (
        Team.objects.filter(organisation=organisation).order_by("pk").values_list("pk", "name")
    ):
        index.setdefault(fold_name(name), pk)
    index.pop("", None)
    return index
