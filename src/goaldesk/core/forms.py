"""Form fields that read what people type in any digits (core/parsing.py's rules).

Whole numbers, decimals, times of day and dates accept Persian (۱۲۳) and Arabic-Indic (١٢٣)
digits; dates may be Jalali or Hijri (a year before 1700, see `core.parsing.local_calendar`).
They are text boxes: browsers' number and date inputs drop Persian digits and know only the
Gregorian calendar. A date box (`CalendarDateInput`) shows its value in the reader's calendar
and digits; `static/goaldesk/datepicker.js` adds a month grid of that calendar beside it.
"""

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goaldesk.core.display import display_calendar, display_week_start, input_date, number_locale
from goaldesk.core.parsing import (
    ascii_digits,
    calendar_day,
    date_spellings,
    day_parts,
    is_in_range,
    local_calendar,
    out_of_range_reason,
)
from goaldesk.engine import HIJRI, add_months, month_names, to_calendar


def _ascii(value: Any) -> Any:
    return ascii_digits(value).strip() if isinstance(value, str) else value


def ascii_digits_data(data: Any) -> Any:
    """A copy of submitted data (a QueryDict or a dict) with every digit and decimal mark in
    ASCII; None stays None."""
    if data is None:
        return None
    copy = data.copy()
    for key in list(copy.keys()):
        values = copy.getlist(key) if hasattr(copy, "getlist") else [copy[key]]
        cleaned = [ascii_digits(v) if isinstance(v, str) else v for v in values]
        if hasattr(copy, "setlist"):
            copy.setlist(key, cleaned)
        else:
            copy[key] = cleaned[0]
    return copy


class DigitsForm(forms.Form):
    """A form whose submitted data is read with ASCII digits (for Django's own fields)."""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(ascii_digits_data(data), *args, **kwargs)


class DigitsModelForm(forms.ModelForm):
    """A model form whose submitted data is read with ASCII digits."""

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(ascii_digits_data(data), *args, **kwargs)


class LocalIntegerField(forms.IntegerField):
    """An integer typed with any digits: '۲۰' and '٢٠' are 20."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 6})

    def to_python(self, value: Any) -> int | None:
        return super().to_python(_ascii(value))


class LocalFloatField(forms.FloatField):
    """A decimal number typed with any digits; a comma or the Arabic mark (٫) is the decimal
    point, as people write it in German, Persian and Arabic ('۱۲٫۵' and '12,5' are 12.5)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    # A float or None; typed Any because django-stubs declare FloatField.to_python as its base
    # IntegerField's (int), which a float override cannot narrow.
    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = _ascii(value).replace(",", ".")
        return super().to_python(value)


class LocalTimeField(forms.TimeField):
    """A time of day typed as HH:MM with any digits ('۰۹:۳۰' is 09:30)."""

    widget = forms.TimeInput(format="%H:%M", attrs={"size": 5, "autocomplete": "off"})
    default_error_messages = {"invalid": _("Enter a time as HH:MM, for example 09:00 or 17:30.")}

    def to_python(self, value: Any) -> dt.time | None:
        return super().to_python(_ascii(value))


# --- dates ---------------------------------------------------------------------------------------

#: A quick choice beside a date box: its label and the day it fills in, worked out from today
#: (in the active time zone) and the reader's calendar when the box is drawn.
DatePreset = tuple[Any, Callable[[dt.date, str], dt.date]]


def end_of_month(today: dt.date, calendar: str, *, months_ahead: int = 0) -> dt.date:
    """The last day of the `calendar` month `months_ahead` after the one holding `today`."""
    return add_months(today, months_ahead + 1, calendar) - dt.timedelta(days=1)


def end_of_quarter(today: dt.date, calendar: str) -> dt.date:
    """The last day of the `calendar` quarter (months 1–3, 4–6, 7–9, 10–12 of its year) that
    holds `today`: in a Jalali organisation the end of the season."""
    month = to_calendar(today, calendar)[1]
    return end_of_month(today, calendar, months_ahead=(-month) % 3)


#: The deadline presets of goal forms.
DEADLINE_PRESETS: tuple[DatePreset, ...] = (
    (_("End of this month"), end_of_month),
    (_("End of next month"), lambda today, cal: end_of_month(today, cal, months_ahead=1)),
    (_("End of this quarter"), end_of_quarter),
)


def _weekday_initials(language: str) -> list[str]:
    """Column heads of a month grid, Monday first: Django's short weekday names, except in
    Persian, whose calendars head the columns with the initial letter (ش ی د س چ پ ج) because
    the short names are the whole words."""
    if language.startswith("fa"):
        return [str(WEEKDAYS[n])[0] for n in range(7)]
    return [str(WEEKDAYS_ABBR[n]) for n in range(7)]


class CalendarDateInput(forms.TextInput):
    """A date box in the reader's calendar and digits, for forms and for filters.

    The value is written as `core.display.input_date` writes it (1405/09/11 for a Jalali
    reader, in Persian digits in Persian); the data attributes tell `datepicker.js` the
    calendar, the first day of the week, the digits, the month and weekday names and the
    buttons' labels, so its month grid agrees with the server. Without the script it is a text
    box that takes the same spellings. `presets`: quick choices shown as buttons beside it.
    """

    template_name = "core/widgets/calendar_date.html"

    def __init__(
        self, attrs: dict[str, Any] | None = None, *, presets: Sequence[DatePreset] = ()
    ) -> None:
        base = {"inputmode": "numeric", "autocomplete": "off", "size": 11, "dir": "ltr"}
        super().__init__({**base, **(attrs or {})})
        self.presets = tuple(presets)

    def format_value(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return input_date(value)
        return str(value)  # text as it was typed, shown again beside its error

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        calendar = display_calendar.get()
        language = translation.get_language() or "en"
        today = timezone.localdate()
        context["widget"]["picker"] = {
            "calendar": calendar,
            "week_start": display_week_start.get(),
            "locale": number_locale(),
            "today": today.isoformat(),
            "months": json.dumps(month_names(calendar, language), ensure_ascii=False),
            "weekdays": json.dumps([str(WEEKDAYS[n]) for n in range(7)], ensure_ascii=False),
            "weekday_heads": json.dumps(_weekday_initials(language), ensure_ascii=False),
            "labels": json.dumps(
                {
                    "open": gettext("Choose a date"),
                    "previous_month": gettext("Previous month"),
                    "next_month": gettext("Next month"),
                    "previous_year": gettext("Previous year"),
                    "next_year": gettext("Next year"),
                    "today": gettext("Today"),
                    "close": gettext("Close"),
                },
                ensure_ascii=False,
            ),
        }
        context["widget"]["presets"] = [
            (str(label), input_date(compute(today, calendar))) for label, compute in self.presets
        ]
        return context


class LocalDateField(forms.DateField):
    """A date typed as year/month/day in the Gregorian calendar or the reader's local one,
    with any digits and `-`, `/` or `.` between (see `core.parsing`), shown in a
    `CalendarDateInput`.

    The year tells the calendars apart: a year before 1700 is Jalali (Hijri for a Hijri
    reader), so '1405/09/02' and '2026-11-23' are the same day. Days outside
    `core.parsing.EARLIEST_DAY`..`LATEST_DAY` are refused.
    """

    widget = CalendarDateInput

    default_error_messages = {
        "invalid": _("%(value)s is not a date."),
        "invalid_jalali": _("%(value)s is not a date in the Jalali calendar."),
        "invalid_hijri": _("%(value)s is not a date in the Hijri (Umm al-Qura) calendar."),
        "invalid_gregorian": _("%(value)s is not a date."),
    }

    def __init__(self, *, presets: Sequence[DatePreset] = (), **kwargs: Any) -> None:
        if presets and "widget" not in kwargs:
            kwargs["widget"] = CalendarDateInput(presets=presets)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        value = _ascii(str(value))
        parts = day_parts(value)
        if parts is None:
            try:
                day = super().to_python(value)  # the formats of the active locale
            except forms.ValidationError:
                raise self._unreadable(value) from None
        else:
            try:
                day = calendar_day(*parts)
            except ValueError:
                if parts[0] >= 1700:
                    code = "invalid_gregorian"
                else:
                    code = "invalid_hijri" if local_calendar.get() == HIJRI else "invalid_jalali"
                raise forms.ValidationError(
                    self.error_messages[code], code=code, params={"value": value}
                ) from None
        if day is not None and not is_in_range(day):
            raise forms.ValidationError(out_of_range_reason(value), code="out_of_range")
        return day

    def _unreadable(self, value: str) -> forms.ValidationError:
        """'… is not a date.' and the spellings that are, in the reader's calendar and digits."""
        message = self.error_messages["invalid"] % {"value": value} + " " + date_spellings()
        return forms.ValidationError(message, code="invalid")


class CalendarDateTimeInput(forms.MultiWidget):
    """A `CalendarDateInput` and a HH:MM box side by side (a moment such as an absence's
    start): the date in the reader's calendar, the time in the active time zone."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = (
            CalendarDateInput(),
            forms.TimeInput(
                format="%H:%M",
                attrs={
                    "size": 5,
                    "autocomplete": "off",
                    "inputmode": "numeric",
                    "dir": "ltr",
                    "aria-label": _("Time of day"),
                },
            ),
        )
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return [local.date(), local.time().replace(second=0, microsecond=0)]
        return [None, None]


class LocalDateTimeField(forms.SplitDateTimeField):
    """A moment typed as a date (`LocalDateField`: any calendar and digits) and a time of day
    (`LocalTimeField`), read in the active time zone."""

    widget = CalendarDateTimeInput

    def __init__(self, **kwargs: Any) -> None:
        # SplitDateTimeField's own subfields are Django's, which read neither calendar.
        forms.MultiValueField.__init__(self, (LocalDateField(), LocalTimeField()), **kwargs)
