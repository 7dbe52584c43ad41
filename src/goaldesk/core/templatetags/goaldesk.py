"""Template filters for dates, numbers and durations in the reader's language and calendar.

Available in every template without `{% load %}` (see TEMPLATES builtins). The work is done in
`goaldesk.core.display`.
"""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from goaldesk.core import display

register = template.Library()

for _name in ("ldate", "ldatetime", "duration", "lcount"):
    register.filter(_name, getattr(display, _name))
# Only digits change, so text that was safe HTML (a translated sentence kept with `asvar`) stays so.
register.filter("digits", display.digits, is_safe=True)


@register.filter
def lnum(value: object, decimals: int = 0) -> str:
    """`display.lnum`: a number with the reader's separators, digits and minus sign."""
    return display.lnum(value, decimals)


@register.filter
def percent(value: object, decimals: int = 0) -> str:
    """`display.percent`: 86 as "86 %", "۸۶٪" or "٨٦٪؜" for the reader."""
    return display.percent(value, decimals)


@register.filter
def hour_span(value: object) -> str:
    """`display.hour_span`: 11 as "11:00–12:00" in the reader's words and digits."""
    return display.hour_span(value)


@register.filter
def signed(value: object, decimals: int = 0) -> str:
    """A change with its sign, "+3" or "−3", in the reader's digits."""
    return display.lnum(value, decimals, plus=True)


@register.simple_tag(name="number_locale")
def number_locale_tag() -> str:
    """The BCP 47 tag the page's scripts format numbers with (`display.number_locale`)."""
    return display.number_locale()


@register.filter
def bdi(value: object) -> SafeString:
    """User-entered text (a name, a title) isolated in `<bdi>`, so that it reads right in either
    direction inside a translated sentence: `{% blocktranslate with name=agent|bdi %}`."""
    return format_html("<bdi>{}</bdi>", value)


#: A value quoted in a message: “…” (English), „…“ (German), «…» (Persian, Arabic).
_QUOTED = re.compile(r"(“|„|«)([^”“«»]+?)(”|“|»)")


@register.filter
def quotes_isolated(value: object) -> SafeString:
    """A message for people whose quoted values (what someone typed or a file holds) are
    isolated in `<bdi>`, so a Latin value keeps its order inside a Persian or Arabic sentence
    and the other way round."""
    text = conditional_escape(str(value))
    return mark_safe(_QUOTED.sub(r"\1<bdi>\2</bdi>\3", text))  # noqa: S308 - escaped above


@register.filter
def code(value: object) -> SafeString:
    """A code or identifier (external ID, user name, file name) that stays left-to-right,
    isolated from the sentence around it."""
    return format_html('<span class="code">{}</span>', value)
