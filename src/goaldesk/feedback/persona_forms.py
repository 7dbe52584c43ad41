from django import forms
from django.utils.translation import gettext_lazy


class PersonaForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Persona name"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("Who they are"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "In your words: what these customers want, what upsets them, how to serve them."
        ),
    )
