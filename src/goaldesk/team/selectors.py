"""Reads of teams and agents, and of their skills and training."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from goaldesk.accounts.models import Organisation
from goaldesk.engine.names import fold_name
from goaldesk.team.models import (
    COUNTING_LEVEL,
    Agent,
    AgentAlias,
    AgentSkill,
    AgentSkillChange,
    Skill,
    SkillLevel,
    Team,
    TrainingRecord,
)
from goaldesk.team.skill_labels import skill_label


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


# --- skills and training ------------------------------------------------------------------------


def skill_list(*, organisation: Organisation) -> QuerySet[Skill]:
    """The organisation's skills with `agent_count` (agents holding them at any level)."""
    return (
        Skill.objects.filter(organisation=organisation)
        .annotate(agent_count=Count("agent_skills", distinct=True))
        .order_by("kind", "code")
    )


class Certificate:
    """Where a skill stands for certification on a day (or through a span of days)."""

    NOT_REQUIRED = "not_required"
    VALID = "valid"
    EXPIRED = "expired"  # a passed record existed but its expiry came
    MISSING = "missing"  # never passed (or only a course that has not happened yet)


@dataclass(frozen=True)
class SkillStanding:
    """An agent's skill as scheduling counts it: `counts` when the level is Competent or above
    and, for a skill that requires certification, a passed record covers the day(s).
    `expires_on`: of the record that certifies now (or of the last one, when expired)."""

    skill: Skill
    level: int
    certificate: str
    expires_on: dt.date | None
    counts: bool

    @property
    def code(self) -> str:
        return self.skill.scheduling_code

    @property
    def level_label(self) -> str:
        return str(SkillLevel(self.level).label)


def _certificate(
    records: list[TrainingRecord], first: dt.date, last: dt.date
) -> tuple[str, dt.date | None]:
    passed = [r for r in records if r.result == TrainingRecord.Result.PASSED]
    covering = [r for r in passed if r.certifies_on(first) and r.certifies_on(last)]
    if covering:
        # The longest-lasting record is the one to renew last (None: for good).
        best = max(covering, key=lambda r: r.expires_on or dt.date.max)
        return Certificate.VALID, best.expires_on
    expired = [r for r in passed if r.completed_on <= first and r.expires_on is not None]
    if expired:
        return Certificate.EXPIRED, max(r.expires_on for r in expired if r.expires_on)
    return Certificate.MISSING, None


def agent_skill_standings(
    *,
    organisation: Organisation,
    on: dt.date,
    through: dt.date | None = None,
    agent_ids: Iterable[int] | None = None,
) -> dict[int, list[SkillStanding]]:
    """Agent id → their skills' standings on `on` (through `through`: a certificate must cover
    every day of the span). Only agents with at least one skill recorded appear."""
    last = through or on
    rows = AgentSkill.objects.filter(agent__organisation=organisation).select_related("skill")
    records = TrainingRecord.objects.filter(
        agent__organisation=organisation, skill__requires_certification=True
    )
    if agent_ids is not None:
        ids = list(agent_ids)
        rows = rows.filter(agent_id__in=ids)
        records = records.filter(agent_id__in=ids)
    by_pair: dict[tuple[int, int], list[TrainingRecord]] = defaultdict(list)
    for record in records:
        if record.skill_id is not None:
            by_pair[(record.agent_id, record.skill_id)].append(record)
    standings: dict[int, list[SkillStanding]] = defaultdict(list)
    for row in rows.order_by("skill__kind", "skill__code"):
        if row.skill.requires_certification:
            certificate, expires_on = _certificate(by_pair[(row.agent_id, row.skill_id)], on, last)
        else:
            certificate, expires_on = Certificate.NOT_REQUIRED, None
        standings[row.agent_id].append(
            SkillStanding(
                skill=row.skill,
                level=row.level,
                certificate=certificate,
                expires_on=expires_on,
                counts=row.level >= COUNTING_LEVEL
                and certificate in (Certificate.NOT_REQUIRED, Certificate.VALID),
            )
        )
    return dict(standings)


def agent_skill_codes(
    *,
    organisation: Organisation,
    on: dt.date,
    through: dt.date | None = None,
    agent_ids: Iterable[int] | None = None,
) -> dict[int, frozenset[str]]:
    """Agent id → the skill codes scheduling counts on `on` (through `through`): "phone",
    "lang:fa", "product:<code>", "other:<code>". A skill counts at level Competent or above and,
    when it requires certification, only while a passed training record covers the day
    (completed_on ≤ day < expires_on). Agents with no skill recorded at all are absent
    (scheduling treats them as serving every channel); an agent whose skills all stopped
    counting maps to an empty set."""
    return {
        agent_id: frozenset(s.code for s in standings if s.counts)
        for agent_id, standings in agent_skill_standings(
            organisation=organisation, on=on, through=through, agent_ids=agent_ids
        ).items()
    }


def agent_skill_history(*, agent: Agent) -> QuerySet[AgentSkillChange]:
    return AgentSkillChange.objects.filter(agent=agent).select_related("skill", "changed_by")


@dataclass(frozen=True)
class TrainingRow:
    record: TrainingRecord
    expired: bool

    @property
    def skill_label(self) -> str:
        """The certified skill by its name in the reader's language ("" without one)."""
        return skill_label(self.record.skill) if self.record.skill is not None else ""


def training_records_for(*, agent: Agent, on: dt.date) -> list[TrainingRow]:
    """The agent's training records, newest first, each marked expired when its expiry is on or
    before `on`."""
    return [
        TrainingRow(record=r, expired=r.expires_on is not None and r.expires_on <= on)
        for r in TrainingRecord.objects.filter(agent=agent).select_related("skill")
    ]


def agent_channels_languages(*, agent: Agent) -> tuple[list[str], list[str]] | None:
    """The codes of the channel and language skills the agent holds (any level), or None when
    the agent has no skill recorded at all."""
    rows = list(AgentSkill.objects.filter(agent=agent).values_list("skill__kind", "skill__code"))
    if not rows:
        return None
    channels = sorted(code for kind, code in rows if kind == Skill.Kind.CHANNEL)
    languages = sorted(code for kind, code in rows if kind == Skill.Kind.LANGUAGE)
    return channels, languages
