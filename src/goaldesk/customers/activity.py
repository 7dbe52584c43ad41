"""What the interactions know about customers, for the customer and segment pages.

customers sits below interactions (whose write path keeps a record for every customer key) and
feedback (survey answers), so it may not import them. Those apps register, in its `AppConfig.ready()`, the
functions below (`register(...)`, as metrics/providers.py does for metrics of upper apps); the
pages here call them. Without a registration every customer shows no contacts and every
segment's behaviour rules match nobody.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from goaldesk.accounts.models import Organisation
from goaldesk.customers.models import Customer, Segment


@dataclass(frozen=True)
class Activity:
    """A customer's contacts as the interactions tell them."""

    first_contact: dt.datetime | None = None
    last_contact: dt.datetime | None = None
    contacts: int = 0
    last_csat: int | None = None


_HOOKS: dict[str, Callable[..., Any]] = {}


def register(**hooks: Callable[..., Any]) -> None:
    """From interactions: activity(organisation=, keys=) → {key: Activity};
    interactions(organisation=, key=, limit=) → the customer's latest interactions;
    members(segment=) → the segment's customers. From feedback: answers(organisation=, key=,
    user=, everyone=, limit=) → the customer's latest survey answers (`everyone`: all of them,
    else only those about interactions credited to `user`)."""
    _HOOKS.update(hooks)


def activity_of(*, organisation: Organisation, keys: Sequence[str]) -> dict[str, Activity]:
    hook = _HOOKS.get("activity")
    return hook(organisation=organisation, keys=list(keys)) if hook else {}


def interactions_of(*, organisation: Organisation, key: str, limit: int = 50) -> list[Any]:
    hook = _HOOKS.get("interactions")
    return hook(organisation=organisation, key=key, limit=limit) if hook else []


def answers_of(
    *, organisation: Organisation, key: str, user: Any, everyone: bool, limit: int = 20
) -> list[Any]:
    hook = _HOOKS.get("answers")
    if hook is None:
        return []
    return hook(organisation=organisation, key=key, user=user, everyone=everyone, limit=limit)


def segment_members(*, segment: Segment) -> QuerySet[Customer]:
    hook = _HOOKS.get("members")
    if hook is None:
        return Customer.objects.none()
    return hook(segment=segment)
