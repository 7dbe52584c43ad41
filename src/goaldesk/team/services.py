"""Writes for teams and agents."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Membership, Organisation
from goaldesk.engine.names import fold_name
from goaldesk.team.models import (
    Agent,
    AgentAlias,
    AgentSkill,
    AgentSkillChange,
    Skill,
    SkillLevel,
    Team,
    TrainingRecord,
)
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


# --- skills and training ------------------------------------------------------------------------

_SKILL_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@transaction.atomic
def skill_create(
    *,
    organisation: Organisation,
    kind: str,
    code: str,
    name: str = "",
    requires_certification: bool = False,
) -> Skill:
    """A skill of the organisation. Products and others need a name and a short code (small
    Latin letters, digits, "-" and "_"); channels and languages are named by their code."""
    code = code.strip().lower()
    name = name.strip()
    errors: dict[str, str] = {}
    if kind not in Skill.Kind.values:
        errors["kind"] = _("Choose a kind of skill.")
    if not _SKILL_CODE.match(code):
        errors["code"] = _(
            "The code “%(code)s” is not valid: use up to 40 small Latin letters, digits, “-” or "
            "“_”, starting with a letter or digit."
        ) % {"code": code}
    elif Skill.objects.filter(organisation=organisation, kind=kind, code=code).exists():
        errors["code"] = _("There is already a skill with the code “%(code)s”.") % {"code": code}
    if kind in (Skill.Kind.PRODUCT, Skill.Kind.OTHER) and not name:
        errors["name"] = _("Give the skill a name.")
    if errors:
        raise ValidationError(errors)
    return Skill.objects.create(
        organisation=organisation,
        kind=kind,
        code=code,
        name=name,
        requires_certification=requires_certification,
    )


@transaction.atomic
def skill_update(
    *, organisation: Organisation, skill_id: int, name: str, requires_certification: bool
) -> Skill:
    skill = Skill.objects.select_for_update().get(organisation=organisation, pk=skill_id)
    name = name.strip()
    if skill.kind in (Skill.Kind.PRODUCT, Skill.Kind.OTHER) and not name:
        raise ValidationError({"name": _("Give the skill a name.")})
    skill.name, skill.requires_certification = name, requires_certification
    skill.save(update_fields=["name", "requires_certification"])
    return skill


def skill_ensure(*, organisation: Organisation, kind: str, code: str) -> Skill:
    """The organisation's channel or language skill `code`, created when it is missing."""
    skill, _created = Skill.objects.get_or_create(organisation=organisation, kind=kind, code=code)
    return skill


@transaction.atomic
def agent_skill_set(
    *, agent: Agent, skill: Skill, level: int | None, changed_by: AuthUser | None = None
) -> AgentSkill | None:
    """Set the agent's level in `skill` (None: remove the skill) and record the change in the
    history; no change, no history line. Returns the row (None once removed)."""
    if skill.organisation_id != agent.organisation_id:
        raise ValidationError({"skill": _("That skill belongs to another organisation.")})
    if level is not None and level not in SkillLevel.values:
        raise ValidationError(
            {
                "level": _("The level must be one of %(levels)s.")
                % {"levels": ", ".join(str(v) for v in SkillLevel.values)}
            }
        )
    row = AgentSkill.objects.select_for_update().filter(agent=agent, skill=skill).first()
    old = row.level if row is not None else None
    if old == level:
        return row
    if level is None:
        if row is not None:
            row.delete()
        row = None
    elif row is None:
        row = AgentSkill.objects.create(agent=agent, skill=skill, level=level)
    else:
        row.level = level
        row.save(update_fields=["level", "updated_at"])
    AgentSkillChange.objects.create(
        agent=agent,
        skill=skill,
        old_level=old,
        new_level=level,
        changed_by=changed_by,
        changed_at=timezone.now(),
    )
    return row


@transaction.atomic
def agent_channels_languages_set(
    *,
    agent: Agent,
    channels: Iterable[str] | None,
    languages: Iterable[str] | None,
    changed_by: AuthUser | None = None,
) -> None:
    """The agent serves exactly these channels and languages (the work profile's checkboxes;
    None leaves that kind as it is): a newly ticked one is added at level Proficient, one
    already held keeps its level, an unticked one is removed — each change in the history."""
    wanted: dict[str, set[str]] = {}
    if channels is not None:
        wanted[Skill.Kind.CHANNEL] = set(channels)
    if languages is not None:
        wanted[Skill.Kind.LANGUAGE] = set(languages)
    held = AgentSkill.objects.filter(agent=agent, skill__kind__in=list(wanted)).select_related(
        "skill"
    )
    kept: set[tuple[str, str]] = set()
    for row in held:
        if row.skill.code in wanted[row.skill.kind]:
            kept.add((row.skill.kind, row.skill.code))
        else:
            agent_skill_set(agent=agent, skill=row.skill, level=None, changed_by=changed_by)
    for kind, codes in wanted.items():
        for code in sorted(codes):
            if (kind, code) in kept:
                continue
            skill = skill_ensure(organisation=agent.organisation, kind=kind, code=code)
            agent_skill_set(
                agent=agent, skill=skill, level=SkillLevel.PROFICIENT, changed_by=changed_by
            )


@transaction.atomic
def training_record_add(
    *,
    agent: Agent,
    course: str,
    completed_on: dt.date,
    result: str,
    skill: Skill | None = None,
    score: float | None = None,
    expires_on: dt.date | None = None,
    notes: str = "",
    created_by: AuthUser | None = None,
) -> TrainingRecord:
    course = course.strip()
    errors: dict[str, str] = {}
    if not course:
        errors["course"] = _("Name the course.")
    if result not in TrainingRecord.Result.values:
        errors["result"] = _("The result must be “passed” or “failed”.")
    if skill is not None and skill.organisation_id != agent.organisation_id:
        errors["skill"] = _("That skill belongs to another organisation.")
    if expires_on is not None and expires_on <= completed_on:
        errors["expires_on"] = _("The certificate must expire after the course was completed.")
    if score is not None and not 0 <= score <= 100:
        errors["score"] = _("The score must be between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    return TrainingRecord.objects.create(
        agent=agent,
        course=course,
        skill=skill,
        completed_on=completed_on,
        result=result,
        score=score,
        expires_on=expires_on,
        notes=notes.strip(),
        created_by=created_by,
    )


@transaction.atomic
def training_record_delete(*, agent: Agent, record_id: int) -> None:
    TrainingRecord.objects.filter(agent=agent, pk=record_id).delete()
