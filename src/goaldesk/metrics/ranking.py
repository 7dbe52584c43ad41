"""Per-agent samples of a catalogue metric, and the fair ranking of agents (METRICS.md,
"Ranking people fairly"; the arithmetic is in engine.ranking).

Only metrics that are a share of yes/no outcomes (a `percent` of two aggregates, nothing
subtracted) or a mean (a sum over a count, or a duration column) with a better direction can
be ranked; `rankable_kind` says which.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from goaldesk.accounts.models import Organisation
from goaldesk.engine.ranking import Kind, Ranked, Sample, rank_agents
from goaldesk.metrics.catalogue import Durations, Metric, Ratio, Sums, metric
from goaldesk.metrics.selectors import interactions_in_period, kpis_breakdown
from goaldesk.team.models import Agent


def rankable_kind(entry: Metric) -> Kind | None:
    """ "proportion", "mean", or None when the metric cannot be ranked fairly (a count, a
    rate per day, a difference of shares such as NPS, or no better direction)."""
    if entry.better is None:
        return None
    if isinstance(entry.computed, Durations):
        return "mean"
    if isinstance(entry.computed, Sums) and isinstance(entry.computed.figure, Ratio):
        figure = entry.computed.figure
        if figure.less:
            return None
        if entry.unit == "percent" and figure.scale == 100:
            return "proportion"
        if figure.scale == 1:
            return "mean"
    return None


def agent_samples(
    *, organisation: Organisation, date_from: dt.date, date_to: dt.date, key: str
) -> list[Sample]:
    """One Sample per agent with an interaction in the period: for a share the yes-count and
    n, for a mean the mean and n (n = 0 when none of the agent's interactions has a value).

    Reads the catalogue's own aggregates grouped by agent (a duration through the dashboard's
    breakdown by agent). Raises KeyError for an unknown key, ValueError when `rankable_kind`
    is None. Interactions without an agent are left out.
    """
    entry = metric(key)
    kind = rankable_kind(entry)
    if kind is None:
        raise ValueError(f"{key} cannot be ranked")
    samples: dict[int, dict[str, Any]] = {}
    if isinstance(entry.computed, Durations):
        for group in kpis_breakdown(
            organisation=organisation, date_from=date_from, date_to=date_to, by="agent", keys=[key]
        ):
            if group["group"]:
                summary = group[key]
                samples[group["group"]] = {"n": summary["count"], "mean": summary["mean"]}
    else:
        assert isinstance(entry.computed, Sums)  # noqa: S101 - rankable_kind checked it
        figure = entry.computed.figure
        assert isinstance(figure, Ratio)  # noqa: S101 - rankable_kind checked it
        rows = (
            interactions_in_period(organisation=organisation, date_from=date_from, date_to=date_to)
            .filter(agent__isnull=False)
            .order_by()
            .annotate(group=F("agent_id"))
            .values("group")
            .annotate(**entry.computed.aggregates_for(organisation))
        )
        for row in rows:
            n = row.get(figure.denominator) or 0
            top = row.get(figure.numerator) or 0
            if kind == "proportion":
                samples[row["group"]] = {"n": n, "successes": top}
            else:
                samples[row["group"]] = {"n": n, "mean": top / n if n else None}
    agents = {
        a.pk: a for a in Agent.objects.filter(organisation=organisation, pk__in=list(samples))
    }
    return [
        Sample(agents[pk].key, int(values.pop("n")), str(agents[pk]), **values)
        for pk, values in samples.items()
        if pk in agents
    ]


@dataclass(frozen=True)
class AgentRanking:
    """The ranking of one metric and period: `entries` in rank order (engine.ranking.Ranked,
    with value and bound in the metric's unit, e.g. % for a share)."""

    metric: Metric
    kind: Kind
    entries: list[Ranked]


def agents_ranking(
    *, organisation: Organisation, date_from: dt.date, date_to: dt.date, key: str
) -> AgentRanking:
    """The agents ranked for metric `key` over the period (see engine.ranking.rank_agents; a
    mean's prior is the pooled mean of every agent's observations). Raises as agent_samples."""
    entry = metric(key)
    samples = agent_samples(
        organisation=organisation, date_from=date_from, date_to=date_to, key=key
    )
    kind = rankable_kind(entry)
    assert kind is not None and entry.better is not None  # noqa: S101 - agent_samples checked
    ranked = rank_agents(samples, kind=kind, better=entry.better)
    if kind == "proportion":
        # Shares are % in the catalogue; the engine works in 0–1.
        ranked = [
            Ranked(
                r.key,
                r.name,
                r.rank,
                None if r.value is None else 100 * r.value,
                None if r.bound is None else 100 * r.bound,
                r.sample,
            )
            for r in ranked
        ]
    return AgentRanking(entry, kind, ranked)
