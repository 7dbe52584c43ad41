from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from goaldesk.accounts.models import Membership, Organisation, Role
from goaldesk.accounts.selectors import memberships_of_user
from goaldesk.core.display import display_calendar


@dataclass
class NavLinks:
    """Which of the organisation's links the main navigation shows to this member.

    Each is decided at most once per request, and only when a page reads it (partials that
    never show the navigation cost nothing).
    """

    request: HttpRequest
    org: Organisation
    membership: Membership

    @cached_property
    def my_shifts(self) -> bool:
        """Agents see their shifts; so does any other member who is an agent of the
        organisation too (a manager who takes calls) — one query for those."""
        if self.membership.role == Role.AGENT:
            return True
        # The reverse relation of team's Agent: accounts cannot import team.
        user = self.request.user
        return user.is_authenticated and user.agent_records.filter(organisation=self.org).exists()

    @property
    def log_visit(self) -> bool:
        return self.membership.allows(Role.AGENT)

    @property
    def manage(self) -> bool:
        """Import and settings."""
        return self.membership.allows(Role.MANAGER)


def goaldesk(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the organisation, the member's organisations, languages,
    and which links the navigation shows (`nav_links`, on organisation pages only)."""
    org = getattr(request, "org", None)
    membership = getattr(request, "membership", None)
    context: dict[str, Any] = {
        "org": org,
        "membership": membership,
        "display_calendar": display_calendar.get(),
        "all_languages": settings.LANGUAGES,
    }
    if org is not None and membership is not None:
        context["nav_links"] = NavLinks(request, org, membership)
    if request.user.is_authenticated:
        context["my_memberships"] = memberships_of_user(user_id=request.user.pk)
    return context
