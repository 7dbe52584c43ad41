"""`goaldesk schedule` (arguments declared in goaldesk/cli.py): a schedule solved from files.

Exit codes: 0 every interval covered, 1 some intervals short, 2 unusable arguments or files.
It reads and writes files only; it needs no database.
"""

import argparse
import json
import sys
import zoneinfo
from typing import Any

from django.utils.translation import gettext as _

from goaldesk.core.commands import Unusable, fail, finite, read_bytes, write_or_print

# --- schedule -----------------------------------------------------------------------------------


def cmd_schedule(args: argparse.Namespace) -> int:
    """Solve a schedule from files; exit 0 when every interval is covered, 1 when not, 2 on bad input."""
    from goaldesk.scheduling.files import ScheduleFileError

    try:
        return _schedule(args)
    except ScheduleFileError as problem:
        return fail(problem.message)
    except Unusable as problem:
        return fail(str(problem))


def _schedule(args: argparse.Namespace) -> int:
    from goaldesk.engine.rostering import SolveProgress, solve_schedule
    from goaldesk.scheduling.files import (
        ScheduleFileError,
        decode,
        read_agents,
        read_requirements,
        read_rules,
        shifts_csv,
    )

    if not args.time_limit or args.time_limit <= 0:
        raise Unusable(_("--time-limit must be a positive number of seconds."))

    def labelled(path: str, read: Any) -> Any:
        try:
            return read()
        except ScheduleFileError as problem:
            raise ScheduleFileError(f"{path}: {problem.message}") from None

    rules = (
        labelled(args.rules, lambda: read_rules(decode(read_bytes(args.rules), args.rules)))
        if args.rules
        else None
    )
    from goaldesk.engine.rostering import Rules

    rules = rules or Rules()
    requirements = labelled(
        args.requirements,
        lambda: read_requirements(read_bytes(args.requirements), timezone=rules.timezone),
    )
    agents = labelled(
        args.agents,
        lambda: read_agents(read_bytes(args.agents), timezone=rules.timezone, name=args.agents),
    )

    def progress(p: SolveProgress) -> None:
        print(
            _("solution %(n)s: objective %(objective)s, bound %(bound)s, %(seconds)s s")
            % {
                "n": p.solutions,
                "objective": f"{p.objective:g}",
                "bound": f"{p.best_bound:g}",
                "seconds": f"{p.wall_seconds:.1f}",
            },
            file=sys.stderr,
            flush=True,
        )

    try:
        result = solve_schedule(
            requirements, agents, rules, time_limit_seconds=args.time_limit, progress=progress
        )
    except ValueError as problem:  # the engine's checks of lengths, grid and breaks
        raise Unusable(str(problem)) from None
    tz = zoneinfo.ZoneInfo(rules.timezone)
    write_or_print(shifts_csv(result.shifts, tz), args.out)
    report = schedule_report(result)
    report["out"] = args.out
    covered = (
        result.status in ("optimal", "feasible")
        and report["under_coverage"]["agent_intervals"] == 0
    )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(
            _(
                "%(status)s: %(shifts)s shifts, %(under)s agent-intervals short, %(over)s over, "
                "gap %(gap)s, written to %(out)s"
            )
            % {
                "status": result.status,
                "shifts": len(result.shifts),
                "under": report["under_coverage"]["agent_intervals"],
                "over": report["over_coverage"]["agent_intervals"],
                "gap": "—" if result.gap is None else f"{100 * result.gap:.2f}%",
                "out": args.out,
            }
        )
        for reason in result.infeasibility:
            print(reason)
        for short in report["under_coverage"]["intervals"][:20]:
            print(short["message"])
    return 0 if covered else 1


def schedule_report(result: Any) -> dict[str, Any]:
    """A solver result as JSON-ready data (the CLI's --json and the benchmark's format)."""
    evaluation = result.evaluation
    shortfalls = list(result.shortfalls)
    return {
        "status": result.status,
        "objective": finite(result.objective),
        "best_bound": finite(result.best_bound),
        "gap": finite(result.gap, 6),
        "wall_seconds": round(result.wall_seconds, 2),
        "shifts": len(result.shifts),
        "agents_scheduled": len({s.agent_id for s in result.shifts}),
        "hours_scheduled": round(sum(s.minutes for s in result.shifts) / 60, 2),
        "under_coverage": {
            "agent_intervals": evaluation.under_coverage if evaluation else None,
            "intervals": [
                {
                    "start": s.start.isoformat(),
                    "skill": s.skill,
                    "required": s.required,
                    "staffed": s.staffed,
                    "short_by": s.short_by,
                    "reason": s.reason,
                    "binding": dict(s.binding),
                    "message": s.message,
                }
                for s in shortfalls
            ],
        },
        "over_coverage": {
            "agent_intervals": evaluation.over_coverage if evaluation else None,
            "intervals": [
                {"start": c.start.isoformat(), "over": c.over}
                for c in (evaluation.intervals if evaluation else ())
                if c.over > 0
            ],
        },
        "preferences": {
            "honoured": evaluation.preferences_honoured if evaluation else 0,
            "broken": evaluation.preferences_broken if evaluation else 0,
        },
        "unpopular_shifts": dict(evaluation.unpopular_shifts) if evaluation else {},
        "violations": [
            {"code": v.code, "agent": v.agent_id, "message": v.message}
            for v in (evaluation.violations if evaluation else ())
        ],
        "infeasibility": list(result.infeasibility),
    }
