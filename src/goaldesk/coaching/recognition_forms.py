"""Forms of the recognition page and the scorecard settings."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy

from goaldesk.accounts.models import Organisation
from goaldesk.goals.models import Goal, Outcome
from goaldesk.team.models import Agent

from .models import CoachingSettings


class RecognitionForm(forms.Form):
    agent = forms.ChoiceField(label=gettext_lazy("Who"))
    reason = forms.CharField(
        label=gettext_lazy("What for"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    goal = forms.ChoiceField(label=gettext_lazy("Goal it served"), required=False)
    value = forms.ChoiceField(label=gettext_lazy("Value of our vision it lived"), required=False)

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        values: list[str],
        exclude_user: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        agents = Agent.objects.filter(organisation=organisation, active=True)
        if exclude_user is not None:
            agents = agents.exclude(user=exclude_user)
        cast(forms.ChoiceField, self.fields["agent"]).choices = [("", "—")] + [
            (str(a.pk), str(a)) for a in agents
        ]
        goals = Goal.objects.filter(organisation=organisation).exclude(outcome=Outcome.NO_DATA)
        cast(forms.ChoiceField, self.fields["goal"]).choices = [("", "—")] + [
            (str(g.pk), g.title) for g in goals.order_by("-deadline", "pk")[:100]
        ]
        cast(forms.ChoiceField, self.fields["value"]).choices = [("", "—")] + [
            (v, v) for v in values
        ]

    def chosen_agent(self) -> Agent | None:
        return Agent.objects.filter(
            organisation=self.organisation, pk=self.cleaned_data["agent"]
        ).first()

    def chosen_goal(self) -> Goal | None:
        value = self.cleaned_data.get("goal")
        if not value:
            return None
        return Goal.objects.filter(organisation=self.organisation, pk=value).first()


class CoachingSettingsForm(forms.ModelForm):
    class Meta:
        model = CoachingSettings
        fields = ["agents_see_colleagues", "viewers_see_scorecards", "public_rankings"]
        labels = {
            "agents_see_colleagues": gettext_lazy("Agents see their colleagues' scorecards"),
            "viewers_see_scorecards": gettext_lazy("Viewers see scorecards"),
            "public_rankings": gettext_lazy("Every member sees the ranking"),
        }
