"""Forms of the planning pages. Typed numbers may use Persian or Arabic-Indic digits."""

from typing import Any, cast

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from goaldesk.core.display import form_digits
from goaldesk.core.forms import DigitsForm, DigitsModelForm, ascii_digits_data
from goaldesk.forecasting.models import INTERVAL_CHOICES, StaffingInputs
from goaldesk.forecasting.services import MAX_HORIZON_DAYS
from goaldesk.interactions.models import Channel

#: Kept for the scheduling views, which read their posts with it.
_ascii_digits = ascii_digits_data


class ForecastForm(DigitsForm):
    interval_minutes = forms.TypedChoiceField(
        label=_("Interval"), choices=INTERVAL_CHOICES, coerce=int, initial=30
    )
    horizon_days = forms.IntegerField(
        label=_("Days ahead"),
        min_value=1,
        max_value=MAX_HORIZON_DAYS,
        initial=28,
        help_text=_("Up to 56 days (8 weeks)."),
    )
    upload = forms.TypedChoiceField(
        label=_("History"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[],
    )

    def __init__(self, *args: Any, uploads: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_digits(self)
        cast(forms.ChoiceField, self.fields["upload"]).choices = [
            ("", _("The organisation’s interactions"))
        ] + [(u.pk, _("Uploaded file: %(name)s") % {"name": u.original_name}) for u in uploads]


class HistoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
        help_text=_(
            "Columns: %(timestamp)s, %(volume)s and optionally %(channel)s. One row per "
            "interval; times without an offset are in the organisation’s time zone."
        ),
    )
    channel = forms.ChoiceField(
        label=_("Channel of rows without one"), choices=Channel.choices, initial=Channel.PHONE
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The column names stay as a file writes them, marked as code in any language.
        field = self.fields["file"]
        columns = {c: format_html("<code>{}</code>", c) for c in ("timestamp", "volume", "channel")}
        field.help_text = mark_safe(conditional_escape(field.help_text) % columns)  # noqa: S308


class StaffingInputsForm(DigitsModelForm):
    class Meta:
        model = StaffingInputs
        fields = [
            "target_sl",
            "target_seconds",
            "aht_seconds",
            "shrinkage",
            "max_occupancy",
            "patience_seconds",
            "concurrency",
            "response_hours",
        ]
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "decimal", "size": 8}) for name in fields
        }
