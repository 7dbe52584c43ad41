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


def _scoped_to(organisation: Any, names: set[str]) -> list[Goal]:
    return [
        goal
        for goal in Goal.objects.filter(organisation=organisation, scope__has_key="segment")
        if str(goal.scope.get("segment", "")).strip().casefold() in names
    ]


def goal_scopes_follow_renamed_segment(*, segment: Any, old_name: str, **_: Any) -> None:
    """Goals scoped to a segment by its old name follow it to the new one."""
    for goal in _scoped_to(segment.organisation, {old_name.casefold()}):
        goal.scope = {**goal.scope, "segment": segment.name}
        goal.save(update_fields=["scope"])


def goals_using_segment(*, segment: Any, **_: Any) -> list[str]:
    """The titles of the goals scoped to `segment` (by name or id): it may not be deleted."""
    names = {segment.name.casefold(), str(segment.pk)}
    return [goal.title for goal in _scoped_to(segment.organisation, names)]
