"""Reads of the interactions app that pages in several apps share: the categories' names, the
list's search, one interaction's notes, history and reviews."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _

from goaldesk.accounts.models import Organisation
from goaldesk.customers.models import Segment
from goaldesk.interactions.models import (
    Category,
    Channel,
    Interaction,
    InteractionChange,
    InteractionNote,
    Review,
    category_default_name,
)
from goaldesk.interactions.segments import segment_q
from goaldesk.team.models import Agent, Team


def category_names(*, organisation: Organisation) -> dict[str, str]:
    """{category key: its name for the reader}: the name in the reader's language, else in the
    organisation's language, else in English, else the default name made from the key.

    Every page, chart and CSV that shows a category looks it up here (one query). A key with no
    category row (none should exist: every write creates one) is not in the map; callers show
    `category_default_name(key)` for it.
    """
    languages = [translation.get_language() or "en", organisation.language or "en", "en"]
    return {
        category.key: category.name_in(*languages)
        for category in Category.objects.filter(organisation=organisation)
    }


def category_list(*, organisation: Organisation) -> list[Category]:
    """The organisation's categories by key, each with `interaction_count` (its interactions)."""
    counts = (
        Interaction.objects.filter(organisation=organisation, category=OuterRef("key"))
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Category.objects.filter(organisation=organisation)
        .annotate(interaction_count=Coalesce(Subquery(counts), 0))
        .order_by("key")
    )


def category_label(names: Mapping[str, str], key: str) -> str:
    """The name of category `key` from a `category_names` map ("" for no category)."""
    if not key:
        return ""
    return names.get(key) or category_default_name(key)


#: Longest search text used (a longer one is cut: no customer id or note needs more to be found).
SEARCH_MAX_CHARS = 100


def interactions_matching(
    interactions: QuerySet[Interaction], *, text: str, categories: Mapping[str, str]
) -> QuerySet[Interaction]:
    """`interactions` narrowed to those whose customer, external id, category (its key or its
    name in `categories`, a `category_names` map) or one of whose notes contains `text`,
    ignoring case (for Latin letters on SQLite, every letter on PostgreSQL); all of them when
    `text` is blank. Plain `icontains`, so the same query runs on either database."""
    text = " ".join(text.split())[:SEARCH_MAX_CHARS]
    if not text:
        return interactions
    folded = text.casefold()
    named = [key for key, name in categories.items() if folded in name.casefold()]
    noted = InteractionNote.objects.filter(interaction=OuterRef("pk"), text__icontains=text)
    return interactions.filter(
        Q(customer_id__icontains=text)
        | Q(external_id__icontains=text)
        | Q(category__icontains=text)
        | Q(category__in=named)
        | Exists(noted)
    )


def interaction_notes(*, interaction: Interaction) -> list[InteractionNote]:
    """The interaction's notes, oldest first, each with its author."""
    return list(interaction.notes.select_related("author").order_by("created_at", "pk"))


def interaction_changes(*, interaction: Interaction) -> list[InteractionChange]:
    """The recorded changes of the interaction, newest first, each with its user."""
    return list(
        InteractionChange.objects.filter(
            organisation_id=interaction.organisation_id, interaction=interaction
        )
        .select_related("user")
        .order_by("-at", "-pk")
    )


def interaction_reviews(*, interaction: Interaction) -> list[Review]:
    """The organisation's reviews that belong to this interaction. A review has no link of
    its own to an interaction: it belongs when it carries the same external id, or when its
    author is the interaction's customer (a review signed with the customer id). Newest first.
    """
    match = Q(external_id=interaction.external_id)
    if interaction.customer_id:
        match |= Q(author=interaction.customer_id)
    return list(
        Review.objects.filter(Q(organisation_id=interaction.organisation_id) & match).order_by(
            "-date", "-pk"
        )
    )


#: The filters a page, goal, command or API call may narrow interactions by.
FILTER_NAMES = ("channel", "team", "agent", "category", "segment")


class FilterError(ValueError):
    """A filter value that names nothing in the organisation (message is translated)."""


def filter_ids(*, organisation: Organisation, name: str, value: str) -> list[int]:
    """The ids of the team (by name or id) or agent (by key or id) a filter names; FilterError
    when there is none."""
    model, key_field = (Team, "name") if name == "team" else (Agent, "key")
    match = Q(**{key_field: value})
    if value.isdigit():
        match |= Q(pk=int(value))
    ids = list(model.objects.filter(match, organisation=organisation).values_list("pk", flat=True))
    if not ids:
        message = (
            _("No team “%(value)s” in this organisation.")
            if name == "team"
            else _("No agent “%(value)s” in this organisation.")
        )
        raise FilterError(message % {"value": value})
    return ids


def resolve_filters(*, organisation: Organisation, filters: Mapping[str, Any] | None) -> Q:
    """The filters (channel, team name or id, agent key or id, category, segment name or id)
    as one Q (a segment: the interactions of its customers, see `interactions.segments`).

    Raises FilterError naming the filter and the value when a channel, team or agent is unknown.
    """
    q = Q()
    for name, raw in (filters or {}).items():
        if raw in (None, ""):
            continue
        if name not in FILTER_NAMES:
            raise FilterError(_("Unknown filter “%(name)s”.") % {"name": name})
        value = str(raw).strip()
        if name == "channel":
            if value not in Channel.values:
                raise FilterError(
                    _("Unknown channel “%(value)s”; use one of: %(choices)s.")
                    % {"value": value, "choices": ", ".join(Channel.values)}
                )
            q &= Q(channel=value)
        elif name == "category":
            q &= Q(category=value)
        elif name == "segment":
            match = Q(name__iexact=value)
            if value.isdigit():
                match |= Q(pk=int(value))
            segment = Segment.objects.filter(match, organisation=organisation).first()
            if segment is None:
                raise FilterError(
                    _("No segment “%(value)s” in this organisation.") % {"value": value}
                )
            q &= segment_q(segment=segment)
        else:
            ids = filter_ids(organisation=organisation, name=name, value=value)
            q &= Q(**{f"{name}_id__in": ids})
    return q


def interactions_for_export(
    *,
    organisation: Organisation,
    date_from: dt.date,
    date_to: dt.date,
    filters: Mapping[str, str] | None = None,
) -> QuerySet[Interaction]:
    """The organisation's interactions whose day is in [date_from, date_to], oldest first,
    narrowed by `filters` as every metric is (`resolve_filters`). Raises FilterError for a
    channel, agent, team or segment the organisation does not have."""
    qs = Interaction.objects.filter(
        resolve_filters(organisation=organisation, filters=filters or {}),
        organisation=organisation,
        local_date__range=(date_from, date_to),
    )
    return qs.order_by("created_at", "pk")
