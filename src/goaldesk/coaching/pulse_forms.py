"""Forms of the team pulse: the answer (three questions) and the settings."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from goaldesk.core.display import digits, form_digits
from goaldesk.core.forms import DigitsForm, DigitsModelForm, LocalIntegerField

from .models.pulse import PulseSettings

WORKLOAD_CHOICES = [
    (1, _("Much too low")),
    (2, _("A little low")),
    (3, _("About right")),
    (4, _("A little high")),
    (5, _("Much too high")),
]
FAIRNESS_CHOICES = [
    (1, _("Very unfair")),
    (2, _("Rather unfair")),
    (3, _("Neither fair nor unfair")),
    (4, _("Rather fair")),
    (5, _("Very fair")),
]


class PulseAnswerForm(DigitsForm):
    workload = forms.TypedChoiceField(
        label=_("How is your workload these days?"),
        choices=WORKLOAD_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    fairness = forms.TypedChoiceField(
        label=_("How fair is the schedule (shifts, weekends, evenings) to you?"),
        choices=FAIRNESS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    recommend = forms.TypedChoiceField(
        label=_(
            "How likely are you to recommend working here to a friend? (0 = not at all, 10 = certainly)"
        ),
        choices=[],
        coerce=int,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommend"].choices = [(v, str(v)) for v in range(11)]  # type: ignore[attr-defined]
        # Numbers in the reader's digits, written when the page is drawn.
        self.fields["recommend"].label = digits(self.fields["recommend"].label)
        form_digits(self)


class PulseSettingsForm(DigitsModelForm):
    open_days = LocalIntegerField(min_value=1, max_value=7, help_text=_("From 1 to 7 days."))

    class Meta:
        model = PulseSettings
        fields = ["enabled", "every_weeks", "open_days"]
        help_texts = {
            "enabled": _(
                "Agents are asked three short questions; nobody, managers included, can see "
                "who answered what."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["open_days"].label = capfirst(
            PulseSettings._meta.get_field("open_days").verbose_name
        )
        form_digits(self)
