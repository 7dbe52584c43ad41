"""Showing values to the reader: dates in their calendar, numbers and durations in their digits.

The template filters of the same names (`core/templatetags/goaldesk.py`) call these; Python code
that writes text for people (messages, CSV exports, e-mails) calls them directly.
"""

import datetime as dt
from contextvars import ContextVar
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from goaldesk.engine import GREGORIAN, HIJRI, JALALI, format_date, localize_digits

# The reader of the current request (set per request by accounts, never shared between them):
#: the calendar dates are shown and typed in,
display_calendar: ContextVar[str] = ContextVar("display_calendar", default=GREGORIAN)
#: the digits Arabic text is written with: "latn" (123) or "arab" (Arabic-Indic, ١٢٣),
display_numbering: ContextVar[str] = ContextVar("display_numbering", default="latn")
#: and the ISO weekday a week starts on (1 = Monday … 7 = Sunday).
display_week_start: ContextVar[int] = ContextVar("display_week_start", default=1)

#: The calendars' names, for choices and messages.
CALENDAR_LABELS = {
    GREGORIAN: _lazy("Gregorian"),
    JALALI: _lazy("Jalali (Solar Hijri)"),
    HIJRI: _lazy("Hijri (Umm al-Qura)"),
}


def number_locale() -> str:
    """The BCP 47 tag numbers are written with for the reader: their language, and for Arabic
    the organisation's choice of digits ('ar-u-nu-arab' or 'ar-u-nu-latn'). Pages hand it to
    the browser's Intl formatters (charts); `localize_digits` reads it too."""
    language = translation.get_language() or "en"
    if language.startswith("ar"):
        return "ar-u-nu-arab" if display_numbering.get() == "arab" else "ar-u-nu-latn"
    return language


_language = number_locale


def ldate(value: Any, style: str = "short") -> str:
    """A date (or datetime, in the active time zone) in the reader's calendar and digits."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    calendar = display_calendar.get()
    if calendar != GREGORIAN:
        return format_date(value, calendar=calendar, language=_language(), long=style == "long")
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


def input_date(value: Any) -> str:
    """A date as a date field shows it for editing: year/month/day in the reader's calendar and
    digits (what `core.parsing.read_date` reads back); empty for None."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value, calendar=display_calendar.get(), language=_language())
