"""`{% coaching_tabs as tabs %}`: which tabs of the coaching tab bar the member may open, so
the bar links only to pages the member's role (and the scorecard settings) allow."""

from typing import Any

from django import template

from goaldesk.accounts.models import Role
from goaldesk.coaching.scorecard_selectors import coaching_settings_for, may_see_ranking

register = template.Library()


@register.simple_tag(takes_context=True)
def coaching_tabs(context: template.Context) -> dict[str, bool]:
    """Tab name → shown. Scorecards and recognition open to every member; ranking to every
    member while rankings are public, else managers; quality reviews and the pulse to agents
    and above; the skills matrix and the settings to managers and above."""
    org: Any = context.get("org")
    membership: Any = context.get("membership")
    if org is None or membership is None:
        return {}
    agent = membership.allows(Role.AGENT)
    manager = membership.allows(Role.MANAGER)
    return {
        "scorecards": True,
        "ranking": may_see_ranking(membership, coaching_settings_for(org)),
        "recognitions": True,
        "quality": agent,
        "skills": manager,
        "pulse": agent,
        "settings": manager,
    }
