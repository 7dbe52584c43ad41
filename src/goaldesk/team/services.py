"""Writes for teams and agents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Membership, Organisation
from goaldesk.team.models import Agent, Team

if TYPE_CHECKING:
    from django.contrib.auth.models import User as AuthUser


def _team_name_free(*, organisation: Organisation, name: str, team_id: int | None = None) -> None:
    taken = Team.objects.filter(organisation=organisation, name__iexact=name)
    if team_id is not None:
        taken = taken.exclude(pk=team_id)
    if taken.exists():
        raise ValidationError(
            {"name": _("A team called “%(name)s” exists already.") % {"name": name}}
        )


@transaction.atomic
def team_create(*, organisation: Organisation, name: str) -> Team:
    name = name.strip()
    _team_name_free(organisation=organisation, name=name)
    return Team.objects.create(organisation=organisation, name=name)


@transaction.atomic
def team_update(*, organisation: Organisation, team_id: int, name: str) -> Team:
    team = Team.objects.get(organisation=organisation, pk=team_id)
    name = name.strip()
    _team_name_free(organisation=organisation, name=name, team_id=team.pk)
    team.name = name
    team.save(update_fields=["name"])
    return team


@transaction.atomic
def team_delete(*, organisation: Organisation, team_id: int) -> None:
    """Delete a team that has neither agents nor interactions (history keeps its team)."""
    team = Team.objects.get(organisation=organisation, pk=team_id)
    if team.agents.exists() or team.interactions.exists():
        raise ValidationError(
            _(
                "The team “%(name)s” still has agents or interactions; move its agents to another "
                "team first. Teams with interactions are kept for the history."
            )
            % {"name": team.name}
        )
    team.delete()


def _agent_check(
    *,
    organisation: Organisation,
    key: str,
    team: Team | None,
    user: AuthUser | None,
    agent_id: int | None = None,
) -> None:
    others = Agent.objects.filter(organisation=organisation)
    if agent_id is not None:
        others = others.exclude(pk=agent_id)
    errors: dict[str, str] = {}
    if others.filter(key__iexact=key).exists():
        errors["key"] = _("Another agent has the key “%(key)s”.") % {"key": key}
    if team is not None and team.organisation_id != organisation.pk:
        errors["team"] = _("That team belongs to another organisation.")
    if user is not None:
        if not Membership.objects.filter(organisation=organisation, user=user).exists():
            errors["user"] = _("That user is not a member of this organisation.")
        elif others.filter(user=user).exists():
            errors["user"] = _("%(name)s is already linked to another agent.") % {
                "name": user.get_username()
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agent_create(
    *,
    organisation: Organisation,
    key: str,
    name: str = "",
    team: Team | None = None,
    user: AuthUser | None = None,
) -> Agent:
    key = key.strip()
    _agent_check(organisation=organisation, key=key, team=team, user=user)
    return Agent.objects.create(
        organisation=organisation, key=key, name=name.strip(), team=team, user=user
    )


@transaction.atomic
def agent_update(
    *,
    organisation: Organisation,
    agent_id: int,
    key: str,
    name: str,
    team: Team | None,
    user: AuthUser | None,
    active: bool = True,
) -> Agent:
    agent = Agent.objects.select_for_update().get(organisation=organisation, pk=agent_id)
    key = key.strip()
    _agent_check(organisation=organisation, key=key, team=team, user=user, agent_id=agent.pk)
    agent.key, agent.name, agent.team, agent.user, agent.active = (
        key,
        name.strip(),
        team,
        user,
        active,
    )
    agent.save()
    return agent


@transaction.atomic
def agent_set_active(*, organisation: Organisation, agent_id: int, active: bool) -> Agent:
    """Deactivate (or reactivate) an agent; their interactions and history stay."""
    agent = Agent.objects.select_for_update().get(organisation=organisation, pk=agent_id)
    agent.active = active
    agent.save(update_fields=["active"])
    return agent
