"""Form fields that read what people type in any digits (core/parsing.py's rules).

Whole numbers, decimals, times of day and dates accept Persian (۱۲۳) and Arabic-Indic (١٢٣)
digits; dates may be Jalali (a year before 1700). They are text boxes: browsers' number inputs
drop Persian digits instead of passing them on.
"""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from goaldesk.core.parsing import ascii_digits, calendar_day, day_parts


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


class LocalDateField(forms.DateField):
    """A date typed as year/month/day in the Gregorian or the Jalali calendar, with any digits.

    The year tells the calendars apart: Jalali years are around 1400, Gregorian ones around
    2000, so '1405/09/02' and '2026-11-23' are the same day.
    """

    default_error_messages = {
        "invalid": _(
            "Enter a date as year/month/day, for example 2026-11-23 or, in the Jalali calendar, "
            "1405/09/02."
        ),
        "invalid_jalali": _("%(value)s is not a date in the Jalali calendar."),
        "invalid_gregorian": _("%(value)s is not a date."),
    }

    def to_python(self, value: Any) -> dt.date | None:
        value = _ascii(value)
        parts = day_parts(value) if isinstance(value, str) else None
        if parts is None:
            return super().to_python(value)
        try:
            return calendar_day(*parts)
        except ValueError:
            code = "invalid_jalali" if parts[0] < 1700 else "invalid_gregorian"
            raise forms.ValidationError(
                self.error_messages[code], code=code, params={"value": value}
            ) from None
