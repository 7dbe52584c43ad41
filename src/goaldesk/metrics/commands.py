"""`goaldesk kpis`: every metric of the catalogue for a period, as a table or as JSON."""

import argparse
import datetime as dt
import json
import sys
from typing import Any

from django.utils.translation import gettext as _

from goaldesk.core.commands import filters_of, text_table
from goaldesk.core.parsing import ArgumentProblem, parse_days
from goaldesk.metrics.catalogue import CATALOGUE, Metric


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def format_value(entry: Metric, value: Any) -> str:
    """A metric value as plain text for a terminal (no locale: scripts read it too)."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        return (
            "  ".join(f"{name} {format_value(entry, value[name])}" for name in entry.aggregates)
            + f"  (n={value['count']})"
        )
    if entry.unit == "count":
        return str(value)
    if entry.unit == "seconds":
        return f"{value:.1f} s"
    if entry.unit == "percent":
        return f"{value:.1f} %"
    return f"{value:.2f}"


def _table(kpis: dict[str, Any]) -> str:
    width = max(len(str(m.name)) for m in CATALOGUE)
    return "\n".join(
        f"{m.name!s:<{width}}  {format_value(m, kpis[m.key])}" for m in CATALOGUE if m.key in kpis
    )


def cmd_kpis(args: argparse.Namespace) -> int:
    from goaldesk.accounts.models import Organisation
    from goaldesk.interactions.selectors import FilterError
    from goaldesk.metrics.scope import span_problem
    from goaldesk.metrics.selectors import kpis_breakdown, kpis_for_period

    try:
        date_from, date_to = parse_days(args.date_from, args.date_to)
        too_long = span_problem(date_from, date_to, by_day=args.by == "day")
        if too_long:
            raise ArgumentProblem(too_long)
        organisation = Organisation.objects.filter(slug=args.org).first()
        if organisation is None:
            raise ArgumentProblem(_("--org: no organisation “%(slug)s”.") % {"slug": args.org})
        filters = filters_of(args)
        if args.by:
            groups = kpis_breakdown(
                organisation=organisation,
                date_from=date_from,
                date_to=date_to,
                filters=filters,
                by=args.by,
            )
        else:
            kpis = kpis_for_period(
                organisation=organisation, date_from=date_from, date_to=date_to, filters=filters
            )
    except (ArgumentProblem, FilterError) as problem:
        print(f"goaldesk kpis: {problem}", file=sys.stderr)
        return 2

    header = {
        "organisation": organisation.slug,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "filters": filters,
    }
    if args.json:
        if args.by:
            payload = header | {"by": args.by, "groups": [_plain(g) for g in groups]}
        else:
            payload = header | {"kpis": _plain(kpis)}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0

    print(f"{organisation.name}  {date_from.isoformat()} – {date_to.isoformat()}")
    if filters:
        print("  ".join(f"{k}={v}" for k, v in filters.items()))
    if args.by:
        for group in groups:
            print(f"\n== {group['label']} ==")
            print(_table(group))
    else:
        print()
        print(_table(kpis))
    return 0


def _ranking_table(ranking: Any) -> str:
    """The ranking as a text table: rank, agent, value, bound, sample (headers translated)."""
    rows = [(_("Rank"), _("Agent"), _("Value"), _("Bound"), _("Sample"))]
    for r in ranking.entries:
        rows.append(
            (
                str(r.rank) if r.rank is not None else _("Not enough data"),
                f"{r.name} ({r.key})" if r.name and r.name != r.key else r.key,
                format_value(ranking.metric, r.value),
                format_value(ranking.metric, r.bound),
                str(r.sample),
            )
        )
    return text_table(rows)


def organisation_and_days(args: argparse.Namespace) -> tuple[Any, dt.date, dt.date]:
    """The organisation `--org` and the days `--from`..`--to` of a `goaldesk team` command;
    ArgumentProblem when a date cannot be read, the span is too long or there is no such
    organisation."""
    from goaldesk.accounts.models import Organisation
    from goaldesk.metrics.scope import span_problem

    date_from, date_to = parse_days(args.date_from, args.date_to)
    too_long = span_problem(date_from, date_to, by_day=False)
    if too_long:
        raise ArgumentProblem(too_long)
    organisation = Organisation.objects.filter(slug=args.org).first()
    if organisation is None:
        raise ArgumentProblem(_("--org: no organisation “%(slug)s”.") % {"slug": args.org})
    return organisation, date_from, date_to


def cmd_team_ranking(args: argparse.Namespace) -> int:
    """`goaldesk team ranking`: the agents ranked fairly for one metric and period."""
    from goaldesk.metrics.ranking import agents_ranking, rankable_kind

    try:
        organisation, date_from, date_to = organisation_and_days(args)
        rankable = [m.key for m in CATALOGUE if rankable_kind(m) is not None]
        if args.metric not in {m.key for m in CATALOGUE}:
            raise ArgumentProblem(
                "--metric: " + _("Unknown metric “%(value)s”.") % {"value": args.metric}
            )
        if args.metric not in rankable:
            raise ArgumentProblem(
                _("--metric: %(metric)s cannot be ranked; use one of: %(keys)s.")
                % {"metric": args.metric, "keys": ", ".join(rankable)}
            )
        ranking = agents_ranking(
            organisation=organisation, date_from=date_from, date_to=date_to, key=args.metric
        )
    except ArgumentProblem as problem:
        print(f"goaldesk team ranking: {problem}", file=sys.stderr)
        return 2

    if args.json:
        payload = [
            {
                "agent": r.key,
                "rank": r.rank,
                "value": _plain(r.value),
                "bound": _plain(r.bound),
                "sample": r.sample,
            }
            for r in ranking.entries
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(f"{organisation.name}  {date_from.isoformat()} – {date_to.isoformat()}")
    print(f"{ranking.metric.name}\n")
    print(_ranking_table(ranking))
    return 0
