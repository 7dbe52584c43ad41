"""The scheduling problem on an interval grid: templates, who may work which, and penalties.

Everything is converted to integer minutes since the Unix epoch (real elapsed time, so daylight
saving is handled: a wall-clock start is converted once, lengths are real minutes).
"""

import datetime as dt
import math
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from goaldesk.engine.rostering.model import (
    Agent,
    BreakRule,
    Requirement,
    Rules,
    WallWindow,
    day_part,
)

_DAY = dt.timedelta(days=1)


def epoch_minutes(moment: dt.datetime) -> int:
    """Whole minutes since the Unix epoch of an aware datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Scheduling: {moment.isoformat()} has no time zone offset.")
    return math.floor(moment.timestamp() / 60)


@dataclass(frozen=True)
class Template:
    """A shift that may be worked: day, start and end interval, break options."""

    id: int
    day: int  # index of the local start date in the horizon
    start: int  # interval index
    end: int  # interval index (exclusive)
    start_time: dt.time  # local wall-clock start
    length_minutes: int
    unpopular: bool
    day_part: str
    break_length: int  # intervals, 0 when no break
    break_starts: tuple[int, ...]  # interval indices where the break may start


@dataclass
class Problem:
    """A validated instance ready for the solver and the evaluator."""

    tz: zoneinfo.ZoneInfo
    origin: int  # epoch minutes of interval 0
    interval_minutes: int
    intervals: int
    days: list[dt.date]
    skills: list[str]
    required: dict[str, list[int]]
    templates: list[Template]
    agents: list[Agent]
    feasible: list[list[int]]  # per agent: template ids the agent may work
    penalty: list[dict[int, int]]  # per agent: template id -> preferences it breaks
    rules: Rules

    def moment(self, index: int) -> dt.datetime:
        """Aware UTC datetime of interval boundary `index`."""
        return dt.datetime.fromtimestamp(
            (self.origin + index * self.interval_minutes) * 60, tz=dt.UTC
        )

    def local(self, index: int) -> dt.datetime:
        return self.moment(index).astimezone(self.tz)

    @property
    def weeks(self) -> int:
        return (len(self.days) + 6) // 7

    def full_week(self, week: int) -> bool:
        return (week + 1) * 7 <= len(self.days)


def _wall_spans(
    day: dt.date, windows: Mapping[int, Sequence[WallWindow]], tz: zoneinfo.ZoneInfo
) -> list[tuple[int, int]]:
    """Epoch-minute spans of the wall-clock windows that open on `day` or run into it."""
    spans = []
    for opening_day in (day - _DAY, day):
        for opens, closes in windows.get(opening_day.isoweekday(), ()):
            closing_day = opening_day if closes > opens else opening_day + _DAY
            start = dt.datetime.combine(opening_day, opens.replace(tzinfo=None), tzinfo=tz)
            end = dt.datetime.combine(closing_day, closes.replace(tzinfo=None), tzinfo=tz)
            spans.append((epoch_minutes(start), epoch_minutes(end)))
    return spans


def inside_windows(
    start: int,
    end: int,
    day: dt.date,
    windows: Mapping[int, Sequence[WallWindow]],
    tz: zoneinfo.ZoneInfo,
) -> bool:
    """Whether [start, end) in epoch minutes lies inside one window (empty mapping: always)."""
    if not windows:
        return True
    return any(s <= start and end <= e for s, e in _wall_spans(day, windows, tz))


def break_rule_for(length_minutes: int, rules: Rules) -> BreakRule | None:
    """The break rule that applies to a shift of this length (the most specific), if any."""
    applicable = [r for r in rules.breaks if length_minutes > r.applies_over_minutes]
    return max(applicable, key=lambda r: r.applies_over_minutes) if applicable else None


def break_offsets(length_minutes: int, rule: BreakRule, interval_minutes: int) -> list[int]:
    """Allowed break start offsets in intervals from the shift start."""
    first = Fraction(rule.window_start_fraction).limit_denominator(1000) * length_minutes
    last = Fraction(rule.window_end_fraction).limit_denominator(1000) * length_minutes
    earliest = math.ceil(first / interval_minutes)
    latest_end = math.floor(last / interval_minutes)
    length = rule.length_minutes // interval_minutes
    return list(range(earliest, latest_end - length + 1))


def is_unpopular(day: dt.date, start: int, end: int, rules: Rules, tz: zoneinfo.ZoneInfo) -> bool:
    if day.isoweekday() in rules.weekend_days:
        return True
    evening = dt.datetime.combine(day, rules.evening_after.replace(tzinfo=None), tzinfo=tz)
    return end > epoch_minutes(evening)


def agent_blocked_spans(agent: Agent, tz: zoneinfo.ZoneInfo) -> list[tuple[int, int]]:
    """Epoch-minute spans the agent cannot work (absences and whole days off)."""
    spans = [(epoch_minutes(a.start), epoch_minutes(a.end)) for a in agent.absences]
    for day in agent.days_off:
        start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
        end = dt.datetime.combine(day + _DAY, dt.time(0), tzinfo=tz)
        spans.append((epoch_minutes(start), epoch_minutes(end)))
    return spans


def preference_penalty(agent: Agent, template: Template, day: dt.date) -> int:
    """How many of the agent's preferences working `template` breaks."""
    broken = 0
    if agent.preferred_start_times and template.start_time not in agent.preferred_start_times:
        broken += 1
    if (
        agent.preferred_lengths_minutes
        and template.length_minutes not in agent.preferred_lengths_minutes
    ):
        broken += 1
    if agent.preferred_day_parts and template.day_part not in agent.preferred_day_parts:
        broken += 1
    if day.isoweekday() in agent.preferred_days_off:
        broken += 1
    return broken


def _grid(requirements: Sequence[Requirement]) -> tuple[int, int, int]:
    if not requirements:
        raise ValueError("Scheduling needs at least one requirement interval.")
    steps = {r.interval_minutes for r in requirements}
    if len(steps) != 1:
        raise ValueError(
            f"Every requirement must use the same interval length; found {sorted(steps)} minutes."
        )
    step = steps.pop()
    if step <= 0 or (24 * 60) % step:
        raise ValueError(f"An interval of {step} minutes does not divide a day.")
    starts = [epoch_minutes(r.start) for r in requirements]
    origin = min(starts)
    for row, start in enumerate(starts, start=1):
        if (start - origin) % step:
            raise ValueError(
                f"Requirement row {row} starts at {requirements[row - 1].start.isoformat()}, "
                f"off the {step}-minute grid that starts at the first row."
            )
    intervals = (max(starts) - origin) // step + 1
    return origin, step, intervals


def build_problem(
    requirements: Sequence[Requirement], agents: Sequence[Agent], rules: Rules
) -> Problem:
    """Validate the input and enumerate every shift template and who may work it."""
    tz = zoneinfo.ZoneInfo(rules.timezone)
    origin, step, intervals = _grid(requirements)
    skills = sorted({s for r in requirements for s in r.required})
    required = {s: [0] * intervals for s in skills}
    for row, requirement in enumerate(requirements, start=1):
        index = (epoch_minutes(requirement.start) - origin) // step
        for skill, count in requirement.required.items():
            if count < 0:
                raise ValueError(f"Requirement row {row}: {skill} requires {count} agents (< 0).")
            required[skill][index] += int(count)

    ids = [a.id for a in agents]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"Agent ids must be unique; repeated: {', '.join(duplicates)}.")
    for length in rules.shift_lengths_minutes:
        if length <= 0 or length % step:
            raise ValueError(
                f"Shift length {length} minutes is not a positive multiple of the {step}-minute interval."
            )
        if length > 24 * 60:
            raise ValueError(f"Shift length {length} minutes is longer than a day.")
    for break_rule in rules.breaks:
        if break_rule.length_minutes <= 0 or break_rule.length_minutes % step:
            raise ValueError(
                f"Break length {break_rule.length_minutes} minutes is not a positive multiple of the "
                f"{step}-minute interval."
            )

    first_local = dt.datetime.fromtimestamp(origin * 60, tz=dt.UTC).astimezone(tz).date()
    last_local = (
        dt.datetime.fromtimestamp((origin + intervals * step - 1) * 60, tz=dt.UTC)
        .astimezone(tz)
        .date()
    )
    days = [first_local + dt.timedelta(days=k) for k in range((last_local - first_local).days + 1)]

    if rules.shift_start_times:
        start_times = sorted({t.replace(tzinfo=None) for t in rules.shift_start_times})
    else:
        start_times = [dt.time(m // 60, m % 60) for m in range(0, 24 * 60, step)]

    templates: list[Template] = []
    for day_index, day in enumerate(days):
        for start_time in start_times:
            local_start = dt.datetime.combine(day, start_time, tzinfo=tz)
            start_minute = epoch_minutes(local_start)
            if (start_minute - origin) % step:
                raise ValueError(
                    f"Shift start {start_time.isoformat('minutes')} is off the {step}-minute interval grid."
                )
            start = (start_minute - origin) // step
            if start < 0:
                continue
            for length in sorted(set(rules.shift_lengths_minutes)):
                end = start + length // step
                if end > intervals:
                    continue
                end_minute = start_minute + length
                if not inside_windows(start_minute, end_minute, day, rules.opening_hours, tz):
                    continue
                rule = break_rule_for(length, rules)
                break_length = 0
                break_starts: tuple[int, ...] = ()
                if rule is not None:
                    offsets = break_offsets(length, rule, step)
                    if not offsets:
                        raise ValueError(
                            f"A {rule.length_minutes}-minute break does not fit its window in a "
                            f"{length}-minute shift on a {step}-minute grid."
                        )
                    break_length = rule.length_minutes // step
                    break_starts = tuple(start + o for o in offsets)
                templates.append(
                    Template(
                        id=len(templates),
                        day=day_index,
                        start=start,
                        end=end,
                        start_time=start_time,
                        length_minutes=length,
                        unpopular=is_unpopular(day, start_minute, end_minute, rules, tz),
                        day_part=day_part(start_time),
                        break_length=break_length,
                        break_starts=break_starts,
                    )
                )

    feasible: list[list[int]] = []
    penalty: list[dict[int, int]] = []
    for agent in agents:
        blocked = agent_blocked_spans(agent, tz)
        allowed = []
        for t in templates:
            start_minute = origin + t.start * step
            end_minute = origin + t.end * step
            if t.length_minutes > agent.max_hours_per_week * 60:
                continue
            if not inside_windows(start_minute, end_minute, days[t.day], agent.availability, tz):
                continue
            if any(s < end_minute and start_minute < e for s, e in blocked):
                continue
            allowed.append(t.id)
        feasible.append(allowed)
        penalty.append(
            {
                tid: preference_penalty(agent, templates[tid], days[templates[tid].day])
                for tid in allowed
            }
        )

    return Problem(
        tz=tz,
        origin=origin,
        interval_minutes=step,
        intervals=intervals,
        days=days,
        skills=skills,
        required=required,
        templates=templates,
        agents=list(agents),
        feasible=feasible,
        penalty=penalty,
        rules=rules,
    )
