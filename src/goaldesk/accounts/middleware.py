from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from goaldesk.accounts.access import SignedInRequest, apply_preferences, profile_for
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
            signed_in = cast(SignedInRequest, request)
            signed_in.profile = profile_for(request.user)
            apply_preferences(request, signed_in.profile.last_organisation)
        return self.get_response(request)
