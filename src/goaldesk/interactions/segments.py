"""Segments evaluated where the data is: a segment's rules (customers.models.Segment) as a
query over the organisation's customers, and as a filter (Q) over interactions, which
`interactions.selectors.resolve_filters` uses for the `segment` filter of every metric, the
dashboard, goals, levels and the API.

Behaviour rules are measured from now (`now`, for tests): "3 or more contacts in the last 90
days" counts the interactions created in the 90 days before now.
"""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from goaldesk.accounts.models import Organisation
from goaldesk.customers.activity import Activity
from goaldesk.customers.models import Customer, RuleKind, Segment
from goaldesk.interactions.models import Interaction


def _int(rule: dict, name: str, default: int = 0) -> int:
    try:
        return int(rule.get(name, default))
    except (TypeError, ValueError):
        return default


def segment_members(*, segment: Segment, now: dt.datetime | None = None) -> QuerySet[Customer]:
    """The customers of the segment's organisation for whom every rule holds."""
    now = now or timezone.now()
    org_id = segment.organisation_id
    customers = Customer.objects.filter(organisation_id=org_id)
    interactions = Interaction.objects.filter(organisation_id=org_id).exclude(customer_id="")
    for number, rule in enumerate(segment.rules or []):
        kind = rule.get("kind")
        if kind == RuleKind.ATTRIBUTE:
            name = str(rule.get("field", "")).strip()
            value = str(rule.get("value", "")).strip()
            if name == "language":
                customers = customers.filter(language__iexact=value)
            else:
                alias = f"rule_{number}"
                customers = customers.alias(**{alias: KeyTextTransform(name, "attributes")}).filter(
                    **{f"{alias}__iexact": value}
                )
        elif kind == RuleKind.CONTACTS:
            since = now - dt.timedelta(days=_int(rule, "days", 90))
            frequent = (
                interactions.filter(created_at__gt=since, created_at__lte=now)
                .order_by()
                .values("customer_id")
                .annotate(n=Count("pk"))
                .filter(n__gte=_int(rule, "at_least", 1))
                .values("customer_id")
            )
            customers = customers.filter(key__in=frequent)
        elif kind == RuleKind.LAST_CSAT:
            latest = (
                interactions.filter(customer_id=OuterRef("key"), csat__isnull=False)
                .order_by("-created_at", "-pk")
                .values("csat")[:1]
            )
            alias = f"rule_{number}"
            customers = customers.alias(**{alias: Subquery(latest)}).filter(
                **{f"{alias}__lte": _int(rule, "at_most", 2)}
            )
        elif kind == RuleKind.RETURNED:
            back = interactions.filter(
                next_contact_at__isnull=False,
                next_contact_at__lte=F("created_at") + dt.timedelta(days=_int(rule, "days", 7)),
            ).values("customer_id")
            customers = customers.filter(key__in=back)
    return customers


def segment_q(*, segment: Segment, now: dt.datetime | None = None) -> Q:
    """The interactions of the segment's customers (every interaction of theirs, whatever its
    day: the period is the page's own filter)."""
    return Q(customer_id__in=segment_members(segment=segment, now=now).values("key"))


def customer_activity(*, organisation: Organisation, keys: Sequence[str]) -> dict[str, Activity]:
    """{key: Activity} for the customer keys that have interactions (two queries)."""
    keys = [key for key in keys if key]
    if not keys:
        return {}
    rows = Interaction.objects.filter(organisation=organisation, customer_id__in=keys)
    counted = (
        rows.order_by()
        .values("customer_id")
        .annotate(first=Min("created_at"), last=Max("created_at"), n=Count("pk"))
    )
    csat: dict[str, int] = {}
    for key, value in (
        rows.filter(csat__isnull=False)
        .order_by("customer_id", "-created_at", "-pk")
        .values_list("customer_id", "csat")
    ):
        if value is not None:
            csat.setdefault(key, value)
    return {
        row["customer_id"]: Activity(
            row["first"], row["last"], row["n"], csat.get(row["customer_id"])
        )
        for row in counted
    }


def customer_interactions(
    *, organisation: Organisation, key: str, limit: int = 50
) -> list[Interaction]:
    """The customer's latest interactions, newest first, with agent and team."""
    if not key:
        return []
    return list(
        Interaction.objects.filter(organisation=organisation, customer_id=key)
        .select_related("agent", "team")
        .order_by("-created_at", "-pk")[:limit]
    )
