"""`{% date_input name value id="…" %}`: the date box of forms (core/forms.py's
CalendarDateInput) in hand-written filter forms, so every date box on every page is the same
one — the reader's calendar and digits, and the month grid of datepicker.js."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from goaldesk.core.forms import CalendarDateInput

register = template.Library()


@register.simple_tag
def date_input(name: str, value: Any, id: str = "") -> SafeString:
    """The date box named `name` showing `value` (a date, or text as typed)."""
    return CalendarDateInput().render(name, value, attrs={"id": id} if id else None)
