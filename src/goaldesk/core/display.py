"""Showing values to the reader: dates in their calendar, numbers and durations in their digits.

The template filters of the same names (`core/templatetags/goaldesk.py`) call these; Python code
that writes text for people (messages, CSV exports, e-mails) calls them directly.
"""

import datetime as dt
from contextvars import ContextVar
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from goaldesk.engine import GREGORIAN, JALALI, format_date, localize_digits

#: The calendar dates are shown in for the current request (set per request, never shared).
display_calendar: ContextVar[str] = ContextVar("display_calendar", default=GREGORIAN)


def _language() -> str:
    return translation.get_language() or "en"


def ldate(value: Any, style: str = "short") -> str:
    """A date (or datetime, in the active time zone) in the reader's calendar and digits."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if display_calendar.get() == JALALI:
        return format_date(value, calendar=JALALI, language=_language(), long=style == "long")
    fmt = "DATE_FORMAT" if style == "long" else "SHORT_DATE_FORMAT"
    return localize_digits(formats.date_format(value, fmt), _language())


def ldatetime(value: Any) -> str:
    """A datetime in the active time zone: date in the reader's calendar, then HH:MM."""
    if value in (None, ""):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{ldate(local.date())} {localize_digits(local.strftime('%H:%M'), _language())}"


def lnum(value: Any, decimals: int = 0) -> str:
    """A number with the reader's separators and digits; empty for None."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):  # number_format cuts extra decimals off; round them instead
        value = round(value, decimals)
    text = formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return localize_digits(text, _language())


def duration(seconds: Any) -> str:
    """Seconds as a short human duration: '45 s', '12 min', '3 h 05 min', '2 d 4 h'."""
    if seconds is None or seconds == "":
        return "—"
    total = round(float(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        text = _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    elif hours:
        text = _("%(h)s h %(m)02d min") % {"h": hours, "m": minutes}
    elif minutes:
        text = _("%(m)s min") % {"m": minutes}
    else:
        text = _("%(s)s s") % {"s": secs}
    return localize_digits(text, _language())


def digits(value: Any) -> str:
    """Any text with its digits in the reader's script."""
    return localize_digits(str(value), _language())
