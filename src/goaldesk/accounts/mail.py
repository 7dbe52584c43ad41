"""E-mail written for one person: their language, calendar, digits and direction; a plain-text
and an HTML part; a signed link to stop that kind of e-mail."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language_bidi

from goaldesk.accounts.access import reading_as
from goaldesk.accounts.models import Organisation

_UNSUBSCRIBE_SALT = "goaldesk.notifications.unsubscribe"
#: An unsubscribe link keeps working for a year (old e-mails are still read).
UNSUBSCRIBE_MAX_AGE_SECONDS = 366 * 24 * 3600


def absolute(path: str) -> str:
    """`path` on this site as a full address (GOALDESK_SITE_URL)."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.GOALDESK_SITE_URL + path


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.TimestampSigner(salt=_UNSUBSCRIBE_SALT).sign_object({"u": user_id, "k": kind})


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a valid, unexpired token; None otherwise."""
    try:
        data = signing.TimestampSigner(salt=_UNSUBSCRIBE_SALT).unsign_object(
            token, max_age=UNSUBSCRIBE_MAX_AGE_SECONDS
        )
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("k", ""))


def localised_email(
    *,
    user: Any | None,
    organisation: Organisation | None,
    subject: Callable[[], str] | str,
    template: str,
    context: Mapping[str, Any],
    unsubscribe_kind: str | None,
    address: str = "",
) -> EmailMultiAlternatives:
    """An e-mail to `user` from `template` (`<template>.txt` and `<template>.html`), written in
    their language and calendar. Callables in `context` and `subject` are called inside, so
    their text is translated for the recipient.

    To someone without an account (an invitation): `user=None`, `address` set; it is written in
    the organisation's language and calendar, and has no unsubscribe link."""
    if user is None and (not address or unsubscribe_kind):
        raise ValueError("An e-mail without a user needs an address and has no unsubscribe link.")
    with reading_as(user, organisation) as language:
        values = {key: value() if callable(value) else value for key, value in context.items()}
        unsubscribe = ""
        if unsubscribe_kind and user is not None:
            unsubscribe = absolute(
                reverse(
                    "notifications:unsubscribe",
                    args=[unsubscribe_token(user_id=user.pk, kind=unsubscribe_kind)],
                )
            )
        values |= {
            "recipient": user,
            "organisation": organisation,
            "language": language,
            "direction": "rtl" if get_language_bidi() else "ltr",
            "unsubscribe_url": unsubscribe,
            "site_url": settings.GOALDESK_SITE_URL,
        }
        if values.get("url"):
            values["url"] = absolute(values["url"])
        title = subject() if callable(subject) else str(subject)
        text = render_to_string(f"{template}.txt", values)
        html = render_to_string(f"{template}.html", values)
    headers = {"Content-Language": language}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
    message = EmailMultiAlternatives(
        subject=" ".join(title.split()),  # no line breaks in a subject
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address or (user.email if user is not None else "")],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def send_all(messages: Iterable[EmailMultiAlternatives]) -> int:
    """Send over one connection. Returns the number sent."""
    batch = list(messages)
    if not batch:
        return 0
    with get_connection() as connection:
        return connection.send_messages(batch) or 0
