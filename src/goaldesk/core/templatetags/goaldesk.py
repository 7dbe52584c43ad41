"""Template filters for dates, numbers and durations in the reader's language and calendar.

Available in every template without `{% load %}` (see TEMPLATES builtins). The work is done in
`goaldesk.core.display`.
"""

from django import template

from goaldesk.core import display

register = template.Library()

for _name in ("ldate", "ldatetime", "lnum", "duration", "digits"):
    register.filter(_name, getattr(display, _name))
