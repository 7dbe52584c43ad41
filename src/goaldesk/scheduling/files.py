"""Scheduling input files: requirement CSV or XLSX, agents JSON, CSV or XLSX, rules JSON
(docs/scheduling.md).

Tables are read by the shared reader (core/tabular.py), numbers and dates as everywhere else
(core/parsing.py: any digits, thousands commas, "-", "/" or "." in dates, a year before 1700
in the reader's local calendar: Jalali, or Hijri for a reader who reads Hijri dates; the command
line, without an organisation, reads it as Jalali). Each reader returns
engine objects or raises `ScheduleFileError` whose message names the file's row (or JSON item)
and field.
"""

import datetime as dt
import io
import itertools
import json
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from goaldesk.core.csv_safe import csv_writer
from goaldesk.core.parsing import ArgumentProblem, date_spellings, read_date, read_datetime
from goaldesk.core.parsing import parse_number as read_number
from goaldesk.core.tabular import TableError, open_table
from goaldesk.engine import normalize_digits
from goaldesk.engine.rostering import (
    Absence,
    Agent,
    BreakRule,
    ObjectiveWeights,
    Requirement,
    Rules,
    Shift,
)
from goaldesk.engine.rostering.model import DAY_PARTS

DAY_PART_NAMES = tuple(name for name, _first, _last in DAY_PARTS)
WEEKDAY_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ),
        start=1,
    )
    for name in names
}


class ScheduleFileError(ValueError):
    """A file that cannot be used, with where and why (translated)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _where(row: int | str, field: str) -> str:
    return _("row %(row)s, field “%(field)s”") % {"row": row, "field": field}


def _fail(row: int | str, field: str, problem: str) -> ScheduleFileError:
    return ScheduleFileError(f"{_where(row, field)}: {problem}")


def decode(content: bytes, name: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScheduleFileError(
            _("%(name)s is not UTF-8 text (byte %(at)s).") % {"name": name, "at": error.start}
        ) from error


def parse_time(value: Any, row: int | str, field: str) -> dt.time:
    text = normalize_digits(str(value)).strip()
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match[1]) > 24 or int(match[2]) > 59:
        raise _fail(row, field, _("“%(value)s” is not a time like 08:30.") % {"value": value})
    hours, minutes = int(match[1]), int(match[2])
    if hours == 24:
        if minutes:
            raise _fail(row, field, _("“%(value)s” is not a time like 08:30.") % {"value": value})
        return dt.time(0)
    return dt.time(hours, minutes)


def parse_number(
    value: Any, row: int | str, field: str, *, minimum: float = 0, integer: bool = False
) -> float:
    try:
        number = read_number(value)
    except ArgumentProblem as problem:
        raise _fail(row, field, str(problem)) from None
    if number is None:
        raise _fail(row, field, _("“%(value)s” is not a number.") % {"value": value})
    if number < minimum:
        raise _fail(
            row, field, _("%(value)s is less than %(min)s.") % {"value": value, "min": minimum}
        )
    if integer and number != int(number):
        raise _fail(row, field, _("“%(value)s” is not a whole number.") % {"value": value})
    return int(number) if integer else number


def parse_weekday(value: Any, row: int | str, field: str) -> int:
    text = normalize_digits(str(value)).strip().lower()
    if text in WEEKDAY_NAMES:
        return WEEKDAY_NAMES[text]
    if text.isdigit() and 1 <= int(text) <= 7:
        return int(text)
    raise _fail(
        row,
        field,
        _("“%(value)s” is not a weekday (1 = Monday … 7 = Sunday, or mon … sun).")
        % {"value": value},
    )


def parse_moment(value: Any, tz: zoneinfo.ZoneInfo, row: int | str, field: str) -> dt.datetime:
    """An ISO 8601 date-time (or a spreadsheet's); without an offset it is read in `tz`."""
    try:
        moment = read_datetime(value, tz)
    except ValueError:
        moment = None
    if moment is None:
        raise _fail(
            row,
            field,
            _("“%(value)s” is not a date and time like 2026-03-02T08:00+01:00.") % {"value": value}
            + " "
            + date_spellings(),
        )
    return moment


def _parse_day(value: Any, row: int | str, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = normalize_digits(str(value)).strip()
    try:
        return read_date(text)  # before 1700 in the reader's local calendar
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _fail(
            row,
            field,
            _("“%(value)s” is not a date like 2026-03-04.") % {"value": value}
            + " "
            + date_spellings(),
        ) from None


def parse_windows(
    value: Any, row: int | str, field: str
) -> dict[int, list[tuple[dt.time, dt.time]]]:
    """Weekly windows from JSON {"1": [["08:00","17:00"]], "sat": …} or text "1-5 08:00-17:00; 6 10:00-14:00"."""
    windows: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    if value in (None, "", {}):
        return {}
    if isinstance(value, Mapping):
        for day, spans in value.items():
            weekday = parse_weekday(day, row, field)
            if not isinstance(spans, list):
                raise _fail(row, field, _("each weekday needs a list of [from, until] pairs."))
            for span in spans:
                if not isinstance(span, list | tuple) or len(span) != 2:
                    raise _fail(row, field, _("each window is a pair [from, until]."))
                windows[weekday].append(
                    (parse_time(span[0], row, field), parse_time(span[1], row, field))
                )
        return dict(windows)
    for part in normalize_digits(str(value)).split(";"):
        part = part.strip()
        if not part:
            continue
        match = re.fullmatch(r"(\w+)(?:-(\w+))?\s+(\S+)-(\S+)", part)
        if not match:
            raise _fail(
                row,
                field,
                _("“%(value)s” is not like “1-5 08:00-17:00”.") % {"value": part},
            )
        first = parse_weekday(match[1], row, field)
        last = parse_weekday(match[2], row, field) if match[2] else first
        opens, closes = parse_time(match[3], row, field), parse_time(match[4], row, field)
        day = first
        while True:
            windows[day].append((opens, closes))
            if day == last:
                break
            day = day % 7 + 1
    return dict(windows)


def _list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [v for v in re.split(r"[;|,\s]+", str(value)) if v]


# --- requirements -------------------------------------------------------------------------------


def _table_rows(content: bytes | str) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """The header and the rows ({header: value}, numbered as lines: the header is row 1) of a
    CSV or XLSX file's content."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        table = open_table(data)
    except TableError as error:
        raise ScheduleFileError(error.message) from error

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        with table:
            try:
                for number, values in table.dict_rows():
                    yield number + 1, values
            except TableError as error:
                raise ScheduleFileError(error.message) from error

    return table.headers, rows()


def _cell_text(value: Any) -> str:
    """A cell as trimmed text; a whole number from a spreadsheet (2.0) as 2."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.strip() if isinstance(value, str) else str(value)


def read_requirements(content: bytes | str, *, timezone: str = "UTC") -> list[Requirement]:
    """Rows `start,interval_minutes,skill,required` (interval_minutes may be left out) of a CSV
    or XLSX file's content."""
    tz = zoneinfo.ZoneInfo(timezone)
    headers, rows = _table_rows(content)
    columns = [c.strip().lower() for c in headers]
    missing = [c for c in ("start", "skill", "required") if c not in columns]
    if missing:
        raise ScheduleFileError(
            _(
                "The requirement file needs the columns start, skill and required; missing: %(cols)s."
            )
            % {"cols": ", ".join(missing)}
        )
    per_start: dict[dt.datetime, dict[str, int]] = defaultdict(dict)
    steps: set[int] = set()
    for row_number, raw in rows:
        row = {k.strip().lower(): v.strip() if isinstance(v, str) else v for k, v in raw.items()}
        start = parse_moment(row["start"], tz, row_number, "start")
        skill = _cell_text(row["skill"])
        if not skill:
            raise _fail(row_number, "skill", _("the skill is empty."))
        required = parse_number(row["required"], row_number, "required", integer=True)
        if row.get("interval_minutes") not in (None, ""):
            step = parse_number(
                row["interval_minutes"], row_number, "interval_minutes", minimum=1, integer=True
            )
            if (24 * 60) % step:
                raise _fail(
                    row_number,
                    "interval_minutes",
                    _("%(value)s minutes does not divide a day.") % {"value": step},
                )
            steps.add(int(step))
        if skill in per_start[start]:
            raise _fail(
                row_number,
                "skill",
                _("%(skill)s at %(start)s appears twice.")
                % {"skill": skill, "start": row["start"]},
            )
        per_start[start][skill] = int(required)
    if not per_start:
        raise ScheduleFileError(_("The requirement file has no rows."))
    if len(steps) > 1:
        raise ScheduleFileError(
            _("Every row must use the same interval_minutes; found %(values)s.")
            % {"values": ", ".join(str(s) for s in sorted(steps))}
        )
    starts = sorted(per_start)
    if steps:
        step = steps.pop()
    else:
        gaps = [round((b - a).total_seconds() / 60) for a, b in itertools.pairwise(starts)]
        positive = [g for g in gaps if g > 0]
        if not positive:
            raise ScheduleFileError(
                _("With a single start time the file needs the interval_minutes column.")
            )
        step = min(positive)
    return [
        Requirement(start=start, interval_minutes=step, required=per_start[start])
        for start in starts
    ]


# --- agents -------------------------------------------------------------------------------------


_AGENT_FIELDS = {
    "id",
    "skills",
    "min_hours_per_week",
    "max_hours_per_week",
    "max_days_per_week",
    "availability",
    "absences",
    "days_off",
    "preferred_start_times",
    "preferred_lengths_minutes",
    "preferred_day_parts",
    "preferred_days_off",
}


def agent_from_mapping(item: Mapping[str, Any], row: int | str, tz: zoneinfo.ZoneInfo) -> Agent:
    unknown = sorted(set(item) - _AGENT_FIELDS)
    if unknown:
        raise _fail(row, unknown[0], _("unknown field."))
    agent_id = normalize_digits(str(item.get("id") or "")).strip()
    if not agent_id:
        raise _fail(row, "id", _("every agent needs an id."))
    skills = frozenset(str(s).strip() for s in _list(item.get("skills")) if str(s).strip())
    if not skills:
        raise _fail(row, "skills", _("agent %(id)s has no skills.") % {"id": agent_id})
    values: dict[str, Any] = {}
    for field, integer in (
        ("min_hours_per_week", False),
        ("max_hours_per_week", False),
        ("max_days_per_week", True),
    ):
        if item.get(field) not in (None, ""):
            values[field] = parse_number(item[field], row, field, integer=integer)
    if values.get("max_days_per_week", 5) > 7:
        raise _fail(row, "max_days_per_week", _("a week has 7 days."))
    if values.get("min_hours_per_week", 0) > values.get("max_hours_per_week", 40):
        raise _fail(
            row, "min_hours_per_week", _("the minimum hours are more than the maximum hours.")
        )
    absences = []
    for n, absence in enumerate(item.get("absences") or [], start=1):
        if not isinstance(absence, Mapping):
            raise _fail(row, "absences", _("each absence is an object with start and end."))
        start = parse_moment(absence.get("start", ""), tz, row, f"absences[{n}].start")
        end = parse_moment(absence.get("end", ""), tz, row, f"absences[{n}].end")
        if end <= start:
            raise _fail(row, f"absences[{n}].end", _("the end is not after the start."))
        absences.append(Absence(start=start, end=end, reason=str(absence.get("reason", ""))))
    days_off = {_parse_day(value, row, "days_off") for value in _list(item.get("days_off"))}
    parts = frozenset(str(p).strip().lower() for p in _list(item.get("preferred_day_parts")))
    wrong = sorted(parts - set(DAY_PART_NAMES))
    if wrong:
        raise _fail(
            row,
            "preferred_day_parts",
            _("“%(value)s” is not one of %(names)s.")
            % {"value": wrong[0], "names": ", ".join(DAY_PART_NAMES)},
        )
    return Agent(
        id=agent_id,
        skills=skills,
        availability=parse_windows(item.get("availability"), row, "availability"),
        absences=tuple(absences),
        days_off=frozenset(days_off),
        preferred_start_times=frozenset(
            parse_time(t, row, "preferred_start_times")
            for t in _list(item.get("preferred_start_times"))
        ),
        preferred_lengths_minutes=frozenset(
            int(parse_number(v, row, "preferred_lengths_minutes", minimum=1, integer=True))
            for v in _list(item.get("preferred_lengths_minutes"))
        ),
        preferred_day_parts=parts,
        preferred_days_off=frozenset(
            parse_weekday(v, row, "preferred_days_off")
            for v in _list(item.get("preferred_days_off"))
        ),
        **values,
    )


def read_agents(content: bytes | str, *, timezone: str = "UTC", name: str = "") -> list[Agent]:
    """Agents from a JSON list of objects, or a CSV or XLSX table with one agent a row (header:
    field names)."""
    tz = zoneinfo.ZoneInfo(timezone)
    is_workbook = isinstance(content, bytes) and content.startswith(b"PK\x03\x04")
    text = "" if is_workbook else content if isinstance(content, str) else decode(content, name)
    stripped = text.lstrip()
    if not is_workbook and (
        stripped.startswith("[") or stripped.startswith("{") or name.lower().endswith(".json")
    ):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ScheduleFileError(
                _("The agents file is not valid JSON: %(error)s (line %(line)s).")
                % {"error": error.msg, "line": error.lineno}
            ) from None
        if isinstance(data, Mapping) and "agents" in data:
            data = data["agents"]
        if not isinstance(data, list):
            raise ScheduleFileError(_("The agents file must hold a list of agents."))
        items: Iterable[tuple[int | str, Any]] = (
            (_("agent %(n)s") % {"n": n}, item) for n, item in enumerate(data, start=1)
        )
    else:
        headers, rows = _table_rows(content if is_workbook else text)
        if "id" not in headers:
            raise ScheduleFileError(_("The agents CSV needs a header row with an id column."))
        items = (
            (n, {k: _cell_text(v) for k, v in raw.items() if v not in (None, "")})
            for n, raw in rows
        )
    agents = []
    seen: set[str] = set()
    for row, item in items:
        if not isinstance(item, Mapping):
            raise _fail(row, "id", _("each agent is an object."))
        agent = agent_from_mapping(item, row, tz)
        if agent.id in seen:
            raise _fail(row, "id", _("%(id)s appears twice.") % {"id": agent.id})
        seen.add(agent.id)
        agents.append(agent)
    if not agents:
        raise ScheduleFileError(_("The agents file lists no agents."))
    return agents


# --- rules --------------------------------------------------------------------------------------


_RULE_FIELDS = {
    "timezone",
    "shift_lengths_minutes",
    "shift_start_times",
    "opening_hours",
    "breaks",
    "min_rest_hours",
    "max_consecutive_days",
    "weekend_days",
    "evening_after",
    "weights",
}


def rules_from_mapping(data: Mapping[str, Any], *, where: str = "rules") -> Rules:
    unknown = sorted(set(data) - _RULE_FIELDS)
    if unknown:
        raise _fail(where, unknown[0], _("unknown field."))
    values: dict[str, Any] = {}
    if "timezone" in data:
        if str(data["timezone"]) not in zoneinfo.available_timezones():
            raise _fail(
                where,
                "timezone",
                _("“%(value)s” is not a known time zone.") % {"value": data["timezone"]},
            )
        values["timezone"] = str(data["timezone"])
    if "shift_lengths_minutes" in data:
        lengths = tuple(
            int(parse_number(v, where, "shift_lengths_minutes", minimum=1, integer=True))
            for v in _list(data["shift_lengths_minutes"])
        )
        if not lengths:
            raise _fail(where, "shift_lengths_minutes", _("at least one length is needed."))
        values["shift_lengths_minutes"] = lengths
    if "shift_start_times" in data:
        values["shift_start_times"] = tuple(
            sorted(
                {
                    parse_time(t, where, "shift_start_times")
                    for t in _list(data["shift_start_times"])
                }
            )
        )
    if "opening_hours" in data:
        values["opening_hours"] = parse_windows(data["opening_hours"], where, "opening_hours")
    if "breaks" in data:
        breaks = []
        for n, item in enumerate(data["breaks"] or [], start=1):
            field = f"breaks[{n}]"
            if not isinstance(item, Mapping):
                raise _fail(where, field, _("each break is an object."))
            rule = BreakRule(
                length_minutes=int(parse_number(item.get("length_minutes", 30), where, field + ".length_minutes", minimum=1, integer=True)),
                applies_over_minutes=int(parse_number(item.get("applies_over_minutes", 360), where, field + ".applies_over_minutes", integer=True)),
                window_start_fraction=parse_number(item.get("window_start_fraction", 1 / 3), where, field + ".window_start_fraction"),
                window_end_fraction=parse_number(item.get("window_end_fraction", 2 / 3), where, field + ".window_end_fraction"),
            )  # fmt: skip
            if not 0 <= rule.window_start_fraction < rule.window_end_fraction <= 1:
                raise _fail(where, field, _("the break window must satisfy 0 ≤ start < end ≤ 1."))
            breaks.append(rule)
        values["breaks"] = tuple(breaks)
    if "min_rest_hours" in data:
        values["min_rest_minutes"] = round(
            60 * parse_number(data["min_rest_hours"], where, "min_rest_hours")
        )
    if "max_consecutive_days" in data:
        values["max_consecutive_days"] = int(
            parse_number(
                data["max_consecutive_days"], where, "max_consecutive_days", minimum=1, integer=True
            )
        )
    if "weekend_days" in data:
        values["weekend_days"] = frozenset(
            parse_weekday(v, where, "weekend_days") for v in _list(data["weekend_days"])
        )
    if "evening_after" in data:
        values["evening_after"] = parse_time(data["evening_after"], where, "evening_after")
    if "weights" in data:
        weights = data["weights"] or {}
        if not isinstance(weights, Mapping) or set(weights) - {
            "under",
            "over",
            "preference",
            "fairness",
        }:
            raise _fail(where, "weights", _("weights take under, over, preference and fairness."))
        values["weights"] = ObjectiveWeights(
            **{
                k: int(parse_number(v, where, f"weights.{k}", integer=True))
                for k, v in weights.items()
            }
        )
    return Rules(**values)


def read_rules(text: str) -> Rules:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScheduleFileError(
            _("The rules file is not valid JSON: %(error)s (line %(line)s).")
            % {"error": error.msg, "line": error.lineno}
        ) from None
    if not isinstance(data, Mapping):
        raise ScheduleFileError(_("The rules file must hold one JSON object."))
    return rules_from_mapping(data)


# --- output -------------------------------------------------------------------------------------


def shifts_csv(
    shifts: Sequence[Shift], tz: zoneinfo.ZoneInfo, names: Mapping[str, str] | None = None
) -> str:
    """CSV of shifts: agent,start,end,break_start,break_end,minutes (times with offset, local)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    header = ["agent", "start", "end", "break_start", "break_end", "minutes"]
    if names is not None:
        header.insert(1, "name")
    writer.writerow(header)
    for shift in sorted(shifts, key=lambda s: (s.start, s.agent_id)):
        brk = shift.breaks[0] if shift.breaks else None

        def iso(moment: dt.datetime | None) -> str:
            return moment.astimezone(tz).isoformat(timespec="minutes") if moment else ""

        row = [
            shift.agent_id,
            iso(shift.start),
            iso(shift.end),
            iso(brk[0] if brk else None),
            iso(brk[1] if brk else None),
            shift.minutes,
        ]
        if names is not None:
            row.insert(1, names.get(shift.agent_id, ""))
        writer.writerow(row)
    return out.getvalue()
