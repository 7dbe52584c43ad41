"""Forms of the team and agent pages."""

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from goaldesk.accounts.models import Organisation
from goaldesk.core.display import digits, lnum
from goaldesk.core.forms import DigitsForm, LocalDateField, LocalFloatField
from goaldesk.team.models import Agent, Skill, SkillLevel, Team, TrainingRecord
from goaldesk.team.skill_labels import channel_choices, language_choices, skill_label


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


# --- skills and training ------------------------------------------------------------------------


class SkillForm(DigitsForm):
    """A product or other skill of the organisation (channels and languages come with the
    agents' work profiles or the agent's skills page)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(Skill.Kind.PRODUCT, _("Product")), (Skill.Kind.OTHER, _("Other"))],
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Small Latin letters, digits, “-” or “_”; a requirement file names the skill by it."
        ),
    )
    requires_certification = forms.BooleanField(
        label=_("Certification required"),
        required=False,
        help_text=_("The skill counts only while a passed training record for it has not expired."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["dir"] = "ltr"


class SkillEditForm(DigitsForm):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    requires_certification = forms.BooleanField(
        label=_("Certification required"),
        required=False,
        help_text=_("The skill counts only while a passed training record for it has not expired."),
    )


REMOVE = "remove"


def skill_choices(organisation: Organisation) -> list[tuple[str, str]]:
    """The skills an agent may be given: the organisation's skills ("<id>"), then channels and
    languages it has no skill for yet ("channel:<code>", "language:<code>"), by their names."""
    skills = list(Skill.objects.filter(organisation=organisation))
    have = {(s.kind, s.code) for s in skills}
    choices = [(str(s.pk), skill_label(s)) for s in skills]
    choices += [
        (f"channel:{code}", label)
        for code, label in channel_choices()
        if (Skill.Kind.CHANNEL, code) not in have
    ]
    choices += [
        (f"language:{code}", label)
        for code, label in language_choices()
        if (Skill.Kind.LANGUAGE, code) not in have
    ]
    return sorted(choices, key=lambda c: c[1].casefold())


class AgentSkillForm(DigitsForm):
    skill = forms.ChoiceField(label=_("Skill"))
    level = forms.ChoiceField(label=_("Level"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["skill"]).choices = skill_choices(organisation)
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            *(
                (str(v), f"{lnum(v)} · {label}") for v, label in SkillLevel.choices
            ),  # reader's digits
            (REMOVE, _("Remove the skill")),
        ]


class TrainingRecordForm(DigitsForm):
    course = forms.CharField(label=_("Course"), max_length=150)
    skill = forms.ChoiceField(
        label=_("Certifies skill"),
        required=False,
        help_text=_("Leave empty for a course that certifies no skill."),
    )
    completed_on = LocalDateField(label=_("Completed on"))
    result = forms.ChoiceField(label=_("Result"), choices=TrainingRecord.Result.choices)
    score = LocalFloatField(label=_("Score (0–100)"), required=False, min_value=0, max_value=100)
    expires_on = LocalDateField(
        label=_("Expires on"),
        required=False,
        help_text=_("From this day the certificate no longer counts. Empty: it never expires."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["skill"]).choices = [
            ("", _("No skill")),
            *skill_choices(organisation),
        ]
        score = self.fields["score"]
        score.label = digits(score.label)  # "Score (0–100)" in the reader's digits
