"""`goaldesk import interactions | reviews`: import a file in this process, with an ImportJob record.

Exit codes: 0 every row accepted; 1 some rows rejected (listed); 2 unusable arguments, unknown
organisation, unreadable file or a mapping that misses a required field.

`--channel` gives the channel of a file without a channel column (an event log: default web;
Twitter: social); `--final-activity` (repeatable) the activities that resolve an event log's case
(default: 6 and Closed). See interactions/reduction.py.

`--calendar jalali|hijri` says which calendar a year before 1700 is read in (see importing.py's
notes on dates); without it, the organisation's: hijri when it shows Hijri dates, else jalali.
`--date-order dmy|mdy|ymd` or `--date-format FMT` (strptime, or "epoch") say how dates that are
not ISO 8601 are written; without them, the preset's, else the order guessed from the file's
first rows — a file whose days are all 12 or less (or whose rows disagree) is refused (exit 2).
The organisation's saved value mappings apply (value_mappings.py); `--values FILE.json`
({"channel": {"Self service": "web"}}) adds mappings for this run only.
"""

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goaldesk.accounts.models import Organisation
from goaldesk.core.parsing import (
    DATE_ORDERS,
    ArgumentProblem,
    DateOrderProblem,
    check_date_format,
)
from goaldesk.interactions.importing import (
    LOCAL_CALENDARS,
    default_local_calendar,
    file_layout,
    file_rows_sample,
    guess_file_date_order,
    import_run,
    job_people,
    mapping_for_job,
    no_data_error,
    preview_table,
)
from goaldesk.interactions.mapping import (
    ImportFileError,
    Preset,
    check_mapping,
    guess_mapping,
    load_preset,
)
from goaldesk.interactions.models import ImportJob
from goaldesk.interactions.reduction import mapping_with_choices
from goaldesk.interactions.value_mappings import organisation_value_map, read_values_file

#: Rejections printed in the human summary (the JSON lists all that the job stored, and
#: every rejection counted by column and reason).
SHOWN_REJECTIONS = 20


def cmd_import_interactions(args: argparse.Namespace) -> int:
    return _import(args, kind=ImportJob.Kind.INTERACTIONS)


def cmd_import_reviews(args: argparse.Namespace) -> int:
    return _import(args, kind=ImportJob.Kind.REVIEWS)


def _fail(message: str) -> int:
    print(f"goaldesk import: {message}", file=sys.stderr)
    return 2


def _import(args: argparse.Namespace, *, kind: str) -> int:
    organisation = Organisation.objects.filter(slug=args.org).first()
    if organisation is None:
        return _fail(_("There is no organisation “%(slug)s”.") % {"slug": args.org})
    calendar = (getattr(args, "calendar", None) or "").strip().lower()
    calendar = calendar or default_local_calendar(organisation)
    if calendar not in LOCAL_CALENDARS:
        return _fail(
            _("“%(value)s” is not a calendar --calendar knows: write jalali or hijri.")
            % {"value": calendar}
        )
    path = Path(args.file)
    if not path.is_file():
        return _fail(_("The file “%(name)s” does not exist.") % {"name": args.file})
    try:
        preset = load_preset(getattr(args, "mapping", None))
        preset = dataclasses.replace(preset, layout=file_layout(path, preset, kind=kind))
        preview = preview_table(path, count=1, layout=preset.layout)
        if preview.no_data:
            raise no_data_error()
        headers = preview.headers
        columns = guess_mapping(headers, preset, kind=kind)
        channel = getattr(args, "channel", None)
        check_mapping(
            columns, headers, kind=kind, fixed=[*preset.fixed, *(["channel"] if channel else [])]
        )
    except ImportFileError as error:
        return _fail(error.message)
    dates = _dates(args, preset, file_rows_sample(path, layout=preset.layout), columns, kind=kind)
    if isinstance(dates, int):
        return dates
    preset = dataclasses.replace(preset, date_order=dates[0], date_format=dates[1])
    value_map = organisation_value_map(organisation)
    values_file = getattr(args, "values", None)
    if values_file:
        try:
            extra = read_values_file(json.loads(Path(values_file).read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            return _fail(
                _("The values file “%(name)s” cannot be used: %(error)s")
                % {"name": values_file, "error": error}
            )
        for field_name, table in extra.items():
            value_map.setdefault(field_name, {}).update(table)

    try:
        mapping = mapping_with_choices(
            mapping_for_job(
                columns, preset=preset, headers=headers, calendar=calendar, value_map=value_map
            ),
            channel=getattr(args, "channel", None),
            final_activities=getattr(args, "final_activity", None),
        )
    except ImportFileError as error:
        return _fail(error.message)
    job = ImportJob.objects.create(
        organisation=organisation,
        kind=kind,
        original_name=str(path.resolve())[:255],
        mapping=mapping,
        dry_run=bool(args.dry_run),
    )
    progress = _Progress()
    try:
        job = import_run(job.pk, source=path, progress=progress)
    except ImportFileError as error:
        progress.end()
        return _fail(error.message)
    progress.end()
    return _report(job, as_json=bool(args.json))


def _dates(
    args: argparse.Namespace,
    preset: Preset,
    rows: list[dict[str, Any]],
    columns: dict[str, str],
    *,
    kind: str,
) -> tuple[str, str] | int:
    """(order, format) of the file's dates that are not ISO 8601: --date-order and
    --date-format, else the preset's, else guessed from the first rows; exit code 2 (with a
    message) when an option is wrong or the file cannot tell its order."""
    order = getattr(args, "date_order", None) or ""
    if order and order not in DATE_ORDERS:
        return _fail(
            _("“%(value)s” is not a date order --date-order knows: write %(orders)s.")
            % {"value": order, "orders": ", ".join(DATE_ORDERS)}
        )
    try:
        date_format = check_date_format(getattr(args, "date_format", None) or "")
    except ArgumentProblem as problem:
        return _fail(f"--date-format: {problem}")
    if order or date_format:
        return order, date_format
    if preset.date_order or preset.date_format:
        return preset.date_order, preset.date_format
    try:
        return guess_file_date_order(rows, columns, kind=kind), ""
    except DateOrderProblem as problem:
        return _fail(
            str(problem)
            + " "
            + _(
                "Say how the file writes its dates with --date-order dmy, mdy or ymd, or --date-format."
            )
        )


class _Progress:
    """One updating line on stderr: rows done of the total."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, job: ImportJob) -> None:
        phase = job.reducing_phase()
        if phase is not None:  # an event log or thread: its cases become interactions
            done, cases = phase
            percent = f" ({100 * done // cases}%)" if cases else ""
            line = _("%(done)s of %(total)s cases%(percent)s") % {
                "done": f"{done:,}",
                "total": f"{cases:,}",
                "percent": percent,
            }
            sys.stderr.write(f"\r{line}   ")
            sys.stderr.flush()
            self.shown = True
            return
        total = job.rows_total or 0
        percent = f" ({job.percent}%)" if total else ""
        line = _("%(done)s of %(total)s rows%(percent)s") % {
            "done": f"{job.rows_done:,}",
            "total": f"{total:,}",
            "percent": percent,
        }
        sys.stderr.write(f"\r{line}   ")
        sys.stderr.flush()
        self.shown = True

    def end(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _report(job: ImportJob, *, as_json: bool) -> int:
    rejections = [
        {"row": r.row_number, "column": r.column, "reason": r.reason}
        for r in job.rejections.order_by("row_number")
    ]
    result: dict[str, Any] = {
        "job": job.pk,
        "rows": job.rows_done,
        "accepted": job.accepted,
        "updated": job.updated,
        "rejected": job.rejected,
        "dry_run": job.dry_run,
        "rejections": rejections,
        "rejection_summary": job.rejection_summary,
    }
    shaped = job.shaped_counts()
    if shaped is not None:
        result.update(shaped)
    people = job_people(job)
    for kind in ("agents", "teams"):
        result[f"new_{kind}"] = [
            {"value": item["value"], "rows": item["rows"]}
            for item in people[kind]
            if item["match"] is None
        ]
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        if job.dry_run:
            print(_("Dry run: nothing was written."))
        print(
            _("%(rows)s rows: %(accepted)s new, %(updated)s updated, %(rejected)s rejected.")
            % {k: result[k] for k in ("rows", "accepted", "updated", "rejected")}
        )
        if shaped is not None:
            print(
                _(
                    "%(cases)s cases; rows that opened, answered or resolved nothing: "
                    "%(absorbed)s; cases no row opened: %(unopened)s."
                )
                % shaped
            )
        for kind, line in (
            ("agents", _("New agents: %(list)s")),
            ("teams", _("New teams: %(list)s")),
        ):
            if result[f"new_{kind}"]:
                print(
                    line % {"list": ", ".join(_with_rows(item) for item in result[f"new_{kind}"])}
                )
        shown = rejections[:SHOWN_REJECTIONS]
        for rejection in shown:
            where = f" [{rejection['column']}]" if rejection["column"] else ""
            print(
                _("row %(row)s%(where)s: %(reason)s")
                % {"row": rejection["row"], "where": where, "reason": rejection["reason"]}
            )
        if job.rejected > len(shown):
            print(
                _("… and %(count)s more (use --json for all).")
                % {"count": job.rejected - len(shown)}
            )
        if job.rejected > len(rejections):
            for item in job.rejection_summary:
                where = f" [{item['column']}]" if item["column"] else ""
                print(f"{item['count']:>10,}{where}: {item['reason']}")
    return 1 if job.rejected else 0


def _with_rows(item: dict[str, Any]) -> str:
    """'Omid Karimi (2 rows)': a new agent or team and the rows that name it."""
    return ngettext("%(name)s (%(count)s row)", "%(name)s (%(count)s rows)", item["rows"]) % {
        "name": item["value"],
        "count": item["rows"],
    }


def cmd_export_interactions(args: argparse.Namespace) -> int:
    """`goaldesk export interactions`: the interactions of a period (days in the organisation's
    calendar and time zone) as CSV with the canonical columns, to --out or standard output.

    Exit codes: 0 written (also when no interaction matched: the file has its header);
    2 unusable arguments or an unwritable file.
    """
    from goaldesk.core.commands import Unusable, fail, filters_of
    from goaldesk.core.parsing import ArgumentProblem, parse_days
    from goaldesk.interactions.exporting import EXPORT_CHUNK_ROWS, csv_chunks
    from goaldesk.interactions.selectors import FilterError, interactions_for_export

    try:
        organisation = Organisation.objects.filter(slug=args.org).first()
        if organisation is None:
            raise ArgumentProblem(_("--org: no organisation “%(slug)s”.") % {"slug": args.org})
        date_from, date_to = parse_days(args.date_from, args.date_to)
        interactions = interactions_for_export(
            organisation=organisation,
            date_from=date_from,
            date_to=date_to,
            filters=filters_of(args),
        )
        total = interactions.count()
        chunks = csv_chunks(interactions, tz=organisation.tzinfo)
        if args.out:
            try:
                with Path(args.out).open("w", encoding="utf-8", newline="") as out:
                    _write_with_progress(chunks, out, total, EXPORT_CHUNK_ROWS)
            except OSError as error:
                raise Unusable(
                    _("cannot write %(path)s: %(reason)s")
                    % {"path": args.out, "reason": error.strerror}
                ) from error
        else:
            _write_with_progress(chunks, sys.stdout, total, EXPORT_CHUNK_ROWS)
    except (ArgumentProblem, FilterError, Unusable) as problem:
        return fail(str(problem))
    return 0


def _write_with_progress(chunks: Any, out: Any, total: int, rows_per_chunk: int) -> None:
    """Write the CSV chunks to `out`; for more than one chunk, count the rows on stderr."""
    done = 0
    for chunk in chunks:
        out.write(chunk)
        if total > rows_per_chunk:
            done = min(done + rows_per_chunk, total)
            line = _("%(done)s of %(total)s rows%(percent)s") % {
                "done": f"{done:,}",
                "total": f"{total:,}",
                "percent": f" ({100 * done // total}%)",
            }
            sys.stderr.write(f"\r{line}   ")
            sys.stderr.flush()
    if total > rows_per_chunk:
        sys.stderr.write("\n")
        sys.stderr.flush()
