"""Plain data for shift scheduling: requirements, agents, rules, shifts and results.

Times are aware datetimes (an instant) or wall-clock `time`s in the rules' time zone. Weekdays
are ISO weekdays (1 = Monday … 7 = Sunday). A wall-clock window whose end is not after its
start runs past midnight (22:00–06:00); 00:00–00:00 is the whole day.

Engine messages are English; every finding also carries a `code` and plain `detail` values so
that the web layer can show a translated message.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: Day parts an agent may prefer, by a shift's local start time.
DAY_PARTS: tuple[tuple[str, dt.time, dt.time], ...] = (
    ("night", dt.time(0), dt.time(6)),
    ("morning", dt.time(6), dt.time(12)),
    ("afternoon", dt.time(12), dt.time(17)),
    ("evening", dt.time(17), dt.time.max),
)


def day_part(start: dt.time) -> str:
    """The day part ("night", "morning", "afternoon", "evening") a shift starting at `start` is in."""
    for name, first, last in DAY_PARTS:
        if first <= start < last:
            return name
    return "evening"


WallWindow = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class Requirement:
    """Agents required per skill during one interval starting at `start` (aware)."""

    start: dt.datetime
    interval_minutes: int
    required: Mapping[str, int]


def requirements_from_curves(
    start: dt.datetime, interval_minutes: int, curves: Mapping[str, Sequence[int]]
) -> list[Requirement]:
    """Requirements for consecutive intervals from one list of required agents per skill."""
    lengths = {len(values) for values in curves.values()}
    if len(lengths) > 1:
        raise ValueError("Every skill's requirement curve must have the same number of intervals.")
    count = lengths.pop() if lengths else 0
    step = dt.timedelta(minutes=interval_minutes)
    return [
        Requirement(
            start=start + index * step,
            interval_minutes=interval_minutes,
            required={skill: int(values[index]) for skill, values in curves.items()},
        )
        for index in range(count)
    ]


@dataclass(frozen=True)
class Absence:
    """A dated exception: the agent cannot work from `start` to `end` (aware; leave, training)."""

    start: dt.datetime
    end: dt.datetime
    reason: str = ""


@dataclass(frozen=True)
class Agent:
    """A person who can be scheduled.

    `availability` maps an ISO weekday to the wall-clock windows the agent can work in; a shift
    must lie inside one window. An empty mapping means always available; a weekday missing from
    a non-empty mapping means not available that day. `days_off` are whole local dates off
    (leave, holidays); `absences` are dated spans. Preferences are soft: empty means "no
    preference". Hours per week include breaks.
    """

    id: str
    skills: frozenset[str]
    min_hours_per_week: float = 0.0
    max_hours_per_week: float = 40.0
    max_days_per_week: int = 5
    availability: Mapping[int, Sequence[WallWindow]] = field(default_factory=dict)
    absences: Sequence[Absence] = ()
    days_off: frozenset[dt.date] = frozenset()
    preferred_start_times: frozenset[dt.time] = frozenset()
    preferred_lengths_minutes: frozenset[int] = frozenset()
    preferred_day_parts: frozenset[str] = frozenset()
    preferred_days_off: frozenset[int] = frozenset()


@dataclass(frozen=True)
class BreakRule:
    """A break of `length_minutes` for every shift longer than `applies_over_minutes`.

    The break lies wholly inside the window from `window_start_fraction` to
    `window_end_fraction` of the shift (default: the middle third), rounded inwards to the
    interval grid. When several rules apply, the one with the largest `applies_over_minutes`
    wins: a shift has at most one break.
    """

    length_minutes: int = 30
    applies_over_minutes: int = 360
    window_start_fraction: float = 1 / 3
    window_end_fraction: float = 2 / 3


@dataclass(frozen=True)
class ObjectiveWeights:
    """Weights of the objective, per unit.

    under: per agent-interval short of a skill's requirement; over: per on-duty agent-interval
    not needed for any requirement; preference: per broken preference (a shift at a start,
    length or day part the agent does not prefer, or work on a preferred day off); fairness: per
    unpopular shift held by the agent with the most of them, and a quarter of it (at least 1)
    per pair of unpopular shifts held by one agent, so that they are spread evenly.
    """

    under: int = 1000
    over: int = 10
    preference: int = 4
    fairness: int = 20


@dataclass(frozen=True)
class Rules:
    """The organisation's scheduling rules (all hard, except the weights' soft terms).

    Shift templates are every allowed length × every allowed start time on every day, kept if
    they lie inside the opening hours of their day. Empty `shift_start_times` means any interval
    boundary; empty `opening_hours` means always open. Weeks are 7-day blocks from the
    horizon's first local day; the minimum hours apply to complete weeks only, the maximums to
    every week. Work before the horizon is not known (consecutive days start counting at it).
    A shift is unpopular when it starts on a weekend day or is still running after
    `evening_after` (or past midnight).
    """

    timezone: str = "UTC"
    shift_lengths_minutes: tuple[int, ...] = (480,)
    shift_start_times: tuple[dt.time, ...] = ()
    opening_hours: Mapping[int, Sequence[WallWindow]] = field(default_factory=dict)
    breaks: tuple[BreakRule, ...] = (BreakRule(),)
    min_rest_minutes: int = 11 * 60
    max_consecutive_days: int = 6
    weekend_days: frozenset[int] = frozenset({6, 7})
    evening_after: dt.time = dt.time(19)
    weights: ObjectiveWeights = ObjectiveWeights()


@dataclass(frozen=True)
class Shift:
    """One agent's shift from `start` to `end` with its breaks (aware datetimes)."""

    agent_id: str
    start: dt.datetime
    end: dt.datetime
    breaks: tuple[tuple[dt.datetime, dt.datetime], ...] = ()

    @property
    def minutes(self) -> int:
        """Length of the shift in minutes, breaks included."""
        return round((self.end - self.start).total_seconds() / 60)


@dataclass(frozen=True)
class IntervalCoverage:
    """Coverage of one interval.

    `staffed` is how many on-duty agents serve each skill in the best assignment of agents to
    skills (a max flow, at most the requirement); `under` is required minus staffed per skill;
    `over` is on-duty agents not needed for any requirement.
    """

    start: dt.datetime
    required: Mapping[str, int]
    staffed: Mapping[str, int]
    under: Mapping[str, int]
    on_duty: int
    on_break: int
    over: int


@dataclass(frozen=True)
class RuleViolation:
    """A hard rule a schedule breaks (codes are stable; `message` is English)."""

    code: str
    agent_id: str
    at: dt.datetime | None
    message: str


@dataclass(frozen=True)
class Shortfall:
    """An interval and skill short of agents, and the likely reason.

    `reason` codes: unknown_skill (no agent has the skill), nobody_available (no agent with the
    skill is available or an allowed shift covers the time), too_few_available, skills_compete
    (the skilled agents are serving other skills), and, when supply would suffice, the binding
    contract/rest rules in `binding` (max_hours, max_days, max_consecutive_days, rest,
    one_shift_per_day, break, min_hours) or solver_stopped when a free agent could have covered it.
    """

    start: dt.datetime
    skill: str
    required: int
    staffed: int
    reason: str
    available: int
    binding: Mapping[str, int]
    message: str

    @property
    def short_by(self) -> int:
        """Agents missing."""
        return self.required - self.staffed


@dataclass(frozen=True)
class PreferenceCheck:
    """One soft preference checked against a schedule."""

    agent_id: str
    kind: str  # start_time, length, day_part, day_off
    on: dt.date
    honoured: bool


@dataclass(frozen=True)
class ScheduleEvaluation:
    """What a schedule achieves: coverage, hard-rule violations, preferences and fairness."""

    intervals: tuple[IntervalCoverage, ...]
    under_coverage: int  # agent-intervals short, all skills
    over_coverage: int  # agent-intervals not needed
    violations: tuple[RuleViolation, ...]
    preferences: tuple[PreferenceCheck, ...]
    unpopular_shifts: Mapping[str, int]
    shortfalls: tuple[Shortfall, ...]

    @property
    def preferences_honoured(self) -> int:
        return sum(1 for check in self.preferences if check.honoured)

    @property
    def preferences_broken(self) -> int:
        return sum(1 for check in self.preferences if not check.honoured)


@dataclass(frozen=True)
class SolveProgress:
    """Reported on every improving solution: best objective so far and the proven bound."""

    solutions: int
    objective: float
    best_bound: float
    wall_seconds: float


@dataclass(frozen=True)
class ScheduleResult:
    """The best schedule found.

    status: "optimal", "feasible" (time limit hit), "infeasible" (the hard rules contradict each
    other, e.g. minimum hours that availability cannot reach; `infeasibility` says why) or
    "unknown" (no schedule found in time). `gap` is (objective − best_bound) / objective.
    `under_coverage_bound` is a lower bound on the under-coverage of any schedule (the LP
    relaxation's or CP-SAT's), so `evaluation.under_coverage − under_coverage_bound` is how far
    the coverage can at most be from the best possible.
    """

    status: str
    shifts: tuple[Shift, ...]
    objective: float | None
    best_bound: float | None
    gap: float | None
    wall_seconds: float
    evaluation: ScheduleEvaluation | None
    infeasibility: tuple[str, ...] = ()
    #: A lower bound on the under-coverage (agent-intervals) of every schedule.
    under_coverage_bound: float | None = None
    #: Seconds spent minimising under-coverage alone (lexicographic solves).
    phase_one_seconds: float | None = None

    @property
    def shortfalls(self) -> tuple[Shortfall, ...]:
        return self.evaluation.shortfalls if self.evaluation else ()
