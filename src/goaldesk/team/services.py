"""Writes for teams and agents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, UniqueConstraint
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Membership, Organisation
from goaldesk.engine.names import fold_name
from goaldesk.team.models import Agent, AgentAlias, Team
from goaldesk.team.signals import agent_merged

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


# --- merging agents --------------------------------------------------------------------------


@dataclass
class MergeCount:
    """Rows of one kind that point at the merged agent."""

    label: str
    #: rows that now point at the target
    moved: int = 0
    #: rows of the source dropped because the target has its own (one per agent allowed)
    kept_target: int = 0


def _agent_relations() -> list[tuple[type[Model], str]]:
    """(model, field name) of every foreign key to Agent in any app, the tables behind
    many-to-many relations included; found through Django's model registry, so this low
    layer need not import the apps above it."""
    relations: list[tuple[type[Model], str]] = []
    for rel in Agent._meta.related_objects:
        if rel.many_to_many:
            through = cast(Any, rel).through
            relations.extend(
                (through, f.name)
                for f in through._meta.get_fields()
                if f.many_to_one and f.related_model is Agent
            )
        else:
            relations.append((cast(type[Model], rel.related_model), rel.field.name))
    return relations


def _unique_with(model: type[Model], field_name: str) -> list[tuple[tuple[str, ...], Q]]:
    """The uniqueness rules that include `field_name`: (the other fields, the rule's
    condition); no other fields means one row per agent."""
    rules: list[tuple[tuple[str, ...], Q]] = []
    if getattr(model._meta.get_field(field_name), "unique", False):
        rules.append(((), Q()))
    for together in model._meta.unique_together:
        if field_name in together:
            rules.append((tuple(f for f in together if f != field_name), Q()))
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, UniqueConstraint)
            and constraint.fields
            and field_name in constraint.fields
        ):
            others = tuple(f for f in constraint.fields if f != field_name)
            rules.append((others, constraint.condition or Q()))
    return rules


def _merge_plan(source: Agent, target: Agent) -> list[tuple[type[Model], str, list[int], int]]:
    """Per relation: the model, the field, the ids of the source's rows that clash with the
    target's under a uniqueness rule, and how many rows point at the source."""
    plan = []
    for model, field_name in _agent_relations():
        manager = model._base_manager
        rows = manager.filter(**{field_name: source})
        clashes: set[int] = set()
        for others, condition in _unique_with(model, field_name):
            for row in rows.filter(condition).values("pk", *others):
                twin = {name: row[name] for name in others}
                if manager.filter(condition, **{field_name: target}, **twin).exists():
                    clashes.add(row["pk"])
        plan.append((model, field_name, sorted(clashes), rows.count()))
    return plan


def _label(model: type[Model]) -> str:
    return str(model._meta.verbose_name_plural)


def agent_merge_preview(*, source: Agent, target: Agent) -> list[MergeCount]:
    """What merging `source` into `target` would do, per kind of row (only kinds with rows)."""
    counts: dict[str, MergeCount] = {}
    for model, _field, clashes, total in _merge_plan(source, target):
        if not total:
            continue
        count = counts.setdefault(_label(model), MergeCount(label=_label(model)))
        count.moved += total - len(clashes)
        count.kept_target += len(clashes)
    return list(counts.values())


def _merge_check(*, organisation: Organisation, source: Agent, target: Agent) -> None:
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose another agent to merge into.")})
    if source.organisation_id != organisation.pk or target.organisation_id != organisation.pk:
        raise ValidationError({"target": _("That agent belongs to another organisation.")})


@transaction.atomic
def agent_merge(*, organisation: Organisation, source_id: int, target_id: int) -> list[MergeCount]:
    """Merge agent `source_id` into `target_id` of the same organisation; return what moved.

    Every row of any app that points at the source (interactions, shifts, swaps, absences,
    work profiles, other spellings, …) then points at the target. Where only one row per agent
    (or per agent and something else) is allowed and the target has its own, the target's is
    kept and the source's is dropped (counted in `kept_target`). The target keeps its key; it
    takes the source's name, team and sign-in user where it has none; the source's key and
    name become other spellings of the target, so later imports that name the source find the
    target. Then the source is deleted. Raises ValidationError naming `target` for the same
    agent twice or an agent of another organisation.
    """
    agents = Agent.objects.select_for_update().filter(pk__in=[source_id, target_id])
    by_id = {agent.pk: agent for agent in agents}
    source = by_id.get(source_id)
    target = by_id.get(target_id)
    if source is None or target is None:
        raise ValidationError({"target": _("That agent belongs to another organisation.")})
    _merge_check(organisation=organisation, source=source, target=target)
    counts: dict[str, MergeCount] = {}
    for model, field_name, clashes, total in _merge_plan(source, target):
        if not total:
            continue
        manager = model._base_manager
        if clashes:
            manager.filter(pk__in=clashes).delete()
        moved = manager.filter(**{field_name: source}).update(**{field_name: target})
        count = counts.setdefault(_label(model), MergeCount(label=_label(model)))
        count.moved += moved
        count.kept_target += len(clashes)

    changed = []
    if not target.name.strip() and source.name.strip():
        target.name = source.name
        changed.append("name")
    if target.team_id is None and source.team_id is not None:
        target.team_id = source.team_id
        changed.append("team")
    if target.user_id is None and source.user_id is not None:
        target.user_id = source.user_id
        source.user_id = None
        source.save(update_fields=["user"])
        changed.append("user")
    if changed:
        target.save(update_fields=changed)
    own = {fold_name(target.key), fold_name(target.name)}
    for spelling in {fold_name(source.key), fold_name(source.name)} - own - {""}:
        agent_alias_add(organisation=organisation, agent=target, text=spelling)
    agent_merged.send(
        sender=Agent,
        organisation=organisation,
        source_key=source.key,
        source_id=source.pk,
        target=target,
    )
    source.delete()
    return list(counts.values())


def agent_alias_add(*, organisation: Organisation, agent: Agent, text: str) -> bool:
    """Record `text` as another spelling of `agent` (stored folded); an import that names it
    then finds the agent. Returns False when the spelling is empty or names the agent already;
    a spelling that named another agent now names this one."""
    folded = fold_name(text)[:150]
    if not folded:
        return False
    alias, created = AgentAlias.objects.get_or_create(
        organisation=organisation, folded=folded, defaults={"agent": agent}
    )
    if not created and alias.agent_id != agent.pk:
        alias.agent = agent
        alias.save(update_fields=["agent"])
        return True
    return created
