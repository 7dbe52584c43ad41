from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from goaldesk.accounts.access import apply_preferences, profile_for
from goaldesk.accounts.models import Calendar
from goaldesk.core.display import display_calendar


class PreferencesMiddleware:
    """Load the signed-in user's profile and apply their language and calendar."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        display_calendar.set(Calendar.GREGORIAN)
        timezone.deactivate()
        if request.user.is_authenticated:
            request.profile = profile_for(request.user)  # type: ignore[attr-defined]
            apply_preferences(request, request.profile.last_organisation)  # type: ignore[attr-defined]
        return self.get_response(request)
