"""Who may see what: every organisation page goes through `org_view`.

A visitor who is not a member of the organisation gets 404 (the organisation's existence is
not revealed); a member whose role is too low gets 403; an anonymous visitor is sent to sign in.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone, translation

from goaldesk.accounts.models import Calendar, Membership, Organisation, Profile, Role
from goaldesk.core.display import display_calendar, display_numbering, display_week_start
from goaldesk.core.parsing import local_calendar, local_calendar_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User as AuthUser

LANGUAGE_COOKIE = "django_language"


class SignedInRequest(HttpRequest):
    """A request of a signed-in user (`login_required`), after `PreferencesMiddleware` set
    their `profile`."""

    user: "AuthUser"
    profile: Profile


class OrgRequest(SignedInRequest):
    """A request to an organisation page that `org_view` let through."""

    org: Organisation
    membership: Membership


def profile_for(user: Any) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def apply_preferences(request: HttpRequest, org: Organisation | None = None) -> None:
    """Activate the language and calendar for this request.

    Language: the visitor's explicit choice (cookie), else their profile, else the organisation's.
    Calendar: the user's profile, else the organisation's.
    """
    profile = getattr(request, "profile", None)
    if request.COOKIES.get(LANGUAGE_COOKIE) is None:
        language = (profile.language if profile else "") or (org.language if org else "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
    calendar = (profile.calendar if profile else "") or (org.calendar if org else "")
    display_calendar.set(calendar or Calendar.GREGORIAN)
    local_calendar.set(local_calendar_of(calendar))
    if org is not None:
        display_numbering.set("arab" if org.arabic_indic_digits else "latn")
        display_week_start.set(org.week_start)
        timezone.activate(org.tzinfo)


@contextmanager
def reading_as(user: Any, organisation: Organisation | None) -> Iterator[str]:
    """Within the block, everything shown is in `user`'s language, calendar and digits and in
    `organisation`'s time zone, as on their pages: for e-mail and other text made outside a
    request. Yields the language code."""
    profile = Profile.objects.filter(user=user).first() if user is not None else None
    language = (profile.language if profile else "") or (
        organisation.language if organisation else ""
    )
    calendar = (profile.calendar if profile else "") or (
        organisation.calendar if organisation else ""
    )
    tokens: list[tuple[Any, Any]] = [
        (display_calendar, display_calendar.set(calendar or Calendar.GREGORIAN)),
        (local_calendar, local_calendar.set(local_calendar_of(calendar))),
    ]
    if organisation is not None:
        tokens += [
            (
                display_numbering,
                display_numbering.set("arab" if organisation.arabic_indic_digits else "latn"),
            ),
            (display_week_start, display_week_start.set(organisation.week_start)),
        ]
    try:
        with (
            translation.override(language or "en"),
            timezone.override(organisation.tzinfo if organisation is not None else None),
        ):
            yield translation.get_language()
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)


def org_view(
    role: str = Role.VIEWER,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Decorate a view of `/o/<org_slug>/…`: it runs with `request.org` and `request.membership`.

    The view may answer with any response, a streaming one included.
    """

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(
            request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = (
                Membership.objects.select_related("organisation")
                .filter(user=request.user, organisation__slug=org_slug)
                .first()
            )
            if membership is None:
                raise Http404
            if not membership.allows(role):
                raise PermissionDenied
            org_request = cast(OrgRequest, request)
            org_request.org = membership.organisation
            org_request.membership = membership
            apply_preferences(request, membership.organisation)
            profile = getattr(request, "profile", None)
            if profile is not None and profile.last_organisation_id != membership.organisation_id:
                Profile.objects.filter(pk=profile.pk).update(
                    last_organisation=membership.organisation
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
