"""Forms of the goals pages. Dates may be typed in any digits (a year before 1700 is Jalali);
numbers in any digits too. Values of time metrics are typed in the goal's unit (hours, days …)."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goaldesk.accounts.models import Organisation
from goaldesk.core.display import form_digits, lnum, percent
from goaldesk.core.forms import DEADLINE_PRESETS, LocalDateField, LocalFloatField
from goaldesk.customers.selectors import segment_choices
from goaldesk.engine.levels import BARRED_LEVELS, LevelThresholds
from goaldesk.interactions.models import DEFAULT_CATEGORIES, Channel
from goaldesk.interactions.selectors import category_label, category_names
from goaldesk.metrics.catalogue import metric
from goaldesk.team.models import Agent, Team

from . import selectors
from .models import BusinessGoal, BusinessGoalKind, Goal, GoalType, Statistic, ValueUnit
from .services import GoalData
from .wording import LEVEL_NAMES, level_ranked, metric_name

MILESTONE_ROWS = 5


NumberField = LocalFloatField
#: A text a person writes in their own language: the field reads in the direction of what is typed.
AUTO_DIRECTION = forms.TextInput(attrs={"dir": "auto"})


def member_choices(organisation: Organisation) -> list[tuple[str, str]]:
    users = (
        get_user_model().objects.filter(memberships__organisation=organisation).order_by("username")
    )
    return [("", "—")] + [(str(u.pk), u.get_full_name() or u.get_username()) for u in users]


def _member(organisation: Organisation, value: str) -> Any:
    if not value:
        return None
    return get_user_model().objects.filter(memberships__organisation=organisation, pk=value).first()


class GoalForm(forms.Form):
    template = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, widget=AUTO_DIRECTION)
    goal_type = forms.ChoiceField(label=gettext_lazy("Type"), choices=GoalType.choices)
    metric_key = forms.ChoiceField(label=gettext_lazy("Metric"))
    statistic = forms.ChoiceField(
        label=gettext_lazy("Statistic (time metrics)"),
        choices=Statistic.choices,
        initial=Statistic.MEDIAN,
    )
    value_unit = forms.ChoiceField(
        label=gettext_lazy("Unit for times"), choices=ValueUnit.choices, initial=ValueUnit.HOURS
    )
    whole_organisation = forms.BooleanField(
        label=gettext_lazy("The whole organisation"), required=False
    )
    scope_channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    scope_team = forms.ChoiceField(label=gettext_lazy("Team"), required=False)
    scope_agent = forms.ChoiceField(label=gettext_lazy("Agent"), required=False)
    scope_category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    scope_segment = forms.ChoiceField(label=gettext_lazy("Customer segment"), required=False)
    baseline_from = LocalDateField(label=gettext_lazy("Baseline from"))
    baseline_to = LocalDateField(label=gettext_lazy("Baseline to"))
    target = NumberField(label=gettext_lazy("Target"))
    person_target = NumberField(
        label=gettext_lazy("Target for each agent"),
        required=False,
        help_text=gettext_lazy(
            "Optional: the value each agent in the scope should reach on their own, e.g. "
            "CSAT at least %(example)s; shown on their scorecards."
        ),
    )
    start = LocalDateField(label=gettext_lazy("Start"))
    deadline = LocalDateField(label=gettext_lazy("Deadline"), presets=DEADLINE_PRESETS)
    tracking_window_days = forms.IntegerField(
        label=gettext_lazy("Tracking window (days)"),
        min_value=1,
        max_value=90,
        initial=7,
        help_text=gettext_lazy("Each day's value is measured over this many days ending that day."),
    )
    business_goal = forms.ModelChoiceField(
        label=gettext_lazy("Business goal it serves"), queryset=BusinessGoal.objects.none()
    )
    reason = forms.CharField(
        label=gettext_lazy("Why it serves that business goal"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False)
    confirm_warnings = forms.BooleanField(
        label=gettext_lazy("I have read the SMART warnings and want to save the goal anyway."),
        required=False,
    )

    def __init__(
        self, *args: Any, organisation: Organisation, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self._initial_values: dict[str, Any] | None = None
        person_target = self.fields["person_target"]
        person_target.help_text = person_target.help_text % {"example": percent(85)}
        form_digits(self)
        cast(forms.ChoiceField, self.fields["metric_key"]).choices = [
            (key, metric_name(key)) for key in selectors.GOAL_METRIC_KEYS
        ]
        cast(forms.ChoiceField, self.fields["scope_channel"]).choices = [
            ("", "—"),
            *Channel.choices,
        ]
        cast(forms.ChoiceField, self.fields["scope_team"]).choices = [("", "—")] + [
            (t.name, t.name) for t in Team.objects.filter(organisation=organisation)
        ]
        cast(forms.ChoiceField, self.fields["scope_agent"]).choices = [("", "—")] + [
            (a.key, str(a)) for a in Agent.objects.filter(organisation=organisation, active=True)
        ]
        cast(forms.ChoiceField, self.fields["scope_category"]).choices = [
            ("", "—"),
            *self._category_choices(),
        ]
        cast(forms.ChoiceField, self.fields["scope_segment"]).choices = [("", "—")] + [
            (name, name) for _pk, name in segment_choices(organisation=organisation)
        ]
        cast(
            forms.ModelChoiceField, self.fields["business_goal"]
        ).queryset = BusinessGoal.objects.filter(organisation=organisation)
        cast(forms.ChoiceField, self.fields["owner"]).choices = member_choices(organisation)
        for i in range(1, MILESTONE_ROWS + 1):
            self.fields[f"milestone_date_{i}"] = LocalDateField(
                label=_("Milestone %(n)s: date") % {"n": lnum(i)}, required=False
            )
            self.fields[f"milestone_value_{i}"] = NumberField(
                label=_("Milestone %(n)s: value") % {"n": lnum(i)}, required=False
            )
        if editing:
            self.fields["revision_reason"] = forms.CharField(
                label=_("Reason for the change"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
                help_text=_(
                    "Needed when the target, deadline, milestones or scope change; kept in the "
                    "goal's history."
                ),
            )

    def milestone_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"milestone_date_{i}"], self[f"milestone_value_{i}"])
            for i in range(1, MILESTONE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for i in range(1, MILESTONE_ROWS + 1):
            day, value = data.get(f"milestone_date_{i}"), data.get(f"milestone_value_{i}")
            if (day is None) != (value is None) and not self.errors.get(f"milestone_date_{i}"):
                self.add_error(
                    f"milestone_value_{i}" if value is None else f"milestone_date_{i}",
                    _("A milestone needs both a date and a value."),
                )
        return data

    # -- reading what was typed --

    def values_for_check(self) -> dict[str, Any]:
        """The typed values, valid or not, by field name (for the live SMART check).

        A bound form is cleaned (once) and gives its cleaned data, where a field that does not
        clean is missing; an unbound form gives each initial value cleaned, None where it
        does not clean.
        """
        if self.is_bound:
            self.is_valid()
            return self.cleaned_data
        if self._initial_values is None:
            self._initial_values = {}
            for name, field in self.fields.items():
                value = self.get_initial_for_field(field, name)
                try:
                    cleaned = field.clean(value) if value not in (None, "") else None
                except forms.ValidationError:
                    cleaned = None
                self._initial_values[name] = cleaned
        return self._initial_values

    def typed_value_unit(self) -> str:
        """The unit typed for time values ("hours" until one is chosen)."""
        return self._value("value_unit") or "hours"

    def _value(self, name: str) -> Any:
        return self.values_for_check().get(name)

    def _category_choices(self) -> list[tuple[str, str]]:
        """The organisation's categories by name, the desk's default categories (a template
        may name one before any interaction has it) and the value already chosen."""
        names = dict(category_names(organisation=self.organisation))
        keys = [*names, *(key for key, _label in DEFAULT_CATEGORIES)]
        chosen = (
            self.data.get(self.add_prefix("scope_category"))
            if self.is_bound
            else self.initial.get("scope_category")
        )
        if chosen:
            keys.append(str(chosen))
        options = {key: category_label(names, key) for key in keys}
        return sorted(options.items(), key=lambda item: (item[1].casefold(), item[0]))

    def scope(self) -> dict[str, str] | None:
        scope = {
            dim: (self._value(f"scope_{dim}") or "").strip()
            for dim in ("channel", "team", "agent", "category", "segment")
        }
        scope = {k: v for k, v in scope.items() if v}
        if scope:
            return scope
        return {} if self._value("whole_organisation") else None

    def to_metric_units(self, value: float | None) -> float | None:
        key = self._value("metric_key")
        if not key or value is None:
            return value
        return selectors.from_display(self.typed_value_unit(), key, value)

    def milestones(self) -> list[tuple[dt.date, float]]:
        rows = []
        for i in range(1, MILESTONE_ROWS + 1):
            day, value = self._value(f"milestone_date_{i}"), self._value(f"milestone_value_{i}")
            if day is not None and value is not None:
                converted = self.to_metric_units(value)
                assert converted is not None  # noqa: S101 - value is not None
                rows.append((day, converted))
        return sorted(rows)

    def draft(self) -> selectors.DraftInput:
        """What has been typed so far, valid or not (for the live SMART check)."""
        business_goal = self._value("business_goal")
        return selectors.DraftInput(
            metric_key=self._value("metric_key") or None,
            statistic=self._value("statistic") or "median",
            scope=self.scope(),
            baseline_from=self._value("baseline_from"),
            baseline_to=self._value("baseline_to"),
            target=self.to_metric_units(self._value("target")),
            start=self._value("start"),
            deadline=self._value("deadline"),
            milestones=self.milestones(),
            window_days=self._value("tracking_window_days") or 7,
            business_goal=business_goal.title if business_goal else None,
            reason=self._value("reason"),
        )

    def goal_data(self) -> GoalData:
        d = self.cleaned_data
        return GoalData(
            title=d["title"],
            goal_type=d["goal_type"],
            metric_key=d["metric_key"],
            statistic=d["statistic"],
            value_unit=d["value_unit"],
            scope=self.scope() or {},
            baseline_from=d["baseline_from"],
            baseline_to=d["baseline_to"],
            target=self.to_metric_units(d["target"]) or 0.0,
            start=d["start"],
            deadline=d["deadline"],
            milestones=self.milestones(),
            tracking_window_days=d["tracking_window_days"],
            business_goal=d["business_goal"],
            reason=d["reason"],
            owner=_member(self.organisation, d.get("owner") or ""),
            template=d.get("template") or "",
            person_target=self.to_metric_units(d.get("person_target")),
        )


def goal_initial(goal: Goal) -> dict[str, Any]:
    """The form's initial values for an existing goal (times in the goal's unit)."""
    initial: dict[str, Any] = {
        "title": goal.title,
        "goal_type": goal.goal_type,
        "metric_key": goal.metric_key,
        "statistic": goal.statistic,
        "value_unit": goal.value_unit,
        "whole_organisation": not goal.scope,
        "baseline_from": goal.baseline_from,
        "baseline_to": goal.baseline_to,
        "target": _round(selectors.to_display(goal, goal.metric_key, goal.target)),
        "person_target": _round(selectors.to_display(goal, goal.metric_key, goal.person_target)),
        "start": goal.start,
        "deadline": goal.deadline,
        "tracking_window_days": goal.tracking_window_days,
        "business_goal": goal.business_goal_id,
        "reason": goal.reason,
        "owner": str(goal.owner_id or ""),
        "template": goal.template,
    }
    for dim, value in (goal.scope or {}).items():
        initial[f"scope_{dim}"] = value
    for i, m in enumerate(goal.milestones.all(), start=1):
        initial[f"milestone_date_{i}"] = m.date
        initial[f"milestone_value_{i}"] = _round(
            selectors.to_display(goal, goal.metric_key, m.value)
        )
    return initial


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class ObjectiveForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Action step"), max_length=300, widget=AUTO_DIRECTION
    )
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False)
    due = LocalDateField(label=gettext_lazy("Due"), required=False)
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        cast(forms.ChoiceField, self.fields["owner"]).choices = member_choices(organisation)

    def owner_user(self) -> Any:
        return _member(self.organisation, self.cleaned_data.get("owner") or "")


class ConfidenceForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("How reachable is this goal?"),
        coerce=int,
        choices=[
            (1, gettext_lazy("1 – out of reach")),
            (2, gettext_lazy("2 – unlikely")),
            (3, gettext_lazy("3 – possible")),
            (4, gettext_lazy("4 – likely")),
            (5, gettext_lazy("5 – certain")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class StrategyForm(forms.Form):
    vision = forms.CharField(
        label=gettext_lazy("Service vision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=gettext_lazy("One or two sentences the whole team can repeat."),
    )
    values = forms.CharField(
        label=gettext_lazy("Values"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=gettext_lazy(
            "One value of the vision per line, e.g. “We own the problem”; a recognition can "
            "name one."
        ),
    )

    def value_list(self) -> list[str]:
        return (self.cleaned_data.get("values") or "").splitlines()


class BusinessGoalForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=BusinessGoalKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, widget=AUTO_DIRECTION)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class ThresholdsForm(forms.Form):
    """One field per criterion and level (empty: no bar of its own)."""

    def __init__(self, *args: Any, thresholds: LevelThresholds, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The column headers: each level with its place among the four, as on the level page.
        self.level_names = [level_ranked(level) for level in BARRED_LEVELS]
        self.rows = []
        for criterion, bar in thresholds.criteria():
            names = []
            for level in BARRED_LEVELS:
                name = f"{criterion}__{level}"
                self.fields[name] = NumberField(
                    label=f"{metric_name(criterion)} – {LEVEL_NAMES[level]}",
                    required=False,
                    initial=bar.own(level),
                )
                names.append(name)
            self.rows.append((criterion, metric_name(criterion), [self[n] for n in names]))

    def thresholds_dict(self) -> dict[str, dict[str, float | None]]:
        out: dict[str, dict[str, float | None]] = {}
        for name, value in self.cleaned_data.items():
            criterion, level = name.split("__")
            out.setdefault(criterion, {})[level] = value
        return out


def criterion_unit(criterion: str) -> str:
    try:
        return "%" if metric(criterion).unit == "percent" else ""
    except KeyError:
        return _("points")
