"""Showing values to the reader: dates in their calendar, numbers and durations in their digits.

The template filters of the same names (`core/templatetags/goaldesk.py`) call these; Python code
that writes text for people (messages, CSV exports, e-mails) calls them directly.
"""

import datetime as dt
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    GREGORIAN: gettext_lazy("Gregorian"),
    JALALI: gettext_lazy("Jalali (Solar Hijri)"),
    HIJRI: gettext_lazy("Hijri (Umm al-Qura)"),
}


def number_locale() -> str:
    """The BCP 47 tag numbers are written with for the reader: their language, and for Arabic
    the organisation's choice of digits ('ar-u-nu-arab' or 'ar-u-nu-latn'). Pages hand it to
    the browser's Intl formatters (charts); `localize_digits` reads it too."""
    language = translation.get_language() or "en"
    if language.startswith("ar"):
        return "ar-u-nu-arab" if display_numbering.get() == "arab" else "ar-u-nu-latn"
    return language


def _day_of(value: Any) -> Any:
    """The date of a datetime in the active time zone; anything else as it is."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def ldate(value: Any, style: str = "short") -> str:
    """A date (or datetime, in the active time zone) in the reader's calendar and digits."""
    if value in (None, ""):
        return ""
    return _date_text(
        _day_of(value), style, display_calendar.get(), number_locale(), translation.get_language()
    )


@lru_cache(maxsize=4096)
def _date_text(day: dt.date, style: str, calendar: str, tag: str, language: str | None) -> str:
    """`ldate`'s text of `day`, kept: a page shows the same few hundred days again and again.
    (`language` is part of the key because Django's formats follow the active language.)"""
    if calendar != GREGORIAN:
        return format_date(day, calendar=calendar, language=tag, long=style == "long")
    fmt = "DATE_FORMAT" if style == "long" else "SHORT_DATE_FORMAT"
    return localize_digits(formats.date_format(day, fmt), tag)


def ldatetime(value: Any) -> str:
    """A datetime in the active time zone: date in the reader's calendar, then HH:MM."""
    if value in (None, ""):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{ldate(local.date())} {localize_digits(local.strftime('%H:%M'), number_locale())}"


# The signs CLDR writes around numbers in right-to-left text. A bare "-" before a number in
# Persian or Arabic text is moved to the number's end by the bidi algorithm ("1-"); the marks
# (U+200E left-to-right mark, U+061C Arabic letter mark) keep it in front. English and German
# keep the ASCII signs they have always shown.
_MINUS = {"fa": "\u200e\u2212", "ar-u-nu-arab": "\u061c-", "ar-u-nu-latn": "\u200e-"}
_PLUS = {"fa": "\u200e+", "ar-u-nu-arab": "\u061c+", "ar-u-nu-latn": "\u200e+"}
# The percent sign and its place: Persian "۸۶٪", Arabic "٨٦٪؜" or "86‎%‎" (CLDR), English and
# German "86 %" as the product has always written it.
_PERCENT = {"fa": "{}\u066a", "ar-u-nu-arab": "{}\u066a\u061c", "ar-u-nu-latn": "{}\u200e%\u200e"}
_ARABIC_SEPARATORS = str.maketrans({",": "\u066c", ".": "\u066b"})


def _signed(text: str, tag: str, *, negative: bool, plus: bool) -> str:
    """`text` (a number without sign) with the minus of the reader's `tag`, or plus when `plus`
    is asked."""
    if negative:
        return _MINUS.get(tag, "-") + text
    if plus:
        return _PLUS.get(tag, "+") + text
    return text


@lru_cache(maxsize=16)
def _separators(language: str | None) -> dict[int, str] | None:
    """How `language` writes Python's "1,234.5": its thousands and decimal separators, as a
    `str.translate` table; None when it does not group by threes (Django's formatting then)."""
    if formats.get_format("NUMBER_GROUPING", language, use_l10n=True) != 3:
        return None
    return str.maketrans(
        {
            ",": formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
            ".": formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        }
    )


def lnum(value: Any, decimals: int = 0, *, plus: bool = False) -> str:
    """A number with the reader's separators, digits and minus sign ("—" for None); with `plus`,
    a positive number is written with its sign ("+3"), as changes are."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):  # number_format cuts extra decimals off; round them instead
        value = round(value, decimals)
    separators = _separators(translation.get_language())
    if separators is not None and type(value) in (int, float):
        # Python groups plain numbers itself, many times faster than Django's number_format
        # (the same text: tested); a page writes thousands of them.
        text = f"{value:,.{decimals}f}" if type(value) is float else f"{value:,}"
        if decimals and type(value) is int:
            text += "." + "0" * decimals
        text = text.translate(separators)
    else:
        text = formats.number_format(
            value, decimal_pos=decimals, use_l10n=True, force_grouping=True
        )
    digits_only = text.lstrip("-")
    # "-0.0" after rounding is no negative number
    is_zero = not any(c in "123456789" for c in digits_only)
    tag = number_locale()
    shown = localize_digits(digits_only, tag)
    if tag == "ar-u-nu-arab":  # Arabic-Indic digits take the Arabic separators
        shown = shown.translate(_ARABIC_SEPARATORS)
    return _signed(
        shown,
        tag,
        negative=text.startswith("-") and not is_zero,
        plus=plus and not is_zero,
    )


class LocalCount(int):
    """A whole number that chooses plural forms like any other and prints in the reader's
    digits: the counter of `{% blocktranslate count days=n|lcount %}{{ days }} days…`."""

    def __str__(self) -> str:
        return lnum(int(self))


def lcount(value: Any) -> LocalCount | Any:
    """`value` as a `LocalCount` (None and non-numbers unchanged)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return LocalCount(int(value))


def percent(value: Any, decimals: int = 0, *, plus: bool = False) -> str:
    """A percentage (86 for 86 %) with the reader's digits, sign and percent sign: "86 %" in
    English and German, "۸۶٪" in Persian, "٨٦٪؜" or "86‎%‎" in Arabic; "—" for None."""
    if value is None or value == "":
        return "—"
    number = lnum(value, decimals, plus=plus)
    if number == "—":
        return number
    return _PERCENT.get(number_locale(), "{} %").format(number)


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
    elif hours and not (minutes or secs):
        text = _("%(h)s h") % {"h": hours}
    elif hours:
        text = _("%(h)s h %(m)02d min") % {"h": hours, "m": minutes}
    elif minutes:
        text = _("%(m)s min") % {"m": minutes}
    else:
        text = _("%(s)s s") % {"s": secs}
    return localize_digits(text, number_locale())


def hour_span(hour: Any) -> str:
    """An hour of the day as the hour-long span it stands for, "11:00–12:00" (24-hour clock),
    in the reader's words and digits; "" for None."""
    if hour in (None, ""):
        return ""
    start = int(hour)
    span = _("%(start)s–%(end)s") % {"start": f"{start:02d}:00", "end": f"{start + 1:02d}:00"}
    return localize_digits(span, number_locale())


def digits(value: Any) -> str:
    """Any text with its digits in the reader's script."""
    return localize_digits(str(value), number_locale())


def form_digits(form: Any) -> None:
    """Write the digits in `form`'s help texts and fixed choice names in the reader's script
    (translated texts such as “For example 8, 6, 4.” or “15 minutes”); values are unchanged."""
    for field in form.fields.values():
        if field.help_text:
            field.help_text = digits(field.help_text)
        choices = getattr(field, "choices", None)
        if isinstance(choices, list) and all(
            isinstance(choice, tuple)
            and len(choice) == 2
            and not isinstance(choice[1], list | tuple)
            for choice in choices
        ):
            field.choices = [(value, digits(label)) for value, label in choices]


def input_date(value: Any) -> str:
    """A date as a date field shows it for editing: year/month/day in the reader's calendar and
    digits (what `core.parsing.read_date` reads back); empty for None."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    value = _day_of(value)
    return format_date(value, calendar=display_calendar.get(), language=number_locale())
