"""Errors the API answers with, all as JSON.

422 bodies name every bad field: `{"detail": [{"field": "created_at", "message": "…"}, …]}` —
the same field names and messages as an import's rejected rows. A body that is not JSON at all
is invalid input too, so it also answers 422 (field `body`). An unexpected exception (a bug) is
logged as Django logs a server error and answered `{"detail": "…"}` with 500, so a client never
gets an HTML page.
"""

import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as ModelInvalid
from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

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


class FieldsInvalid(Exception):
    """Several request values that cannot be used, reported together in one 422."""

    def __init__(self, problems: list[FieldInvalid]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


T = TypeVar("T")


class FieldChecks:
    """Collects the FieldInvalid of several checks so one 422 names every bad field.

    `take(check, …)` runs a check and returns its value, or None after noting its problem;
    `done()` raises FieldsInvalid when anything was noted.
    """

    def __init__(self) -> None:
        self.problems: list[FieldInvalid] = []

    def take(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        try:
            return check(*args, **kwargs)
        except FieldInvalid as problem:
            self.add(problem)
            return None

    def add(self, problem: FieldInvalid) -> None:
        self.problems.append(problem)

    def failed(self, field: str) -> bool:
        return any(p.field == field for p in self.problems)

    def done(self) -> None:
        if len(self.problems) == 1:
            raise self.problems[0]
        if self.problems:
            raise FieldsInvalid(self.problems)


class BodyNotJson(ValueError):
    """The request body could not be read as JSON."""


class JsonParser(Parser):
    """ninja's JSON parser, with a failure the error handlers can tell from other 400s."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            return json.loads(request.body)
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise BodyNotJson(str(error)) from error


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
    loc = [str(p) for p in error.get("loc", ())]
    if kind == "extra_forbidden":
        return unknown_field_message(field)
    if field == "body":
        return _("The request body must be a JSON object.")
    if kind in ("missing", "string_too_short") or error.get("input", ...) is None:
        return _("This field is required.")
    if loc and loc[0] == "body" and loc[-1] in ("str", "int", "float"):
        # One member of a union such as "text, a number or null" (schemas.Scalar).
        return _("Expected text, a number or null.")
    if kind == "bool_type":
        return _("Expected true or false.")
    if kind == "int_type":
        return _("Expected a whole number.")
    if kind in ("float_type", "int_from_float"):
        return _("Expected a number.")
    if kind == "string_type":
        return _("Expected text.")
    return _("This value is not valid.")


def install_error_handlers(api: NinjaAPI) -> None:
    def field_invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request, {"detail": [{"field": exc.field, "message": exc.message}]}, status=422
        )

    def fields_invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": [{"field": p.field, "message": p.message} for p in exc.problems]},
            status=422,
        )

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc.__cause__, BodyNotJson):
            return api.create_response(
                request,
                {
                    "detail": [
                        {"field": "body", "message": _("The request body is not valid JSON.")}
                    ]
                },
                status=422,
            )
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

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
    api.add_exception_handler(FieldsInvalid, fields_invalid)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, unauthenticated)


def saved_or_422(call: Callable[[], Any]) -> Any:
    """Run a service call; turn the ValidationError it raises into a 422 body naming each
    field (the form field's name; "" for a problem of the whole)."""
    try:
        return call()
    except ModelInvalid as error:
        detail = []
        if hasattr(error, "error_dict"):
            for field, problems in error.error_dict.items():
                for message in ModelInvalid(problems).messages:
                    detail.append({"field": field, "message": message})
        else:
            detail = [{"field": "", "message": m} for m in error.messages]
        return Status(422, {"detail": detail})
