"""The `goaldesk` command. Its sub-commands and exit codes are a contract (see README).

This module only parses arguments; each sub-command's work lives in its app's `commands.py`.
Exit codes: 0 success; 1 the command ran but some input was rejected; 2 unusable arguments
or an unreadable file.
"""

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from importlib import import_module
from typing import NoReturn


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goaldesk.settings")
    import django

    django.setup()


def _database_not_ready() -> str | None:
    """A message saying what to run when the database lacks migrations; None when it is ready.

    The database is not migrated here on its own: a migration is a step to take on purpose (after
    a backup, by one process, not by every server or worker that happens to start first).
    """
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils.translation import gettext as _

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return _("cannot open the database: %(reason)s") % {"reason": error}
    if not pending:
        return None
    return _(
        "the database %(database)s is not set up or not up to date. Run “goaldesk migrate” "
        "first (with the same GOALDESK_DATA_DIR and GOALDESK_DATABASE_URL)."
    ) % {"database": connection.settings_dict["NAME"]}


def _run(target: str, *, database: bool = True) -> Callable[[argparse.Namespace], int]:
    """A handler that sets Django up, then calls `module:function` with the parsed arguments.

    With `database`, the command needs the tables: on a database that was never migrated (or
    misses a migration) it prints what to run and returns 2 instead of failing on a missing table.
    """

    def handler(args: argparse.Namespace) -> int:
        _setup_django()
        if database:
            problem = _database_not_ready()
            if problem is not None:
                from goaldesk.core.commands import fail

                return fail(problem)
        module_name, function_name = target.split(":")
        function = getattr(import_module(module_name), function_name)
        with _calendar_of(getattr(args, "org", None) if database else None):
            return int(function(args) or 0)

    return handler


def _calendar_of(slug: str | None) -> AbstractContextManager[None]:
    """Within the block, dates typed with a year before 1700 are read in the calendar of the
    organisation `--org` names (Hijri for a Hijri one, else Jalali), as on its pages."""
    from goaldesk.accounts.models import Organisation
    from goaldesk.core.parsing import reading_calendar

    if not slug:
        return nullcontext()
    calendar = Organisation.objects.filter(slug=slug).values_list("calendar", flat=True).first()
    return reading_calendar(calendar) if calendar else nullcontext()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


#: Checked by the command (not by `choices`), so that a wrong value gets a translated message.
#: Every preset of interactions/mapping.py by name (tests/interactions/test_presets.py checks it).
_MAPPING_HELP = (
    "the source the file was exported from, by preset name: canonical (GoalDesk's own "
    "columns), zendesk, servicenow, freshdesk, zammad, osticket, odoo; files of one row per "
    "event or message: eventlog, twitter, chatwoot, helpscout (docs/import.md describes each); "
    "or a JSON mapping file"
)

_CALENDAR_HELP = (
    "jalali or hijri: the calendar of dates with a year before 1700 (default: the "
    "organisation's, hijri when it shows Hijri dates, else jalali)"
)


def build_parser() -> argparse.ArgumentParser:
    from goaldesk.core.commands import add_filter_options  # no Django needed

    parser = _Parser(prog="goaldesk", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = commands.add_parser(
        "demo", help="build the demo organisation on the embedded DB and serve it"
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--reset", action="store_true", help="rebuild the demo data from scratch")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--no-serve", action="store_true", help="build the data, do not serve")
    p.set_defaults(handler=_run("goaldesk.demo.commands:cmd_demo", database=False))

    p = commands.add_parser("demo-data", help="write a demo interactions CSV (for benchmarks)")
    p.add_argument(
        "--size", type=int, default=None, help="number of interactions (default: 6 months' worth)"
    )
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", required=True)
    p.set_defaults(handler=_run("goaldesk.demo.commands:cmd_demo_data", database=False))

    p = commands.add_parser("serve", help="serve the web application with gunicorn")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(handler=_run("goaldesk.accounts.commands:cmd_serve"))

    p = commands.add_parser("worker", help="run background jobs")
    p.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    p.set_defaults(handler=_run("goaldesk.accounts.commands:cmd_worker"))

    p = commands.add_parser("migrate", help="create or update the database tables")
    p.set_defaults(handler=_run("goaldesk.accounts.commands:cmd_migrate", database=False))

    p = commands.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=_run("goaldesk.accounts.commands:cmd_manage", database=False))

    org = commands.add_parser("org", help="organisations").add_subparsers(
        dest="org_command", required=True, parser_class=_Parser
    )
    p = org.add_parser("create", help="create an organisation")
    p.add_argument("name")
    p.add_argument("--timezone", required=True)
    p.add_argument("--language", required=True, choices=["en", "de", "fa", "ar"])
    p.add_argument("--slug")
    p.add_argument("--owner", help="user name of the owner (created when new)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.accounts.commands:cmd_org_create"))

    imp = commands.add_parser("import", help="import a file").add_subparsers(
        dest="import_command", required=True, parser_class=_Parser
    )
    p = imp.add_parser("interactions", help="import interactions from CSV or XLSX")
    p.add_argument("file")
    p.add_argument("--org", required=True, help="organisation slug")
    p.add_argument("--mapping", help=_MAPPING_HELP)
    p.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    p.add_argument("--calendar", help=_CALENDAR_HELP)
    p.add_argument(
        "--channel", help="the channel of every interaction of a file without a channel column"
    )
    p.add_argument(
        "--final-activity",
        action="append",
        help="event log: an activity that resolves its case (repeatable; default: 6, Closed)",
    )
    p.add_argument(
        "--date-order",
        choices=["dmy", "mdy", "ymd"],
        help="how dates that are not ISO 8601 are written (else guessed; refused if ambiguous)",
    )
    p.add_argument("--date-format", help="an exact strptime format, or epoch (Unix seconds)")
    p.add_argument("--values", help="a JSON file {field: {file value: canonical value}}")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.interactions.commands:cmd_import_interactions"))
    p = imp.add_parser("reviews", help="import online reviews from CSV or XLSX")
    p.add_argument("file")
    p.add_argument("--org", required=True)
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--calendar", help=_CALENDAR_HELP)
    p.add_argument("--date-order", choices=["dmy", "mdy", "ymd"], help="how dates are written")
    p.add_argument("--date-format", help="an exact strptime format, or epoch (Unix seconds)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.interactions.commands:cmd_import_reviews"))

    export = commands.add_parser("export", help="export data as a file").add_subparsers(
        dest="export_command", required=True, parser_class=_Parser
    )
    p = export.add_parser(
        "interactions", help="interactions as CSV with the canonical columns (re-importable)"
    )
    p.add_argument("--org", required=True, help="organisation slug")
    p.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last day (included)")
    add_filter_options(p)
    p.add_argument("--out", help="CSV file to write (default: standard output)")
    p.set_defaults(handler=_run("goaldesk.interactions.commands:cmd_export_interactions"))

    p = commands.add_parser("kpis", help="print every metric for a period")
    p.add_argument("--org", required=True)
    p.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last day (included)")
    p.add_argument("--by", choices=["channel", "agent", "team", "category", "day"])
    add_filter_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.metrics.commands:cmd_kpis"))

    team = commands.add_parser("team", help="the team's agents").add_subparsers(
        dest="team_command", required=True, parser_class=_Parser
    )
    p = team.add_parser("ranking", help="rank the agents fairly for one metric and period")
    p.add_argument("--org", required=True)
    p.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last day (included)")
    p.add_argument("--metric", required=True, help="catalogue key, e.g. csat_pct")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.metrics.commands:cmd_team_ranking"))
    p = team.add_parser("scorecard", help="one agent's scorecard for a period")
    p.add_argument("agent", metavar="AGENT", help="the agent's key")
    p.add_argument("--org", required=True)
    p.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last day (included)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.coaching.commands:cmd_team_scorecard"))

    surveys = commands.add_parser("surveys", help="customer surveys").add_subparsers(
        dest="surveys_command", required=True, parser_class=_Parser
    )
    p = surveys.add_parser(
        "send", help="invite customers to the survey: one link per invitation (or e-mail)"
    )
    p.add_argument("--org", required=True)
    p.add_argument("--interaction", help="the interaction's external id")
    p.add_argument("--from", dest="date_from", help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="last day (included)")
    p.add_argument("--email", action="store_true", help="send by e-mail instead of printing links")
    p.add_argument("--address", help="the customer's e-mail address (with --interaction)")
    p.add_argument("--language", help="the survey's language (default: the organisation's)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.feedback.survey_commands:cmd_surveys_send"))

    p = commands.add_parser("level", help="judge the service level of a period")
    p.add_argument("--org", required=True)
    p.add_argument("--from", dest="date_from", required=True)
    p.add_argument("--to", dest="date_to", required=True)
    add_filter_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.goals.commands:cmd_level"))

    goals = commands.add_parser("goals", help="service goals").add_subparsers(
        dest="goals_command", required=True, parser_class=_Parser
    )
    p = goals.add_parser("list", help="list the goals with their progress")
    p.add_argument("--org", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.goals.commands:cmd_goals_list"))
    p = goals.add_parser("show", help="one goal: SMART check, progress, objectives, revisions")
    p.add_argument("id", type=int)
    p.add_argument("--org", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.goals.commands:cmd_goals_show"))

    digests = commands.add_parser("digests", help="e-mail digests").add_subparsers(
        dest="digests_command", required=True, parser_class=_Parser
    )
    p = digests.add_parser(
        "send", help="send every digest due for its last complete period and not sent yet"
    )
    p.add_argument("--org", help="only this organisation (slug)")
    p.add_argument("--dry-run", action="store_true", help="list what would be sent, send nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.reports.commands:cmd_digests_send"))

    p = commands.add_parser("forecast", help="forecast demand from a history file")
    p.add_argument("--history", required=True, help="CSV: timestamp,volume[,channel]")
    p.add_argument("--interval-minutes", type=int, required=True, choices=[15, 30, 60])
    p.add_argument("--horizon-days", type=int, required=True)
    p.add_argument("--timezone", default="UTC", help="time zone of timestamps without an offset")
    p.add_argument("--out", help="CSV out: timestamp,forecast,lower,upper[,channel]")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.forecasting.commands:cmd_forecast", database=False))

    p = commands.add_parser("staffing", help="agents needed for a service-level target")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--volume", type=float, help="contacts in one interval")
    source.add_argument("--forecast", help="a forecast CSV (from `goaldesk forecast --out`)")
    p.add_argument("--interval-minutes", type=int, default=30)
    p.add_argument("--aht", type=float, required=True, help="average handle time, seconds")
    p.add_argument("--target-sl", type=float, default=0.8)
    p.add_argument("--target-seconds", type=float, default=20)
    p.add_argument("--shrinkage", type=float, default=0.0)
    p.add_argument("--max-occupancy", type=float, default=1.0)
    p.add_argument("--patience", type=float, help="mean patience, seconds (Erlang A)")
    p.add_argument("--concurrency", type=int, default=1, help="chats one agent handles at once")
    p.add_argument("--out", help="CSV out, one row per interval (with --forecast)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.forecasting.commands:cmd_staffing", database=False))

    p = commands.add_parser("schedule", help="build a shift schedule that covers a requirement")
    p.add_argument("--requirements", required=True)
    p.add_argument("--agents", required=True)
    p.add_argument("--rules")
    p.add_argument("--out", required=True)
    p.add_argument("--time-limit", type=float, default=30)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_run("goaldesk.scheduling.commands:cmd_schedule", database=False))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
