"""Slowing down requests anybody can send: at most N of a kind ("scope") per source ("key",
usually the client address) within a sliding window.

Each counted request is a `core.ThrottleHit` row, in the database so that every app process sees
the same counts (no CACHES is configured; Django's default cache is per process). The limits
are `settings.GOALDESK_THROTTLES`: scope → (requests, window). Used by the public help centre
(contact form, answers), the public survey page and password-reset e-mails; the client address
comes from `accounts.throttling.client_ip_address` (trusted proxies), which callers pass in.

Rows that left the window are deleted when their scope is counted again, and every hour by the
worker (`throttle_prune`, a periodic job).

Two processes counting the same key at the same instant may both pass: one request more than
the limit, no harm. Requests that are refused are not counted, so the wait named to a visitor
holds however often they retry.
"""

import datetime as dt
import math
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from goaldesk.core.models import ThrottleHit

_KEY_LENGTH = ThrottleHit._meta.get_field("key").max_length or 300


def throttle_limit(scope: str) -> tuple[int, dt.timedelta]:
    """(requests, window) of `scope` from settings.GOALDESK_THROTTLES."""
    requests, window = settings.GOALDESK_THROTTLES[scope]
    return int(requests), window


def throttle_hit(
    *, scope: str, keys: Sequence[str], now: dt.datetime | None = None
) -> dt.timedelta:
    """Count one request of `scope` for each of `keys`, unless one of them already has the
    limit's number of requests within the window: then nothing is counted.

    Returns how long the caller must wait before such a request is accepted: zero when this one
    was accepted (and counted). Rows of `scope` that left the window are deleted on the way."""
    limit, window = throttle_limit(scope)
    now = now or timezone.now()
    window_start = now - window
    unique_keys = list(dict.fromkeys(key[:_KEY_LENGTH] for key in keys))
    with transaction.atomic():
        ThrottleHit.objects.filter(scope=scope, at__lte=window_start).delete()
        wait = dt.timedelta(0)
        for key in unique_keys:
            times = list(
                ThrottleHit.objects.filter(scope=scope, key=key, at__gt=window_start)
                .order_by("at")
                .values_list("at", flat=True)
            )
            if len(times) >= limit:
                # Accepted again once enough of the counted requests left the window.
                wait = max(wait, times[len(times) - limit] + window - now)
        if wait > dt.timedelta(0):
            return wait
        ThrottleHit.objects.bulk_create(
            [ThrottleHit(scope=scope, key=key, at=now) for key in unique_keys]
        )
    return dt.timedelta(0)


def throttle_prune(*, now: dt.datetime | None = None) -> int:
    """Delete every counted request that left its scope's window (a scope no longer in the
    settings: the longest window); run hourly by the worker. Returns the rows deleted."""
    now = now or timezone.now()
    windows = {scope: throttle_limit(scope)[1] for scope in settings.GOALDESK_THROTTLES}
    longest = max(windows.values(), default=dt.timedelta(0))
    deleted = 0
    for scope, window in windows.items():
        deleted += ThrottleHit.objects.filter(scope=scope, at__lte=now - window).delete()[0]
    deleted += (
        ThrottleHit.objects.exclude(scope__in=list(windows))
        .filter(at__lte=now - longest)
        .delete()[0]
    )
    return deleted


def wait_minutes(wait: dt.timedelta) -> int:
    """A wait as whole minutes for people (rounded up, at least 1)."""
    return max(1, math.ceil(wait.total_seconds() / 60))
