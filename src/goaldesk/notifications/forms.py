from typing import Any

from django import forms
from django.utils.text import capfirst

from goaldesk.notifications.kinds import KINDS
from goaldesk.notifications.models import DigestFrequency, DigestSetting, Preference


def _label(model: Any, field: str) -> str:
    return capfirst(model._meta.get_field(field).verbose_name)


class PreferencesForm(forms.Form):
    """Per kind of event two boxes (in the app, by e-mail), and the digest's frequency."""

    digest = forms.ChoiceField(choices=DigestFrequency.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["digest"].label = _label(DigestSetting, "frequency")
        #: The columns' headings ("In the app", "By e-mail").
        self.in_app_label = _label(Preference, "in_app")
        self.email_label = _label(Preference, "email")
        for key, kind in KINDS.items():
            for channel, heading in (("in_app", self.in_app_label), ("email", self.email_label)):
                # Each box's own name for screen readers: the kind, then the column.
                self.fields[f"{key}-{channel}"] = forms.BooleanField(
                    required=False, label=f"{kind.label}: {heading}"
                )

    @staticmethod
    def initial_for(choices: dict[str, tuple[bool, bool]], digest: str) -> dict[str, Any]:
        """The form's initial data from `preferences_of` and the digest frequency in force."""
        initial: dict[str, Any] = {"digest": digest}
        for key, (in_app, email) in choices.items():
            initial[f"{key}-in_app"] = in_app
            initial[f"{key}-email"] = email
        return initial

    def rows(self) -> list[dict[str, Any]]:
        """One row per kind for the table: the kind and its two bound boxes."""
        return [
            {"kind": kind, "in_app": self[f"{key}-in_app"], "email": self[f"{key}-email"]}
            for key, kind in KINDS.items()
        ]

    def changed_choices(self) -> dict[str, tuple[bool, bool]]:
        """kind → (in the app, by e-mail) for each kind whose boxes changed."""
        changed = set(self.changed_data)
        return {
            key: (self.cleaned_data[f"{key}-in_app"], self.cleaned_data[f"{key}-email"])
            for key in KINDS
            if {f"{key}-in_app", f"{key}-email"} & changed
        }
