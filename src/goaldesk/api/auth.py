"""Who is calling the API, and which organisation they may reach.

Two ways in:
- an API token, `Authorization: Bearer gd_…`; the token belongs to one organisation and that
  organisation scopes everything it does. Viewer tokens read; manager tokens read and write.
- the session of a signed-in member (the browser, /api/docs), with the CSRF token on unsafe
  methods. The member's role in the organisation decides: viewer and agent read, manager and
  owner read and write.

Every route names the organisation in its path (`/api/v1/orgs/{slug}/…`). A token of another
organisation, or a user who is not a member, gets 404: the organisation's existence is not
revealed. A missing or unusable token gets 401; a role too low for the method gets 403.

Dates with a year before 1700 in a request (bodies and query strings) are read in the calendar
of who sends it: a token's organisation's (Hijri when it shows Hijri dates, else Jalali), a
member's own calendar (else the organisation's); see core/parsing.py.

Guessing tokens is slowed down: after GOALDESK_API_TOKEN_FAILURE_LIMIT bad tokens from one
address within GOALDESK_API_TOKEN_FAILURE_WINDOW, every token from that address (even a good
one, so guessing cannot go on) gets 429 with Retry-After until the window ends.
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from goaldesk.accounts.models import ApiToken, Membership, Organisation, Role, hash_token
from goaldesk.accounts.throttling import (
    api_token_failure_record,
    api_token_lock_remaining,
    client_ip_address,
)
from goaldesk.api.errors import TokenRejected, TokenThrottled
from goaldesk.core.bookkeeping import write_if_free
from goaldesk.core.display import duration
from goaldesk.core.parsing import local_calendar, local_calendar_of

#: How often `last_used_at` is written at most: a busy integration must not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)

#: The lowest role that may write through the API.
WRITE_ROLE = Role.MANAGER


@dataclass(frozen=True)
class Caller:
    """An authenticated API caller: a token (of one organisation) or a signed-in user."""

    token: ApiToken | None = None
    user: Any = None

    def __bool__(self) -> bool:
        return self.token is not None or self.user is not None


class TokenAuth(HttpBearer):
    """`Authorization: Bearer gd_…`, an organisation's API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        ip_address = client_ip_address(request)
        locked_seconds = api_token_lock_remaining(ip_address=ip_address).total_seconds()
        if locked_seconds > 0:
            wait_minutes = max(1, math.ceil(locked_seconds / 60))
            raise TokenThrottled(
                _("Too many invalid API tokens came from your address. Try again in %(duration)s.")
                % {"duration": duration(wait_minutes * 60)},
                retry_after_seconds=math.ceil(locked_seconds),
            )
        token = token.strip()
        api_token = None
        if token.startswith("gd_"):
            api_token = (
                ApiToken.objects.select_related("organisation")
                .filter(token_hash=hash_token(token), revoked_at__isnull=True)
                .first()
            )
        if api_token is None:
            api_token_failure_record(ip_address=ip_address)
            raise TokenRejected(
                _("This API token is not valid or has been revoked. Ask a manager for a new one.")
            )
        now = timezone.now()
        due = api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION
        # (never waiting behind an import's batch: then a later call notes it)
        if due and write_if_free(
            lambda: ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        ):
            api_token.last_used_at = now
        return Caller(token=api_token)


class MemberSessionAuth(APIKeyCookie):
    """The session of a signed-in member; unsafe methods need the CSRF token.

    Stands aside when an Authorization header is sent, so a bad token is always a 401 and
    never falls back to a browser session.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Caller | None:
        if "authorization" in request.headers or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "The CSRF token is missing or wrong. Send the X-CSRFToken header with the value of the csrftoken cookie."
                ),
            )
        return Caller(user=request.user)

    def authenticate(
        self, request: HttpRequest, key: str | None
    ) -> Caller | None:  # pragma: no cover
        return self(request)


def caller_of(request: HttpRequest) -> Caller:
    """Who is calling: the Caller that authenticated the request (django-ninja's `request.auth`)."""
    caller = getattr(request, "auth", None)
    if not isinstance(caller, Caller):
        # Every route of the API authenticates; a route without it is a programming error.
        raise TypeError(f"{request.path} was not authenticated by goaldesk.api.auth.")
    return caller


def organisation_for(request: HttpRequest, slug: str, *, write: bool = False) -> Organisation:
    """The organisation `slug` if the caller may reach it (and write to it when `write`); from
    here on the request reads years before 1700 in the caller's calendar (see the module notes).

    Raises 404 when the caller has no access to that organisation, 403 when the role is too low.
    """
    caller = caller_of(request)
    not_found = HttpError(404, _("There is no organisation “%(slug)s” for you.") % {"slug": slug})
    if caller.token is not None:
        organisation = caller.token.organisation
        if organisation.slug != slug:
            raise not_found
        role = caller.token.role
    else:
        membership = (
            Membership.objects.select_related("organisation")
            .filter(user=caller.user, organisation__slug=slug)
            .first()
        )
        if membership is None:
            raise not_found
        organisation, role = membership.organisation, membership.role
    local_calendar.set(local_calendar_of(_caller_calendar(request, caller, organisation)))
    if write and not Membership(role=role).allows(WRITE_ROLE):
        if caller.token is not None:
            raise HttpError(403, _("This token may only read. Writing needs a manager token."))
        raise HttpError(403, _("Your role may only read. Writing needs the manager or owner role."))
    return organisation


def _caller_calendar(request: HttpRequest, caller: Caller, organisation: Organisation) -> str:
    """The calendar the caller reads dates in: a signed-in member's own choice (their profile,
    loaded by the preferences middleware), else the organisation's."""
    profile = getattr(request, "profile", None) if caller.token is None else None
    return getattr(profile, "calendar", "") or organisation.calendar
