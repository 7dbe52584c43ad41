"""The forms of one interaction's page: edit its columns, add a note.

The edit form shows each canonical column in the reader's terms (channel by label, moments in
the reader's calendar, numbers in any digits) and hands only the columns a person changed to
`interaction_update`, which checks the whole record by the import's rules. Moments are edited
to the minute: a column that was not touched keeps its seconds.
"""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from goaldesk.core.forms import DigitsForm, LocalDateTimeField, LocalFloatField, LocalIntegerField
from goaldesk.interactions.exporting import TIMESTAMP_FIELDS
from goaldesk.interactions.models import Channel, Interaction, Outcome, Sentiment, Status
from goaldesk.interactions.selectors import category_label
from goaldesk.team.models import Agent, Team

_NONE: list[tuple[str, Any]] = [("", "—")]


class InteractionEditForm(DigitsForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    created_at = LocalDateTimeField(label=_("Created"))
    customer_id = forms.CharField(label=_("Customer"), required=False, max_length=150)
    agent = forms.ChoiceField(label=_("Agent"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=_NONE + Outcome.choices)
    first_response_at = LocalDateTimeField(label=_("First response at"), required=False)
    resolved_at = LocalDateTimeField(label=_("Resolved at"), required=False)
    wait_seconds = LocalFloatField(label=_("Queue wait"), required=False)
    handle_seconds = LocalFloatField(label=_("Handle time"), required=False)
    csat = LocalIntegerField(label=_("CSAT (1–5)"), required=False)
    nps = LocalIntegerField(label=_("NPS answer (0–10)"), required=False)
    ces = LocalIntegerField(label=_("Customer effort (1–7)"), required=False)
    sentiment_start = forms.ChoiceField(
        label=_("Mood on arrival"), required=False, choices=_NONE + Sentiment.choices
    )
    sentiment_end = forms.ChoiceField(
        label=_("Mood on leaving"), required=False, choices=_NONE + Sentiment.choices
    )
    arrived_at = LocalDateTimeField(label=_("Technician arrived at"), required=False)
    fixed_at = LocalDateTimeField(label=_("Fault fixed at"), required=False)

    def __init__(
        self, data: Any = None, *, interaction: Interaction, categories: dict[str, str]
    ) -> None:
        self.interaction = interaction
        organisation = interaction.organisation
        initial = {
            name: getattr(interaction, name)
            for name in self.base_fields
            if name not in ("agent", "team")
        }
        initial["agent"] = interaction.agent.key if interaction.agent is not None else ""
        initial["team"] = interaction.team.name if interaction.team is not None else ""
        super().__init__(data, initial=initial)
        agents = Agent.objects.filter(organisation=organisation).order_by("name", "key")
        fields = self.fields
        fields["agent"].choices = _NONE + [(agent.key, str(agent)) for agent in agents]  # type: ignore[attr-defined]
        teams = Team.objects.filter(organisation=organisation).order_by("name")
        fields["team"].choices = _NONE + [(team.name, team.name) for team in teams]  # type: ignore[attr-defined]
        keys = sorted(set(categories) | ({interaction.category} - {""}))
        fields["category"].choices = _NONE + [  # type: ignore[attr-defined]
            (key, category_label(categories, key)) for key in keys
        ]
        # Seconds are shown to the second; a whole number without ".0".
        for name in ("wait_seconds", "handle_seconds"):
            value = initial.get(name)
            if isinstance(value, float) and value.is_integer():
                self.initial[name] = int(value)

    def changed_values(self) -> dict[str, object]:
        """{canonical column: value} of the columns the person changed (after `is_valid`):
        moments as aware datetimes, numbers as numbers, choices as keys, "" or None for empty."""
        values: dict[str, object] = {}
        for name in self.changed_data:
            value = self.cleaned_data.get(name)
            if name in TIMESTAMP_FIELDS and isinstance(value, dt.datetime):
                values[name] = value  # LocalDateTimeField reads it in the active time zone
            else:
                values[name] = "" if value is None else value
        return values


class InteractionNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
