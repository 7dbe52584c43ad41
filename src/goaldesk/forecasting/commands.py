"""`goaldesk forecast` and `goaldesk staffing` (arguments declared in goaldesk/cli.py).

Exit codes: 0 success; 2 unusable arguments or an unreadable or bad file (the message names the
row and column). These commands read files only; they need no database.
"""

import argparse
import io
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from goaldesk.core.commands import Unusable, fail, finite, read_bytes, write_or_print
from goaldesk.core.csv_safe import csv_writer
from goaldesk.engine import (
    DemandHistory,
    InputError,
    check_staffing_inputs,
    required_agents,
    requirements_for_intervals,
)
from goaldesk.forecasting.history import (
    HistoryFileError,
    ParsedFile,
    Point,
    parse_forecast,
    parse_history,
)
from goaldesk.forecasting.services import MAX_HORIZON_DAYS, forecast_channel
from goaldesk.forecasting.staffing import staffing_input_message


def _check_parsed(parsed: ParsedFile, path: str) -> None:
    if parsed.errors:
        first = parsed.errors[0]
        more = parsed.rows_rejected - 1
        message = f"{path}: {first}"
        if more > 0:
            message += " " + _("(and %(n)s more bad rows)") % {"n": more}
        raise Unusable(message)
    if not parsed.points:
        raise Unusable(_("%(path)s: the file has a header but no rows.") % {"path": path})


def _by_channel(points: Sequence[Point]) -> dict[str, list[Point]]:
    groups: dict[str, list[Point]] = defaultdict(list)
    for point in points:
        groups[point.channel].append(point)
    return groups


# --- forecast -----------------------------------------------------------------------------------


def cmd_forecast(args: argparse.Namespace) -> int:
    try:
        return _forecast(args)
    except Unusable as problem:
        return fail(str(problem))
    except HistoryFileError as problem:
        return fail(f"{args.history}: {problem.message}")


def _forecast(args: argparse.Namespace) -> int:
    if not 1 <= args.horizon_days <= MAX_HORIZON_DAYS:
        raise Unusable(
            _("--horizon-days must be between 1 and %(max)s, got %(value)s.")
            % {"max": MAX_HORIZON_DAYS, "value": args.horizon_days}
        )
    try:
        zoneinfo.ZoneInfo(args.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise Unusable(
            _("--timezone: “%(value)s” is not a known time zone.") % {"value": args.timezone}
        ) from error
    parsed = parse_history(
        read_bytes(args.history), timezone=args.timezone, known_channels_only=False
    )
    _check_parsed(parsed, args.history)
    rows: list[list[Any]] = []
    channels: list[dict[str, Any]] = []
    for channel, points in _by_channel(parsed.points).items():
        try:
            history = DemandHistory.from_points(
                [p.start for p in points],
                [p.value for p in points],
                interval_minutes=args.interval_minutes,
                timezone=args.timezone,
            )
            forecast, method, methods, note = forecast_channel(
                history, horizon_days=args.horizon_days, is_open=None, future_holidays=None
            )
        except ValueError as error:
            label = f" ({_('channel')} {channel})" if parsed.has_channel else ""
            raise Unusable(f"{args.history}{label}: {error}") from error
        for point in forecast.points():
            row: list[Any] = [
                point.start.isoformat(),
                finite(point.forecast),
                finite(point.lower),
                finite(point.upper),
            ]
            if parsed.has_channel:
                row.append(channel)
            rows.append(row)
        channels.append(
            {
                "channel": channel if parsed.has_channel else None,
                "chosen_method": method,
                "methods": methods,
                "history_first_day": history.first_day.isoformat(),
                "history_last_day": history.last_day.isoformat(),
                "forecast_first_day": forecast.first_day.isoformat(),
                "intervals": forecast.days * history.slots_per_day,
                "note": "too little history to backtest (under three weeks): weekday mean used"
                if note
                else "",
            }
        )
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    header = ["timestamp", "forecast", "lower", "upper"]
    writer.writerow([*header, "channel"] if parsed.has_channel else header)
    writer.writerows(rows)
    if args.out or not args.json:
        write_or_print(buffer.getvalue(), args.out)
    if args.json:
        summary: dict[str, Any] = {
            "interval_minutes": args.interval_minutes,
            "horizon_days": args.horizon_days,
            "timezone": args.timezone,
            "out": args.out,
            "channels": channels,
        }
        if len(channels) == 1:
            summary["chosen_method"] = channels[0]["chosen_method"]
            summary["methods"] = channels[0]["methods"]
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    elif args.out:
        for c in channels:
            scores = ", ".join(
                f"{m['method']} WAPE {m['wape']} MASE {m['mase']}" for m in c["methods"]
            )
            name = f"{c['channel']}: " if c["channel"] else ""
            print(f"{name}{c['chosen_method']} ({scores or c['note']})")
    return 0


# --- staffing -----------------------------------------------------------------------------------


#: Engine argument → the command-line option a message names.
_OPTIONS = {
    "target_sl": "--target-sl",
    "shrinkage": "--shrinkage",
    "max_occupancy": "--max-occupancy",
    "aht_seconds": "--aht",
    "target_seconds": "--target-seconds",
    "interval_minutes": "--interval-minutes",
    "patience_seconds": "--patience",
    "concurrency": "--concurrency",
    "volume": "--volume",
}


def _check_staffing_args(args: argparse.Namespace) -> None:
    """Refuse unusable options before any file is read, in the engine's words translated."""
    try:
        check_staffing_inputs(
            interval_minutes=args.interval_minutes,
            aht_seconds=args.aht,
            target_sl=args.target_sl,
            target_seconds=args.target_seconds,
            shrinkage=args.shrinkage,
            max_occupancy=args.max_occupancy,
            patience_seconds=args.patience,
            concurrency=args.concurrency,
            volume=args.volume,
        )
    except InputError as error:
        raise Unusable(staffing_input_message(error, names=_OPTIONS)) from None


def cmd_staffing(args: argparse.Namespace) -> int:
    try:
        _check_staffing_args(args)
        if args.volume is not None:
            return _staffing_one(args)
        return _staffing_file(args)
    except Unusable as problem:
        return fail(str(problem))
    except HistoryFileError as problem:
        return fail(f"{args.forecast}: {problem.message}")


def _model_name(args: argparse.Namespace) -> str:
    if args.concurrency > 1:
        return "chat"
    return "erlang_a" if args.patience is not None else "erlang_c"


def _staffing_one(args: argparse.Namespace) -> int:
    result = required_agents(
        volume=args.volume,
        interval_minutes=args.interval_minutes,
        aht_seconds=args.aht,
        target_sl=args.target_sl,
        target_seconds=args.target_seconds,
        shrinkage=args.shrinkage,
        max_occupancy=args.max_occupancy,
        patience_seconds=args.patience,
        concurrency=args.concurrency,
    )
    body = {
        "model": result.model,
        "volume": args.volume,
        "interval_minutes": args.interval_minutes,
        "aht_seconds": args.aht,
        "offered_load_erlangs": finite(result.offered_load),
        "agents": result.agents,
        "agents_with_shrinkage": result.agents_with_shrinkage,
        "service_level": finite(result.service_level, 6),
        "asa_seconds": finite(result.asa_seconds, 3),
        "occupancy": finite(result.occupancy, 6),
        "p_wait": finite(result.p_wait, 6),
        "p_abandon": finite(result.p_abandon, 6),
        "target_sl": args.target_sl,
        "target_seconds": args.target_seconds,
        "shrinkage": args.shrinkage,
        "max_occupancy": args.max_occupancy,
    }
    if args.json:
        print(json.dumps(body, indent=2))
    else:
        print(
            _(
                "%(agents)s agents (%(gross)s with shrinkage): service level %(sl).1f%%, "
                "ASA %(asa).1f s, occupancy %(occ).1f%%, P(wait) %(pw).1f%% [%(model)s]"
            )
            % {
                "agents": result.agents,
                "gross": result.agents_with_shrinkage,
                "sl": 100 * result.service_level,
                "asa": result.asa_seconds,
                "occ": 100 * result.occupancy,
                "pw": 100 * result.p_wait,
                "model": result.model,
            }
        )
    return 0


_OUT_COLUMNS = [
    "timestamp",
    "volume",
    "agents",
    "agents_with_shrinkage",
    "service_level",
    "asa_seconds",
    "occupancy",
    "p_wait",
]


def _staffing_file(args: argparse.Namespace) -> int:
    parsed = parse_forecast(read_bytes(args.forecast), timezone="UTC")
    _check_parsed(parsed, args.forecast)
    intervals: list[dict[str, Any]] = []
    for channel, points in _by_channel(parsed.points).items():
        volumes = np.array([p.value for p in points])
        if args.concurrency > 1:
            results = [
                required_agents(
                    volume=float(v),
                    interval_minutes=args.interval_minutes,
                    aht_seconds=args.aht,
                    target_sl=args.target_sl,
                    target_seconds=args.target_seconds,
                    shrinkage=args.shrinkage,
                    max_occupancy=args.max_occupancy,
                    concurrency=args.concurrency,
                )
                for v in volumes
            ]
            table = [
                (
                    r.agents,
                    r.agents_with_shrinkage,
                    r.service_level,
                    r.asa_seconds,
                    r.occupancy,
                    r.p_wait,
                )
                for r in results
            ]
        else:
            req = requirements_for_intervals(
                volumes,
                interval_minutes=args.interval_minutes,
                aht_seconds=args.aht,
                target_sl=args.target_sl,
                target_seconds=args.target_seconds,
                shrinkage=args.shrinkage,
                max_occupancy=args.max_occupancy,
                patience_seconds=args.patience,
            )
            table = list(
                zip(
                    req.agents.tolist(),
                    req.agents_with_shrinkage.tolist(),
                    req.service_level.tolist(),
                    req.asa_seconds.tolist(),
                    req.occupancy.tolist(),
                    req.p_wait.tolist(),
                    strict=True,
                )
            )
        for point, (agents, gross, sl, asa, occ, pw) in zip(points, table, strict=True):
            row = {
                "timestamp": point.start.isoformat(),
                "volume": finite(point.value),
                "agents": int(agents),
                "agents_with_shrinkage": int(gross),
                "service_level": finite(sl, 6),
                "asa_seconds": finite(asa, 3),
                "occupancy": finite(occ, 6),
                "p_wait": finite(pw, 6),
            }
            if parsed.has_channel:
                row["channel"] = channel
            intervals.append(row)
    columns = [*_OUT_COLUMNS, "channel"] if parsed.has_channel else _OUT_COLUMNS
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([row.get(column, "") for column in columns] for row in intervals)
    if args.out or not args.json:
        write_or_print(buffer.getvalue(), args.out)
    if args.json:
        agents_per_interval = [r["agents"] for r in intervals]
        body = {
            "model": _model_name(args),
            "interval_minutes": args.interval_minutes,
            "aht_seconds": args.aht,
            "target_sl": args.target_sl,
            "target_seconds": args.target_seconds,
            "shrinkage": args.shrinkage,
            "max_occupancy": args.max_occupancy,
            "out": args.out,
            "summary": {
                "intervals": len(intervals),
                "peak_agents": max(agents_per_interval, default=0),
                "peak_agents_with_shrinkage": max(
                    (r["agents_with_shrinkage"] for r in intervals), default=0
                ),
                "agent_hours": round(sum(agents_per_interval) * args.interval_minutes / 60, 2),
            },
            "intervals": intervals,
        }
        print(json.dumps(body, indent=2, ensure_ascii=False))
    return 0
