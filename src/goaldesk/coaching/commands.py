"""`goaldesk team scorecard`: one agent's scorecard of a period, as a table or as JSON."""

import argparse
import json
import sys
from typing import Any

from django.utils.translation import gettext as _

from goaldesk.core.commands import finite, text_table
from goaldesk.core.parsing import ArgumentProblem
from goaldesk.metrics.commands import format_value, organisation_and_days

from .scorecard_selectors import Scorecard


def _number(value: Any) -> Any:
    if value is None or isinstance(value, int):
        return value
    return finite(value)


def scorecard_payload(card: Scorecard) -> dict[str, Any]:
    """A scorecard as JSON-ready data (values in metric units: seconds, %; a duration's value
    is its median). The CLI and the API answer with it."""
    return {
        "agent": card.agent.key,
        "name": str(card.agent),
        "team": card.agent.team.name if card.agent.team else None,
        "from": card.date_from.isoformat(),
        "to": card.date_to.isoformat(),
        "previous_from": card.previous[0].isoformat(),
        "previous_to": card.previous[1].isoformat(),
        "team_values_of": card.team_name or "organisation",
        "metrics": [
            {
                "key": row.metric.key,
                "value": _number(row.current.value),
                "sample": row.current.sample,
                "previous": _number(row.previous.value),
                "previous_sample": row.previous.sample,
                "change": _number(row.change),
                "team_value": _number(row.team),
                "goals": [
                    {
                        "id": target.goal.pk,
                        "title": target.goal.title,
                        "statistic": target.goal.statistic if row.metric.is_duration else None,
                        "target": _number(target.goal.target),
                        "person_target": _number(target.person_target),
                        "own": _number(target.own),
                        "own_sample": target.own_sample,
                        "met": target.met,
                    }
                    for target in row.goals
                ],
            }
            for row in card.rows
        ],
        "objectives": [
            {
                "id": o.pk,
                "title": o.title,
                "goal": o.goal.title,
                "due": o.due.isoformat() if o.due else None,
                "done": o.done,
            }
            for o in card.objectives
        ],
        "badges": [
            {"kind": b.kind, "goal": b.goal.title, "earned_at": b.earned_at.isoformat()}
            for b in card.badges
        ],
        "recognitions": len(card.recognitions),
    }


def _table(card: Scorecard) -> str:
    rows = [(_("Metric"), _("Value"), _("Sample"), _("Previous"), _("Team"), _("Goal targets"))]
    for row in card.rows:
        entry = row.metric
        rows.append(
            (
                str(entry.name),
                format_value(entry, row.current.value),
                str(row.current.sample),
                format_value(entry, row.previous.value),
                format_value(entry, row.team),
                "; ".join(
                    f"{t.goal.title}: {format_value(entry, t.goal.target)}"
                    + (
                        f" ({_('each agent')} {format_value(entry, t.person_target)})"
                        if t.person_target is not None
                        else ""
                    )
                    for t in row.goals
                ),
            )
        )
    return text_table(rows)


def cmd_team_scorecard(args: argparse.Namespace) -> int:
    """`goaldesk team scorecard AGENT --org SLUG --from DATE --to DATE [--json]`."""
    from goaldesk.team.models import Agent

    from .scorecard_selectors import scorecard

    try:
        organisation, date_from, date_to = organisation_and_days(args)
        agent = (
            Agent.objects.filter(organisation=organisation, key=args.agent)
            .select_related("team", "user")
            .first()
        )
        if agent is None:
            raise ArgumentProblem(
                _("No agent “%(value)s” in this organisation.") % {"value": args.agent}
            )
    except ArgumentProblem as problem:
        print(f"goaldesk team scorecard: {problem}", file=sys.stderr)
        return 2

    card = scorecard(organisation=organisation, agent=agent, date_from=date_from, date_to=date_to)
    if args.json:
        print(json.dumps(scorecard_payload(card), ensure_ascii=False, indent=2))
        return 0
    print(f"{card.agent} ({card.agent.key})  {date_from.isoformat()} – {date_to.isoformat()}")
    print(
        _("Compared with %(first)s – %(last)s")
        % {"first": card.previous[0].isoformat(), "last": card.previous[1].isoformat()}
    )
    print()
    print(_table(card))
    if card.objectives:
        print()
        for objective in card.objectives:
            due = objective.due.isoformat() if objective.due else "—"
            print(f"[{'x' if objective.done else ' '}] {objective.title}  ({due})")
    return 0
