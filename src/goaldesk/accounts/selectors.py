"""Reads of organisation settings."""

from goaldesk.accounts.models import Organisation
from goaldesk.engine.business_hours import BusinessCalendar


def business_calendar_for(organisation: Organisation) -> BusinessCalendar:
    """The organisation's opening hours, weekend and holidays as a pure-engine calendar."""
    spans: dict[int, list] = {}
    for span in organisation.business_hours.all():
        spans.setdefault(span.weekday, []).append((span.opens, span.closes))
    return BusinessCalendar(
        timezone=organisation.timezone,
        spans=spans,
        weekend=frozenset(organisation.weekend_days or ()),
        holidays=frozenset(organisation.holidays.values_list("date", flat=True)),
    )
