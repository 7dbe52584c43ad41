"""The skills matrix: every active agent's level in every skill, and where the skills on duty
fall short of what the coming week's busiest intervals need.

The week is the one a manager plans now: this week when today is its first day, else the next
one. Its requirement is the latest forecast's (people to schedule per interval and channel, as
the schedule is built: `forecasting.selectors.requirement_for_week`); who is on duty comes from
the published shifts (on shift for the whole interval and not on break, as the Today page
counts). A skill counts as team's selectors say: level Competent or above and, where the skill
requires certification, a passed training record covering the day. An agent with no skill
recorded at all serves every channel (as scheduling treats them). An agent on duty counts for
each skill they hold: the gaps say what the people on duty could cover, skill by skill.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from goaldesk.accounts.models import Organisation
from goaldesk.forecasting.selectors import forecast_run_latest, requirement_for_week
from goaldesk.scheduling.models import ScheduledShift
from goaldesk.scheduling.selectors import EVERY_CHANNEL, week_start_for
from goaldesk.team.models import COUNTING_LEVEL, Agent, Skill
from goaldesk.team.selectors import Certificate, SkillStanding, agent_skill_standings, skill_list
from goaldesk.team.skill_labels import skill_label

#: How many of the week's busiest intervals the gaps look at.
PEAK_INTERVALS = 5


@dataclass(frozen=True)
class MatrixCell:
    standing: SkillStanding | None

    @property
    def expired(self) -> bool:
        return self.standing is not None and self.standing.certificate == Certificate.EXPIRED

    @property
    def uncertified(self) -> bool:
        return self.standing is not None and self.standing.certificate == Certificate.MISSING


@dataclass(frozen=True)
class MatrixRow:
    agent: Agent
    cells: list[MatrixCell]
    #: No skill recorded: scheduling treats the agent as serving every channel.
    every_channel: bool


@dataclass(frozen=True)
class NotCounting:
    """An agent on duty who holds the skill but does not count for it, and why: "expired",
    "uncertified" (no passed record yet) or "learning" (level below Competent)."""

    agent: Agent
    why: str
    expires_on: dt.date | None = None


@dataclass(frozen=True)
class SkillGap:
    code: str
    label: str
    required: int
    on_duty: int
    not_counting: list[NotCounting] = field(default_factory=list)

    @property
    def short(self) -> int:
        return max(self.required - self.on_duty, 0)


@dataclass(frozen=True)
class PeakInterval:
    start: dt.datetime
    end: dt.datetime
    required: int
    skills: list[SkillGap]

    @property
    def short(self) -> bool:
        return any(s.short for s in self.skills)


@dataclass
class SkillsMatrix:
    today: dt.date
    skills: list[tuple[Skill, str]]
    rows: list[MatrixRow]
    week_start: dt.date
    has_forecast: bool = False
    has_schedule: bool = False
    peaks: list[PeakInterval] = field(default_factory=list)


def planning_week(organisation: Organisation, today: dt.date) -> dt.date:
    """The first day of the week a manager plans now: this week's when today is its first day,
    else the next week's."""
    start = week_start_for(organisation, today)
    return start if start == today else start + dt.timedelta(days=7)


def _matrix_rows(
    organisation: Organisation, skills: list[Skill], today: dt.date
) -> list[MatrixRow]:
    standings = agent_skill_standings(organisation=organisation, on=today)
    rows = []
    agents = Agent.objects.filter(organisation=organisation, active=True).order_by("name", "key")
    for agent in agents:
        held = {s.skill.pk: s for s in standings.get(agent.pk, [])}
        rows.append(
            MatrixRow(
                agent=agent,
                cells=[MatrixCell(held.get(skill.pk)) for skill in skills],
                every_channel=agent.pk not in standings,
            )
        )
    return rows


def _peak_starts(requirement: list[tuple[dt.datetime, str, int]], count: int) -> list[dt.datetime]:
    totals: dict[dt.datetime, int] = defaultdict(int)
    for start, _skill, n in requirement:
        totals[start] += n
    busiest = sorted(totals, key=lambda s: (-totals[s], s))[:count]
    return sorted(busiest)


def on_duty_shifts(
    organisation: Organisation, start: dt.datetime, end: dt.datetime
) -> list[ScheduledShift]:
    """Published shifts covering [start, end) whole, not on break then."""
    shifts = ScheduledShift.objects.filter(
        schedule__organisation=organisation,
        schedule__published_at__isnull=False,
        start__lte=start,
        end__gte=end,
    ).select_related("agent")
    return [
        s
        for s in shifts
        if not (
            s.break_start is not None
            and s.break_end is not None
            and s.break_start < end
            and start < s.break_end
        )
    ]


def _why_not(standing: SkillStanding) -> str:
    if standing.certificate == Certificate.EXPIRED:
        return "expired"
    if standing.certificate == Certificate.MISSING:
        return "uncertified"
    return "learning" if standing.level < COUNTING_LEVEL else "other"


def skills_matrix(*, organisation: Organisation, today: dt.date) -> SkillsMatrix:
    skills = list(skill_list(organisation=organisation))
    matrix = SkillsMatrix(
        today=today,
        skills=[(s, skill_label(s)) for s in skills],
        rows=_matrix_rows(organisation, skills, today),
        week_start=planning_week(organisation, today),
    )
    run = forecast_run_latest(organisation=organisation)
    requirement = requirement_for_week(organisation=organisation, week_start=matrix.week_start)
    matrix.has_forecast = run is not None and bool(requirement)
    if not matrix.has_forecast or run is None:
        return matrix
    step = dt.timedelta(minutes=run.interval_minutes)
    labels = {s.scheduling_code: label for s, label in matrix.skills}
    by_start: dict[dt.datetime, dict[str, int]] = defaultdict(dict)
    for start, code, n in requirement:
        by_start[start][code] = n
    tz = organisation.tzinfo
    standings_by_day: dict[dt.date, dict[int, list[SkillStanding]]] = {}
    for start in _peak_starts(requirement, PEAK_INTERVALS):
        day = start.astimezone(tz).date()
        if day not in standings_by_day:
            standings_by_day[day] = agent_skill_standings(organisation=organisation, on=day)
        standings = standings_by_day[day]
        duty = on_duty_shifts(organisation, start, start + step)
        matrix.has_schedule = matrix.has_schedule or bool(duty)
        gaps = []
        for code, required in sorted(by_start[start].items()):
            on_duty = 0
            not_counting = []
            for shift in duty:
                held = standings.get(shift.agent_id)
                if held is None:
                    on_duty += code in EVERY_CHANNEL
                    continue
                standing = next((s for s in held if s.code == code), None)
                if standing is None:
                    continue
                if standing.counts:
                    on_duty += 1
                else:
                    not_counting.append(
                        NotCounting(
                            agent=shift.agent,
                            why=_why_not(standing),
                            expires_on=standing.expires_on,
                        )
                    )
            gaps.append(
                SkillGap(
                    code=code,
                    label=labels.get(code) or _code_label(code),
                    required=required,
                    on_duty=on_duty,
                    not_counting=sorted(not_counting, key=lambda n: str(n.agent)),
                )
            )
        matrix.peaks.append(
            PeakInterval(
                start=start.astimezone(tz),
                end=(start + step).astimezone(tz),
                required=sum(by_start[start].values()),
                skills=gaps,
            )
        )
    return matrix


def _code_label(code: str) -> str:
    """A requirement's skill code with no skill row yet, by its name (a channel or language)."""
    kind, _sep, rest = code.partition(":")
    if kind == "lang":
        return skill_label(Skill(kind=Skill.Kind.LANGUAGE, code=rest))
    if not rest:
        return skill_label(Skill(kind=Skill.Kind.CHANNEL, code=code))
    return rest
