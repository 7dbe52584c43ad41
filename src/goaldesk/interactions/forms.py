"""Forms of the interactions app: the quick "log a visit" form of the walk-in desk and the
categories' names in the organisation's settings."""

import datetime as dt
import re
import uuid
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation, today_in
from goaldesk.engine import normalize_digits
from goaldesk.interactions.models import (
    DEFAULT_CATEGORIES,
    Category,
    Channel,
    Interaction,
    Outcome,
    Sentiment,
    Status,
)
from goaldesk.interactions.records import InteractionData, RecordError, parse_interaction
from goaldesk.interactions.selectors import category_label, category_names
from goaldesk.team.models import Agent

RECENT_DAYS = 30
MAX_RECENT_CATEGORIES = 9
MAX_CATEGORY_TILES = 12

MOODS = (
    (Sentiment.NEGATIVE, "☹", _("Unhappy")),
    (Sentiment.NEUTRAL, "😐", _("Neutral")),
    (Sentiment.POSITIVE, "☺", _("Happy")),
)
MOOD_CHOICES = [(value, format_lazy("{} {}", icon, label)) for value, icon, label in MOODS]
_VISIT_ID = re.compile(r"^visit-[0-9a-f]{32}$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")


def new_visit_id() -> str:
    return f"visit-{uuid.uuid4().hex}"


def category_choices(organisation: Organisation) -> list[tuple[str, str]]:
    """The organisation's most used categories of the last 30 days, then the defaults, as
    (key, name for the reader)."""
    since = today_in(organisation) - dt.timedelta(days=RECENT_DAYS)
    recent = list(
        Interaction.objects.filter(organisation=organisation, local_date__gte=since)
        .exclude(category="")
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n", "category")
        .values_list("category", flat=True)[:MAX_RECENT_CATEGORIES]
    )
    names = category_names(organisation=organisation)
    choices = [(c, category_label(names, c)) for c in recent]
    choices += [
        (c, category_label(names, c)) for c, _label in DEFAULT_CATEGORIES if c not in recent
    ]
    return choices[:MAX_CATEGORY_TILES]


class LogVisitForm(forms.Form):
    """One walk-in visit: a few taps, then saved through the canonical record's rules.

    After `is_valid()`, `record` holds the InteractionData to write.
    """

    visit_id = forms.CharField(widget=forms.HiddenInput)
    category = forms.ChoiceField(
        label=_("What was it about?"), required=False, widget=forms.RadioSelect
    )
    other_category = forms.CharField(label=_("Something else"), required=False, max_length=100)
    outcome = forms.ChoiceField(
        label=_("Was the problem solved?"),
        choices=[(Outcome.SUCCESS, _("Solved")), (Outcome.FAILURE, _("Not solved"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose solved or not solved.")},
    )
    csat = forms.TypedChoiceField(
        label=_("Satisfaction (1 = very unhappy, 5 = very happy)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    sentiment_start = forms.ChoiceField(
        label=_("Mood on arrival"),
        choices=MOOD_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    sentiment_end = forms.ChoiceField(
        label=_("Mood on leaving"),
        choices=MOOD_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    customer_id = forms.CharField(
        label=_("Customer number"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    arrived_at = forms.CharField(
        label=_("Arrived at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    #: The arrival time the form showed; when left as it was, the visitor arrived "now".
    shown_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args, organisation: Organisation, agent: Agent | None = None, **kwargs
    ) -> None:
        self.organisation = organisation
        self.agent = agent
        self.now = timezone.now()
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(organisation)
        if not self.is_bound:
            shown = self.now.astimezone(organisation.tzinfo).strftime("%H:%M")
            self.initial.update(visit_id=new_visit_id(), arrived_at=shown, shown_at=shown)
        self.record: InteractionData | None = None

    def clean_visit_id(self) -> str:
        value = self.cleaned_data["visit_id"].strip()
        return value if _VISIT_ID.match(value) else new_visit_id()

    def clean_customer_id(self) -> str:
        return normalize_digits(self.cleaned_data["customer_id"].strip())

    def clean_other_category(self) -> str:
        return self.cleaned_data["other_category"].strip()

    def clean_arrived_at(self) -> dt.datetime:
        """Today at the given time in the organisation's time zone; now when left unchanged."""
        text = normalize_digits(self.cleaned_data["arrived_at"].strip())
        shown = normalize_digits((self.data.get("shown_at") or "").strip())
        if not text or text == shown:
            return self.now
        match = _TIME.match(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise forms.ValidationError(
                _("“%(value)s” is not a time of day; write it as 14:30."),
                params={"value": self.cleaned_data["arrived_at"]},
            )
        local_now = self.now.astimezone(self.organisation.tzinfo)
        arrived = local_now.replace(
            hour=int(match[1]), minute=int(match[2]), second=0, microsecond=0
        )
        if arrived > local_now:
            raise forms.ValidationError(
                _("%(value)s is later than now; log a visit once it has happened."),
                params={"value": text},
            )
        return arrived

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        solved = cleaned["outcome"] == Outcome.SUCCESS
        created_at = cleaned["arrived_at"]
        raw: dict[str, object] = {
            "external_id": cleaned["visit_id"],
            "channel": Channel.WALK_IN,
            "created_at": created_at,
            "customer_id": cleaned["customer_id"],
            "category": cleaned["other_category"] or cleaned["category"],
            "outcome": cleaned["outcome"],
            "status": Status.RESOLVED if solved else Status.UNRESOLVED,
            # The visit ends when it is logged: that is when a solved one was resolved.
            "resolved_at": max(self.now, created_at) if solved else None,
            "csat": cleaned["csat"],
            "sentiment_start": cleaned["sentiment_start"],
            "sentiment_end": cleaned["sentiment_end"],
        }
        if self.agent is not None:
            raw["agent"] = self.agent.key
            raw["team"] = self.agent.team.name if self.agent.team else ""
        try:
            self.record = parse_interaction(raw, tz=self.organisation.tzinfo)
        except RecordError as error:
            field = error.column if error.column in self.fields else None
            if error.column == "category" and cleaned["other_category"]:
                field = "other_category"
            self.add_error(field, error.reason)
        return cleaned


class CategoryNamesForm(forms.Form):
    """The names of one category, one field per language; a blank one falls back to the
    organisation's language, English, then the name made from the key."""

    def __init__(
        self, data: Any = None, *, category: Category, organisation_language: str = "en"
    ) -> None:
        super().__init__(data, prefix=f"c{category.pk}")
        self.category = category
        names = category.names or {}
        for code, language in settings.LANGUAGES:
            # The placeholder is the name a reader of this language sees while it is blank.
            with translation.override(code):
                fallback = category.name_in(organisation_language, "en")
            self.fields[code] = forms.CharField(
                label=format_lazy(_("Name in {language}"), language=language),
                required=False,
                max_length=100,
                initial=names.get(code, ""),
                widget=forms.TextInput(
                    attrs={"dir": "auto", "placeholder": fallback, "lang": code, "size": 14}
                ),
            )
        #: False when the request did not send this row (a category added since the page
        #: was shown): its names are then left as they are.
        self.submitted = data is not None and any(
            self.add_prefix(code) in data for code, _l in settings.LANGUAGES
        )

    def names(self) -> dict[str, str]:
        """{language code: name} as entered (blank names included)."""
        return {code: self.cleaned_data[code].strip() for code, _l in settings.LANGUAGES}


def category_forms_valid(rows: list[CategoryNamesForm]) -> bool:
    """Whether every submitted row is valid and no two categories share a name in one language
    (a reader could not tell them apart); errors are added to the rows."""
    submitted = [form for form in rows if form.submitted]
    # Every row is validated (not only up to the first bad one), so each shows its errors.
    checked = [form.is_valid() for form in submitted]
    if not all(checked):
        return False
    valid = True
    for code, _language in settings.LANGUAGES:
        seen: dict[str, CategoryNamesForm] = {}
        for form in submitted:
            name = form.cleaned_data[code].strip()
            if not name:
                continue
            if name.casefold() in seen:
                form.add_error(
                    code,
                    gettext("Another category is already called “%(name)s” in this language.")
                    % {"name": name},
                )
                valid = False
            seen[name.casefold()] = form
    return valid
