"""Reading what people type: digits of any script, numbers and dates in any calendar.

Forms, imports, the API and the command line all read input through these, so the same text
means the same value everywhere.
"""

import datetime as dt

from django.utils.translation import gettext as _

from goaldesk.engine import from_jalali, normalize_digits


class ArgumentProblem(ValueError):
    """A value that cannot be used; the message says which and why, for the person who typed it."""


def parse_day(text: str, *, option: str) -> dt.date:
    """A date written YYYY-MM-DD in any digits; a year before 1700 is read as Jalali."""
    cleaned = normalize_digits(text.strip()).replace("/", "-")
    try:
        year, month, day = (int(part) for part in cleaned.split("-"))
        return from_jalali(year, month, day) if year < 1700 else dt.date(year, month, day)
    except ValueError:
        raise ArgumentProblem(
            _("%(option)s: “%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-01.")
            % {"option": option, "value": text}
        ) from None
