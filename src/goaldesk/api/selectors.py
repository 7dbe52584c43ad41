"""Reads behind the API routes, always scoped to one organisation."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from goaldesk.accounts.models import Organisation
from goaldesk.interactions.models import Interaction

_TIMESTAMPS = ("created_at", "first_response_at", "resolved_at", "arrived_at", "fixed_at")
_PLAIN = (
    "external_id", "channel", "customer_id", "category", "status", "outcome", "wait_seconds",
    "handle_seconds", "csat", "nps", "ces", "sentiment_start", "sentiment_end",
)  # fmt: skip


@dataclass(frozen=True)
class InteractionFilters:
    """Days are the organisation's local days of `created_at`; both ends included."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str = ""
    agent: str = ""
    team: str = ""
    category: str = ""
    status: str = ""
    updated_since: dt.datetime | None = None


def interactions_filtered(
    *, organisation: Organisation, filters: InteractionFilters
) -> QuerySet[Interaction]:
    """The organisation's interactions matching `filters`, oldest `created_at` first."""
    qs = Interaction.objects.filter(organisation=organisation)
    if filters.date_from:
        qs = qs.filter(local_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(local_date__lte=filters.date_to)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.agent:
        qs = qs.filter(agent__key=filters.agent)
    if filters.team:
        qs = qs.filter(team__name=filters.team)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.updated_since:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    return qs.select_related("agent", "team").order_by("created_at", "pk")


def interactions_page(
    *,
    organisation: Organisation,
    filters: InteractionFilters,
    limit: int,
    offset: int = 0,
    after: tuple[dt.datetime, int] | None = None,
) -> tuple[int, list[Interaction], bool]:
    """(count of all matches, this page's interactions, whether more follow).

    `after` (created_at, pk) continues after that interaction (keyset paging, stable while
    rows are added); otherwise `offset` rows are skipped.
    """
    qs = interactions_filtered(organisation=organisation, filters=filters)
    count = qs.count()
    if after is not None:
        created_at, pk = after
        qs = qs.filter(Q(created_at__gt=created_at) | Q(created_at=created_at, pk__gt=pk))
        rows = list(qs[: limit + 1])
    else:
        rows = list(qs[offset : offset + limit + 1])
    return count, rows[:limit], len(rows) > limit


def interaction_by_external_id(
    *, organisation: Organisation, external_id: str
) -> Interaction | None:
    return (
        Interaction.objects.select_related("agent", "team")
        .filter(organisation=organisation, external_id=external_id)
        .first()
    )


def interaction_as_dict(interaction: Interaction, *, tz: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """The canonical fields of `interaction`; timestamps in `tz` (so they carry its offset)."""
    data: dict[str, Any] = {name: getattr(interaction, name) for name in _PLAIN}
    for name in _TIMESTAMPS:
        value = getattr(interaction, name)
        data[name] = value.astimezone(tz) if value is not None else None
    data["agent"] = interaction.agent.key if interaction.agent else ""
    data["team"] = interaction.team.name if interaction.team else ""
    data["updated_at"] = interaction.updated_at.astimezone(tz)
    return data
