"""What the data says about a segment's customers, for its persona card: preferred channels,
common categories, contact hours, CSAT and NPS over a period, and the goals that target the
segment (goals whose scope names it)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractHour

from goaldesk.accounts.models import Organisation
from goaldesk.customers.activity import segment_members
from goaldesk.customers.models import Segment
from goaldesk.feedback.models import Persona
from goaldesk.goals.models import Goal
from goaldesk.interactions.models import channel_label
from goaldesk.interactions.selectors import category_label, category_names
from goaldesk.metrics.selectors import interactions_in_period, kpis_for_period

#: How many channels, categories and hours a card names.
TOP = 3


@dataclass
class PersonaCard:
    segment: Segment
    persona: Persona | None
    customers: int = 0
    contacts: int = 0
    #: (label, share of contacts in %)
    channels: list[tuple[str, float]] = field(default_factory=list)
    categories: list[tuple[str, float]] = field(default_factory=list)
    #: (hour 0–23 in the organisation's time zone, share in %), busiest first
    hours: list[tuple[int, float]] = field(default_factory=list)
    csat_pct: float | None = None
    csat_avg: float | None = None
    nps: float | None = None
    goals: list[Goal] = field(default_factory=list)


def _shares(rows: list[tuple[Any, int]], total: int) -> list[tuple[Any, float]]:
    return [(key, 100.0 * n / total) for key, n in rows[:TOP]] if total else []


def persona_card(
    *, organisation: Organisation, segment: Segment, date_from: dt.date, date_to: dt.date
) -> PersonaCard:
    """The card of `segment` over the days date_from..date_to."""
    persona = Persona.objects.filter(segment=segment).first()
    filters = {"segment": str(segment.pk)}
    rows = interactions_in_period(
        organisation=organisation, date_from=date_from, date_to=date_to, filters=filters
    ).order_by()
    by_channel = list(
        rows.values("channel").annotate(n=Count("pk")).order_by("-n").values_list("channel", "n")
    )
    total = sum(n for _key, n in by_channel)
    names = category_names(organisation=organisation)
    by_category = list(
        rows.exclude(category="")
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n", "category")
        .values_list("category", "n")
    )
    by_hour = list(
        rows.annotate(hour=ExtractHour("created_at", tzinfo=organisation.tzinfo))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by("-n", "hour")
        .values_list("hour", "n")
    )
    figures = kpis_for_period(
        organisation=organisation,
        date_from=date_from,
        date_to=date_to,
        filters=filters,
        keys=["csat_pct", "csat_avg", "nps"],
    )
    return PersonaCard(
        segment=segment,
        persona=persona,
        customers=segment_members(segment=segment).count(),
        contacts=total,
        channels=[(channel_label(c), share) for c, share in _shares(by_channel, total)],
        categories=[
            (category_label(names, c), share)
            for c, share in _shares(by_category, sum(n for _c, n in by_category))
        ],
        hours=_shares(by_hour, total),
        csat_pct=figures["csat_pct"],
        csat_avg=figures["csat_avg"],
        nps=figures["nps"],
        goals=goals_targeting(organisation=organisation, segment=segment),
    )


def goals_targeting(*, organisation: Organisation, segment: Segment) -> list[Goal]:
    """The organisation's goals whose scope names the segment (by name, as goal scopes keep
    it, or by id)."""
    found = []
    for goal in Goal.objects.filter(organisation=organisation, scope__has_key="segment"):
        value = str((goal.scope or {}).get("segment", "")).strip()
        if value.casefold() == segment.name.casefold() or value == str(segment.pk):
            found.append(goal)
    return sorted(found, key=lambda g: g.title.casefold())


def persona_cards(
    *, organisation: Organisation, date_from: dt.date, date_to: dt.date
) -> list[PersonaCard]:
    """A card for every segment of the organisation, by segment name."""
    return [
        persona_card(organisation=organisation, segment=s, date_from=date_from, date_to=date_to)
        for s in Segment.objects.filter(organisation=organisation).order_by("name")
    ]
