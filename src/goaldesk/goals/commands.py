"""`goaldesk level` and `goaldesk goals list|show`: plain text for people, JSON for scripts.

Exit codes: 0 success; 2 unusable arguments (unknown organisation or goal, bad dates).
"""

import argparse
import json
import sys
from typing import Any

from django.utils.translation import gettext as _


def _plain(value: Any) -> Any:
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _organisation(slug: str) -> Any:
    from goaldesk.accounts.models import Organisation
    from goaldesk.core.parsing import ArgumentProblem

    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise ArgumentProblem(_("--org: no organisation “%(slug)s”.") % {"slug": slug})
    return organisation


def level_payload(
    organisation: Any, date_from: Any, date_to: Any, *, filters: Any = None
) -> dict[str, Any]:
    from goaldesk.goals.selectors import level_for_period
    from goaldesk.goals.wording import LEVEL_NAMES, level_sentence

    verdict, measured = level_for_period(
        organisation=organisation, date_from=date_from, date_to=date_to, filters=filters
    )
    data = verdict.as_dict()
    data["level_name"] = str(LEVEL_NAMES[verdict.level]) if verdict.level else None
    data["reason_texts"] = [level_sentence(r.code, r.params) for r in verdict.reasons]
    return {
        "organisation": organisation.slug,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "filters": dict(filters or {}),
        **_plain(data),
        "measured": _plain(measured),
    }


def cmd_level(args: argparse.Namespace) -> int:
    from goaldesk.core.commands import filters_of
    from goaldesk.core.parsing import ArgumentProblem, parse_days
    from goaldesk.interactions.selectors import FilterError
    from goaldesk.metrics.scope import span_problem

    try:
        date_from, date_to = parse_days(args.date_from, args.date_to)
        too_long = span_problem(date_from, date_to, by_day=False)
        if too_long:
            raise ArgumentProblem(too_long)
        organisation = _organisation(args.org)
        filters = filters_of(args)
        payload = level_payload(organisation, date_from, date_to, filters=filters)
    except (ArgumentProblem, FilterError) as problem:
        print(f"goaldesk level: {problem}", file=sys.stderr)
        return 2
    from goaldesk.goals.wording import format_value, level_ranked, metric_name, scope_text

    verdict_level = payload["level"]
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(f"{organisation.name}  {payload['from']} – {payload['to']}")
    if filters:
        print("  ".join(f"{k}={v}" for k, v in filters.items()))
    # "Service level" is the answered-in-time percentage; the verdict is the level of service,
    # named with its place among the four as on the page.
    print(_("Level of service: %(level)s") % {"level": level_ranked(verdict_level) or "—"})
    for text in payload["reason_texts"]:
        print(f"  - {text}")
    if payload["to_reach_next"]:
        # The steps as the page words them: the next level with its place, each metric by
        # its name, where, and its values with their units.
        print(_("To reach “%(next)s”") % {"next": level_ranked(payload["next_level"])})
        for step in payload["to_reach_next"]:
            line = _("%(metric)s (%(scope)s): from %(current)s to %(needed)s") % {
                "metric": metric_name(step["metric"]),
                "scope": scope_text(step["scope"]),
                "current": format_value(step["metric"], step["current"]),
                "needed": format_value(step["metric"], step["needed"]),
            }
            print(f"  - {line}")
    return 0


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def goal_payload(goal: Any, *, full: bool) -> dict[str, Any]:
    """A goal as JSON-ready data (values in metric units: seconds for times)."""
    from goaldesk.goals.selectors import confidence_summary, progress_for

    progress = progress_for(goal, full=full)
    average, votes = confidence_summary(goal)
    data: dict[str, Any] = {
        "id": goal.pk,
        "title": goal.title,
        "type": goal.goal_type,
        "metric": goal.metric_key,
        "statistic": goal.statistic,
        "value_unit": goal.value_unit,
        "scope": goal.scope,
        "baseline_from": goal.baseline_from,
        "baseline_to": goal.baseline_to,
        "baseline": goal.baseline_value,
        "baseline_sample": goal.baseline_sample,
        "target": goal.target,
        "start": goal.start,
        "deadline": goal.deadline,
        "tracking_window_days": goal.tracking_window_days,
        "milestones": [{"date": m.date, "value": m.value} for m in goal.milestones.all()],
        "business_goal": goal.business_goal.title if goal.business_goal else None,
        "reason": goal.reason,
        "owner": goal.owner.get_username() if goal.owner else None,
        "outcome": goal.outcome,
        "final_value": goal.final_value,
        "status": progress.status,
        "progress": progress.report.as_dict() if progress.report else None,
        "confidence": {"average": average, "votes": votes},
        "objectives": {
            "done": goal.objectives.filter(done=True).count(),
            "total": goal.objectives.count(),
        },
    }
    if full:
        from goaldesk.goals.selectors import draft_from_goal, smart_check

        result = smart_check(organisation=goal.organisation, draft=draft_from_goal(goal), goal=goal)
        data["smart"] = result.report.as_dict()
        data["objective_list"] = [
            {
                "id": o.pk,
                "title": o.title,
                "owner": o.owner.get_username() if o.owner else None,
                "due": o.due,
                "done": o.done,
                "notes": o.notes,
            }
            for o in goal.objectives.select_related("owner")
        ]
        data["revisions"] = [
            {
                "at": r.created_at.isoformat(),
                "author": r.author.get_username() if r.author else None,
                "reason": r.reason,
                "changes": r.changes,
            }
            for r in goal.revisions.select_related("author")
        ]
        data["series"] = [[d, v] for d, v in progress.series]
    return _plain(data)


def cmd_goals_list(args: argparse.Namespace) -> int:
    from goaldesk.core.parsing import ArgumentProblem
    from goaldesk.goals.selectors import goal_queryset
    from goaldesk.goals.services import goals_close_due

    try:
        organisation = _organisation(args.org)
    except ArgumentProblem as problem:
        print(f"goaldesk goals list: {problem}", file=sys.stderr)
        return 2
    goals_close_due(organisation=organisation)
    goals = [
        goal_payload(goal, full=False)
        for goal in goal_queryset(organisation=organisation).order_by("outcome", "deadline", "pk")
    ]
    if args.json:
        print(
            json.dumps(
                {"organisation": organisation.slug, "goals": goals}, ensure_ascii=False, indent=2
            )
        )
        return 0
    for g in goals:
        current = g["progress"]["current_value"] if g["progress"] else None
        if g["outcome"] != "active":
            current = g["final_value"]
        print(
            f"{g['id']:>5}  {g['status']:<12} {g['title']}  "
            f"[{g['metric']}] {_fmt(g['baseline'])} -> {_fmt(current)} / {_fmt(g['target'])} "
            f"by {g['deadline']}"
        )
    if not goals:
        print(_("No goals yet."))
    return 0


def cmd_goals_show(args: argparse.Namespace) -> int:
    from goaldesk.core.parsing import ArgumentProblem
    from goaldesk.goals.selectors import goal_get

    try:
        organisation = _organisation(args.org)
        goal = goal_get(organisation=organisation, goal_id=args.id)
        if goal is None:
            raise ArgumentProblem(
                _("No goal %(id)s in %(slug)s.") % {"id": args.id, "slug": organisation.slug}
            )
    except ArgumentProblem as problem:
        print(f"goaldesk goals show: {problem}", file=sys.stderr)
        return 2
    from goaldesk.goals.services import goal_close

    goal_close(goal=goal)
    data = goal_payload(goal, full=True)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"#{data['id']} {data['title']}  ({data['status']})")
    print(f"  metric {data['metric']}  scope {data['scope'] or 'organisation'}")
    print(
        f"  baseline {_fmt(data['baseline'])} (n={data['baseline_sample']})  "
        f"target {_fmt(data['target'])}  {data['start']} – {data['deadline']}"
    )
    if data["progress"]:
        p = data["progress"]
        print(
            f"  now {_fmt(p['current_value'])}  plan {_fmt(p['planned_value'])}  "
            f"projection {_fmt(p['projection'])}"
        )
    for m in data["milestones"]:
        print(f"  milestone {m['date']}: {_fmt(m['value'])}")
    print(f"  SMART: {'pass' if data['smart']['passed'] else 'warnings'}")
    for letter, info in data["smart"]["letters"].items():
        codes = ", ".join(c["code"] for c in info["checks"])
        print(f"    {letter} {info['status']}: {codes}")
    print(f"  objectives {data['objectives']['done']}/{data['objectives']['total']} done")
    for o in data["objective_list"]:
        print(f"    [{'x' if o['done'] else ' '}] {o['title']}")
    for r in data["revisions"]:
        print(f"  revision {r['at']} {r['author']}: {r['reason']}")
    return 0
