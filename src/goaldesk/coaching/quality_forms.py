"""Forms of quality reviews: a rubric with its table of criteria, a review (one row of radio
buttons per criterion), the agent's dispute, the manager's resolution and the queue rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goaldesk.coaching.models import Criterion, DisputeOutcome, QualityReview
from goaldesk.coaching.quality_services import AnswerInput, CriterionData
from goaldesk.core.forms import DigitsForm, LocalFloatField, LocalIntegerField

NOT_APPLICABLE = "na"


class RubricForm(DigitsForm):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=100, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    active = forms.BooleanField(
        label=gettext_lazy("In use (reviewers can score with it)"), required=False, initial=True
    )


class CriterionForm(DigitsForm):
    key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)
    label = forms.CharField(
        label=gettext_lazy("Criterion"),
        max_length=150,
        widget=forms.TextInput(attrs={"dir": "auto", "size": 22}),
    )
    help_text = forms.CharField(
        label=gettext_lazy("Guidance for reviewers"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "size": 28}),
    )
    scale_min = LocalIntegerField(label=gettext_lazy("Lowest points"), initial=0)
    scale_max = LocalIntegerField(label=gettext_lazy("Highest points"), initial=2)
    weight = LocalFloatField(label=gettext_lazy("Weight"), initial=1, min_value=0.01)
    critical = forms.BooleanField(label=gettext_lazy("Critical"), required=False)
    not_applicable_allowed = forms.BooleanField(
        label=gettext_lazy("Not applicable allowed"), required=False
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error("scale_max", _("The highest points must be above the lowest."))
        return data

    def criterion_data(self) -> CriterionData:
        d = self.cleaned_data
        return CriterionData(
            key=d.get("key") or "",
            label=d["label"],
            help_text=d.get("help_text") or "",
            scale_min=d["scale_min"],
            scale_max=d["scale_max"],
            weight=d["weight"],
            critical=bool(d.get("critical")),
            not_applicable_allowed=bool(d.get("not_applicable_allowed")),
        )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True, max_num=40)


def criterion_initial(criteria: list[Criterion]) -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "label": c.label,
            "help_text": c.help_text,
            "scale_min": c.scale_min,
            "scale_max": c.scale_max,
            "weight": c.weight,
            "critical": c.critical,
            "not_applicable_allowed": c.not_applicable_allowed,
        }
        for c in criteria
    ]


def criteria_from(formset: Any) -> list[CriterionData]:
    """The filled, not deleted rows of a valid formset, in their order."""
    return [
        form.criterion_data()
        for form in formset.forms
        if form.has_changed() and not form.cleaned_data.get("DELETE") and form.cleaned_data
    ]


class ReviewForm(forms.Form):
    """One radio group per criterion (its points, and "not applicable" where allowed), an
    optional comment per criterion and one for the review."""

    comment = forms.CharField(
        label=gettext_lazy("Comment for the agent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        review: QualityReview | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        previous = {a.criterion_id: a for a in review.answers.all()} if review else {}
        self.rows = []
        for criterion in criteria:
            choices = [(str(p), str(p)) for p in criterion.points]
            if criterion.not_applicable_allowed:
                choices.append((NOT_APPLICABLE, _("N/A")))
            answer = previous.get(criterion.pk)
            points_name, comment_name = f"c_{criterion.key}", f"note_{criterion.key}"
            self.fields[points_name] = forms.ChoiceField(
                label=criterion.label,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose the points or not applicable."),
                    "invalid_choice": _("Choose one of the points shown."),
                },
                initial=(
                    None
                    if answer is None
                    else (NOT_APPLICABLE if answer.points is None else str(answer.points))
                ),
            )
            self.fields[comment_name] = forms.CharField(
                label=_("Note on “%(criterion)s”") % {"criterion": criterion.label},
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"dir": "auto"}),
                initial=answer.comment if answer else "",
            )
            self.rows.append((criterion, self[points_name], self[comment_name]))
        if review is not None:
            self.fields["comment"].initial = review.comment

    def answers(self) -> AnswerInput:
        out: dict[str, tuple[int | None, str]] = {}
        for criterion in self.criteria:
            value = self.cleaned_data[f"c_{criterion.key}"]
            out[criterion.key] = (
                None if value == NOT_APPLICABLE else int(value),
                self.cleaned_data.get(f"note_{criterion.key}") or "",
            )
        return out


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you disagree?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        error_messages={"required": gettext_lazy("Say why you disagree with the review.")},
    )


class ResolveForm(ReviewForm):
    """The manager's decision; when upheld, the corrected answers (the same table)."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=DisputeOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the agent"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rejected: the answers stay as they are, so they are only needed when upheld.
        for name, field in self.fields.items():
            if name.startswith("c_"):
                field.required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == DisputeOutcome.UPHELD:
            for criterion in self.criteria:
                if not data.get(f"c_{criterion.key}"):
                    self.add_error(f"c_{criterion.key}", _("Choose the points or not applicable."))
        return data


class QueueRulesForm(DigitsForm):
    sample_per_agent_week = LocalIntegerField(
        label=gettext_lazy("Random interactions per agent and week"),
        min_value=0,
        max_value=50,
        help_text=gettext_lazy("0 turns the random sample off."),
    )
    low_csat = forms.BooleanField(
        label=gettext_lazy("Every interaction with a CSAT of 1 or 2"), required=False
    )
    negative_sentiment = forms.BooleanField(
        label=gettext_lazy("Every interaction that ended with a negative sentiment"),
        required=False,
    )
