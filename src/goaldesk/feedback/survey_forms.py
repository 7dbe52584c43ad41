"""Forms of the survey pages: a design (its name and questions, each in every language), the
rules, and making invitations."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from goaldesk.core.display import digits
from goaldesk.core.forms import DigitsForm, DigitsModelForm, LocalDateField
from goaldesk.customers.models import Segment
from goaldesk.interactions.models import Channel

from .models import QuestionKind, SurveyInvitation, SurveyQuestion, SurveyRules
from .survey_services import QuestionData


def _direction(code: str) -> str:
    """A text field in `code` runs in that language's direction, whatever the page's."""
    return "rtl" if get_language_info(code)["bidi"] else "ltr"


#: Empty question rows offered under a design's questions.
NEW_ROWS = 2


class SurveyForm(DigitsForm):
    """The name, then per question row `kind-N`, `required-N`, `remove-N`, `text-N-<lang>` and
    `options-N-<lang>` (one option a line) — the rows are built by the view."""

    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args: Any, rows: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows = rows
        kinds = [("", "—"), *QuestionKind.choices]
        for n in range(rows):
            self.fields[f"kind-{n}"] = forms.ChoiceField(
                label=_("Question"), choices=kinds, required=False
            )
            self.fields[f"required-{n}"] = forms.BooleanField(label=_("Required"), required=False)
            self.fields[f"remove-{n}"] = forms.BooleanField(label=_("Remove"), required=False)
            for code, language in settings.LANGUAGES:
                self.fields[f"text-{n}-{code}"] = forms.CharField(
                    label=language,
                    required=False,
                    max_length=500,
                    widget=forms.TextInput(attrs={"lang": code, "dir": _direction(code)}),
                )
                self.fields[f"options-{n}-{code}"] = forms.CharField(
                    label=language,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3, "lang": code, "dir": _direction(code)}),
                )

    def show_built_in(self, kinds: list[str]) -> None:
        """Each question's built-in wording in each language, as the placeholder of its text."""
        from django.utils.translation import override

        from .survey_selectors import default_question_text

        for n, kind in enumerate(kinds[: self.rows]):
            for code, _l in settings.LANGUAGES:
                with override(code):
                    built_in = default_question_text(kind)
                if built_in:
                    self.fields[f"text-{n}-{code}"].widget.attrs["placeholder"] = built_in

    def row_fields(self) -> list[dict[str, Any]]:
        """The bound fields of each question row, for the template."""
        return [
            {
                "kind": self[f"kind-{n}"],
                "required": self[f"required-{n}"],
                "remove": self[f"remove-{n}"],
                "texts": [self[f"text-{n}-{code}"] for code, _l in settings.LANGUAGES],
                "options": [self[f"options-{n}-{code}"] for code, _l in settings.LANGUAGES],
            }
            for n in range(self.rows)
        ]

    def questions(self) -> list[QuestionData]:
        data = self.cleaned_data
        out = []
        for n in range(self.rows):
            kind = data.get(f"kind-{n}")
            if not kind or data.get(f"remove-{n}"):
                continue
            texts = {code: data.get(f"text-{n}-{code}", "") for code, _l in settings.LANGUAGES}
            options: list[dict[str, str]] = []
            if kind == QuestionKind.CHOICE:
                per_language = {
                    code: [
                        line.strip()
                        for line in data.get(f"options-{n}-{code}", "").splitlines()
                        if line.strip()
                    ]
                    for code, _l in settings.LANGUAGES
                }
                count = max(len(v) for v in per_language.values())
                options = [
                    {code: lines[i] for code, lines in per_language.items() if i < len(lines)}
                    for i in range(count)
                ]
            out.append(QuestionData(kind, texts, options, bool(data.get(f"required-{n}"))))
        return out


def initial_of(questions: list[SurveyQuestion]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for n, q in enumerate(questions):
        initial[f"kind-{n}"] = q.kind
        initial[f"required-{n}"] = q.required
        for code, _l in settings.LANGUAGES:
            initial[f"text-{n}-{code}"] = (q.texts or {}).get(code, "")
            initial[f"options-{n}-{code}"] = "\n".join(
                o.get(code, "") for o in q.options or [] if isinstance(o, dict)
            )
    return initial


class RulesForm(DigitsModelForm):
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every channel."),
    )
    segments_included = forms.TypedMultipleChoiceField(
        label=_("Only customers of these segments"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every customer."),
    )
    segments_excluded = forms.TypedMultipleChoiceField(
        label=_("Never customers of these segments"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SurveyRules
        fields = [
            "survey",
            "automatic",
            "channels",
            "resolved_only",
            "segments_included",
            "segments_excluded",
            "once_per_customer_days",
            "delay_hours",
            "reminder_days",
            "expiry_days",
            "low_score_to_review",
            "low_score_notify",
        ]
        labels = {"survey": _("Survey sent")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from .models import Survey

        self.fields["survey"].queryset = Survey.objects.filter(  # type: ignore[attr-defined]
            organisation=self.instance.organisation
        )
        self.fields["survey"].required = False
        segments = [
            (segment.pk, segment.name)
            for segment in Segment.objects.filter(organisation=self.instance.organisation)
        ]
        for name in ("segments_included", "segments_excluded"):
            self.fields[name].choices = segments  # type: ignore[attr-defined]
        self.fields["expiry_days"].min_value = 1  # type: ignore[attr-defined]
        self.fields["expiry_days"].validators.append(_at_least_one)
        # "… (0: never)": the digit in the reader's script.
        self.fields["reminder_days"].label = digits(self.fields["reminder_days"].label)


def _at_least_one(value: int) -> None:
    if value is not None and value < 1:
        raise forms.ValidationError(_("A link must work for one day at least."))


class InviteForm(DigitsForm):
    interaction = forms.CharField(
        label=_("Interaction (external id)"), required=False, max_length=100
    )
    date_from = LocalDateField(label=_("From"), required=False)
    date_to = LocalDateField(label=_("To"), required=False)
    delivery = forms.ChoiceField(
        label=_("How"),
        choices=SurveyInvitation.Delivery.choices,
        initial=SurveyInvitation.Delivery.LINK,
    )
    email = forms.EmailField(label=_("Customer's e-mail address"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one = bool(data.get("interaction"))
        period = bool(data.get("date_from") and data.get("date_to"))
        if one == period:
            raise forms.ValidationError(
                _("Give either one interaction, or a first and a last day.")
            )
        if period and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The last day is before the first."))
        return data
