from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from goaldesk.knowledge.models import Article, Category


class ArticleTextForm(forms.Form):
    """The article's text in one language, and its category."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 18, "dir": "auto"}),
        help_text=_(
            "Markdown: **bold**, *italic*, lists, [links](https://example.org), ## headings. "
            "HTML is shown as text."
        ),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )

    def __init__(self, *args, organisation, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["category"])
        field.queryset = Category.objects.filter(organisation=organisation)
        field.label_from_instance = lambda c: c.name_in(language)  # type: ignore[method-assign, assignment]
        self.fields["title"].widget.attrs["dir"] = "auto"


class CategoryForm(forms.Form):
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=name,
                max_length=120,
                required=False,
                widget=forms.TextInput(attrs={"dir": "auto"}),
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(f"name_{code}", "").strip() for code, _n in settings.LANGUAGES):
            raise forms.ValidationError(_("Give the category a name in at least one language."))
        return data

    def names(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code, _n in settings.LANGUAGES}

    @staticmethod
    def initial_for(category: Category) -> dict:
        return {
            "position": category.position,
            **{f"name_{k}": v for k, v in category.names.items()},
        }


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=Article.State.choices)


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes"
    )
    missing = forms.CharField(
        label=_("What was missing?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class ContactForm(forms.Form):
    """The help centre's "contact us". `website` is a trap for robots: hidden from people (and
    from screen readers), a robot that fills it is thanked and nothing is created."""

    website = forms.CharField(required=False, max_length=200)
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "name"}),
    )
    # An address reads left to right on a right-to-left page too.
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=200,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
