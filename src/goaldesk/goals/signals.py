"""Goals answering the signals of the apps below them."""

from typing import Any

from goaldesk.goals.models import Goal


def goal_scopes_follow_merged_agent(
    *, organisation: Any, source_key: str, source_id: int, target: Any, **_: Any
) -> None:
    """Goals scoped to an agent merged away are scoped to the agent it was merged into
    (a scope names an agent by key or id)."""
    names = {source_key, str(source_id)}
    for goal in Goal.objects.filter(organisation=organisation, scope__has_key="agent"):
        if str(goal.scope.get("agent")) in names:
            goal.scope = {**goal.scope, "agent": target.key}
            goal.save(update_fields=["scope"])
