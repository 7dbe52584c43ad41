"""`{% customer_tabs as tabs %}`: which tabs of the "Customers" tab bar (listening to customers:
customers, segments, personas, surveys, comments, help centre) the member may open, so the bar
links only to pages the member's role allows. The same pattern as `coaching_tabs`."""

from typing import Any

from django import template

from goaldesk.accounts.models import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def customer_tabs(context: template.Context) -> dict[str, bool]:
    """Tab name → shown. Customers, segments, personas and surveys open to every member; the
    survey comments and the help centre's articles to agents and above (as their views say)."""
    membership: Any = context.get("membership")
    if context.get("org") is None or membership is None:
        return {}
    agent = membership.allows(Role.AGENT)
    return {
        "customers": True,
        "segments": True,
        "personas": True,
        "surveys": True,
        "comments": agent,
        "help_centre": agent,
    }
