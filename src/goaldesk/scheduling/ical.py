"""iCalendar (RFC 5545) feeds of an agent's published shifts.

Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); times are UTC
("Z"); every event has a stable UID and a DTSTAMP.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from goaldesk.scheduling.models import ScheduledShift
from goaldesk.team.models import Agent

PRODID = "-//GoalDesk//Shift schedule//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT: `uid` stays the same for the same event in every download."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str = ""


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded into pieces of at most 75 octets, continuation lines start with a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    pieces = []
    current = b""
    limit = 75
    for char in line:
        data = char.encode("utf-8")
        if len(current) + len(data) > limit:
            pieces.append(current.decode("utf-8"))
            current = b""
            limit = 74  # the leading space counts
        current += data
    pieces.append(current.decode("utf-8"))
    return "\r\n ".join(pieces)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(
    *,
    name: str,
    events: Sequence[CalendarEvent],
    now: dt.datetime | None = None,
) -> str:
    """A VCALENDAR with one VEVENT per event."""
    stamp = utc(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{utc(event.start)}",
            f"DTEND:{utc(event.end)}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines += ["TRANSP:OPAQUE", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar_for_agent(
    *, agent: Agent, shifts: Sequence[ScheduledShift], now: dt.datetime | None = None
) -> str:
    """The agent's shifts as iCalendar text (summary and break in the reader's language)."""
    organisation = agent.organisation
    tz = organisation.tzinfo
    events = []
    for shift in shifts:
        description = ""
        if shift.break_start and shift.break_end:
            description = _("Break %(from)s–%(to)s") % {
                "from": shift.break_start.astimezone(tz).strftime("%H:%M"),
                "to": shift.break_end.astimezone(tz).strftime("%H:%M"),
            }
        events.append(
            CalendarEvent(
                uid=f"shift-{shift.pk}@goaldesk.{organisation.slug}",
                start=shift.start,
                end=shift.end,
                summary=_("Shift at %(organisation)s") % {"organisation": organisation.name},
                description=description,
            )
        )
    return calendar_text(name=_("Shifts of %(name)s") % {"name": agent}, events=events, now=now)
