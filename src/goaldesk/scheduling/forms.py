"""Forms of the scheduling pages. Numbers, times and dates accept Persian and Arabic digits."""

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from goaldesk.core import forms as core_forms
from goaldesk.core.display import form_digits
from goaldesk.core.forms import (
    LocalDateField,
    LocalDateTimeField,
    LocalIntegerField,
    LocalTimeField,
)
from goaldesk.engine import normalize_digits
from goaldesk.interactions.models import Channel
from goaldesk.scheduling.models import AgentAbsence, DayPart

WEEKDAY_CHOICES = [(str(n), WEEKDAYS[n - 1]) for n in range(1, 8)]
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


class LocalFloatField(core_forms.LocalFloatField):
    widget = forms.TextInput(attrs={"inputmode": "decimal", "size": 6})


def _times(value: str, *, field_label: str) -> list[str]:
    """'08:00, 9:30' → ['08:00', '09:30']."""
    out = []
    for part in re.split(r"[,\s،]+", normalize_digits(value or "").strip()):
        if not part:
            continue
        match = _TIME.match(part)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise forms.ValidationError(
                _("“%(value)s” is not a time like 08:30."), params={"value": part}
            )
        out.append(f"{int(match[1]):02d}:{match[2]}")
    return sorted(set(out))


def _spans(value: str) -> list[list[str]]:
    """'09:00-13:00, 14:00-18:00' → [['09:00', '13:00'], ['14:00', '18:00']]."""
    out = []
    for part in re.split(r"[,;،]+", normalize_digits(value or "").strip()):
        part = part.strip()
        if not part:
            continue
        match = _SPAN.match(part)
        if not match or int(match[1]) > 24 or int(match[3]) > 24:
            raise forms.ValidationError(
                _("“%(value)s” is not a time span like 09:00-17:00."), params={"value": part}
            )
        out.append([f"{int(match[1]) % 24:02d}:{match[2]}", f"{int(match[3]) % 24:02d}:{match[4]}"])
    return out


class AgentProfileForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    min_hours_per_week = LocalFloatField(
        label=_("Minimum hours a week"), min_value=0, max_value=100
    )
    max_hours_per_week = LocalFloatField(
        label=_("Maximum hours a week"), min_value=1, max_value=100
    )
    max_days_per_week = LocalIntegerField(label=_("Maximum days a week"), min_value=1, max_value=7)
    preferred_day_parts = forms.MultipleChoiceField(
        label=_("Preferred shifts"),
        choices=DayPart.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_start_times = forms.CharField(
        label=_("Preferred start times"),
        required=False,
        help_text=_("For example 08:00, 09:30. Empty: no preference."),
    )
    preferred_days_off = forms.MultipleChoiceField(
        label=_("Preferred days off"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, name in WEEKDAY_CHOICES:
            self.fields[f"available_{number}"] = forms.CharField(
                label=name,
                required=False,
                help_text=_("For example 09:00-17:00, or 08:00-12:00, 14:00-18:00."),
            )
        form_digits(self)

    def availability_fields(self) -> list[Any]:
        return [self[f"available_{n}"] for n, _name in WEEKDAY_CHOICES]

    def clean_preferred_start_times(self) -> list[str]:
        return _times(self.cleaned_data["preferred_start_times"], field_label="")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        availability = {}
        for number, _name in WEEKDAY_CHOICES:
            try:
                spans = _spans(data.get(f"available_{number}", ""))
            except forms.ValidationError as error:
                self.add_error(f"available_{number}", error)
                continue
            if spans:
                availability[number] = spans
        data["availability"] = availability
        low, high = data.get("min_hours_per_week"), data.get("max_hours_per_week")
        if low is not None and high is not None and low > high:
            self.add_error(
                "min_hours_per_week", _("The minimum hours are more than the maximum hours.")
            )
        if not data.get("channels") and not data.get("languages"):
            self.add_error("channels", _("Choose at least one channel the agent can serve."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "channels": data["channels"],
            "languages": data["languages"],
            "min_hours_per_week": data["min_hours_per_week"],
            "max_hours_per_week": data["max_hours_per_week"],
            "max_days_per_week": data["max_days_per_week"],
            "availability": data["availability"],
            "preferred_day_parts": data["preferred_day_parts"],
            "preferred_start_times": data["preferred_start_times"],
            "preferred_days_off": [int(d) for d in data["preferred_days_off"]],
        }

    @staticmethod
    def initial_for(profile: Any, *, channels: list[str], languages: list[str]) -> dict[str, Any]:
        initial = {
            "channels": channels,
            "languages": languages,
            "min_hours_per_week": profile.min_hours_per_week,
            "max_hours_per_week": profile.max_hours_per_week,
            "max_days_per_week": profile.max_days_per_week,
            "preferred_day_parts": profile.preferred_day_parts,
            "preferred_start_times": ", ".join(profile.preferred_start_times or []),
            "preferred_days_off": [str(d) for d in profile.preferred_days_off or []],
        }
        for day, spans in (profile.availability or {}).items():
            initial[f"available_{day}"] = ", ".join(f"{a}-{b}" for a, b in spans)
        return initial


class AbsenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgentAbsence.Kind.choices)
    start = LocalDateTimeField(label=_("From"))
    end = LocalDateTimeField(label=_("Until"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The absence must end after it starts."))
        return data


class SchedulingRulesForm(forms.Form):
    shift_lengths = forms.CharField(
        label=_("Allowed shift lengths (hours)"),
        help_text=_("For example 8, 6, 4."),
    )
    start_times = forms.CharField(
        label=_("Allowed start times"),
        required=False,
        help_text=_("For example 08:00, 09:00, 12:00. Empty: any time within the opening hours."),
    )
    within_opening_hours = forms.BooleanField(
        label=_("Shifts lie inside the opening hours"), required=False
    )
    break_minutes = LocalIntegerField(
        label=_("Break length (minutes)"),
        min_value=0,
        max_value=240,
        help_text=_("0: no breaks."),
    )
    break_after_hours = LocalFloatField(
        label=_("Shifts longer than this get a break (hours)"), min_value=0, max_value=24
    )
    break_window_start_percent = LocalIntegerField(
        label=_("Break window starts at (percent of the shift)"),
        min_value=0,
        max_value=99,
    )
    break_window_end_percent = LocalIntegerField(
        label=_("Break window ends at (percent of the shift)"),
        min_value=1,
        max_value=100,
    )
    min_rest_hours = LocalFloatField(
        label=_("Minimum rest between shifts (hours)"), min_value=0, max_value=48
    )
    max_consecutive_days = LocalIntegerField(
        label=_("Maximum consecutive working days"), min_value=1, max_value=14
    )
    evening_after = LocalTimeField(label=_("A shift still running after this time is unpopular"))
    weekend_unpopular = forms.BooleanField(
        label=_("Shifts on the weekend are unpopular"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_digits(self)

    def clean_shift_lengths(self) -> list[int]:
        minutes = []
        for part in re.split(r"[,\s،]+", normalize_digits(self.cleaned_data["shift_lengths"])):
            if not part:
                continue
            try:
                hours = float(part)
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a number of hours."), params={"value": part}
                ) from None
            if not 0.25 <= hours <= 24 or (hours * 60) % 15:
                raise forms.ValidationError(
                    _("%(value)s h is not a length between 0.25 and 24 hours in quarter hours."),
                    params={"value": part},
                )
            minutes.append(round(hours * 60))
        if not minutes:
            raise forms.ValidationError(_("Give at least one shift length."))
        return sorted(set(minutes), reverse=True)

    def clean_start_times(self) -> list[str]:
        return _times(self.cleaned_data["start_times"], field_label="")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("break_window_start_percent"), data.get("break_window_end_percent")
        if first is not None and last is not None and first >= last:
            self.add_error(
                "break_window_end_percent", _("The break window must end after it starts.")
            )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "shift_lengths_minutes": data["shift_lengths"],
            "start_times": data["start_times"],
            "within_opening_hours": data["within_opening_hours"],
            "break_minutes": data["break_minutes"],
            "break_after_minutes": round(data["break_after_hours"] * 60),
            "break_window_start_percent": data["break_window_start_percent"],
            "break_window_end_percent": data["break_window_end_percent"],
            "min_rest_hours": data["min_rest_hours"],
            "max_consecutive_days": data["max_consecutive_days"],
            "evening_after": data["evening_after"],
            "weekend_unpopular": data["weekend_unpopular"],
        }

    @staticmethod
    def initial_for(rules: Any) -> dict[str, Any]:
        def hours(minutes: int) -> str:
            return f"{minutes / 60:g}"

        return {
            "shift_lengths": ", ".join(hours(m) for m in rules.shift_lengths_minutes),
            "start_times": ", ".join(rules.start_times or []),
            "within_opening_hours": rules.within_opening_hours,
            "break_minutes": rules.break_minutes,
            "break_after_hours": rules.break_after_minutes / 60,
            "break_window_start_percent": rules.break_window_start_percent,
            "break_window_end_percent": rules.break_window_end_percent,
            "min_rest_hours": rules.min_rest_hours,
            "max_consecutive_days": rules.max_consecutive_days,
            "evening_after": rules.evening_after,
            "weekend_unpopular": rules.weekend_unpopular,
        }


class BuildScheduleForm(forms.Form):
    week_start = LocalDateField(
        label=_("Week"),
        help_text=_(
            "Any day of the week to schedule; the week starts on the first day after the weekend."
        ),
    )
    time_limit_seconds = LocalIntegerField(
        label=_("Time limit (seconds)"),
        min_value=1,
        max_value=600,
        initial=30,
        help_text=_("The best schedule found by then is kept."),
    )
    requirement_file = forms.FileField(
        label=_("Requirement file (optional)"),
        required=False,
        help_text=_(
            "CSV with start, interval_minutes, skill, required. Empty: the latest staffing requirement."
        ),
    )


class ShiftForm(forms.Form):
    """Add or move a shift: agent, day of the week, start and length."""

    agent = forms.TypedChoiceField(label=_("Agent"), coerce=int, choices=[])
    day = forms.TypedChoiceField(label=_("Day"), coerce=dt.date.fromisoformat, choices=[])
    start = LocalTimeField(label=_("Start"))
    hours = LocalFloatField(label=_("Hours"), min_value=0.25, max_value=24)

    def __init__(
        self,
        *args: Any,
        agents: Sequence[tuple[int, str]] = (),
        days: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agent"]).choices = list(agents)
        cast(forms.ChoiceField, self.fields["day"]).choices = list(days)
