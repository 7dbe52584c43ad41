"""Forms of the team and agent pages."""

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation
from goaldesk.team.models import Agent, Team


class _UserChoiceField(forms.ModelChoiceField):
    """A sign-in user shown by their user name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_username())


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)


class AgentForm(forms.Form):
    key = forms.CharField(
        label=_("Key"),
        max_length=150,
        help_text=_("The agent's e-mail address or code, as it appears in imported files."),
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )
    user = _UserChoiceField(
        label=_("Sign-in user"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Lets this member see their own scorecard and shifts."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # self.fields is typed as plain Fields; these two are the ModelChoiceFields declared above.
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = Team.objects.filter(
            organisation=organisation
        )
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation)
            .order_by(get_user_model().USERNAME_FIELD)
        )
        self.fields["key"].widget.attrs["dir"] = "ltr"


class _AgentChoiceField(forms.ModelChoiceField):
    """An agent shown by name and key."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.key})" if obj.name else str(obj.key)


class AgentMergeForm(forms.Form):
    """Which agent the merged one becomes."""

    target = _AgentChoiceField(label=_("Merge into"), queryset=Agent.objects.none())

    def __init__(self, *args: Any, source: Agent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = (
            Agent.objects.filter(organisation_id=source.organisation_id)
            .exclude(pk=source.pk)
            .order_by("name", "key")
        )
