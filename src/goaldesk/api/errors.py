"""Errors the API answers with, all as JSON.

422 bodies name the field: `{"detail": [{"field": "created_at", "message": "…"}]}` — the same
field names and messages as an import's rejected rows. An unexpected exception (a bug) is
logged as Django logs a server error and answered `{"detail": "…"}` with 500, so a client never
gets an HTML page.
"""

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from goaldesk.interactions.records import CANONICAL_FIELDS


class TokenRejected(AuthenticationError):
    """A bearer token was sent but is unknown or revoked (answered with 401)."""

    def __init__(self, message: str) -> None:
        super().__init__(message=message)
        self.message = message


class TokenThrottled(Exception):
    """Too many bad tokens came from the caller's address (answered with 429 and Retry-After)."""

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_seconds = retry_after_seconds


class FieldInvalid(Exception):
    """A request value that cannot be used: which field, and why (translated)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def unknown_field_message(field: str) -> str:
    return _("“%(field)s” is not a field of an interaction. The fields are: %(fields)s.") % {
        "field": field,
        "fields": ", ".join(CANONICAL_FIELDS),
    }


def _field_of(loc: Iterable[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        # ("body", <parameter name>, <field>, <union member>…)
        return parts[2] if len(parts) > 2 else "body"
    return parts[1] if len(parts) > 1 else (parts[0] if parts else "")


def _message_for(error: dict[str, Any], field: str) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return unknown_field_message(field)
    if kind == "missing":
        return _("This field is required.")
    if field == "body":
        return _("The request body must be a JSON object.")
    if error.get("loc", ("",))[0] == "body":
        return _("Expected text, a number or null.")
    return _("This value is not valid.")


def install_error_handlers(api: NinjaAPI) -> None:
    def field_invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request, {"detail": [{"field": exc.field, "message": exc.message}]}, status=422
        )

    def validation_error(request: HttpRequest, exc: Any) -> HttpResponse:
        detail: list[dict[str, str]] = []
        seen: set[str] = set()
        for error in exc.errors:
            field = _field_of(error.get("loc", ()))
            if field in seen:
                continue  # a union type reports once per member; one message per field is enough
            seen.add(field)
            detail.append({"field": field, "message": _message_for(error, field)})
        return api.create_response(request, {"detail": detail}, status=422)

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(
            request,
            {
                "detail": exc.message
                if isinstance(exc, TokenRejected)
                else _("Sign in, or send an API token in the Authorization header: “Bearer gd_…”.")
            },
            status=401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    def token_throttled(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(request, {"detail": exc.message}, status=429)
        response["Retry-After"] = str(exc.retry_after_seconds)
        return response

    def server_error(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(
            request,
            {
                "detail": _(
                    "Something went wrong on the server; it has been logged. Try again later."
                )
            },
            status=500,
        )
        log_response(
            "Internal Server Error: %s",
            request.path,
            response=response,
            request=request,
            exception=exc,
        )
        return response

    # Ninja's own handlers (404, HttpError, …) are more specific and still win; only what
    # nothing else handles reaches this one.
    api.add_exception_handler(Exception, server_error)
    api.add_exception_handler(FieldInvalid, field_invalid)
    api.add_exception_handler(TokenThrottled, token_throttled)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)
