"""`goaldesk serve | worker | migrate | manage | org create`."""

import argparse
import json
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management import call_command


def cmd_migrate(args: argparse.Namespace) -> int:
    call_command("migrate", interactive=False, verbosity=1)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["goaldesk manage", *args.rest])
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Run background jobs (see goaldesk.core.worker: retries, heartbeats, lost jobs)."""
    from django_tasks_db.management.commands.db_worker import Command

    from goaldesk.core.worker import worker_run

    Command().configure_logging(verbosity=1)  # task started/finished lines, as before
    worker_run(batch=bool(args.batch))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Run gunicorn on the WSGI application (static files are served by WhiteNoise)."""
    os.execvp(  # noqa: S606 - replaces this process with gunicorn, arguments are ours
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "goaldesk.wsgi:application",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
            # GoalDesk does not use gunicorn's control interface; left on, every instance on the
            # host would share one socket in the home directory.
            "--no-control-socket",
        ],
    )
    return 0


def cmd_org_create(args: argparse.Namespace) -> int:
    from goaldesk.accounts.models import Role
    from goaldesk.accounts.services import member_add, organisation_create, user_get_or_create

    try:
        org = organisation_create(
            name=args.name, timezone=args.timezone, language=args.language, slug=args.slug
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            for problem in problems:
                print(f"{field}: {problem}", file=sys.stderr)
        return 2
    if args.owner:
        member_add(organisation=org, user=user_get_or_create(username=args.owner), role=Role.OWNER)
    result = {
        "slug": org.slug,
        "name": org.name,
        "timezone": org.timezone,
        "language": org.language,
    }
    print(json.dumps(result) if args.json else f"Created organisation {org.name} ({org.slug}).")
    return 0
