from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from goaldesk.accounts.access import SignedInRequest, apply_preferences, profile_for
from goaldesk.accounts.models import Calendar, Weekday
from goaldesk.core.display import display_calendar, display_numbering, display_week_start
from goaldesk.core.parsing import local_calendar, local_calendar_of


class PreferencesMiddleware:
    """Load the signed-in user's profile and apply their language and calendar."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        display_calendar.set(Calendar.GREGORIAN)
        display_numbering.set("latn")
        display_week_start.set(Weekday.MONDAY)
        local_calendar.set(local_calendar_of(Calendar.GREGORIAN))
        timezone.deactivate()
        if request.user.is_authenticated:
            signed_in = cast(SignedInRequest, request)
            signed_in.profile = profile_for(request.user)
            apply_preferences(request, signed_in.profile.last_organisation)
        return self.get_response(request)
