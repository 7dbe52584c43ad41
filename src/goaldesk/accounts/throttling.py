"""Slowing down password and token guessing: who is asking, and for how long they must wait.

Sign-in is counted by django-axes (settings `AXES_*`), in the database so that every app process
sees the same counts. Bad API tokens are counted here, per client address, in `ApiTokenFailure`
rows (the cache would be per process: no `CACHES` is configured, so Django's is in memory).
Password-reset e-mails are counted per address and per client address by `core.throttle` (the
one counter of requests anybody can send), for the same reason.
"""

import datetime as dt
import ipaddress
from collections.abc import Iterable

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from goaldesk.accounts.models import ApiTokenFailure
from goaldesk.core.throttle import throttle_hit, throttle_limit

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _trusted_proxies() -> list[_Network]:
    return [
        ipaddress.ip_network(entry.strip(), strict=False)
        for entry in getattr(settings, "GOALDESK_TRUSTED_PROXIES", [])
        if entry.strip()
    ]


def _is_within(address: str, networks: Iterable[_Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_ip_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as text.

    `REMOTE_ADDR`, unless it is one of `GOALDESK_TRUSTED_PROXIES`: then the right-most address of
    `X-Forwarded-For` that is not a trusted proxy (each proxy appends the address it saw, so the
    entries left of it may have been written by the client and are not believed).
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")[:64]
    proxies = _trusted_proxies()
    if not proxies or not _is_within(remote, proxies):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed(forwarded):
        address = entry.strip()
        if not _is_address(address):
            break  # not what a trusted proxy writes: do not guess
        if not _is_within(address, proxies):
            return address
    return remote


def _cool_off() -> dt.timedelta:
    cool_off = settings.AXES_COOLOFF_TIME
    assert isinstance(cool_off, dt.timedelta)  # noqa: S101 — settings.py sets a timedelta
    return cool_off


def signin_lock_remaining(*, username: str, ip_address: str) -> dt.timedelta:
    """How long sign-in stays locked for `username` or from `ip_address` (zero when not locked).

    django-axes forgets each counted failure `AXES_COOLOFF_TIME` after it; the lock ends when the
    failures still remembered for the account, and those for the address, are both below
    `AXES_FAILURE_LIMIT`.
    """
    now = timezone.now()
    cool_off = _cool_off()
    limit = int(settings.AXES_FAILURE_LIMIT)
    recent = AccessAttempt.objects.filter(attempt_time__gt=now - cool_off)
    lock_ends_at = now
    for attempts in (recent.filter(username=username), recent.filter(ip_address=ip_address)):
        rows = list(
            attempts.order_by("attempt_time").values_list("attempt_time", "failures_since_start")
        )
        remembered = sum(failures for _, failures in rows)
        for attempt_time, failures in rows:
            if remembered < limit:
                break
            remembered -= failures
            lock_ends_at = max(lock_ends_at, attempt_time + cool_off)
    return lock_ends_at - now


def signin_failures_reset(*, username: str) -> int:
    """Forget the counted sign-in failures of `username` (after it signed in); returns rows deleted.

    Only the account's own failures: a successful sign-in to one account must not wipe what an
    address did to other accounts.
    """
    deleted, _ = AccessAttempt.objects.filter(username=username).delete()
    return deleted


def api_token_lock_remaining(*, ip_address: str) -> dt.timedelta:
    """How long API tokens from `ip_address` are refused (zero when they are not)."""
    now = timezone.now()
    window = settings.GOALDESK_API_TOKEN_FAILURE_WINDOW
    row = (
        ApiTokenFailure.objects.filter(ip_address=ip_address, window_started_at__gt=now - window)
        .values_list("window_started_at", "failures")
        .first()
    )
    if row is None or row[1] < settings.GOALDESK_API_TOKEN_FAILURE_LIMIT:
        return dt.timedelta(0)
    return row[0] + window - now


def api_token_failure_record(*, ip_address: str) -> None:
    """Count one bad API token from `ip_address` in the current window (a new one if it ran out)."""
    now = timezone.now()
    window_start_after = now - settings.GOALDESK_API_TOKEN_FAILURE_WINDOW
    with transaction.atomic():
        row, created = ApiTokenFailure.objects.select_for_update().get_or_create(
            ip_address=ip_address, defaults={"window_started_at": now, "failures": 1}
        )
        if created:
            # Rows of windows that ended are of no use any more; keeps the table small.
            ApiTokenFailure.objects.filter(window_started_at__lte=window_start_after).exclude(
                pk=row.pk
            ).delete()
            return
        if row.window_started_at <= window_start_after:
            ApiTokenFailure.objects.filter(pk=row.pk).update(window_started_at=now, failures=1)
        else:
            ApiTokenFailure.objects.filter(pk=row.pk).update(failures=F("failures") + 1)


#: At most this many password-reset e-mails per e-mail address, and per client address, within
#: the window (settings.GOALDESK_THROTTLES["password_reset"]).
PASSWORD_RESET_LIMIT, PASSWORD_RESET_WINDOW = throttle_limit("password_reset")


def password_reset_allowed(*, email: str, ip_address: str) -> bool:
    """Whether a reset e-mail to `email` asked for from `ip_address` may be sent now; if so it
    is counted. Fewer than PASSWORD_RESET_LIMIT counted in the last PASSWORD_RESET_WINDOW for the
    e-mail address and for the client address: allowed."""
    email = email.strip().lower()[:254]
    wait = throttle_hit(scope="password_reset", keys=[f"email:{email}", f"ip:{ip_address}"])
    return not wait
