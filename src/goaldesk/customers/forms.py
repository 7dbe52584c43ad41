"""Forms of the customer and segment pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goaldesk.core.forms import DigitsForm, LocalIntegerField
from goaldesk.customers.models import RuleKind, Segment

#: Attribute rules a segment form offers.
ATTRIBUTE_ROWS = 2


def _attributes_text(attributes: dict[str, Any]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in sorted((attributes or {}).items()))


class CustomerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=50, required=False)
    language = forms.CharField(label=gettext_lazy("Language"), max_length=16, required=False)
    attributes = forms.CharField(
        label=gettext_lazy("Attributes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One a line, name: value (for example tier: gold)."),
    )

    @staticmethod
    def initial_for(customer: Any) -> dict[str, Any]:
        return {
            "name": customer.name,
            "email": customer.email,
            "phone": customer.phone,
            "language": customer.language,
            "attributes": _attributes_text(customer.attributes),
        }

    def clean_attributes(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["attributes"].splitlines(), start=1):
            if not line.strip():
                continue
            name, colon, value = line.partition(":")
            name = "_".join(name.strip().lower().split())
            if not colon or not name:
                raise forms.ValidationError(
                    _("Line %(line)s: write name: value (for example tier: gold).")
                    % {"line": number}
                )
            if len(value.strip()) > 200:
                raise forms.ValidationError(
                    _("Line %(line)s: a value may have at most 200 characters.") % {"line": number}
                )
            found[name] = value.strip()
        return found


class SegmentForm(DigitsForm):
    """A segment's name and description and its rules (every rule filled in must hold)."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contacts_at_least = LocalIntegerField(
        label=gettext_lazy("At least this many contacts"), required=False, min_value=1
    )
    contacts_days = LocalIntegerField(
        label=gettext_lazy("in the last days"), required=False, min_value=1, max_value=3660
    )
    last_csat_at_most = LocalIntegerField(
        label=gettext_lazy("Last CSAT at most (1–5)"), required=False, min_value=1, max_value=5
    )
    returned_days = LocalIntegerField(
        label=gettext_lazy("Came back about the same matter within days"),
        required=False,
        min_value=1,
        max_value=365,
    )

    def __init__(self, *args: Any, attribute_names: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for n in range(1, ATTRIBUTE_ROWS + 1):
            self.fields[f"attribute_{n}"] = forms.CharField(
                label=_("Attribute"),
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"list": "attribute-names"}),
            )
            self.fields[f"value_{n}"] = forms.CharField(
                label=_("is"), required=False, max_length=200
            )
        self.attribute_names = ["language", *(attribute_names or [])]

    def attribute_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"attribute_{n}"], self[f"value_{n}"]) for n in range(1, ATTRIBUTE_ROWS + 1)]

    @staticmethod
    def initial_for(segment: Segment) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": segment.name, "description": segment.description}
        n = 0
        for rule in segment.rules or []:
            kind = rule.get("kind")
            if kind == RuleKind.ATTRIBUTE and n < ATTRIBUTE_ROWS:
                n += 1
                initial[f"attribute_{n}"] = rule.get("field", "")
                initial[f"value_{n}"] = rule.get("value", "")
            elif kind == RuleKind.CONTACTS:
                initial["contacts_at_least"] = rule.get("at_least")
                initial["contacts_days"] = rule.get("days")
            elif kind == RuleKind.LAST_CSAT:
                initial["last_csat_at_most"] = rule.get("at_most")
            elif kind == RuleKind.RETURNED:
                initial["returned_days"] = rule.get("days")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, ATTRIBUTE_ROWS + 1):
            name = (data.get(f"attribute_{n}") or "").strip()
            value = (data.get(f"value_{n}") or "").strip()
            if bool(name) != bool(value):
                self.add_error(
                    f"value_{n}" if name else f"attribute_{n}",
                    _("Give both the attribute and its value, or neither."),
                )
        if data.get("contacts_days") and not data.get("contacts_at_least"):
            self.add_error("contacts_at_least", _("How many contacts in those days?"))
        return data

    def rules(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        rules: list[dict[str, Any]] = []
        for n in range(1, ATTRIBUTE_ROWS + 1):
            name = "_".join((data.get(f"attribute_{n}") or "").strip().lower().split())
            value = (data.get(f"value_{n}") or "").strip()
            if name and value:
                rules.append({"kind": RuleKind.ATTRIBUTE.value, "field": name, "value": value})
        if data.get("contacts_at_least"):
            rules.append(
                {
                    "kind": RuleKind.CONTACTS.value,
                    "at_least": data["contacts_at_least"],
                    "days": data.get("contacts_days") or 90,
                }
            )
        if data.get("last_csat_at_most"):
            rules.append({"kind": RuleKind.LAST_CSAT.value, "at_most": data["last_csat_at_most"]})
        if data.get("returned_days"):
            rules.append({"kind": RuleKind.RETURNED.value, "days": data["returned_days"]})
        return rules
