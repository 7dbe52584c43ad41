from typing import Any

from django.conf import settings
from django.http import HttpRequest

from goaldesk.core.display import display_calendar


def goaldesk(request: HttpRequest) -> dict[str, Any]:
    """What every page's frame needs: the organisation, the member's organisations, languages."""
    context: dict[str, Any] = {
        "org": getattr(request, "org", None),
        "membership": getattr(request, "membership", None),
        "display_calendar": display_calendar.get(),
        "all_languages": settings.LANGUAGES,
    }
    if request.user.is_authenticated:
        context["my_memberships"] = request.user.memberships.select_related(  # type: ignore[union-attr]
            "organisation"
        ).order_by("organisation__name")
    return context
